# SPDX-License-Identifier: GPL-2.0
"""Mutants caught through a translating IOMMU, on the x86_64-iommu target:
drivers/iommu/dma-iommu.c's scatterlist path (the merge, the segment
length and boundary checks, the unmap) and a software channel that copies
after the unmap.  Same format as dmapool_mutants.py, with the target they
run on; the suite is sgdma_iommu."""

DMA_IOMMU = 'drivers/iommu/dma-iommu.c'
SW = 'lib/dma_suite/sgdma_test/sgdma_swchan.c'
BOTH = ('old', 'new')
TARGET = 'x86_64-iommu'
SUITE = 'sgdma_iommu'

MUTANTS = [dict(m, gens=BOTH, target=TARGET, suite=SUITE) for m in [
    dict(id='iommu-never-merges', file=DMA_IOMMU,
         rule='entries contiguous in IOVA space merge into one segment',
         find='\t\tif (cur_len && !s_iova_off && (dma_addr & seg_mask) &&\n',
         replace='\t\tif (0 && cur_len && !s_iova_off && (dma_addr & seg_mask) &&\n'),
    dict(id='iommu-merge-past-max-seg', file=DMA_IOMMU,
         rule="no merged segment is longer than the device's max_seg_size",
         find='\t\t    (max_len - cur_len >= s_length)) {\n',
         replace='\t\t    (max_len + cur_len >= s_length)) {\n'),
    dict(id='iommu-merge-across-boundary', file=DMA_IOMMU,
         rule="no merged segment crosses the device's segment boundary",
         find='\t\tif (cur_len && !s_iova_off && (dma_addr & seg_mask) &&\n',
         replace='\t\tif (cur_len && !s_iova_off &&\n'),
    dict(id='iommu-no-boundary-padding', file=DMA_IOMMU,
         rule='an entry that would cross a segment boundary is padded to the next',
         find='\t\tif (pad_len && pad_len < s_length - 1) {\n',
         replace='\t\tif (0 && pad_len && pad_len < s_length - 1) {\n'),
    dict(id='iommu-unmap-keeps-mapping', file=DMA_IOMMU,
         rule='dma_unmap_sg() removes the IOVAs of the list',
         find='\t\t__iommu_dma_unmap(dev, start, end - start);\n',
         replace='\t\t(void)start;\n'),
    dict(id='swchan-copies-after-unmap', file=SW,
         rule='a channel reaches its buffers only before the completion, never after the unmap',
         find='\t\tres = error ? DMA_TRANS_WRITE_FAILED : swchan_copy(sc, d, slow);\n',
         replace='\t\tswchan_callback(d, DMA_TRANS_NOERROR);\n'
                 '\t\tmsleep(20);\n'
                 '\t\tres = error ? DMA_TRANS_WRITE_FAILED : swchan_copy(sc, d, slow);\n'),
]]

# SPDX-License-Identifier: GPL-2.0
"""Mutants of a real DMA controller's driver, caught on the arm64 target:
drivers/dma/xilinx/zynqmp_dma.c's memcpy path (the length and the addresses
a descriptor is given, and the completion of a finished one), run on every
zynqmp_dma channel of QEMU's Versal model.  What catches them is the SG
engine's contract (the destination is exact after the unmap, a copy the
callback reported is DMA_COMPLETE), not knowledge of this driver.  Same
format as dmapool_mutants.py, with the target they run on; the suite is
sgdma."""

ZYNQMP = 'drivers/dma/xilinx/zynqmp_dma.c'
BOTH = ('old', 'new')

MUTANTS = [dict(m, gens=BOTH, file=ZYNQMP, target='arm64', suite='sgdma') for m in [
    dict(id='zynqmp-length-short',
         rule='a descriptor moves exactly the bytes it was prepared for',
         find='\tsdesc->size = ddesc->size = len;\n',
         replace='\tsdesc->size = ddesc->size = len > 1 ? len - 1 : len;\n'),
    dict(id='zynqmp-source-off-by-one',
         rule="a descriptor reads from the source address it was given",
         find='\tsdesc->addr = src;\n',
         replace='\tsdesc->addr = src + 1;\n'),
    dict(id='zynqmp-cookie-never-completes',
         rule='a finished descriptor is complete (its cookie) when its callback runs',
         find='\tdma_cookie_complete(&desc->async_tx);\n',
         replace='\t(void)desc->async_tx.cookie;\n'),
]]

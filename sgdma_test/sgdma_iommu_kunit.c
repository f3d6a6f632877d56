// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "sgdma_iommu": streaming scatter-gather DMA through a real,
 * translating IOMMU (dma-iommu: intel-iommu on QEMU's q35 in this suite's
 * x86_64-iommu target).  There dma_map_sg() maps the whole list into one
 * IOVA range and merges entries, so a source and a destination list come
 * back with different numbers and lengths of entries, and the addresses a
 * channel is given are IOVAs, which stop translating at unmap.
 *
 * The cases need a memcpy channel whose DMA device has a translating
 * IOMMU domain; elsewhere (UML, the Zynq, x86_64 without an IOMMU, a
 * passthrough domain) they skip and say so.  Every case prints what the
 * mapping did: entries before and after mapping, segment lengths.
 */

#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/scatterlist.h>

#include "sgdma.h"
#include "sgdma_kunit_helpers.h"
#include "dma_suite_helpers.h"

#define MAX_HELD	16
#define NO_IOMMU	"no memcpy channel behind a translating IOMMU: DMA addresses here are not IOVAs (make kunit KARCH=x86_64-iommu)"

/* pages of the hand-made lists; entries of the limits cases */
#define LIST_PAGES	48
#define LIMIT_ENTRY	(3 * PAGE_SIZE)		/* from an order-2 block */

/* The IOMMU domain translating for @chan's device, or NULL */
static struct iommu_domain *translating_domain(struct dma_chan *chan)
{
	return sgdma_translating_domain(dmaengine_get_dma_device(chan));
}

/* A memcpy channel whose DMA addresses an IOMMU translates, or a skip */
static struct dma_chan *iommu_chan(struct kunit *test)
{
	struct sgdma_kunit_chans *held;
	unsigned int i;

	held = sgdma_kunit_chans(test, MAX_HELD, NULL, SGDMA_KUNIT_NO_CHAN);
	for (i = 0; i < held->nr; i++) {
		if (translating_domain(held->chan[i])) {
			kunit_info(test, "%s (%s, %s): DMA through a translating IOMMU domain",
				   dma_chan_name(held->chan[i]),
				   dev_driver_string(held->chan[i]->device->dev),
				   dev_name(dmaengine_get_dma_device(held->chan[i])));
			return held->chan[i];
		}
	}
	kunit_skip(test, NO_IOMMU);
	return NULL;
}

static void free_block(void *data)
{
	__free_pages(data, 2);
}

static void free_table(void *data)
{
	sg_free_table(data);
}

/*
 * A list of @n page-sized entries (@order 0) or LIMIT_ENTRY-long entries
 * (@order 2), each in a block of its own, no two blocks adjacent in
 * physical memory: whatever merges, the IOMMU merged.  Freed when the
 * case ends.
 */
static struct sg_table *scattered_list(struct kunit *test, unsigned int n,
				       unsigned int order)
{
	unsigned int len = order ? LIMIT_ENTRY : PAGE_SIZE;
	struct sg_table *sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	struct page **pages = kunit_kcalloc(test, n, sizeof(*pages), GFP_KERNEL);
	struct scatterlist *sg;
	unsigned int i, k;

	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < n; i++) {
		/* a block right after the one before is kept, but not used */
		do {
			pages[i] = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
			KUNIT_ASSERT_NOT_NULL(test, pages[i]);
			KUNIT_ASSERT_EQ(test, dma_suite_kunit_defer(test, free_block,
								    pages[i]), 0);
			for (k = 0; k < i; k++)
				if (abs((long)(page_to_pfn(pages[k]) - page_to_pfn(pages[i]))) <= 4)
					break;
		} while (k < i);
	}
	KUNIT_ASSERT_EQ(test, sg_alloc_table(sgt, n, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_suite_kunit_defer(test, free_table, sgt), 0);
	for_each_sgtable_sg(sgt, sg, i)
		sg_set_page(sg, pages[i], len, 0);
	return sgt;
}

/*
 * Print a mapped list, and check that every mapped segment is the
 * concatenation, in order, of whole original entries that the IOMMU
 * translates back to their own pages: the addresses are IOVAs.  Returns
 * how many segments were not at their pages' physical address.
 */
static unsigned int check_translation(struct kunit *test, struct iommu_domain *dom,
				      struct sg_table *sgt)
{
	struct scatterlist *orig = sgt->sgl, *seg;
	unsigned int i, unlike = 0, off, in_orig = 0;

	for_each_sgtable_dma_sg(sgt, seg, i) {
		dma_addr_t iova = sg_dma_address(seg);
		phys_addr_t phys;

		KUNIT_ASSERT_NOT_NULL_MSG(test, orig, "segment %u: past the list's entries", i);
		phys = sg_phys(orig) + in_orig;
		kunit_info(test, "segment %u: IOVA %pad, %u bytes (memory at %pa)", i,
			   &iova, sg_dma_len(seg), &phys);
		unlike += iova != phys;
		for (off = 0; off < sg_dma_len(seg); off += PAGE_SIZE) {
			phys_addr_t want;

			KUNIT_ASSERT_NOT_NULL_MSG(test, orig, "segment %u + %u", i, off);
			want = sg_phys(orig) + in_orig;
			KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(dom, iova + off), want,
					    "segment %u + %u", i, off);
			in_orig += PAGE_SIZE;
			if (in_orig >= orig->length) {
				orig = sg_next(orig);
				in_orig = 0;
			}
		}
	}
	KUNIT_EXPECT_NULL_MSG(test, orig, "mapped segments cover fewer entries than the list");
	return unlike;
}

/*
 * Physically scattered pages merge into fewer mapped segments, each
 * translating back to the pages it covers: the DMA addresses are IOVAs,
 * not the pages' physical addresses.
 */
static void sgdma_iommu_dma_addresses_are_iovas_of_merged_pages(struct kunit *test)
{
	struct dma_chan *chan = iommu_chan(test);
	struct device *dev = dmaengine_get_dma_device(chan);
	struct iommu_domain *dom = translating_domain(chan);
	struct sg_table *sgt = scattered_list(test, LIST_PAGES, 0);

	KUNIT_ASSERT_EQ(test, dma_map_sgtable(dev, sgt, DMA_BIDIRECTIONAL, 0), 0);
	kunit_info(test, "%u scattered pages mapped to %u segments (max segment %u bytes)",
		   sgt->orig_nents, sgt->nents, dma_get_max_seg_size(dev));
	KUNIT_EXPECT_LT(test, sgt->nents, sgt->orig_nents);
	KUNIT_EXPECT_EQ(test, check_translation(test, dom, sgt), sgt->nents);
	dma_unmap_sgtable(dev, sgt, DMA_BIDIRECTIONAL, 0);
}

/* After dma_unmap_sgtable() no IOVA of the list translates any more */
static void sgdma_iommu_iovas_stop_translating_at_unmap(struct kunit *test)
{
	struct dma_chan *chan = iommu_chan(test);
	struct device *dev = dmaengine_get_dma_device(chan);
	struct iommu_domain *dom = translating_domain(chan);
	struct sg_table *sgt = scattered_list(test, LIST_PAGES, 0);
	dma_addr_t *iova;
	unsigned int *len, i, n, off;
	struct scatterlist *seg;

	iova = kunit_kcalloc(test, sgt->orig_nents, sizeof(*iova), GFP_KERNEL);
	len = kunit_kcalloc(test, sgt->orig_nents, sizeof(*len), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, iova);
	KUNIT_ASSERT_NOT_NULL(test, len);
	KUNIT_ASSERT_EQ(test, dma_map_sgtable(dev, sgt, DMA_TO_DEVICE, 0), 0);
	n = sgt->nents;
	for_each_sgtable_dma_sg(sgt, seg, i) {
		iova[i] = sg_dma_address(seg);
		len[i] = sg_dma_len(seg);
		KUNIT_EXPECT_NE(test, iommu_iova_to_phys(dom, iova[i]), 0);
	}
	dma_unmap_sgtable(dev, sgt, DMA_TO_DEVICE, 0);
	for (i = 0; i < n; i++)
		for (off = 0; off < len[i]; off += PAGE_SIZE)
			KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(dom, iova[i] + off), 0,
					    "IOVA %pad + %u still translates after unmap",
					    &iova[i], off);
}

/* a device's segment limits: what a case sets, what it was before */
struct dev_limits {
	const char *name;
	struct device *dev;
	unsigned int max_seg;
	unsigned long boundary;	/* bytes: the mask plus one */
};

/*
 * One where the length limits merging, one where the boundary does; in
 * both, 3-page entries must be padded apart not to cross a boundary.
 */
static const struct dev_limits limit_cases[] = {
	{ "max segment 4 pages, boundary 8 pages", NULL, 4 * PAGE_SIZE, 8 * PAGE_SIZE },
	{ "max segment 16 pages, boundary 4 pages", NULL, 16 * PAGE_SIZE, 4 * PAGE_SIZE },
};

static void limits_desc(const struct dev_limits *l, char *desc)
{
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(limits, limit_cases, limits_desc);

static void restore_limits(void *data)
{
	struct dev_limits *l = data;

	dma_set_max_seg_size(l->dev, l->max_seg);
	dma_set_seg_boundary(l->dev, l->boundary - 1);
}

/* Set @want's limits on @dev for this case; restored when it ends */
static void set_limits(struct kunit *test, struct device *dev,
		       const struct dev_limits *want)
{
	struct dev_limits *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	if (!dev->dma_parms)
		kunit_skip(test, "%s has no DMA parameters to limit", dev_name(dev));
	l->dev = dev;
	l->max_seg = dma_get_max_seg_size(dev);
	l->boundary = dma_get_seg_boundary(dev) + 1;
	KUNIT_ASSERT_EQ(test, dma_suite_kunit_defer(test, restore_limits, l), 0);
	dma_set_max_seg_size(dev, want->max_seg);
	dma_set_seg_boundary(dev, want->boundary - 1);
}

/*
 * Map @sgt on @dev, which has @lim's limits: no mapped segment is longer
 * than the one or crosses the other, and each translates to its pages.
 */
static void map_within_limits(struct kunit *test, struct device *dev,
			      struct iommu_domain *dom, struct sg_table *sgt,
			      const struct dev_limits *lim)
{
	dma_addr_t mask = ~(dma_addr_t)(lim->boundary - 1);
	struct scatterlist *seg;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, dma_map_sgtable(dev, sgt, DMA_BIDIRECTIONAL, 0), 0);
	kunit_info(test, "%u entries of %u bytes mapped to %u segments (max %u, boundary %lu)",
		   sgt->orig_nents, sgt->sgl->length, sgt->nents, lim->max_seg, lim->boundary);
	for_each_sgtable_dma_sg(sgt, seg, i) {
		dma_addr_t first = sg_dma_address(seg);
		dma_addr_t last = first + sg_dma_len(seg) - 1;

		KUNIT_EXPECT_LE_MSG(test, sg_dma_len(seg), lim->max_seg,
				    "segment %u at %pad", i, &first);
		KUNIT_EXPECT_EQ_MSG(test, first & mask, last & mask,
				    "segment %u: %pad..%pad crosses a boundary", i,
				    &first, &last);
	}
	check_translation(test, dom, sgt);
	dma_unmap_sgtable(dev, sgt, DMA_BIDIRECTIONAL, 0);
}

/*
 * With a small max_seg_size and segment boundary on the device, no mapped
 * segment is longer than the one or crosses the other, whether whole
 * pages merge up to a limit or 3-page entries must be padded apart, and
 * a copy through the channel is still exact.
 */
static void sgdma_iommu_map_keeps_max_seg_size_and_boundary(struct kunit *test)
{
	const struct dev_limits *lim = test->param_value;
	struct dma_chan *chan = iommu_chan(test);
	struct device *dev = dmaengine_get_dma_device(chan);
	struct iommu_domain *dom = translating_domain(chan);
	struct sgdma_params p = {
		.dir = SGDMA_K2K, .mode = SGDMA_BATCHED, .align = 1,
		.len = 64 * PAGE_SIZE + 123, .src_off = 0, .dst_off = 321,
		.timeout_ms = 5000, .seed = 0x10aa,
	};
	struct sgdma_result r;

	set_limits(test, dev, lim);
	map_within_limits(test, dev, dom, scattered_list(test, LIST_PAGES, 0), lim);
	map_within_limits(test, dev, dom, scattered_list(test, LIST_PAGES / 3, 2), lim);

	/* the engine's page entries merge up to the limits, and copy exactly */
	sgdma_copy(chan, &p, &r);
	if (r.status)
		sgdma_report(chan, &p, &r);
	kunit_info(test, "copy of %zu bytes: source %u entries mapped to %u, destination %u to %u, %u descriptors",
		   p.len, r.src_nents, r.src_mapped, r.dst_nents, r.dst_mapped, r.descs);
	KUNIT_EXPECT_EQ(test, r.status, 0);
	KUNIT_EXPECT_EQ(test, r.nr_mismatches, 0UL);
	KUNIT_EXPECT_GE(test, r.src_mapped,
			DIV_ROUND_UP(p.len, min_t(size_t, lim->max_seg, lim->boundary)));
	KUNIT_EXPECT_LT(test, r.src_mapped, r.src_nents);
}

/* what the cases that copy through the engine ask */
struct merge_case {
	const char *name;
	size_t len;
	unsigned int src_off, dst_off, seg_min, seg_max;
};

/*
 * Both lists are cut by the same rules; their offsets differ, so their
 * segments end at different places of the copy.
 */
static const struct merge_case merge_cases[] = {
	/* whole pages from odd offsets: up to max_seg_size a segment */
	{ "whole pages from odd offsets", 40 * PAGE_SIZE + 777, 100, 3000, 0, 0 },
	/* half pages: an entry that starts mid-page starts a segment */
	{ "half pages, a quarter page apart", 96 * PAGE_SIZE, 0, PAGE_SIZE / 4,
	  PAGE_SIZE / 2, PAGE_SIZE / 2 },
};

static void merge_case_desc(const struct merge_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(merge, merge_cases, merge_case_desc);

/*
 * A copy whose source and destination lists merged differently is exact,
 * both lists merged below their entry counts where whole pages follow
 * each other, and the channel reached no IOVA after the unmap: the
 * software channel fails a descriptor whose IOVA does not translate, and
 * counts it.
 */
static void sgdma_iommu_differently_merged_lists_copy_exactly(struct kunit *test)
{
	const struct merge_case *c = test->param_value;
	struct dma_chan *chan = iommu_chan(test);
	struct sgdma_params p = {
		.dir = SGDMA_K2K, .mode = SGDMA_BATCHED, .align = 1, .len = c->len,
		.src_off = c->src_off, .dst_off = c->dst_off,
		.seg_min = c->seg_min, .seg_max = c->seg_max,
		.timeout_ms = 5000, .seed = 0x10bb,
	};
	unsigned int errors = sgdma_swchan_errors(chan);
	struct sgdma_result r;

	sgdma_copy(chan, &p, &r);
	if (r.status)
		sgdma_report(chan, &p, &r);
	kunit_info(test, "%zu bytes: source %u entries mapped to %u, destination %u to %u, %u descriptors%s",
		   p.len, r.src_nents, r.src_mapped, r.dst_nents, r.dst_mapped,
		   r.descs, r.bounced ? ", bounced" : "");
	KUNIT_EXPECT_EQ(test, r.status, 0);
	KUNIT_EXPECT_EQ(test, r.nr_mismatches, 0UL);
	KUNIT_EXPECT_EQ(test, r.bytes, p.len);
	KUNIT_EXPECT_LT(test, r.src_mapped, r.src_nents);
	KUNIT_EXPECT_LT(test, r.dst_mapped, r.dst_nents);
	/*
	 * a descriptor per run of the two mapped lists, cut where either is:
	 * more than either list has segments, since they are cut differently
	 */
	KUNIT_EXPECT_GT(test, r.descs, max(r.src_mapped, r.dst_mapped));

	/* anything the channel still did after the unmap has failed by now */
	dmaengine_synchronize(chan);
	KUNIT_EXPECT_EQ_MSG(test, sgdma_swchan_errors(chan), errors,
			    "the channel reached an IOVA that no longer translated");
}

static struct kunit_case sgdma_iommu_cases[] = {
	KUNIT_CASE(sgdma_iommu_dma_addresses_are_iovas_of_merged_pages),
	KUNIT_CASE(sgdma_iommu_iovas_stop_translating_at_unmap),
	KUNIT_CASE_PARAM(sgdma_iommu_map_keeps_max_seg_size_and_boundary, limits_gen_params),
	KUNIT_CASE_PARAM(sgdma_iommu_differently_merged_lists_copy_exactly, merge_gen_params),
	{}
};

static struct kunit_suite sgdma_iommu_suite = {
	.name = "sgdma_iommu",
	.test_cases = sgdma_iommu_cases,
};

kunit_test_suite(sgdma_iommu_suite);

MODULE_DESCRIPTION("KUnit tests of streaming scatter-gather DMA through an IOMMU");
MODULE_LICENSE("GPL");

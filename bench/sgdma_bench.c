// SPDX-License-Identifier: GPL-2.0
/*
 * SG copies through dmaengine, against the CPU's memcpy of the same bytes,
 * and what dma_map_sg()/dma_unmap_sg() cost per entry.
 *
 * The copies use the sgdma_test engine (sgdma_copy(), no verification):
 * for each total size and number of entries per list, batched submission
 * (all descriptors chained, one wait) and the SG DMA article's per-entry
 * routine (one descriptor, interrupt and wait per run).  A sample is the
 * engine's r.ns: from the first issue to the last completion, summed over
 * the waits; building, mapping and preparing are not in it.  Entries end at
 * page ends (the pages are scattered), so a list has at least one entry per
 * page; destination entries end on cachelines.  The lines give the entries
 * and descriptors each copy really had.
 */

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "bench.h"
#include "sgdma.h"

static const size_t sizes[] = { SZ_4K, SZ_16K, SZ_64K, SZ_256K, SZ_1M, SZ_4M };
static const size_t smoke_sizes[] = { SZ_4K, SZ_64K };

static const unsigned int entries[] = { 1, 4, 16, 64, 256 };
static const unsigned int smoke_entries[] = { 1, 64 };

/* at least 3 samples: a median and a spread */
static unsigned int sg_reps(const struct dsb_cfg *cfg)
{
	return max(cfg->reps, 3U);
}

static int sg_point(struct dma_chan *chan, size_t len, unsigned int want,
		    enum sgdma_mode mode, unsigned int reps, u64 *ns)
{
	unsigned int align = 1U << min_t(unsigned int,
					 chan->device->copy_align, PAGE_SHIFT);
	struct sgdma_params p = {
		.dir = SGDMA_K2K, .mode = mode, .len = len, .align = align,
		.timeout_ms = 10000, .noverify = true, .seed = 1,
	};
	struct sgdma_result r;
	char keys[200];
	unsigned int i;
	int ret;

	p.seg_min = max_t(size_t, ALIGN_DOWN(len / want, align), align);
	p.seg_max = p.seg_min;
	for (i = 0; i < reps; i++) {
		ret = sgdma_copy(chan, &p, &r);
		if (ret) {
			sgdma_report(chan, &p, &r);
			return ret;
		}
		ns[i] = r.ns * DSB_SCALE;
		cond_resched();
	}
	snprintf(keys, sizeof(keys),
		 "chan=%s driver=%s mode=%s bytes=%zu entries=%u src_entries=%u dst_entries=%u descs=%u",
		 dma_chan_name(chan), dev_driver_string(chan->device->dev),
		 sgdma_mode_name(mode), len, want, r.src_mapped, r.dst_mapped,
		 r.descs);
	dsb_print("sg", keys, ns, reps);
	return 0;
}

/* bytes a memcpy sample copies at least, for a coarse clock */
#define MEMCPY_SAMPLE_BYTES	SZ_4M

/*
 * The CPU's memcpy of the same bytes between two buffers, repeated until a
 * sample has copied MEMCPY_SAMPLE_BYTES; in ns per copy.
 */
static int memcpy_point(size_t len, unsigned int reps, u64 *ns)
{
	u8 *src = kvmalloc(len, GFP_KERNEL), *dst = kvmalloc(len, GFP_KERNEL);
	unsigned int i, k, loops = max_t(size_t, MEMCPY_SAMPLE_BYTES / len, 1);
	char keys[64];
	u64 t0;

	if (!src || !dst) {
		kvfree(src);
		kvfree(dst);
		return -ENOMEM;
	}
	memset(src, 0x5a, len);
	memset(dst, 0xa5, len);
	for (i = 0; i < reps; i++) {
		t0 = ktime_get_ns();
		for (k = 0; k < loops; k++)
			memcpy(dst, src, len);
		ns[i] = div_u64((ktime_get_ns() - t0) * DSB_SCALE, loops);
		cond_resched();
	}
	kvfree(src);
	kvfree(dst);
	snprintf(keys, sizeof(keys), "bytes=%zu loops=%u", len, loops);
	dsb_print("memcpy", keys, ns, reps);
	return 0;
}

/**
 * dsb_sg_run() - SG copy time against size and entries, and CPU memcpy
 * @cfg: repetitions, smoke, channel
 *
 * Return: 0, -ENODEV without a memcpy channel (said on the console), or the
 * first copy's error.
 */
int dsb_sg_run(const struct dsb_cfg *cfg)
{
	const size_t *sz = cfg->smoke ? smoke_sizes : sizes;
	const unsigned int *en = cfg->smoke ? smoke_entries : entries;
	unsigned int nsz = cfg->smoke ? ARRAY_SIZE(smoke_sizes) : ARRAY_SIZE(sizes);
	unsigned int nen = cfg->smoke ? ARRAY_SIZE(smoke_entries) :
					ARRAY_SIZE(entries);
	unsigned int reps = sg_reps(cfg), i, j, prev;
	struct dma_chan *chan;
	enum sgdma_mode mode;
	u64 *ns;
	int ret = 0;

	ns = kcalloc(reps, sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	for (i = 0; !ret && i < nsz; i++)
		ret = memcpy_point(sz[i], reps, ns);
	if (ret)
		goto out;
	if (!sgdma_request_channels(&chan, 1, cfg->channel, NULL)) {
		pr_info("dma_suite_bench: sg skipped: no memcpy channel '%s'\n",
			cfg->channel);
		ret = -ENODEV;
		goto out;
	}
	for (i = 0; !ret && i < nsz; i++) {
		/* fewer entries than pages are not possible: one point for them */
		prev = 0;
		for (j = 0; !ret && j < nen; j++) {
			unsigned int want = max_t(unsigned int, en[j],
						  DIV_ROUND_UP(sz[i], PAGE_SIZE));

			if (want == prev)
				continue;
			prev = want;
			for (mode = 0; !ret && mode < SGDMA_NR_MODES; mode++)
				ret = sg_point(chan, sz[i], want, mode, reps, ns);
		}
	}
	sgdma_release_channels(&chan, 1);
out:
	kfree(ns);
	return ret;
}

static const unsigned int map_entries[] = { 1, 16, 256 };

/* entries a map sample maps at least, over several lists, for a coarse clock */
#define MAP_SAMPLE_ENTRIES	256

struct map_set {
	struct sg_table *sgt;
	struct page **pages;
	unsigned int tables, n;
};

static void map_set_free(struct map_set *ms)
{
	unsigned int i;

	for (i = 0; ms->sgt && i < ms->tables; i++)
		sg_free_table(&ms->sgt[i]);
	for (i = 0; ms->pages && i < ms->tables * ms->n; i++)
		if (ms->pages[i])
			__free_page(ms->pages[i]);
	kfree(ms->sgt);
	kfree(ms->pages);
}

/* @tables lists of @n one-page entries each */
static int map_set_alloc(struct map_set *ms)
{
	struct scatterlist *sg;
	unsigned int i, j;

	ms->sgt = kcalloc(ms->tables, sizeof(*ms->sgt), GFP_KERNEL);
	ms->pages = kcalloc(ms->tables * ms->n, sizeof(*ms->pages), GFP_KERNEL);
	if (!ms->sgt || !ms->pages)
		return -ENOMEM;
	for (i = 0; i < ms->tables * ms->n; i++) {
		ms->pages[i] = alloc_page(GFP_KERNEL);
		if (!ms->pages[i])
			return -ENOMEM;
	}
	for (i = 0; i < ms->tables; i++) {
		if (sg_alloc_table(&ms->sgt[i], ms->n, GFP_KERNEL)) {
			ms->tables = i;
			return -ENOMEM;
		}
		for_each_sg(ms->sgt[i].sgl, sg, ms->n, j)
			sg_set_page(sg, ms->pages[i * ms->n + j], PAGE_SIZE, 0);
	}
	return 0;
}

/*
 * dma_map_sg() of lists of @n one-page entries on @dev, then dma_unmap_sg()
 * of them, each phase timed over at least MAP_SAMPLE_ENTRIES entries; ns
 * per entry, as kernel/dma/map_benchmark.c reports dma_map_single() per
 * call.
 */
static int map_point(struct device *dev, const char *what, unsigned int n,
		     unsigned int reps, u64 *map_ns, u64 *unmap_ns)
{
	struct map_set ms = { .n = n, .tables = max(MAP_SAMPLE_ENTRIES / n, 1U) };
	unsigned int i, t, mapped;
	bool bounced = false;
	char keys[160];
	u64 t0, t1, t2;
	int ret;

	ret = map_set_alloc(&ms);
	for (i = 0; !ret && i < reps; i++) {
		t0 = ktime_get_ns();
		for (mapped = 0; mapped < ms.tables; mapped++)
			if (!dma_map_sg(dev, ms.sgt[mapped].sgl, n, DMA_BIDIRECTIONAL))
				break;
		t1 = ktime_get_ns();
		/* without an IOMMU, an address not of the page is a bounce buffer */
		bounced = mapped && !device_iommu_mapped(dev) &&
			  dma_to_phys(dev, sg_dma_address(ms.sgt[0].sgl)) !=
			  sg_phys(ms.sgt[0].sgl);
		for (t = 0; t < mapped; t++)
			dma_unmap_sg(dev, ms.sgt[t].sgl, n, DMA_BIDIRECTIONAL);
		t2 = ktime_get_ns();
		if (mapped < ms.tables) {
			ret = -EIO;
			break;
		}
		map_ns[i] = div_u64((t1 - t0) * DSB_SCALE, ms.tables * n);
		unmap_ns[i] = div_u64((t2 - t1) * DSB_SCALE, ms.tables * n);
		cond_resched();
	}
	if (!ret) {
		snprintf(keys, sizeof(keys), "dev=%s entries=%u lists=%u bounce=%d op=map",
			 what, n, ms.tables, bounced);
		dsb_print("map", keys, map_ns, reps);
		snprintf(keys, sizeof(keys), "dev=%s entries=%u lists=%u bounce=%d op=unmap",
			 what, n, ms.tables, bounced);
		dsb_print("map", keys, unmap_ns, reps);
	}
	map_set_free(&ms);
	return ret;
}

/**
 * dsb_map_run() - dma_map_sg()/dma_unmap_sg() cost per entry
 * @cfg: repetitions, channel
 *
 * On the DMA device of the SG part's channel, whose mappings bounce or not
 * as the machine decides (swiotlb=force: they do).
 *
 * Return: 0, -ENODEV without a memcpy channel, or a negative errno.
 */
int dsb_map_run(const struct dsb_cfg *cfg)
{
	unsigned int reps = cfg->reps, i;
	struct dma_chan *chan;
	u64 *m, *u;
	int ret = -ENOMEM;

	m = kcalloc(reps, sizeof(*m), GFP_KERNEL);
	u = kcalloc(reps, sizeof(*u), GFP_KERNEL);
	if (!m || !u)
		goto out;
	if (!sgdma_request_channels(&chan, 1, cfg->channel, NULL)) {
		pr_info("dma_suite_bench: map skipped: no memcpy channel '%s'\n",
			cfg->channel);
		ret = -ENODEV;
		goto out;
	}
	for (i = 0, ret = 0; !ret && i < ARRAY_SIZE(map_entries); i++)
		ret = map_point(dmaengine_get_dma_device(chan),
				dev_driver_string(chan->device->dev),
				map_entries[i], reps, m, u);
	sgdma_release_channels(&chan, 1);
out:
	kfree(m);
	kfree(u);
	return ret;
}

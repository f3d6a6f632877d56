/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_suite_bench: measurements of the DMA pool allocator and of SG copies.
 *
 * Not tests: nothing here passes or fails on a figure.  Each measurement is
 * repeated, and one line per figure is printed for scripts/bench.py:
 *
 *   dma_suite_bench: <part> key=value ... median_ns=N.N min_ns=N.N
 *                    max_ns=N.N mean_ns=N.N reps=N
 */
#ifndef _DMA_SUITE_BENCH_H
#define _DMA_SUITE_BENCH_H

#include <linux/types.h>

/**
 * struct dsb_cfg - how much one run measures
 * @reps: samples per figure (the median and spread are over these)
 * @smoke: a short run that proves every figure is produced
 * @channel: dmaengine channel for the SG part, "" for the first memcpy one
 */
struct dsb_cfg {
	unsigned int reps;
	bool smoke;
	const char *channel;
};

/* samples are in tenths of a nanosecond: per-operation costs are short */
#define DSB_SCALE	10

struct device *dsb_device(void);
void dsb_print(const char *part, const char *keys, u64 *samples,
	       unsigned int n);
int dsb_pool_run(const struct dsb_cfg *cfg);
int dsb_growth_run(const struct dsb_cfg *cfg);
int dsb_sg_run(const struct dsb_cfg *cfg);
int dsb_map_run(const struct dsb_cfg *cfg);

#endif /* _DMA_SUITE_BENCH_H */

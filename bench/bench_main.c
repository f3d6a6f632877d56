// SPDX-License-Identifier: GPL-2.0
/*
 * dma_suite_bench: run the DMA suite's benchmarks when asked.
 *
 * Writing 1 to /sys/module/dma_suite_bench/parameters/run measures, in
 * this order, the DMA pool allocator against a kmem_cache (dmapool_bench.c),
 * its cost as live blocks grow, SG copies through dmaengine against the CPU's
 * memcpy (sgdma_bench.c), and the cost of dma_map_sg()/dma_unmap_sg(); the
 * write returns when all is printed.  "parts" narrows the run, "reps" sets
 * the samples per figure, "smoke" makes it short.  Nothing runs unless
 * asked: the module only measures.
 */

#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "bench.h"

static unsigned int reps = 25;
module_param(reps, uint, 0644);
MODULE_PARM_DESC(reps, "Samples per figure (default: 25)");

static bool smoke;
module_param(smoke, bool, 0644);
MODULE_PARM_DESC(smoke, "Short run with every figure, to check the output (default: false)");

static char parts[64] = "pool,growth,sg,map";
module_param_string(parts, parts, sizeof(parts), 0644);
MODULE_PARM_DESC(parts, "What to measure: pool,growth,sg,map (default: all)");

static char channel[32];
module_param_string(channel, channel, sizeof(channel), 0644);
MODULE_PARM_DESC(channel, "Channel of the SG part (default: the first memcpy channel)");

static DEFINE_MUTEX(dsb_lock);

/*
 * The device the pools are made for; it has no driver.  After a run, user
 * space may bind it to kernel/dma/map_benchmark.c's driver through its
 * driver_override (scripts/bench.py's init does).
 */
static struct platform_device *dsb_pdev;

/**
 * dsb_device() - the benchmarks' own device, with a 32-bit DMA mask
 *
 * Return: the device, registered while the module is loaded.
 */
struct device *dsb_device(void)
{
	return &dsb_pdev->dev;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* "12.3" from tenths */
static const char *tenths(char *buf, size_t len, u64 v)
{
	u32 frac;
	u64 whole = div_u64_rem(v, DSB_SCALE, &frac);

	snprintf(buf, len, "%llu.%u", whole, frac);
	return buf;
}

/**
 * dsb_print() - print one figure: its median, spread and mean
 * @part: what was measured ("pool", "growth", "sg", "memcpy", "map")
 * @keys: the conditions, "key=value ..."
 * @samples: the samples, in tenths of a nanosecond; sorted here
 * @n: how many
 */
void dsb_print(const char *part, const char *keys, u64 *samples,
	       unsigned int n)
{
	char med[24], lo[24], hi[24], avg[24];
	u64 sum = 0;
	unsigned int i;

	if (!n)
		return;
	sort(samples, n, sizeof(*samples), cmp_u64, NULL);
	for (i = 0; i < n; i++)
		sum += samples[i];
	/* the median of an even count is the mean of the middle two */
	pr_info("dma_suite_bench: %s %s median_ns=%s min_ns=%s max_ns=%s mean_ns=%s reps=%u\n",
		part, keys,
		tenths(med, sizeof(med), (samples[(n - 1) / 2] + samples[n / 2]) / 2),
		tenths(lo, sizeof(lo), samples[0]),
		tenths(hi, sizeof(hi), samples[n - 1]),
		tenths(avg, sizeof(avg), div_u64(sum, n)), n);
}

static bool wanted(const char *part)
{
	const char *p = parts;
	size_t len = strlen(part);

	while ((p = strstr(p, part))) {
		if ((p == parts || p[-1] == ',') && (!p[len] || p[len] == ','))
			return true;
		p += len;
	}
	return false;
}

/* The clock's step: the smallest change ktime_get_ns() shows */
static u64 clock_step(void)
{
	u64 t0 = ktime_get_ns(), t, best = U64_MAX;
	unsigned int i;

	for (i = 0; i < 100; i++) {
		do {
			t = ktime_get_ns();
		} while (t == t0);
		best = min(best, t - t0);
		t0 = t;
	}
	return best;
}

#define CLOCK_CALLS	10000

/* What one ktime_get_ns() costs, in tenths of a nanosecond */
static u64 clock_cost(void)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < CLOCK_CALLS; i++)
		ktime_get_ns();
	return div_u64((ktime_get_ns() - t0) * DSB_SCALE, CLOCK_CALLS);
}

static void dsb_run(void)
{
	struct dsb_cfg cfg = {
		.reps = clamp(reps, 1U, 10000U),
		.smoke = smoke,
		.channel = channel,
	};
	char cost[24];
	int ret;

	mutex_lock(&dsb_lock);
	pr_info("dma_suite_bench: start reps=%u smoke=%d parts=%s clock_step_ns=%llu clock_read_ns=%s\n",
		cfg.reps, cfg.smoke, parts, clock_step(),
		tenths(cost, sizeof(cost), clock_cost()));
	if (wanted("pool")) {
		ret = dsb_pool_run(&cfg);
		pr_info("dma_suite_bench: done part=pool status=%d\n", ret);
	}
	if (wanted("growth")) {
		ret = dsb_growth_run(&cfg);
		pr_info("dma_suite_bench: done part=growth status=%d\n", ret);
	}
	if (wanted("sg")) {
		ret = dsb_sg_run(&cfg);
		pr_info("dma_suite_bench: done part=sg status=%d\n", ret);
	}
	if (wanted("map")) {
		ret = dsb_map_run(&cfg);
		pr_info("dma_suite_bench: done part=map status=%d\n", ret);
	}
	pr_info("dma_suite_bench: end\n");
	mutex_unlock(&dsb_lock);
}

static bool run_param, initialized;

static int run_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret && run_param && initialized) {
		dsb_run();
		run_param = false;
	}
	return ret;
}

static const struct kernel_param_ops run_ops = {
	.set = run_set,
	.get = param_get_bool,
};

module_param_cb(run, &run_ops, &run_param, 0644);
MODULE_PARM_DESC(run, "Write 1 to measure now; returns when done");

static int __init dsb_init(void)
{
	struct platform_device_info info = {
		.name = "dma-suite-bench",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(32),
	};

	dsb_pdev = platform_device_register_full(&info);
	if (IS_ERR(dsb_pdev))
		return PTR_ERR(dsb_pdev);
	initialized = true;
	if (run_param) {
		dsb_run();
		run_param = false;
	}
	return 0;
}

/* late: after the DMA controllers' drivers have registered their channels */
late_initcall_sync(dsb_init);

static void __exit dsb_exit(void)
{
	platform_device_unregister(dsb_pdev);
}
module_exit(dsb_exit);

MODULE_DESCRIPTION("Benchmarks of the DMA pool allocator and of SG copies");
MODULE_LICENSE("GPL");

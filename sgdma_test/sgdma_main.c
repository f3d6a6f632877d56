// SPDX-License-Identifier: GPL-2.0
/*
 * sgdma_test: run scatter-gather memcpy tests on every memcpy channel.
 *
 * In the way of drivers/dma/dmatest.c: parameters choose channels and
 * shapes, each channel gets threads_per_chan threads, and each thread prints
 * one summary line a script can parse:
 *
 *   sgdma: dma0chan0-sg0 (sgdma-swchan): summary 100 tests, 0 failures
 *          1234.56 iops 5678 KB/s (0)
 *
 * Writing 1 to /sys/module/sgdma_test/parameters/run runs the tests and
 * returns when they are done; run=1 on the kernel command line runs them at
 * boot.  Threads copy kernel buffers (k2k): user buffers need a user
 * process, which the KUnit suite and the chardev provide.
 */

#include <linux/delay.h>
#include <linux/dmaengine.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "sgdma.h"

static char test_channel[32];
module_param_string(channel, test_channel, sizeof(test_channel), 0644);
MODULE_PARM_DESC(channel, "Bus ID of the channel to test (default: any)");

static char test_device[32];
module_param_string(device, test_device, sizeof(test_device), 0644);
MODULE_PARM_DESC(device, "Bus ID of the DMA engine to test (default: any)");

static unsigned int iterations = 100;
module_param(iterations, uint, 0644);
MODULE_PARM_DESC(iterations, "Copies per thread (default: 100)");

static unsigned int timeout = 3000;
module_param(timeout, uint, 0644);
MODULE_PARM_DESC(timeout, "Completion timeout in ms (default: 3000)");

static unsigned int threads_per_chan = 1;
module_param(threads_per_chan, uint, 0644);
MODULE_PARM_DESC(threads_per_chan, "Threads per channel (default: 1)");

static unsigned int max_channels;
module_param(max_channels, uint, 0644);
MODULE_PARM_DESC(max_channels, "Channels to test at most (default: 0, all)");

static unsigned int test_buf_size = 16384;
module_param(test_buf_size, uint, 0644);
MODULE_PARM_DESC(test_buf_size, "Largest copy in bytes (default: 16384)");

static int alignment = -1;
module_param(alignment, int, 0644);
MODULE_PARM_DESC(alignment, "Alignment as 2^alignment (default: -1, the channel's copy_align)");

static bool noverify;
module_param(noverify, bool, 0644);
MODULE_PARM_DESC(noverify, "Skip verification (default: false)");

static bool norandom;
module_param(norandom, bool, 0644);
MODULE_PARM_DESC(norandom, "Copy test_buf_size at offset 0 in whole pages (default: false)");

static unsigned int seg_min = 1;
module_param(seg_min, uint, 0644);
MODULE_PARM_DESC(seg_min, "Smallest scatterlist entry in bytes (default: 1)");

static unsigned int seg_max = PAGE_SIZE;
module_param(seg_max, uint, 0644);
MODULE_PARM_DESC(seg_max, "Largest scatterlist entry in bytes, 0 for whole pages (default: PAGE_SIZE)");

static unsigned int seed;
module_param(seed, uint, 0644);
MODULE_PARM_DESC(seed, "Seed of lengths, offsets, entries and data (default: 0, random; printed)");

static bool per_entry;
module_param(per_entry, bool, 0644);
MODULE_PARM_DESC(per_entry, "One descriptor, interrupt and wait per entry, as in the SG DMA article (default: false)");

struct sgdma_thread {
	struct dma_chan *chan;
	struct task_struct *task;
	unsigned int id, iterations;
	u32 seed;
	unsigned int tests, failures;
	u64 bytes, ns;
	int ret;
	struct completion done;
};

/* channels one run takes at most */
#define SGDMA_RUN_MAX_CHANS	64U

static DEFINE_MUTEX(sgdma_run_lock);

static unsigned int chan_align(struct dma_chan *chan)
{
	int shift = alignment >= 0 ? alignment : chan->device->copy_align;

	return 1U << clamp(shift, 0, PAGE_SHIFT);
}

static void thread_params(struct sgdma_thread *t, struct rnd_state *rnd,
			  unsigned int iter, struct sgdma_params *p)
{
	unsigned int align = chan_align(t->chan);
	size_t max = max_t(size_t, ALIGN_DOWN(test_buf_size, align), align);

	memset(p, 0, sizeof(*p));
	p->dir = SGDMA_K2K;
	p->mode = per_entry ? SGDMA_PER_ENTRY : SGDMA_BATCHED;
	p->align = align;
	p->timeout_ms = timeout;
	p->noverify = noverify;
	p->seed = t->seed + iter;
	if (norandom) {
		p->len = max;
		return;
	}
	p->len = ALIGN_DOWN(prandom_u32_state(rnd) % max + 1, align);
	p->len = max_t(size_t, p->len, align);
	p->src_off = ALIGN_DOWN(prandom_u32_state(rnd) % PAGE_SIZE, align);
	p->dst_off = ALIGN_DOWN(prandom_u32_state(rnd) % PAGE_SIZE, align);
	if (seg_max) {
		p->seg_min = max(ALIGN(seg_min, align), align);
		p->seg_max = max(seg_max, p->seg_min);
	}
}

static int sgdma_thread_fn(void *data)
{
	struct sgdma_thread *t = data;
	struct sgdma_params p;
	struct sgdma_result r;
	struct rnd_state rnd;
	unsigned int i;
	u64 iops = 0, kbs = 0;

	prandom_seed_state(&rnd, t->seed);
	for (i = 0; i < t->iterations && !kthread_should_stop(); i++) {
		thread_params(t, &rnd, i, &p);
		t->tests++;
		if (sgdma_copy(t->chan, &p, &r)) {
			t->failures++;
			t->ret = r.status;
			sgdma_report(t->chan, &p, &r);
		}
		t->bytes += r.bytes;
		t->ns += r.ns;
		cond_resched();
	}
	if (t->ns) {
		/* hundredths of an op per second, as dmatest prints them */
		iops = div64_u64((u64)t->tests * 100 * NSEC_PER_SEC, t->ns);
		kbs = div64_u64(t->bytes * NSEC_PER_SEC, t->ns * 1024);
	}
	pr_info("sgdma: %s (%s): summary %u tests, %u failures %llu.%02llu iops %llu KB/s (%d)\n",
		current->comm, dev_driver_string(t->chan->device->dev),
		t->tests, t->failures, iops / 100, iops % 100, kbs, t->ret);
	complete(&t->done);
	/* stay until reaped, so kthread_stop() is always valid */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/**
 * sgdma_run_all() - test every matching memcpy channel with the parameters
 * @cfg: iterations, threads per channel and channel limit; NULL: the
 *	module parameters
 * @nr_chans: set to the channels tested
 * @nr_tests: set to the copies made, over all threads
 * @nr_failures: set to the copies that failed
 *
 * Context: process context; sleeps until every thread is done.
 * Return: 0 if the run took place (whatever its failures), -ENODEV if no
 * channel matched, or another negative errno.
 */
int sgdma_run_all(const struct sgdma_run_cfg *cfg, unsigned int *nr_chans,
		  unsigned int *nr_tests, unsigned int *nr_failures)
{
	struct sgdma_run_cfg mod = {
		.iterations = iterations,
		.threads_per_chan = threads_per_chan,
		.max_channels = max_channels,
	};
	struct sgdma_thread *threads = NULL;
	unsigned int c, i, n, nt = 0;
	u32 base = seed ? seed : get_random_u32();
	struct dma_chan **chans;
	int ret = 0;

	if (!cfg)
		cfg = &mod;
	*nr_chans = *nr_tests = *nr_failures = 0;
	n = cfg->max_channels ? min(cfg->max_channels, SGDMA_RUN_MAX_CHANS) :
				SGDMA_RUN_MAX_CHANS;
	chans = kcalloc(n, sizeof(*chans), GFP_KERNEL);
	if (!chans)
		return -ENOMEM;
	mutex_lock(&sgdma_run_lock);
	n = sgdma_request_channels(chans, n, test_channel, test_device);
	if (!n) {
		pr_info("sgdma: no memcpy channel matched channel='%s' device='%s'\n",
			test_channel, test_device);
		ret = -ENODEV;
		goto release;
	}
	pr_info("sgdma: %u channels, %u threads each, %u iterations, seed %#x\n",
		n, cfg->threads_per_chan, cfg->iterations, base);
	threads = kcalloc(n * max(cfg->threads_per_chan, 1U), sizeof(*threads),
			  GFP_KERNEL);
	if (!threads) {
		ret = -ENOMEM;
		goto release;
	}
	for (c = 0; c < n; c++) {
		for (i = 0; i < max(cfg->threads_per_chan, 1U); i++) {
			struct sgdma_thread *t = &threads[nt];

			t->chan = chans[c];
			t->id = i;
			t->seed = base + nt * 1000003;
			t->iterations = cfg->iterations;
			init_completion(&t->done);
			t->task = kthread_run(sgdma_thread_fn, t, "%s-sg%u",
					      dma_chan_name(chans[c]), i);
			if (IS_ERR(t->task)) {
				ret = PTR_ERR(t->task);
				goto stop;
			}
			nt++;
		}
	}
stop:
	for (i = 0; i < nt; i++) {
		if (!ret)
			wait_for_completion(&threads[i].done);
		kthread_stop(threads[i].task);
		*nr_tests += threads[i].tests;
		*nr_failures += threads[i].failures;
	}
	*nr_chans = n;
release:
	sgdma_release_channels(chans, n);
	kfree(threads);
	kfree(chans);
	mutex_unlock(&sgdma_run_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(sgdma_run_all);

static bool run_param, initialized;

static void run_now(void)
{
	unsigned int chans, tests, failures;
	int ret = sgdma_run_all(NULL, &chans, &tests, &failures);

	pr_info("sgdma: run done: %u channels, %u tests, %u failures (%d)\n",
		chans, tests, failures, ret);
}

/* run=1 runs now once the module is up; earlier (boot, insmod) at init */
static int run_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret && run_param && initialized) {
		run_now();
		run_param = false;
	}
	return ret;
}

static const struct kernel_param_ops run_ops = {
	.set = run_set,
	.get = param_get_bool,
};

module_param_cb(run, &run_ops, &run_param, 0644);
MODULE_PARM_DESC(run, "Write 1 to run the tests now; returns when done");

static int __init sgdma_init(void)
{
	int ret = sgdma_chardev_init();

	if (ret)
		return ret;
	initialized = true;
	if (run_param) {
		run_now();
		run_param = false;
	}
	return 0;
}

/* late: after the DMA controllers' drivers have registered their channels */
late_initcall(sgdma_init);

static void __exit sgdma_exit(void)
{
	/* a run holds the module's param lock: none can be in progress here */
	sgdma_chardev_exit();
}
module_exit(sgdma_exit);

MODULE_DESCRIPTION("Scatter-gather dmaengine memcpy tests, after dmatest");
MODULE_LICENSE("GPL");

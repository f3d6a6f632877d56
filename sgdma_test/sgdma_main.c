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
 * process, which the KUnit suite and the chardev provide.  One run at a
 * time; unloading the module stops the run in progress (its threads end
 * after their current copy) and waits until its channels are released.
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/dmaengine.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>

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
MODULE_PARM_DESC(threads_per_chan, "Threads per channel (default: 1, at most 64)");

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

struct sgdma_runner;

struct sgdma_thread {
	struct sgdma_runner *run;
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
#define SGDMA_RUN_MAX_THREADS	64U	/* per channel: 64 * 64 threads at most */

/* One run of the threaded runner: its channels and threads */
struct sgdma_runner {
	struct dma_chan **chans;
	unsigned int nr_chans;
	struct sgdma_thread *threads;
	unsigned int nr_threads, iterations;
	/* somebody (sgdma_run_all() or sgdma_run_stop()) waits to reap it */
	bool reaper;
	/* threads end after their current copy */
	bool cancel;
};

/*
 * At most one run at a time.  sgdma_run_lock guards the run in progress
 * (from its start until it is reaped), the count of runs reaped, and
 * whether runs may still start; sgdma_run_wq is woken when a run is reaped.
 */
static DEFINE_MUTEX(sgdma_run_lock);
static struct sgdma_runner *sgdma_run_cur;
static unsigned long sgdma_runs_reaped;
static bool sgdma_run_closed;
static DECLARE_WAIT_QUEUE_HEAD(sgdma_run_wq);
static atomic_t sgdma_threads_alive = ATOMIC_INIT(0);

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

	atomic_inc(&sgdma_threads_alive);
	prandom_seed_state(&rnd, t->seed);
	for (i = 0; i < t->iterations && !READ_ONCE(t->run->cancel) &&
	     !kthread_should_stop(); i++) {
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
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	atomic_dec(&sgdma_threads_alive);
	return 0;
}

/* Stop the threads of a run that is not (or no longer) in progress */
static void sgdma_run_free(struct sgdma_runner *run)
{
	unsigned int i;

	WRITE_ONCE(run->cancel, true);
	for (i = 0; i < run->nr_threads; i++)
		kthread_stop(run->threads[i].task);
	sgdma_release_channels(run->chans, run->nr_chans);
	kfree(run->threads);
	kfree(run->chans);
	kfree(run);
}

/*
 * Take channels and start the threads of a run; it is then in progress.
 * @sync: wait for a run in progress to end first, rather than -EBUSY, and
 *	be the new run's reaper (sgdma_run_all()).
 */
static int sgdma_run_begin(const struct sgdma_run_cfg *cfg, bool sync,
			   struct sgdma_runner **out)
{
	unsigned int c, i, n, per_chan = max(cfg->threads_per_chan, 1U);
	u32 base = seed ? seed : get_random_u32();
	struct sgdma_runner *run;
	int ret = 0;

	if (per_chan > SGDMA_RUN_MAX_THREADS) {
		pr_err("sgdma: threads_per_chan %u: at most %u\n", per_chan,
		       SGDMA_RUN_MAX_THREADS);
		return -EINVAL;
	}
	run = kzalloc(sizeof(*run), GFP_KERNEL);
	n = cfg->max_channels ? min(cfg->max_channels, SGDMA_RUN_MAX_CHANS) :
				SGDMA_RUN_MAX_CHANS;
	if (run)
		run->chans = kcalloc(n, sizeof(*run->chans), GFP_KERNEL);
	if (!run || !run->chans) {
		kfree(run);
		return -ENOMEM;
	}
	mutex_lock(&sgdma_run_lock);
	while (sgdma_run_cur && !sgdma_run_closed) {
		mutex_unlock(&sgdma_run_lock);
		if (!sync) {
			ret = -EBUSY;
			goto out_free;
		}
		if (wait_event_killable(sgdma_run_wq, !READ_ONCE(sgdma_run_cur) ||
					READ_ONCE(sgdma_run_closed))) {
			ret = -EINTR;
			goto out_free;
		}
		mutex_lock(&sgdma_run_lock);
	}
	if (sgdma_run_closed) {
		mutex_unlock(&sgdma_run_lock);
		ret = -ESHUTDOWN;
		goto out_free;
	}
	run->nr_chans = sgdma_request_channels(run->chans, n, test_channel,
					       test_device);
	if (!run->nr_chans) {
		pr_info("sgdma: no memcpy channel matched channel='%s' device='%s'\n",
			test_channel, test_device);
		ret = -ENODEV;
		goto out_unlock;
	}
	pr_info("sgdma: %u channels, %u threads each, %u iterations, seed %#x\n",
		run->nr_chans, per_chan, cfg->iterations, base);
	run->threads = kcalloc(run->nr_chans * per_chan, sizeof(*run->threads),
			       GFP_KERNEL);
	if (!run->threads) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	run->iterations = cfg->iterations;
	for (c = 0; c < run->nr_chans; c++) {
		for (i = 0; i < per_chan; i++) {
			struct sgdma_thread *t = &run->threads[run->nr_threads];

			t->run = run;
			t->chan = run->chans[c];
			t->id = i;
			t->seed = base + run->nr_threads * 1000003;
			t->iterations = cfg->iterations;
			init_completion(&t->done);
			t->task = kthread_run(sgdma_thread_fn, t, "%s-sg%u",
					      dma_chan_name(run->chans[c]), i);
			if (IS_ERR(t->task)) {
				ret = PTR_ERR(t->task);
				goto out_unlock;
			}
			run->nr_threads++;
		}
	}
	run->reaper = sync;
	WRITE_ONCE(sgdma_run_cur, run);
	mutex_unlock(&sgdma_run_lock);
	*out = run;
	return 0;

out_unlock:
	mutex_unlock(&sgdma_run_lock);
	sgdma_run_free(run);
	return ret;
out_free:
	kfree(run->chans);
	kfree(run);
	return ret;
}

/*
 * Wait for the threads of the run in progress (only until their current
 * copy once it is cancelled), add up what they did, release the channels;
 * then no run is in progress.  Only the run's one reaper calls this.
 */
static void sgdma_run_reap(struct sgdma_runner *run, struct sgdma_run_stats *st)
{
	unsigned int i;

	for (i = 0; i < run->nr_threads; i++) {
		struct sgdma_thread *t = &run->threads[i];

		/* a cancel, even one that comes now, ends every wait soon */
		wait_for_completion(&t->done);
		st->tests += t->tests;
		st->failures += t->failures;
	}
	st->chans = run->nr_chans;
	st->threads = run->nr_threads;
	st->cancelled = st->tests < run->nr_threads * run->iterations;
	/* a descriptor still in flight would show as its cookie not complete */
	for (i = 0; i < run->nr_chans; i++)
		if (dmaengine_tx_status(run->chans[i], run->chans[i]->cookie,
					NULL) != DMA_COMPLETE)
			st->unfinished++;
	sgdma_run_free(run);

	mutex_lock(&sgdma_run_lock);
	WRITE_ONCE(sgdma_run_cur, NULL);
	WRITE_ONCE(sgdma_runs_reaped, sgdma_runs_reaped + 1);
	mutex_unlock(&sgdma_run_lock);
	wake_up_all(&sgdma_run_wq);
}

/**
 * sgdma_run_all() - test every matching memcpy channel with the parameters
 * @cfg: iterations, threads per channel and channel limit; NULL: the
 *	module parameters
 * @nr_chans: set to the channels tested
 * @nr_tests: set to the copies made, over all threads
 * @nr_failures: set to the copies that failed
 *
 * Waits for a run in progress to end first.  sgdma_run_stop() (module
 * unload) cuts the run short: its threads end after their current copy.
 *
 * Context: process context; sleeps until every thread is done.
 * Return: 0 if the run took place (whatever its failures), -ECANCELED if
 * it was stopped before the end, -ENODEV if no channel matched, or another
 * negative errno.
 */
int sgdma_run_all(const struct sgdma_run_cfg *cfg, unsigned int *nr_chans,
		  unsigned int *nr_tests, unsigned int *nr_failures)
{
	struct sgdma_run_cfg mod = {
		.iterations = iterations,
		.threads_per_chan = threads_per_chan,
		.max_channels = max_channels,
	};
	struct sgdma_run_stats st = {};
	struct sgdma_runner *run;
	int ret;

	*nr_chans = *nr_tests = *nr_failures = 0;
	ret = sgdma_run_begin(cfg ? cfg : &mod, true, &run);
	if (ret)
		return ret;
	sgdma_run_reap(run, &st);
	*nr_chans = st.chans;
	*nr_tests = st.tests;
	*nr_failures = st.failures;
	return st.cancelled ? -ECANCELED : 0;
}
EXPORT_SYMBOL_GPL(sgdma_run_all);

/**
 * sgdma_run_start() - start a run in the background
 * @cfg: iterations, threads per channel and channel limit
 *
 * Takes the matching memcpy channels (the channel and device parameters)
 * and starts @cfg->threads_per_chan threads on each, as sgdma_run_all()
 * does, but returns at once.  The run holds its channels until
 * sgdma_run_stop() ends it.
 *
 * Context: process context.
 * Return: 0, -EBUSY if a run is in progress, -ENODEV if no channel
 * matched, -ESHUTDOWN if the module is going away, or another negative
 * errno.
 */
int sgdma_run_start(const struct sgdma_run_cfg *cfg)
{
	struct sgdma_runner *run;

	return sgdma_run_begin(cfg, false, &run);
}
EXPORT_SYMBOL_GPL(sgdma_run_start);

/**
 * sgdma_run_stop() - cut the run in progress short and wait for its end
 * @st: what a run of sgdma_run_start() did, or NULL; zeroed if there was
 *	no such run (a run of sgdma_run_all() reports to its own caller)
 *
 * The threads end after their current copy (which ends by completion or
 * by its timeout, terminating the channel), are joined, and the channels
 * are released.  Module unload takes this path.
 *
 * Context: process context; sleeps.
 * Return: 0 if a run was stopped, -ESRCH if none was in progress.
 */
int sgdma_run_stop(struct sgdma_run_stats *st)
{
	struct sgdma_run_stats unused;
	struct sgdma_runner *run;
	unsigned long reaped;

	if (!st)
		st = &unused;
	memset(st, 0, sizeof(*st));
	mutex_lock(&sgdma_run_lock);
	run = sgdma_run_cur;
	if (!run) {
		mutex_unlock(&sgdma_run_lock);
		return -ESRCH;
	}
	WRITE_ONCE(run->cancel, true);
	if (run->reaper) {
		/* its own caller reaps it: wait for that */
		reaped = sgdma_runs_reaped;
		mutex_unlock(&sgdma_run_lock);
		wait_event(sgdma_run_wq, READ_ONCE(sgdma_runs_reaped) != reaped);
		return 0;
	}
	run->reaper = true;
	mutex_unlock(&sgdma_run_lock);
	sgdma_run_reap(run, st);
	return 0;
}
EXPORT_SYMBOL_GPL(sgdma_run_stop);

/**
 * sgdma_run_channels() - the channels of the run in progress
 * @chans: where they go
 * @max: room in @chans
 *
 * For tests that change how the run's channels behave while it runs.  The
 * channels stay the run's: they are valid until sgdma_run_stop().
 *
 * Return: how many channels were stored, 0 if no run is in progress.
 */
unsigned int sgdma_run_channels(struct dma_chan **chans, unsigned int max)
{
	unsigned int n = 0;

	mutex_lock(&sgdma_run_lock);
	if (sgdma_run_cur)
		for (n = 0; n < min(max, sgdma_run_cur->nr_chans); n++)
			chans[n] = sgdma_run_cur->chans[n];
	mutex_unlock(&sgdma_run_lock);
	return n;
}
EXPORT_SYMBOL_GPL(sgdma_run_channels);

/**
 * sgdma_run_threads_alive() - runner threads that have not ended
 *
 * Return: how many threads of any run are running or waiting to be reaped.
 */
unsigned int sgdma_run_threads_alive(void)
{
	return atomic_read(&sgdma_threads_alive);
}
EXPORT_SYMBOL_GPL(sgdma_run_threads_alive);

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

/*
 * A run may be in progress: writing the run parameter does not hold a
 * reference on the module, and sgdma_run_start() has no owner that would.
 * No run starts from now on; the one in progress is cut short and waited
 * for (its writer returns before sysfs lets the module go).
 */
static void __exit sgdma_exit(void)
{
	mutex_lock(&sgdma_run_lock);
	WRITE_ONCE(sgdma_run_closed, true);
	mutex_unlock(&sgdma_run_lock);
	wake_up_all(&sgdma_run_wq);
	sgdma_run_stop(NULL);
	sgdma_chardev_exit();
}
module_exit(sgdma_exit);

MODULE_DESCRIPTION("Scatter-gather dmaengine memcpy tests, after dmatest");
MODULE_LICENSE("GPL");

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
 * returns when they are done (the write fails with the run's errno if it
 * could not take place); run=1 on the kernel command line runs them at
 * boot.  A run takes the parameters as they are when it starts; while it
 * runs, the other parameters can be read and written (for the next run).
 * Every numeric parameter has a range, and a write outside it is refused.
 * Threads copy kernel buffers (k2k): user buffers need a user process,
 * which the KUnit suite and the chardev provide.  Threads sharing a channel
 * take turns at it, from their first descriptor to their last completion,
 * so that one thread's failure (a terminate) never touches another's
 * descriptors.  One run at a time; unloading the module stops the run in
 * progress (its threads end after their current copy) and waits until its
 * channels are released.
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/dmaengine.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "sgdma.h"
#include "sgdma_test.h"

/* What a run does when nobody says otherwise: the parameters' defaults */
#define SGDMA_RUN_DEFAULTS {						\
	.iterations = 100,						\
	.threads_per_chan = 1,						\
	.timeout_ms = 3000,						\
	.buf_size = 16384,						\
	.alignment = -1,						\
	.seg_min = 1,							\
	.seg_max = PAGE_SIZE,						\
}

static const struct sgdma_run_cfg run_defaults = SGDMA_RUN_DEFAULTS;
/* the module parameters, under the module's parameter lock */
static struct sgdma_run_cfg run_params = SGDMA_RUN_DEFAULTS;

module_param_string(channel, run_params.channel, sizeof(run_params.channel), 0644);
MODULE_PARM_DESC(channel, "Bus ID of the channel to test (default: any)");

module_param_string(device, run_params.device, sizeof(run_params.device), 0644);
MODULE_PARM_DESC(device, "Bus ID of the DMA engine to test, or its driver's name (default: any)");

/*
 * The range of each numeric parameter: nothing a run does with values in
 * them overflows, outlives the module's patience, or asks the engine for
 * more than it accepts (a copy's own limits, SGDMA_MAX_LEN and
 * SGDMA_MAX_ENTRIES, are the engine's: a run checks its worst case).
 */
static const struct {
	unsigned int *var, lo, hi;
} uint_ranges[] = {
	{ &run_params.iterations, 0, SGDMA_MAX_ITERATIONS },
	{ &run_params.timeout_ms, 1, SGDMA_MAX_TIMEOUT_MS },
	{ &run_params.threads_per_chan, 1, SGDMA_RUN_MAX_THREADS },
	{ &run_params.max_channels, 0, SGDMA_RUN_MAX_CHANS },
	{ &run_params.buf_size, 1, SGDMA_MAX_LEN },
	{ &run_params.seg_min, 0, SGDMA_MAX_LEN },
	{ &run_params.seg_max, 0, SGDMA_MAX_LEN },
};

static int param_set_ranged(const char *val, const struct kernel_param *kp)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uint_ranges); i++)
		if (uint_ranges[i].var == kp->arg)
			return param_set_uint_minmax(val, kp, uint_ranges[i].lo,
						     uint_ranges[i].hi);
	return -EINVAL;
}

static const struct kernel_param_ops param_ops_ranged = {
	.set = param_set_ranged,
	.get = param_get_uint,
};

module_param_cb(iterations, &param_ops_ranged, &run_params.iterations, 0644);
MODULE_PARM_DESC(iterations, "Copies per thread, 0-1000000 (default: 100)");

module_param_cb(timeout, &param_ops_ranged, &run_params.timeout_ms, 0644);
MODULE_PARM_DESC(timeout, "Completion timeout in ms, 1-60000 (default: 3000)");

module_param_cb(threads_per_chan, &param_ops_ranged, &run_params.threads_per_chan, 0644);
MODULE_PARM_DESC(threads_per_chan, "Threads per channel, 1-64 (default: 1)");

module_param_cb(max_channels, &param_ops_ranged, &run_params.max_channels, 0644);
MODULE_PARM_DESC(max_channels, "Channels to test at most, 0-64 (default: 0, all)");

module_param_cb(test_buf_size, &param_ops_ranged, &run_params.buf_size, 0644);
MODULE_PARM_DESC(test_buf_size, "Largest copy in bytes, 1-64 MiB (default: 16384)");

static int param_set_alignment(const char *val, const struct kernel_param *kp)
{
	int v, ret = kstrtoint(val, 0, &v);

	if (ret)
		return ret;
	if (v < -1 || v > PAGE_SHIFT)
		return -EINVAL;
	*(int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops param_ops_alignment = {
	.set = param_set_alignment,
	.get = param_get_int,
};

module_param_cb(alignment, &param_ops_alignment, &run_params.alignment, 0644);
MODULE_PARM_DESC(alignment, "Alignment as 2^alignment, -1 to PAGE_SHIFT (default: -1, the channel's copy_align)");

module_param_named(noverify, run_params.noverify, bool, 0644);
MODULE_PARM_DESC(noverify, "Skip verification (default: false)");

module_param_named(norandom, run_params.norandom, bool, 0644);
MODULE_PARM_DESC(norandom, "Copy test_buf_size at offset 0 in whole pages (default: false)");

module_param_cb(seg_min, &param_ops_ranged, &run_params.seg_min, 0644);
MODULE_PARM_DESC(seg_min, "Smallest scatterlist entry in bytes, up to 64 MiB (default: 1)");

module_param_cb(seg_max, &param_ops_ranged, &run_params.seg_max, 0644);
MODULE_PARM_DESC(seg_max, "Largest scatterlist entry in bytes, up to 64 MiB, 0 for whole pages (default: PAGE_SIZE)");

module_param_named(seed, run_params.seed, uint, 0644);
MODULE_PARM_DESC(seed, "Seed of lengths, offsets, entries and data (default: 0, random; printed)");

module_param_named(per_entry, run_params.per_entry, bool, 0644);
MODULE_PARM_DESC(per_entry, "One descriptor, interrupt and wait per entry, as in the SG DMA article (default: false)");

struct sgdma_runner;

struct sgdma_thread {
	struct sgdma_runner *run;
	struct dma_chan *chan;
	struct mutex *chan_lock;	/* the run's, of this channel */
	struct task_struct *task;
	unsigned int id, iterations, timeout_ms;
	u32 seed;
	u64 tests, failures, bytes, ns;
	int ret;
	struct completion done;
};

/* One run of the threaded runner: its configuration, channels and threads */
struct sgdma_runner {
	struct sgdma_run_cfg cfg;
	struct dma_chan **chans;
	struct mutex *chan_locks;	/* one per channel, for its threads */
	unsigned int nr_chans;
	struct sgdma_thread *threads;
	unsigned int nr_threads;
	/* somebody (sgdma_run_all() or sgdma_run_stop()) waits to reap it */
	bool reaper;
	/* threads end after their current copy */
	bool cancel;
};

/*
 * At most one run at a time.  sgdma_run_lock guards the run in progress
 * (from its start until it is reaped and freed), the count of runs reaped,
 * and whether runs may still start; sgdma_run_wq is woken when a run is
 * reaped.
 */
static DEFINE_MUTEX(sgdma_run_lock);
static struct sgdma_runner *sgdma_run_cur;
static unsigned long sgdma_runs_reaped;
static bool sgdma_run_closed;
static DECLARE_WAIT_QUEUE_HEAD(sgdma_run_wq);
static atomic_t sgdma_threads_alive = ATOMIC_INIT(0);

/**
 * sgdma_run_cfg_defaults() - the run configuration nobody has changed
 * @cfg: filled with the module parameters' defaults
 *
 * For tests, which must not depend on what the parameters were set to
 * (on the kernel command line, say); they then change what they need.
 */
void sgdma_run_cfg_defaults(struct sgdma_run_cfg *cfg)
{
	*cfg = run_defaults;
}
EXPORT_SYMBOL_GPL(sgdma_run_cfg_defaults);

static void drop_trailing_newline(char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
}

/*
 * The parameters a run takes, the parameter lock held: channel and device
 * without the newline "echo dma0chan0 > channel" stores, which is not the
 * name's
 */
static void run_cfg_snapshot(struct sgdma_run_cfg *cfg)
{
	*cfg = run_params;
	drop_trailing_newline(cfg->channel);
	drop_trailing_newline(cfg->device);
}

/**
 * sgdma_run_cfg_from_params() - a run configuration from the module parameters
 * @cfg: filled with their values now; channel and device without one
 *	trailing newline (what echo writes)
 *
 * Context: process context.
 */
void sgdma_run_cfg_from_params(struct sgdma_run_cfg *cfg)
{
	kernel_param_lock(THIS_MODULE);
	run_cfg_snapshot(cfg);
	kernel_param_unlock(THIS_MODULE);
}
EXPORT_SYMBOL_GPL(sgdma_run_cfg_from_params);

static unsigned int chan_align(const struct sgdma_run_cfg *cfg,
			       struct dma_chan *chan)
{
	int shift = cfg->alignment >= 0 ? cfg->alignment : chan->device->copy_align;

	return 1U << clamp(shift, 0, PAGE_SHIFT);
}

/* The shape of a copy of @cfg on @chan, apart from length and offsets */
static void run_shape(const struct sgdma_run_cfg *cfg, struct dma_chan *chan,
		      struct sgdma_params *p)
{
	unsigned int align = chan_align(cfg, chan);

	memset(p, 0, sizeof(*p));
	p->dir = SGDMA_K2K;
	p->mode = cfg->per_entry ? SGDMA_PER_ENTRY : SGDMA_BATCHED;
	p->align = align;
	p->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : 1;
	p->noverify = cfg->noverify;
	p->len = max_t(size_t, ALIGN_DOWN(cfg->buf_size, align), align);
	if (cfg->seg_max && !cfg->norandom) {
		p->seg_min = max(ALIGN(cfg->seg_min, align), align);
		p->seg_max = max(cfg->seg_max, p->seg_min);
	}
}

/*
 * The largest copy of @cfg on @chan, at the worst offsets: the engine
 * refuses it (E2BIG: more entries than it takes) or it accepts every copy
 * of the run.
 */
static int run_check_worst_case(const struct sgdma_run_cfg *cfg,
				struct dma_chan *chan)
{
	struct sgdma_params p;

	run_shape(cfg, chan, &p);
	if (!cfg->norandom) {
		p.src_off = PAGE_SIZE - p.align;
		p.dst_off = p.src_off;
	}
	return sgdma_params_check(chan, &p);
}

static void thread_params(struct sgdma_thread *t, struct rnd_state *rnd,
			  unsigned int iter, struct sgdma_params *p)
{
	size_t max;

	run_shape(&t->run->cfg, t->chan, p);
	p->timeout_ms = t->timeout_ms;
	p->seed = t->seed + iter;
	p->chan_lock = t->chan_lock;
	if (t->run->cfg.norandom)
		return;
	max = p->len;
	p->len = ALIGN_DOWN(prandom_u32_state(rnd) % max + 1, p->align);
	p->len = max_t(size_t, p->len, p->align);
	p->src_off = ALIGN_DOWN(prandom_u32_state(rnd) % PAGE_SIZE, p->align);
	p->dst_off = ALIGN_DOWN(prandom_u32_state(rnd) % PAGE_SIZE, p->align);
}

/* Per second, in hundredths (@scale 100) or units, without overflow */
static u64 per_second(u64 count, u64 scale, u64 ns)
{
	return ns ? mul_u64_u64_div_u64(count, scale * NSEC_PER_SEC, ns) : 0;
}

static int sgdma_thread_fn(void *data)
{
	struct sgdma_thread *t = data;
	struct sgdma_params p;
	struct sgdma_result r;
	struct rnd_state rnd;
	unsigned int i;
	u64 iops, kbs;
	u32 frac;

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
	/* hundredths of an op per second, as dmatest prints them */
	iops = div_u64_rem(per_second(t->tests, 100, t->ns), 100, &frac);
	kbs = per_second(t->bytes / 1024, 1, t->ns);
	pr_info("sgdma: %s (%s): summary %llu tests, %llu failures %llu.%02u iops %llu KB/s (%d)\n",
		current->comm, dev_driver_string(t->chan->device->dev),
		t->tests, t->failures, iops, frac, kbs, t->ret);
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
	kfree(run->chan_locks);
	kfree(run->chans);
	kfree(run);
}

static int sgdma_run_threads_start(struct sgdma_runner *run)
{
	const struct sgdma_run_cfg *cfg = &run->cfg;
	u32 base = cfg->seed ? cfg->seed : get_random_u32();
	unsigned int c, i;

	pr_info("sgdma: %u channels, %u threads each, %u iterations, seed %#x\n",
		run->nr_chans, cfg->threads_per_chan, cfg->iterations, base);
	for (c = 0; c < run->nr_chans; c++) {
		for (i = 0; i < cfg->threads_per_chan; i++) {
			struct sgdma_thread *t = &run->threads[run->nr_threads];

			t->run = run;
			t->chan = run->chans[c];
			t->chan_lock = &run->chan_locks[c];
			t->id = i;
			t->seed = base + run->nr_threads * 1000003;
			t->iterations = cfg->iterations;
			t->timeout_ms = !i && cfg->fault_timeout_ms ?
					cfg->fault_timeout_ms : cfg->timeout_ms;
			init_completion(&t->done);
			t->task = kthread_run(sgdma_thread_fn, t, "%s-sg%u",
					      dma_chan_name(run->chans[c]), i);
			if (IS_ERR(t->task))
				return PTR_ERR(t->task);
			run->nr_threads++;
		}
	}
	return 0;
}

/* Take the channels of @run->cfg, each able to make every copy of the run */
static int sgdma_run_channels_take(struct sgdma_runner *run, unsigned int max)
{
	const struct sgdma_run_cfg *cfg = &run->cfg;
	unsigned int c;
	int ret;

	run->nr_chans = sgdma_request_channels(run->chans, max, cfg->channel,
					       cfg->device);
	if (!run->nr_chans) {
		pr_info("sgdma: no memcpy channel matched channel='%s' device='%s'\n",
			cfg->channel, cfg->device);
		return -ENODEV;
	}
	for (c = 0; c < run->nr_chans; c++) {
		mutex_init(&run->chan_locks[c]);
		ret = run_check_worst_case(cfg, run->chans[c]);
		if (ret) {
			pr_info("sgdma: run refused (%d): %s cannot take copies of %u bytes in entries of %u-%u bytes (at most %u entries, %llu bytes)\n",
				ret, dma_chan_name(run->chans[c]), cfg->buf_size,
				cfg->seg_min, cfg->seg_max, SGDMA_MAX_ENTRIES,
				SGDMA_MAX_LEN);
			return ret;
		}
	}
	return 0;
}

/*
 * Take channels and start the threads of a run; it is then in progress.
 * @sync: wait for a run in progress to end first, rather than -EBUSY, and
 *	be the new run's reaper (sgdma_run_all()).
 */
static int sgdma_run_begin(const struct sgdma_run_cfg *cfg, bool sync,
			   struct sgdma_runner **out)
{
	struct sgdma_runner *run;
	unsigned int n;
	int ret = 0;

	if (!cfg->threads_per_chan || cfg->threads_per_chan > SGDMA_RUN_MAX_THREADS) {
		pr_err("sgdma: threads_per_chan %u: 1 to %u\n",
		       cfg->threads_per_chan, SGDMA_RUN_MAX_THREADS);
		return -EINVAL;
	}
	n = cfg->max_channels ? min(cfg->max_channels, SGDMA_RUN_MAX_CHANS) :
				SGDMA_RUN_MAX_CHANS;
	run = kzalloc(sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	run->cfg = *cfg;
	run->chans = kcalloc(n, sizeof(*run->chans), GFP_KERNEL);
	run->chan_locks = kcalloc(n, sizeof(*run->chan_locks), GFP_KERNEL);
	run->threads = kcalloc(n * cfg->threads_per_chan, sizeof(*run->threads),
			       GFP_KERNEL);
	if (!run->chans || !run->chan_locks || !run->threads) {
		sgdma_run_free(run);
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
		ret = -ESHUTDOWN;
		goto out_unlock;
	}
	ret = sgdma_run_channels_take(run, n);
	if (!ret)
		ret = sgdma_run_threads_start(run);
	if (ret)
		goto out_unlock;
	run->reaper = sync;
	WRITE_ONCE(sgdma_run_cur, run);
	mutex_unlock(&sgdma_run_lock);
	*out = run;
	return 0;

out_unlock:
	mutex_unlock(&sgdma_run_lock);
out_free:
	sgdma_run_free(run);
	return ret;
}

/*
 * Wait for the threads of the run in progress (only until their current
 * copy once it is cancelled), add up what they did, release the channels;
 * then no run is in progress.  Only the run's one reaper calls this.  The
 * run is freed under sgdma_run_lock, so that a stop that finds it there
 * finds it whole.
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
	st->cancelled = st->tests < (u64)run->nr_threads * run->cfg.iterations;
	/* a descriptor still in flight would show as its cookie not complete */
	for (i = 0; i < run->nr_chans; i++)
		if (dmaengine_tx_status(run->chans[i], run->chans[i]->cookie,
					NULL) != DMA_COMPLETE)
			st->unfinished++;

	mutex_lock(&sgdma_run_lock);
	sgdma_run_free(run);
	WRITE_ONCE(sgdma_run_cur, NULL);
	WRITE_ONCE(sgdma_runs_reaped, sgdma_runs_reaped + 1);
	mutex_unlock(&sgdma_run_lock);
	wake_up_all(&sgdma_run_wq);
}

/**
 * sgdma_run_all() - test every matching memcpy channel
 * @cfg: what the run does; NULL: the module parameters
 * @nr_chans: set to the channels tested
 * @nr_tests: set to the copies made, over all threads
 * @nr_failures: set to the copies that failed
 *
 * Waits for a run in progress to end first.  sgdma_run_stop() (module
 * unload) cuts the run short: its threads end after their current copy.
 *
 * Context: process context; sleeps until every thread is done.
 * Return: 0 if the run took place (whatever its failures), -ECANCELED if
 * it was stopped before the end, -ENODEV if no channel matched, -E2BIG if
 * a channel cannot take the run's largest copy (too many entries), or
 * another negative errno.
 */
int sgdma_run_all(const struct sgdma_run_cfg *cfg, unsigned int *nr_chans,
		  u64 *nr_tests, u64 *nr_failures)
{
	struct sgdma_run_stats st = {};
	struct sgdma_run_cfg mod;
	struct sgdma_runner *run;
	int ret;

	*nr_chans = 0;
	*nr_tests = *nr_failures = 0;
	if (!cfg) {
		sgdma_run_cfg_from_params(&mod);
		cfg = &mod;
	}
	ret = sgdma_run_begin(cfg, true, &run);
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
 * @cfg: what the run does
 *
 * Takes the matching memcpy channels and starts @cfg->threads_per_chan
 * threads on each, as sgdma_run_all() does, but returns at once.  The run
 * holds its channels until sgdma_run_stop() ends it.
 *
 * Context: process context.
 * Return: 0, -EBUSY if a run is in progress, -ENODEV if no channel
 * matched, -E2BIG if a channel cannot take the run's largest copy,
 * -ESHUTDOWN if the module is going away, or another negative errno.
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
		/* its reaper frees it: wait for that */
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

static int run_now(const struct sgdma_run_cfg *cfg)
{
	unsigned int chans;
	u64 tests, failures;
	int ret = sgdma_run_all(cfg, &chans, &tests, &failures);

	pr_info("sgdma: run %s: %u channels, %llu tests, %llu failures (%d)\n",
		ret == -E2BIG ? "refused" : ret && ret != -ECANCELED ?
		"not started" : "done", chans, tests, failures, ret);
	return ret;
}

/*
 * run=1 runs now once the module is up; earlier (boot, insmod) at init.
 * The write's caller holds the parameter lock of the module (of every
 * built-in module, for a built-in one): the run takes its parameters
 * under it, and then runs without it.
 */
static int run_set(const char *val, const struct kernel_param *kp)
{
	struct sgdma_run_cfg cfg;
	int ret = param_set_bool(val, kp);

	if (!ret && run_param && initialized) {
		run_param = false;
		run_cfg_snapshot(&cfg);
		kernel_param_unlock(THIS_MODULE);
		ret = run_now(&cfg);
		kernel_param_lock(THIS_MODULE);
	}
	return ret;
}

static const struct kernel_param_ops run_ops = {
	.set = run_set,
	.get = param_get_bool,
};

module_param_cb(run, &run_ops, &run_param, 0644);
MODULE_PARM_DESC(run, "Write 1 to run the tests now; returns when done, or fails with why the run could not take place");

static int __init sgdma_init(void)
{
	int ret = sgdma_chardev_init();

	if (ret)
		return ret;
	initialized = true;
	if (run_param) {
		run_param = false;
		run_now(NULL);
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

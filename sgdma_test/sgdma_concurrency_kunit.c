// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sgdma_test's threaded runner under concurrency: several
 * threads copying on each memcpy channel at once, and a run in progress
 * cut short by sgdma_run_stop(), the path module unload takes.  With the
 * software channel, the run's channels are made slow (SGDMA_SWCHAN_SLOW)
 * so that copies are in flight when the stop comes.  Cases skip, with the
 * reason, when there is no memcpy channel.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dmaengine.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/stringify.h>

#include "sgdma.h"
#include "sgdma_kunit_helpers.h"
#include "dma_suite_helpers.h"

#define MAX_TEST_CHANS		64
#define THREADS_PER_CHAN	4
/* copies per thread; TCG (the Zynq) is about ten times slower than UML */
#define SHARED_ITERATIONS	8
/* a run that would take minutes: only a stop ends it in time */
#define ENDLESS_ITERATIONS	100000
/* how long the run copies before the stop */
#define RUN_BEFORE_STOP_MS	500
/* how long channels are slow before the stop */
#define SLOW_SETTLE_MS		20
/*
 * A stop waits for each thread's current copy, which ends by completion
 * or by its timeout (the module's timeout parameter, 3 s by default).
 */
#define STOP_BOUND_MS		10000

static void sgdma_conc_exit(struct kunit *test)
{
	/* a case that failed half-way leaves no run behind */
	sgdma_run_stop(NULL);
}

/*
 * Four threads per memcpy channel copy at once, each its own random
 * shapes: every copy verifies, and each thread makes exactly its copies
 * and prints its summary.
 */
static void sgdma_threads_sharing_a_channel_all_copy_correctly(struct kunit *test)
{
	static const char summary[] =
		": summary " __stringify(SHARED_ITERATIONS) " tests, 0 failures";
	u64 mark = dma_suite_log_mark(), t, f;
	struct sgdma_run_cfg cfg;
	unsigned int c;
	int ret;

	sgdma_run_cfg_defaults(&cfg);
	cfg.iterations = SHARED_ITERATIONS;
	cfg.threads_per_chan = THREADS_PER_CHAN;
	ret = sgdma_run_all(&cfg, &c, &t, &f);
	if (ret == -ENODEV)
		kunit_skip(test, SGDMA_KUNIT_NO_CHAN);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_GE(test, c, 1U);
	KUNIT_EXPECT_EQ(test, f, 0ULL);
	KUNIT_EXPECT_EQ(test, t, (u64)c * THREADS_PER_CHAN * SHARED_ITERATIONS);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, summary, "iops"),
			c * THREADS_PER_CHAN);
	KUNIT_EXPECT_EQ(test, sgdma_run_threads_alive(), 0U);
}

/*
 * Let the run in progress copy for a while, then catch it mid-copy: make
 * its software channels slow for long enough that a descriptor in flight
 * is a slow one, and make them fast again for what they start next, so the
 * stop comes while one slow descriptor per channel is still being copied.
 * (Slow throughout, threads sharing a channel would queue behind each
 * other's slow copies and could reach the completion timeout.)  Returns
 * the run's channels.
 */
static unsigned int let_the_run_copy(struct kunit *test, struct dma_chan **chans)
{
	unsigned int i, n, soft = 0, busy = 0;
	unsigned long until;

	n = sgdma_run_channels(chans, MAX_TEST_CHANS);
	msleep(RUN_BEFORE_STOP_MS);
	for (i = 0; i < n; i++)
		if (!sgdma_swchan_set_fault(chans[i], SGDMA_SWCHAN_SLOW))
			soft++;
	if (!soft)
		return n;
	/* what was in flight before is done by then: a fast copy takes us */
	msleep(SLOW_SETTLE_MS);
	until = jiffies + msecs_to_jiffies(2000);
	while (!busy && time_before(jiffies, until)) {
		for (i = 0; i < n; i++)
			busy += sgdma_swchan_pending(chans[i]);
		if (!busy)
			usleep_range(100, 200);
	}
	for (i = 0; i < n; i++)
		sgdma_swchan_set_fault(chans[i], SGDMA_SWCHAN_OK);
	KUNIT_EXPECT_GT_MSG(test, busy, 0U, "no copy in flight on a slow software channel");
	return n;
}

/* After a stop: no thread left, nothing in progress, channels free again */
static void expect_all_released(struct kunit *test, unsigned int held)
{
	struct sgdma_kunit_chans *again;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, sgdma_run_threads_alive(), 0U);
	KUNIT_EXPECT_EQ(test, sgdma_run_stop(NULL), -ESRCH);
	again = sgdma_kunit_chans(test, MAX_TEST_CHANS, NULL, NULL);
	KUNIT_EXPECT_GE_MSG(test, again->nr, held, "channels of the run not given back");
	for (i = 0; i < again->nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, sgdma_swchan_pending(again->chan[i]), 0U,
				    "%s: descriptors left", dma_chan_name(again->chan[i]));
	sgdma_kunit_chans_put(again);
}

/*
 * A run started in the background on every memcpy channel, two threads
 * each, that would take minutes, is stopped while copies are in flight:
 * the stop returns within the bound, the run was cut short with no copy
 * failed and no descriptor left in flight, every thread has ended, and the
 * channels can be requested again.
 */
static void sgdma_unload_stop_ends_a_background_run_cleanly(struct kunit *test)
{
	struct dma_chan **chans = kunit_kcalloc(test, MAX_TEST_CHANS,
						sizeof(*chans), GFP_KERNEL);
	struct sgdma_run_stats st;
	struct sgdma_run_cfg cfg;
	unsigned int n;
	ktime_t start;
	s64 ms;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, chans);
	sgdma_run_cfg_defaults(&cfg);
	cfg.iterations = ENDLESS_ITERATIONS;
	cfg.threads_per_chan = 2;
	ret = sgdma_run_start(&cfg);
	if (ret == -ENODEV)
		kunit_skip(test, SGDMA_KUNIT_NO_CHAN);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, sgdma_run_start(&cfg), -EBUSY);
	n = let_the_run_copy(test, chans);

	start = ktime_get();
	ret = sgdma_run_stop(&st);
	ms = ktime_ms_delta(ktime_get(), start);
	kunit_info(test, "stopped after %llu copies on %u channels in %lld ms\n",
		   st.tests, st.chans, ms);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_LT(test, ms, (s64)STOP_BOUND_MS);
	KUNIT_EXPECT_EQ(test, st.chans, n);
	KUNIT_EXPECT_EQ(test, st.threads, n * 2);
	KUNIT_EXPECT_TRUE_MSG(test, st.cancelled, "the run was not cut short");
	KUNIT_EXPECT_GT_MSG(test, st.tests, 0ULL, "no copy before the stop");
	KUNIT_EXPECT_EQ(test, st.failures, 0ULL);
	KUNIT_EXPECT_EQ_MSG(test, st.unfinished, 0U, "descriptors in flight at release");
	expect_all_released(test, n);
}

struct sync_run {
	struct sgdma_run_cfg cfg;
	unsigned int chans;
	u64 tests, failures;
	int ret;
	struct completion done;
};

static int sync_run_fn(void *data)
{
	struct sync_run *r = data;

	r->ret = sgdma_run_all(&r->cfg, &r->chans, &r->tests, &r->failures);
	complete(&r->done);
	return 0;
}

/*
 * What unload meets when "run" was written: a sgdma_run_all() in
 * progress.  The stop cuts it short and returns only once that caller has
 * reaped the run; the caller sees -ECANCELED and what was done.
 */
static void sgdma_unload_stop_cuts_a_waiting_run_all_short(struct kunit *test)
{
	struct sync_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct dma_chan **chans = kunit_kcalloc(test, MAX_TEST_CHANS,
						sizeof(*chans), GFP_KERNEL);
	unsigned int n = 0, alive, still;
	struct task_struct *task;
	unsigned long until;
	ktime_t start;
	s64 ms;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, chans);
	sgdma_run_cfg_defaults(&r->cfg);
	r->cfg.iterations = ENDLESS_ITERATIONS;
	r->cfg.threads_per_chan = 2;
	init_completion(&r->done);
	task = kthread_run(sync_run_fn, r, "sgdma-conc-run");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);

	/* until the run is in progress, or has failed to start */
	until = jiffies + msecs_to_jiffies(5000);
	while (!completion_done(&r->done) && time_before(jiffies, until) &&
	       !sgdma_run_channels(chans, MAX_TEST_CHANS))
		usleep_range(500, 1000);
	if (!completion_done(&r->done))
		n = let_the_run_copy(test, chans);

	start = ktime_get();
	ret = sgdma_run_stop(NULL);
	ms = ktime_ms_delta(ktime_get(), start);
	/* seen right away: the stop returns only after the reap */
	alive = sgdma_run_threads_alive();
	still = sgdma_run_channels(chans, MAX_TEST_CHANS);
	/* the caller returns right after the reap */
	if (!wait_for_completion_timeout(&r->done, msecs_to_jiffies(STOP_BOUND_MS)))
		KUNIT_FAIL(test, "sgdma_run_all() still running after the stop");
	kthread_stop(task);
	put_task_struct(task);

	if (r->ret == -ENODEV)
		kunit_skip(test, SGDMA_KUNIT_NO_CHAN);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_LT(test, ms, (s64)STOP_BOUND_MS);
	KUNIT_EXPECT_EQ_MSG(test, alive, 0U, "runner threads left when the stop returned");
	KUNIT_EXPECT_EQ_MSG(test, still, 0U, "a run still in progress when the stop returned");
	KUNIT_EXPECT_EQ(test, r->ret, -ECANCELED);
	KUNIT_EXPECT_EQ(test, r->chans, n);
	KUNIT_EXPECT_GT(test, r->tests, 0ULL);
	KUNIT_EXPECT_LT(test, r->tests, (u64)n * 2 * ENDLESS_ITERATIONS);
	KUNIT_EXPECT_EQ(test, r->failures, 0ULL);
	expect_all_released(test, n);
}

static struct kunit_case sgdma_concurrency_cases[] = {
	KUNIT_CASE(sgdma_threads_sharing_a_channel_all_copy_correctly),
	KUNIT_CASE(sgdma_unload_stop_ends_a_background_run_cleanly),
	KUNIT_CASE(sgdma_unload_stop_cuts_a_waiting_run_all_short),
	{}
};

static struct kunit_suite sgdma_concurrency_suite = {
	.name = "sgdma_concurrency",
	.exit = sgdma_conc_exit,
	.test_cases = sgdma_concurrency_cases,
};

kunit_test_suite(sgdma_concurrency_suite);

MODULE_DESCRIPTION("KUnit tests for sgdma_test's runner under concurrency");
MODULE_LICENSE("GPL");

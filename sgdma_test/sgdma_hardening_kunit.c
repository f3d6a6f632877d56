// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "sgdma_hardening": sgdma_test must never be what breaks the
 * kernel it tests.  Each case pins down one way it once could, and must
 * not any more:
 *
 * - a copy that needs more scatterlist entries than SGDMA_MAX_ENTRIES is
 *   refused before anything is allocated (2 MiB in 1-byte entries made two
 *   million descriptors and a page-allocator warning), and one at the limit
 *   is carried out exactly;
 * - user memory asked of a thread that has none is refused, not followed;
 * - the software channel frees a terminated descriptor only once its
 *   worker is done with it, and fails, rather than oopses on, a DMA
 *   address that reaches no memory; its driver cannot be unbound under its
 *   users;
 * - threads of a run that share a channel: one thread's timeout or error
 *   completion terminates only its own descriptors, the others' copies all
 *   succeed, up to the largest threads_per_chan;
 * - stops that race with each other, or with the end of a run, find the
 *   run whole;
 * - the module parameters refuse values outside their ranges, and answer
 *   at once while a run writes "run".
 *
 * Cases that need the software channel skip, saying so, where there is
 * none (a board with a real controller).
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/stringify.h>

#include "sgdma.h"
#include "sgdma_kunit_helpers.h"
#include "sgdma_test.h"
#include "dma_suite_helpers.h"

#define MAX_TEST_CHANS		64
#define PARAMS			"module/sgdma_test/parameters/"
#define NO_SWCHAN	"no sgdma-swchan channel: a real controller cannot be made to fail"
/* a run that would take minutes: only a stop ends it */
#define ENDLESS_ITERATIONS	100000
#define STOP_BOUND		msecs_to_jiffies(10000)

static void hard_exit(struct kunit *test)
{
	/* a case that failed half-way leaves no run behind */
	sgdma_run_stop(NULL);
}

/*
 * A byte-granular memcpy channel, or a skip saying there is none.  The
 * case holds every free memcpy channel until it ends.
 */
static struct dma_chan *any_chan(struct kunit *test)
{
	struct sgdma_kunit_chans *held;
	unsigned int i;

	held = sgdma_kunit_chans(test, MAX_TEST_CHANS, NULL, NULL);
	for (i = 0; i < held->nr; i++)
		if (!held->chan[i]->device->copy_align)
			return held->chan[i];
	kunit_skip(test, "no byte-granular dmaengine channel with DMA_MEMCPY");
	return NULL;
}

/* A software channel, held until the case ends, or a skip saying there is none */
static struct dma_chan *soft_chan(struct kunit *test)
{
	return sgdma_kunit_chans(test, 1, "sgdma-swchan", NO_SWCHAN)->chan[0];
}

/* Skip unless a memcpy channel is free (for a run, which takes its own) */
static void need_a_free_chan(struct kunit *test)
{
	sgdma_kunit_chans_put(sgdma_kunit_chans(test, 1, NULL, SGDMA_KUNIT_NO_CHAN));
}

static void k2k_params(struct sgdma_params *p, size_t len, unsigned int seg)
{
	memset(p, 0, sizeof(*p));
	p->dir = SGDMA_K2K;
	p->len = len;
	p->seg_min = seg;
	p->seg_max = seg;
	p->align = 1;
	p->timeout_ms = 10000;
	p->seed = 0x5eed;
}

/*
 * The rule of the UAPI header, computed here on its own: a side needs at
 * most the pages it spans plus len / seg_min entries.
 */
static size_t entries_bound(size_t len, size_t off, unsigned int seg)
{
	return DIV_ROUND_UP(off + len, PAGE_SIZE) + len / seg;
}

struct entries_case {
	const char *name;
	size_t len;
	unsigned int seg;
};

static const struct entries_case too_many[] = {
	{ "2 MiB in 1-byte entries", 2 << 20, 1 },
	{ "64 MiB in 1-byte entries", SGDMA_MAX_LEN, 1 },
	{ "64 MiB in 2 KiB entries", SGDMA_MAX_LEN, 2048 },
	{ "one entry per byte, a page over the limit", SGDMA_MAX_ENTRIES + PAGE_SIZE, 1 },
};

static void entries_desc(const struct entries_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(too_many, too_many, entries_desc);

/*
 * More entries than SGDMA_MAX_ENTRIES: E2BIG at once, before a page is
 * allocated or a list built.
 */
static void sgdma_copy_refuses_more_entries_than_the_limit(struct kunit *test)
{
	const struct entries_case *c = test->param_value;
	struct dma_chan *chan = any_chan(test);
	struct sgdma_params p;
	struct sgdma_result r;

	k2k_params(&p, c->len, c->seg);
	KUNIT_ASSERT_GT(test, entries_bound(p.len, 0, p.seg_min), (size_t)SGDMA_MAX_ENTRIES);
	KUNIT_EXPECT_EQ(test, sgdma_params_check(chan, &p), -E2BIG);
	KUNIT_EXPECT_EQ(test, sgdma_copy(chan, &p, &r), -E2BIG);
	KUNIT_EXPECT_EQ_MSG(test, r.stage, SGDMA_STAGE_PARAMS, "stage %s",
			    sgdma_stage_name(r.stage));
	KUNIT_EXPECT_EQ(test, r.src_nents, 0U);
	KUNIT_EXPECT_EQ(test, r.descs, 0U);
}

/*
 * Exactly SGDMA_MAX_ENTRIES entries on both sides is accepted and copied
 * exactly, in as many descriptors; a few bytes more is refused.  Where the
 * DMA layer has no room to map that many entries (swiotlb=force gives
 * each a 2 KiB slot, and has 32768 of them) the copy fails at "map" with
 * -ENOMEM, as the UAPI allows, and the case skips, saying so.
 */
static void sgdma_copy_at_the_entry_limit_is_exact(struct kunit *test)
{
	struct dma_chan *chan = any_chan(test);
	const unsigned int seg = 64;
	struct sgdma_params p;
	struct sgdma_result r;
	size_t len = seg;
	int ret;

	while (entries_bound(len + seg, 0, seg) <= SGDMA_MAX_ENTRIES)
		len += seg;
	KUNIT_ASSERT_EQ(test, entries_bound(len, 0, seg), (size_t)SGDMA_MAX_ENTRIES);
	k2k_params(&p, len + seg, seg);
	KUNIT_EXPECT_EQ(test, sgdma_copy(chan, &p, &r), -E2BIG);
	k2k_params(&p, len, seg);
	/*
	 * 32263 descriptors on an emulated controller (pl330 under QEMU's
	 * TCG) take 7 to 12 s when the host is busy: this case is about the
	 * limit and the bytes, not the speed, so its wait is not the limit.
	 */
	p.timeout_ms = 60000;
	ret = sgdma_copy(chan, &p, &r);
	if (ret == -ENOMEM && r.stage == SGDMA_STAGE_MAP)
		kunit_skip(test, "no room to map 2 x %u entries (swiotlb=force?): -ENOMEM at map",
			   r.src_nents);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, r.bytes, len);
	KUNIT_EXPECT_EQ(test, r.src_nents, (unsigned int)(len / seg));
	/* behind an IOMMU the entries merge: a descriptor per mapped run */
	KUNIT_EXPECT_GE(test, r.descs, max(r.src_mapped, r.dst_mapped));
	kunit_info(test, "%zu bytes in %u entries (%u and %u mapped), %u descriptors\n",
		   len, r.src_nents, r.src_mapped, r.dst_mapped, r.descs);
}

struct no_mm_copy {
	struct dma_chan *chan;
	enum sgdma_dir dir;
	int ret;
	enum sgdma_uapi_stage stage;
	struct completion done;
};

static int no_mm_fn(void *data)
{
	struct no_mm_copy *c = data;
	struct sgdma_params p;
	struct sgdma_result r;

	k2k_params(&p, 100, 10);
	p.dir = c->dir;
	/* an address any process could have: this thread has no mm at all */
	p.usrc = 0x10000;
	p.udst = 0x20000;
	c->ret = sgdma_copy(c->chan, &p, &r);
	c->stage = r.stage;
	complete(&c->done);
	return 0;
}

/* A kernel thread has no user memory: a copy of it is refused, EFAULT */
static void sgdma_user_copy_from_a_kernel_thread_is_refused(struct kunit *test)
{
	static const enum sgdma_dir dirs[] = { SGDMA_U2K, SGDMA_K2U, SGDMA_U2U };
	struct no_mm_copy c = { .chan = any_chan(test) };
	struct task_struct *task;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		c.dir = dirs[i];
		c.ret = 0;
		init_completion(&c.done);
		task = kthread_run(no_mm_fn, &c, "sgdma-no-mm");
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		wait_for_completion(&c.done);
		KUNIT_EXPECT_EQ_MSG(test, c.ret, -EFAULT, "%s", sgdma_dir_name(c.dir));
		KUNIT_EXPECT_EQ_MSG(test, c.stage, SGDMA_STAGE_PIN, "%s: stage %s",
				    sgdma_dir_name(c.dir), sgdma_stage_name(c.stage));
	}
}

/* ---- the software channel ---- */

struct raw_copy {
	void *src, *dst;
	dma_addr_t src_dma, dst_dma;
	size_t len;
	atomic_t callbacks;
	enum dmaengine_tx_result result;
	struct completion done;
};

static void raw_done(void *arg, const struct dmaengine_result *res)
{
	struct raw_copy *c = arg;

	c->result = res ? res->result : DMA_TRANS_NOERROR;
	atomic_inc(&c->callbacks);
	complete(&c->done);
}

static int raw_map(struct kunit *test, struct device *dev, struct raw_copy *c,
		   size_t len)
{
	c->len = len;
	c->src = kunit_kzalloc(test, len, GFP_KERNEL);
	c->dst = kunit_kzalloc(test, len, GFP_KERNEL);
	if (!c->src || !c->dst)
		return -ENOMEM;
	memset(c->src, 0x5a, len);
	c->src_dma = dma_map_single(dev, c->src, len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, c->src_dma))
		return -ENOMEM;
	c->dst_dma = dma_map_single(dev, c->dst, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, c->dst_dma)) {
		dma_unmap_single(dev, c->src_dma, len, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	return 0;
}

static void raw_unmap(struct device *dev, struct raw_copy *c)
{
	dma_unmap_single(dev, c->dst_dma, c->len, DMA_FROM_DEVICE);
	dma_unmap_single(dev, c->src_dma, c->len, DMA_TO_DEVICE);
}

/* One descriptor of @c (or of the addresses given), submitted and issued */
static dma_cookie_t raw_submit(struct dma_chan *chan, struct raw_copy *c,
			       dma_addr_t dst, dma_addr_t src)
{
	struct dma_async_tx_descriptor *tx;

	init_completion(&c->done);
	tx = dmaengine_prep_dma_memcpy(chan, dst, src, c->len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx)
		return -ENOMEM;
	tx->callback = NULL;
	tx->callback_result = raw_done;
	tx->callback_param = c;
	return dmaengine_submit(tx);
}

/*
 * terminate_all while the worker is copying a descriptor: the descriptor
 * is not completed (no callback), nothing is left pending, and the channel
 * copies again.  (It is freed only by the worker: under KASAN, a free at
 * terminate time is a use-after-free in the worker.)
 */
static void sgdma_swchan_terminate_during_a_copy_is_clean(struct kunit *test)
{
	struct dma_chan *chan = soft_chan(test);
	struct device *dev = dmaengine_get_dma_device(chan);
	struct raw_copy *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned int i, caught = 0;
	unsigned long until;
	dma_cookie_t cookie;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, raw_map(test, dev, c, 64 << 10), 0);
	for (i = 0; i < 20; i++) {
		atomic_set(&c->callbacks, 0);
		sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_SLOW);
		cookie = raw_submit(chan, c, c->dst_dma, c->src_dma);
		KUNIT_ASSERT_FALSE(test, dma_submit_error(cookie));
		dma_async_issue_pending(chan);
		/* until the worker has it (it stays pending while copied) */
		until = jiffies + msecs_to_jiffies(1000);
		while (!sgdma_swchan_pending(chan) && time_before(jiffies, until))
			usleep_range(50, 100);
		usleep_range(100 * (i % 5), 100 * (i % 5) + 50);
		caught += sgdma_swchan_pending(chan);
		dmaengine_terminate_sync(chan);
		KUNIT_EXPECT_EQ(test, sgdma_swchan_pending(chan), 0U);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&c->callbacks), 0,
				    "a terminated descriptor completed");
	}
	KUNIT_EXPECT_GT_MSG(test, caught, 0U, "never terminated mid-copy");
	/* and it still copies */
	sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_OK);
	memset(c->src, 0xa5, c->len);
	dma_sync_single_for_device(dev, c->src_dma, c->len, DMA_TO_DEVICE);
	cookie = raw_submit(chan, c, c->dst_dma, c->src_dma);
	KUNIT_ASSERT_FALSE(test, dma_submit_error(cookie));
	dma_async_issue_pending(chan);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&c->done, HZ * 5));
	raw_unmap(dev, c);
	KUNIT_EXPECT_EQ(test, c->result, DMA_TRANS_NOERROR);
	KUNIT_EXPECT_EQ(test, memcmp(c->dst, c->src, c->len), 0);
}

/* A physical address with no memory (no struct page) behind it */
static bool no_memory_at(phys_addr_t *phys)
{
	static const u64 candidates[] = { 0xfff00000ULL, 1ULL << 39, 1ULL << 46 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(candidates); i++) {
		if ((phys_addr_t)candidates[i] != candidates[i])
			continue;
		if (!pfn_valid(PHYS_PFN(candidates[i]))) {
			*phys = candidates[i];
			return true;
		}
	}
	return false;
}

/*
 * A descriptor whose source or destination reaches no memory fails with
 * an error result, as a bus error would, and tx_status says DMA_ERROR:
 * the channel never turns such an address into a page.
 */
static void sgdma_swchan_fails_an_address_of_no_memory(struct kunit *test)
{
	struct dma_chan *chan = soft_chan(test);
	struct device *dev = dmaengine_get_dma_device(chan);
	struct raw_copy *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	dma_addr_t nowhere;
	dma_cookie_t cookie;
	phys_addr_t phys;
	unsigned int side;

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (!no_memory_at(&phys))
		kunit_skip(test, "found no physical address without memory");
	nowhere = phys_to_dma(dev, phys);
	KUNIT_ASSERT_EQ(test, raw_map(test, dev, c, 256), 0);
	for (side = 0; side < 2; side++) {
		cookie = raw_submit(chan, c, side ? nowhere : c->dst_dma,
				    side ? c->src_dma : nowhere);
		KUNIT_ASSERT_FALSE(test, dma_submit_error(cookie));
		dma_async_issue_pending(chan);
		KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->done, HZ * 5));
		KUNIT_EXPECT_EQ(test, c->result, side ? DMA_TRANS_WRITE_FAILED :
							DMA_TRANS_READ_FAILED);
		KUNIT_EXPECT_EQ(test, dmaengine_tx_status(chan, cookie, NULL), DMA_ERROR);
	}
	raw_unmap(dev, c);
}

/*
 * The software channel's driver has no bind/unbind files in sysfs, on
 * whichever bus its device is (platform, or PCI for QEMU's test function)
 */
static void sgdma_swchan_cannot_be_unbound(struct kunit *test)
{
	struct device *dev = soft_chan(test)->device->dev;
	char drv[96], path[160];

	snprintf(drv, sizeof(drv), "bus/%s/drivers/%s", dev->bus->name,
		 dev_driver_string(dev));
	/* the driver's directory and its device are there ... */
	snprintf(path, sizeof(path), "%s/%s", drv, dev_name(dev));
	KUNIT_ASSERT_EQ_MSG(test, dma_suite_sysfs_exists(path), 0, "%s", path);
	/* ... without the files that would unregister channels under users */
	snprintf(path, sizeof(path), "%s/unbind", drv);
	KUNIT_EXPECT_EQ_MSG(test, dma_suite_sysfs_exists(path), -ENOENT, "%s", path);
	snprintf(path, sizeof(path), "%s/bind", drv);
	KUNIT_EXPECT_EQ_MSG(test, dma_suite_sysfs_exists(path), -ENOENT, "%s", path);
}

/* ---- threads sharing a channel ---- */

/* A run on the software channels only, in the background; its channels */
static struct dma_chan **start_soft_run(struct kunit *test, struct sgdma_run_cfg *cfg,
					unsigned int *n)
{
	struct dma_chan **chans = kunit_kcalloc(test, MAX_TEST_CHANS, sizeof(*chans),
						GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, chans);
	strscpy(cfg->device, "sgdma-swchan", sizeof(cfg->device));
	cfg->iterations = ENDLESS_ITERATIONS;
	ret = sgdma_run_start(cfg);
	if (ret == -ENODEV)
		kunit_skip(test, NO_SWCHAN);
	KUNIT_ASSERT_EQ(test, ret, 0);
	*n = sgdma_run_channels(chans, MAX_TEST_CHANS);
	return chans;
}

/* Summary lines since @mark of the threads "-sg@id" with no failure */
static unsigned int clean_summaries(u64 mark, unsigned int id)
{
	char who[16];

	snprintf(who, sizeof(who), "-sg%u (", id);
	return dma_suite_log_count(mark, who, " tests, 0 failures");
}

/*
 * The first thread of each channel waits 1 ms for completions that take
 * several (slow channels, 16 KiB copies): it times out and terminates the
 * channel, again and again.  Its failures are its own: the three other
 * threads of the channel copy throughout with no failure at all.
 */
static void sgdma_one_threads_timeouts_fail_only_its_copies(struct kunit *test)
{
	struct sgdma_run_stats st;
	struct sgdma_run_cfg cfg;
	struct dma_chan **chans;
	unsigned int i, n;
	u64 mark;

	sgdma_run_cfg_defaults(&cfg);
	cfg.threads_per_chan = 4;
	cfg.norandom = true;
	cfg.buf_size = 16384;
	cfg.fault_timeout_ms = 1;
	mark = dma_suite_log_mark();
	chans = start_soft_run(test, &cfg, &n);
	for (i = 0; i < n; i++)
		sgdma_swchan_set_fault(chans[i], SGDMA_SWCHAN_SLOW);
	msleep(1500);
	KUNIT_ASSERT_EQ(test, sgdma_run_stop(&st), 0);
	kunit_info(test, "%llu copies, %llu failed, on %u channels\n", st.tests,
		   st.failures, st.chans);
	KUNIT_EXPECT_GT_MSG(test, st.failures, 0ULL, "the short timeouts never struck");
	KUNIT_EXPECT_EQ_MSG(test, clean_summaries(mark, 0), 0U,
			    "a first thread with a 1 ms timeout never timed out");
	for (i = 1; i < cfg.threads_per_chan; i++)
		KUNIT_EXPECT_EQ_MSG(test, clean_summaries(mark, i), n,
				    "thread %u failed: another's terminate reached it", i);
}

static const unsigned int thread_counts[] = { 4, SGDMA_RUN_MAX_THREADS };

static void threads_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u threads per channel", *n);
}

KUNIT_ARRAY_PARAM(thread_counts, thread_counts, threads_desc);

#define ERRORS_PER_CHAN	5

/*
 * Error completions injected one at a time into the channels of a run of
 * one-descriptor copies: each fails exactly one copy (the one whose
 * descriptor it hit), and no other copy of any thread fails, up to
 * SGDMA_RUN_MAX_THREADS threads on a channel.
 */
static void sgdma_error_completions_fail_one_copy_each(struct kunit *test)
{
	const unsigned int *threads = test->param_value;
	unsigned int i, k, n, injected = 0, errors;
	struct sgdma_run_stats st;
	struct sgdma_run_cfg cfg;
	struct dma_chan **chans;
	unsigned long until;
	u64 mark;

	sgdma_run_cfg_defaults(&cfg);
	cfg.threads_per_chan = *threads;
	/*
	 * Each copy one page at offset 0 (norandom: whole pages an entry), so
	 * one entry and one descriptor: an error meant for the next copy
	 * cannot land on a later descriptor of the copy the previous error
	 * already failed (measured: 10 errors, 9 copies failed, with copies
	 * of several descriptors).  An error in an early descriptor of a copy
	 * is sgdma_error_in_an_early_descriptor_fails_the_copy's case.
	 */
	cfg.norandom = true;
	cfg.buf_size = PAGE_SIZE;
	mark = dma_suite_log_mark();
	chans = start_soft_run(test, &cfg, &n);
	for (k = 0; k < ERRORS_PER_CHAN; k++) {
		for (i = 0; i < n; i++) {
			errors = sgdma_swchan_errors(chans[i]);
			sgdma_swchan_set_fault(chans[i], SGDMA_SWCHAN_ERROR_ONCE);
			until = jiffies + msecs_to_jiffies(5000);
			while (sgdma_swchan_errors(chans[i]) == errors &&
			       time_before(jiffies, until))
				usleep_range(200, 400);
			injected += sgdma_swchan_errors(chans[i]) - errors;
		}
	}
	KUNIT_ASSERT_EQ(test, sgdma_run_stop(&st), 0);
	kunit_info(test, "%llu copies by %u threads, %u errors injected, %llu copies failed\n",
		   st.tests, st.threads, injected, st.failures);
	KUNIT_EXPECT_EQ(test, injected, n * ERRORS_PER_CHAN);
	KUNIT_EXPECT_EQ(test, st.threads, n * *threads);
	KUNIT_EXPECT_EQ_MSG(test, st.failures, (u64)injected,
			    "failures beyond the injected errors: one thread's terminate reached another");
	KUNIT_EXPECT_EQ_MSG(test, (u64)dma_suite_log_count(mark, ": FAIL ", " descs 1 seed "),
			    st.failures, "a failed copy was not of one descriptor");
	KUNIT_EXPECT_EQ(test, sgdma_run_threads_alive(), 0U);
}

/* ---- stops that race ---- */

struct racing_stop {
	struct completion go, done;
	unsigned int stopped;
};

struct run_reader {
	struct completion done;
	bool stop;
	unsigned long reads;
};

/* Look at the run in progress, again and again, as tests of a run do */
static int run_reader_fn(void *data)
{
	struct run_reader *rr = data;
	struct dma_chan *chans[MAX_TEST_CHANS];

	while (!READ_ONCE(rr->stop)) {
		sgdma_run_channels(chans, MAX_TEST_CHANS);
		rr->reads++;
		cond_resched();
	}
	complete(&rr->done);
	return 0;
}

static int racing_stop_fn(void *data)
{
	struct racing_stop *r = data;

	wait_for_completion(&r->go);
	/* until no run is left, as a second rmmod or stop would */
	while (sgdma_run_stop(NULL) != -ESRCH)
		r->stopped++;
	complete(&r->done);
	return 0;
}

/*
 * Three stops at once on a background run, again and again, while another
 * thread keeps looking at the run in progress: each finds the run whole or
 * finds none (under KASAN, a run freed before it is no longer the one in
 * progress is a use-after-free); the run ends once, with all its threads.
 */
static void sgdma_racing_stops_find_the_run_whole(struct kunit *test)
{
	struct racing_stop *r = kunit_kcalloc(test, 2, sizeof(*r), GFP_KERNEL);
	struct run_reader *rr = kunit_kzalloc(test, sizeof(*rr), GFP_KERNEL);
	struct sgdma_run_stats st;
	struct sgdma_run_cfg cfg;
	struct task_struct *task;
	unsigned int round, i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, rr);
	init_completion(&rr->done);
	task = kthread_run(run_reader_fn, rr, "sgdma-run-reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (round = 0; round < 10; round++) {
		sgdma_run_cfg_defaults(&cfg);
		cfg.iterations = ENDLESS_ITERATIONS;
		cfg.threads_per_chan = 2;
		ret = sgdma_run_start(&cfg);
		if (ret == -ENODEV)
			kunit_skip(test, SGDMA_KUNIT_NO_CHAN);
		KUNIT_ASSERT_EQ(test, ret, 0);
		for (i = 0; i < 2; i++) {
			init_completion(&r[i].go);
			init_completion(&r[i].done);
			task = kthread_run(racing_stop_fn, &r[i], "sgdma-stop%u", i);
			KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		}
		msleep(20 + round * 5);
		for (i = 0; i < 2; i++)
			complete(&r[i].go);
		ret = sgdma_run_stop(&st);
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -ESRCH);
		for (i = 0; i < 2; i++)
			KUNIT_ASSERT_TRUE(test,
					  wait_for_completion_timeout(&r[i].done, STOP_BOUND));
		KUNIT_EXPECT_EQ(test, sgdma_run_stop(NULL), -ESRCH);
		KUNIT_EXPECT_EQ(test, sgdma_run_threads_alive(), 0U);
	}
	WRITE_ONCE(rr->stop, true);
	wait_for_completion(&rr->done);
	kunit_info(test, "the run was looked at %lu times\n", rr->reads);
}

/* ---- module parameters ---- */

struct param_case {
	const char *name, *value;
	int err;
};

static const struct param_case param_cases[] = {
	{ "iterations", "1000000", 0 },
	{ "iterations", "1000001", -EINVAL },
	{ "timeout", "0", -EINVAL },
	{ "timeout", "60000", 0 },
	{ "timeout", "60001", -EINVAL },
	{ "timeout", "4294967295", -EINVAL },
	{ "timeout", "4294967296", -ERANGE },
	{ "threads_per_chan", "0", -EINVAL },
	{ "threads_per_chan", "64", 0 },
	{ "threads_per_chan", "65", -EINVAL },
	{ "max_channels", "65", -EINVAL },
	{ "test_buf_size", "0", -EINVAL },
	{ "test_buf_size", "67108864", 0 },
	{ "test_buf_size", "67108865", -EINVAL },
	{ "seg_min", "67108865", -EINVAL },
	{ "seg_max", "67108865", -EINVAL },
	{ "alignment", "-2", -EINVAL },
	{ "alignment", "-1", 0 },
	{ "alignment", __stringify(PAGE_SHIFT), 0 },
	{ "alignment", __stringify(PAGE_SHIFT) "0", -EINVAL },
	{ "alignment", "x", -EINVAL },
};

static void param_desc(const struct param_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s=%s", c->name, c->value);
}

KUNIT_ARRAY_PARAM(param, param_cases, param_desc);

/* Each numeric parameter takes the values of its range and refuses others */
static void sgdma_parameters_keep_to_their_ranges(struct kunit *test)
{
	const struct param_case *c = test->param_value;
	char path[64], old[32], now[32];

	snprintf(path, sizeof(path), PARAMS "%s", c->name);
	KUNIT_ASSERT_GT(test, dma_suite_sysfs_read(path, old, sizeof(old)), (ssize_t)0);
	KUNIT_EXPECT_EQ(test, dma_suite_sysfs_write(path, c->value), c->err);
	KUNIT_ASSERT_GT(test, dma_suite_sysfs_read(path, now, sizeof(now)), (ssize_t)0);
	if (c->err)
		KUNIT_EXPECT_STREQ_MSG(test, now, old, "a refused write changed it");
	else
		KUNIT_EXPECT_STREQ(test, strim(now), c->value);
	KUNIT_EXPECT_EQ(test, dma_suite_sysfs_write(path, old), 0);
}

/*
 * A run matches "channel" and "device" without the newline that echo
 * writes: "echo dma0chan0 > channel" names dma0chan0, "echo > device"
 * any device; a newline inside a name stays part of it.
 */
static void sgdma_run_names_drop_a_trailing_newline(struct kunit *test)
{
	static const struct { const char *written, *name; } cases[] = {
		{ "dma0chan0\n", "dma0chan0" }, { "\n", "" },
		{ "dma0chan0\n\n", "dma0chan0\n" }, { "dma0\nchan0", "dma0\nchan0" },
	};
	char old[2][40], path[2][64];
	struct sgdma_run_cfg cfg;
	unsigned int i, k;

	for (k = 0; k < 2; k++) {
		snprintf(path[k], sizeof(path[k]), PARAMS "%s", k ? "device" : "channel");
		KUNIT_ASSERT_GE(test, dma_suite_sysfs_read(path[k], old[k], sizeof(old[k])),
				(ssize_t)0);
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (k = 0; k < 2; k++)
			KUNIT_ASSERT_EQ(test, dma_suite_sysfs_write(path[k], cases[i].written), 0);
		sgdma_run_cfg_from_params(&cfg);
		KUNIT_EXPECT_STREQ(test, cfg.channel, cases[i].name);
		KUNIT_EXPECT_STREQ(test, cfg.device, cases[i].name);
	}
	/* as read back: the value and the newline reading adds */
	for (k = 0; k < 2; k++)
		KUNIT_EXPECT_EQ(test, dma_suite_sysfs_write(path[k], old[k]), 0);
}

struct param_io {
	const char *path, *value;
	int ret;
	struct completion done;
};

static int param_write_fn(void *data)
{
	struct param_io *io = data;

	io->ret = dma_suite_sysfs_write(io->path, io->value);
	complete(&io->done);
	return 0;
}

static int param_read_write_fn(void *data)
{
	struct param_io *io = data;
	char buf[32];
	ssize_t n = dma_suite_sysfs_read(io->path, buf, sizeof(buf));

	io->ret = n < 0 ? n : dma_suite_sysfs_write(io->path, buf);
	complete(&io->done);
	return 0;
}

static struct param_io *param_io_start(struct kunit *test, const char *path,
				       const char *value, int (*fn)(void *))
{
	struct param_io *io = kunit_kzalloc(test, sizeof(*io), GFP_KERNEL);
	struct task_struct *task;

	KUNIT_ASSERT_NOT_NULL(test, io);
	io->path = path;
	io->value = value;
	init_completion(&io->done);
	task = kthread_run(fn, io, "sgdma-param");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	return io;
}

/* Module parameters a case sets, and what they were, to put back */
struct param_set {
	const char *name, *value;
	char old[40];
};

/*
 * Set @n parameters for a run written through "run", so that it does not
 * depend on what they were set to before (the kernel command line).
 */
static void params_set(struct kunit *test, struct param_set *ps, unsigned int n)
{
	char path[64];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), PARAMS "%s", ps[i].name);
		KUNIT_ASSERT_GE(test, dma_suite_sysfs_read(path, ps[i].old,
							   sizeof(ps[i].old)), (ssize_t)0);
		KUNIT_ASSERT_EQ(test, dma_suite_sysfs_write(path, ps[i].value), 0);
	}
}

static void params_restore(struct kunit *test, struct param_set *ps, unsigned int n)
{
	char path[64];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), PARAMS "%s", ps[i].name);
		/* a string parameter reads back with its newline */
		KUNIT_EXPECT_EQ(test, dma_suite_sysfs_write(path, strim(ps[i].old)), 0);
	}
}

/*
 * While a write of 1 to "run" is running the tests, reading and writing
 * another parameter returns at once (the run holds no parameter lock), and
 * the run's writer learns that unload cut it short (ECANCELED).
 */
static void sgdma_parameters_answer_while_a_run_runs(struct kunit *test)
{
	struct param_set ps[] = {
		{ "iterations", "1000000" }, { "threads_per_chan", "1" },
		{ "test_buf_size", "16384" }, { "seg_min", "1" },
		{ "seg_max", "4096" }, { "channel", "" }, { "device", "" },
	};
	struct param_io *run, *other;
	struct dma_chan *probe[1];
	unsigned long until;
	bool answered;

	need_a_free_chan(test);
	params_set(test, ps, ARRAY_SIZE(ps));
	run = param_io_start(test, PARAMS "run", "1", param_write_fn);
	until = jiffies + msecs_to_jiffies(5000);
	while (!sgdma_run_channels(probe, 1) && time_before(jiffies, until))
		usleep_range(500, 1000);
	KUNIT_EXPECT_GT_MSG(test, sgdma_run_channels(probe, 1), 0U, "the run did not start");

	other = param_io_start(test, PARAMS "timeout", NULL, param_read_write_fn);
	answered = wait_for_completion_timeout(&other->done, HZ);
	KUNIT_EXPECT_TRUE_MSG(test, answered,
			      "a parameter read and write waited for the run");
	/* the stop lets a blocked reader go too, so the case ends either way */
	sgdma_run_stop(NULL);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&run->done, STOP_BOUND));
	if (!answered)
		KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&other->done, STOP_BOUND));
	KUNIT_EXPECT_EQ(test, other->ret, 0);
	KUNIT_EXPECT_EQ(test, run->ret, -ECANCELED);
	params_restore(test, ps, ARRAY_SIZE(ps));
}

#define WHY_REFUSED	"at most " __stringify(SGDMA_MAX_ENTRIES) " entries"

/*
 * A run whose largest copy needs more entries than the engine takes is
 * refused as a whole, and the write of "run" says so: E2BIG.
 */
static void sgdma_run_of_too_many_entries_is_refused(struct kunit *test)
{
	struct param_set ps[] = {
		{ "test_buf_size", "4194304" }, { "seg_min", "1" }, { "seg_max", "1" },
		{ "channel", "" }, { "device", "" },
	};
	u64 mark = dma_suite_log_mark();

	need_a_free_chan(test);
	params_set(test, ps, ARRAY_SIZE(ps));
	KUNIT_EXPECT_EQ(test, dma_suite_sysfs_write(PARAMS "run", "1"), -E2BIG);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, "sgdma: run refused", WHY_REFUSED), 1U);
	KUNIT_EXPECT_EQ(test, sgdma_run_threads_alive(), 0U);
	params_restore(test, ps, ARRAY_SIZE(ps));
}

static struct kunit_case sgdma_hardening_cases[] = {
	KUNIT_CASE_PARAM(sgdma_copy_refuses_more_entries_than_the_limit, too_many_gen_params),
	KUNIT_CASE_SLOW(sgdma_copy_at_the_entry_limit_is_exact),
	KUNIT_CASE(sgdma_user_copy_from_a_kernel_thread_is_refused),
	KUNIT_CASE(sgdma_swchan_terminate_during_a_copy_is_clean),
	KUNIT_CASE(sgdma_swchan_fails_an_address_of_no_memory),
	KUNIT_CASE(sgdma_swchan_cannot_be_unbound),
	KUNIT_CASE_SLOW(sgdma_one_threads_timeouts_fail_only_its_copies),
	KUNIT_CASE_PARAM(sgdma_error_completions_fail_one_copy_each, thread_counts_gen_params),
	KUNIT_CASE_SLOW(sgdma_racing_stops_find_the_run_whole),
	KUNIT_CASE(sgdma_run_names_drop_a_trailing_newline),
	KUNIT_CASE_PARAM(sgdma_parameters_keep_to_their_ranges, param_gen_params),
	KUNIT_CASE(sgdma_parameters_answer_while_a_run_runs),
	KUNIT_CASE(sgdma_run_of_too_many_entries_is_refused),
	{}
};

static struct kunit_suite sgdma_hardening_suite = {
	.name = "sgdma_hardening",
	.exit = hard_exit,
	.test_cases = sgdma_hardening_cases,
};

kunit_test_suite(sgdma_hardening_suite);

MODULE_DESCRIPTION("KUnit tests: sgdma_test never breaks the kernel it tests");
MODULE_LICENSE("GPL");

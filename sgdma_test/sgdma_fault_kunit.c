// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "sgdma_fault": every failure point of a scatter-gather copy
 * unwinds what was done before it.
 *
 * The points are the allocations (pages, page arrays, snapshots, the two
 * sg_tables, the run list, cookies, the driver's descriptors: failslab and
 * fail_page_alloc sites) and the engine's own should_fail() sites: pinning
 * user pages, mapping each list, preparing and submitting each descriptor,
 * and waiting for the completion.  Arming the task's fail-nth counter with
 * N = 1, 2, ... fails each point in turn, until a copy reaches no N-th point
 * and must then succeed and verify.  One case counts every allocation and
 * the engine's points; the other the engine's points alone, which come in
 * the same order on every copy, so it can ask that each was failed.
 *
 * After every injected failure the copy must return a negative errno with
 * the failing stage, and leave behind: no descriptor pending on the channel
 * (terminated), no DMA mapping (dma-debug's free entry count is back where
 * it was), no pinned user page, and a channel that copies correctly again.
 * Memory left allocated is kmemleak's to find (make kunit-debug).
 */

#include <kunit/test.h>
#include <linux/dmaengine.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>

#include "sgdma.h"
#include "sgdma_kunit_helpers.h"
#include "dma_suite_helpers.h"

#define MAX_POINTS	400
#define MAX_FAULT_CHANS	2
#define LEN		(3 * PAGE_SIZE - 96)
#define USER_PAGES	4

static void sgdma_fault_exit(struct kunit *test)
{
	dma_suite_fault_end();
}

struct fault_case {
	const char *name;
	enum sgdma_dir dir;
	enum sgdma_mode mode;
};

static const struct fault_case fault_cases[] = {
	{ "kernel to kernel, batched", SGDMA_K2K, SGDMA_BATCHED },
	{ "kernel to kernel, per-entry", SGDMA_K2K, SGDMA_PER_ENTRY },
	{ "user to kernel, batched", SGDMA_U2K, SGDMA_BATCHED },
	{ "kernel to user, per-entry", SGDMA_K2U, SGDMA_PER_ENTRY },
};

static void fault_case_desc(const struct fault_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fault, fault_cases, fault_case_desc);

/* The stages that have failure points: the only ones a failed copy may name */
static const bool has_points[SGDMA_NR_STAGES] = {
	[SGDMA_STAGE_ALLOC] = true, [SGDMA_STAGE_PIN] = true,
	[SGDMA_STAGE_SG] = true, [SGDMA_STAGE_MAP] = true,
	[SGDMA_STAGE_RUNS] = true, [SGDMA_STAGE_PREP] = true,
	[SGDMA_STAGE_SUBMIT] = true, [SGDMA_STAGE_TIMEOUT] = true,
};

/* Is any page of the user range [addr, addr + len) still pinned? */
static bool user_pages_pinned(unsigned long addr, size_t len)
{
	unsigned long a;
	bool pinned = false;

	for (a = addr & PAGE_MASK; a < addr + len; a += PAGE_SIZE) {
		struct page *page;

		if (get_user_pages_fast(a, 1, 0, &page) != 1)
			continue;
		pinned |= folio_maybe_dma_pinned(page_folio(page));
		put_page(page);
	}
	return pinned;
}

/* After failure point @n: a clear errno and stage, and nothing left behind */
static void expect_unwound(struct kunit *test, struct dma_chan *chan,
			   const struct sgdma_result *r, unsigned int n,
			   unsigned long ua, u32 base_free)
{
	const char *stage = sgdma_stage_name(r->stage);
	int ret = r->status;
	u32 free_now;

	KUNIT_EXPECT_NE_MSG(test, r->stage, SGDMA_STAGE_NONE, "point %u: no stage named", n);
	KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -EFAULT || ret == -EIO ||
			      ret == -ETIMEDOUT, "point %u (%s): errno %d", n, stage, ret);
	KUNIT_EXPECT_EQ_MSG(test, r->bytes, 0, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, sgdma_swchan_pending(chan), 0,
			    "point %u (%s): descriptors left pending", n, stage);
	KUNIT_EXPECT_EQ(test, dma_suite_debugfs_u32("dma-api", "num_free_entries", &free_now), 0);
	KUNIT_EXPECT_EQ_MSG(test, free_now, base_free,
			    "point %u (%s): DMA mappings left behind", n, stage);
	if (ua)
		KUNIT_EXPECT_FALSE_MSG(test, user_pages_pinned(ua, USER_PAGES * PAGE_SIZE),
				       "point %u (%s): user pages left pinned", n, stage);
}

/* What one sweep over the failure points of a copy saw */
struct sweep {
	unsigned int points, failed, absorbed;
	unsigned int counts[SGDMA_NR_STAGES];	/* failed copies by stage */
};

/* Failed copies at stages without failure points; the first such stage */
static unsigned int stray_failures(const struct sweep *sw,
				   enum sgdma_uapi_stage *first)
{
	unsigned int s, n = 0;

	for (s = 0; s < SGDMA_NR_STAGES; s++) {
		if (has_points[s] || !sw->counts[s])
			continue;
		if (!n)
			*first = s;
		n += sw->counts[s];
	}
	return n;
}

/* "alloc 3 pin 0 ...": the failed copies of each stage with failure points */
static void counts_by_stage(const struct sweep *sw, char *buf, size_t size)
{
	unsigned int s;
	int len = 0;

	buf[0] = '\0';
	for (s = 0; s < SGDMA_NR_STAGES; s++)
		if (has_points[s])
			len += scnprintf(buf + len, size - len, "%s%s %u", len ? " " : "",
					 sgdma_stage_name(s), sw->counts[s]);
}

/*
 * Fail point 1, 2, ... of the same copy (same seed: same lists, same
 * points) until a copy reaches no armed point; then it must succeed.
 */
static void sweep_points(struct kunit *test, struct dma_chan *chan,
			 const struct sgdma_params *p, unsigned long ua,
			 struct sweep *sw)
{
	enum sgdma_uapi_stage stray = SGDMA_STAGE_NONE;
	struct sgdma_result r;
	char by_stage[128];
	u32 base_free;
	unsigned int n;
	int ret;

	memset(sw, 0, sizeof(*sw));
	KUNIT_ASSERT_EQ(test, dma_suite_debugfs_u32("dma-api", "num_free_entries", &base_free), 0);
	for (n = 1; n <= MAX_POINTS; n++) {
		dma_suite_fail_nth(n);
		ret = sgdma_copy(chan, p, &r);
		if (dma_suite_fail_nth(0)) {
			/* fewer than n points: nothing failed, all must be right */
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s: stage %s", dma_chan_name(chan),
					    sgdma_stage_name(r.stage));
			break;
		}
		sw->points = n;
		if (!ret) {
			sw->absorbed++;	/* e.g. kvmalloc() falling back to vmalloc */
			continue;
		}
		sw->failed++;
		sw->counts[min_t(unsigned int, r.stage, SGDMA_STAGE_OTHER)]++;
		sgdma_report(chan, p, &r);
		expect_unwound(test, chan, &r, n, ua, base_free);
	}
	KUNIT_EXPECT_LT_MSG(test, sw->points, MAX_POINTS, "the copy never ran clean");
	KUNIT_EXPECT_GE_MSG(test, sw->failed, 1, "no injected failure failed the copy");
	KUNIT_EXPECT_EQ_MSG(test, stray_failures(sw, &stray), 0,
			    "a failure at a stage that has no failure point (%s)",
			    sgdma_stage_name(stray));
	counts_by_stage(sw, by_stage, sizeof(by_stage));
	kunit_info(test, "%s (%s): %u failure points visited, %u failed the copy, %u absorbed; by stage: %s\n",
		   dma_chan_name(chan), dev_driver_string(chan->device->dev),
		   sw->points, sw->failed, sw->absorbed, by_stage);
}

/* Sweep every channel with the case's copy; @check looks at each sweep */
static void sweep_channels(struct kunit *test, enum dma_suite_fault_scope scope,
			   void (*check)(struct kunit *test, const struct sweep *sw,
					 bool user))
{
	const struct fault_case *c = test->param_value;
	bool usrc = c->dir == SGDMA_U2K, udst = c->dir == SGDMA_K2U;
	struct sgdma_params p = {
		.dir = c->dir, .mode = c->mode, .timeout_ms = 2000,
	};
	struct sgdma_kunit_chans *held;
	struct sgdma_result r;
	unsigned long ua = 0;
	struct sweep sw;
	unsigned int i;

	held = sgdma_kunit_chans(test, MAX_FAULT_CHANS, NULL, SGDMA_KUNIT_NO_CHAN);
	if (usrc || udst) {
		ua = sgdma_user_map(test, USER_PAGES * PAGE_SIZE);
		KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(ua));
	}
	if (dma_suite_fault_begin(scope))
		kunit_skip(test, DMA_SUITE_NO_FAULT_INJECTION);
	/* dma-debug's count of free entries tells whether anything stays mapped */
	if (dma_suite_debugfs_u32("dma-api", "num_free_entries", &(u32){ 0 })) {
		dma_suite_fault_end();
		kunit_skip(test, "no CONFIG_DMA_API_DEBUG: mappings left behind would go unseen");
	}
	for (i = 0; i < held->nr; i++) {
		struct dma_chan *chan = held->chan[i];

		p.align = 1U << chan->device->copy_align;
		p.src_off = usrc ? 0 : ALIGN(40, p.align);
		p.dst_off = udst ? 0 : ALIGN(72, p.align);
		p.len = ALIGN_DOWN(LEN, p.align);
		p.seg_min = max(256U, p.align);
		p.seg_max = max(2048U, p.align);
		p.usrc = usrc ? ua + ALIGN(104, p.align) : 0;
		p.udst = udst ? ua + ALIGN(136, p.align) : 0;
		p.seed = 0x5eed + i;
		sweep_points(test, chan, &p, ua, &sw);
		check(test, &sw, ua);
		/* and the channel works after all that */
		KUNIT_EXPECT_EQ_MSG(test, sgdma_copy(chan, &p, &r), 0,
				    "%s after the faults: stage %s", dma_chan_name(chan),
				    sgdma_stage_name(r.stage));
	}
	dma_suite_fault_end();
}

static void no_check(struct kunit *test, const struct sweep *sw, bool user)
{
}

/*
 * Every allocation of a copy, in the engine, the DMA API and the driver,
 * fails once.  Debugging code that allocates too (KASAN's stack depot,
 * kmemleak, dma-debug) makes which points a copy reaches vary a little from
 * one copy to the next, so this case does not ask for particular stages;
 * the next one does, with the engine's own points alone.
 */
static void sgdma_failed_allocation_anywhere_unwinds(struct kunit *test)
{
	sweep_channels(test, DMA_SUITE_FAULT_ALLOCS, no_check);
}

static void expect_engine_points(struct kunit *test, const struct sweep *sw,
				 bool user)
{
	static const enum sgdma_uapi_stage points[] = {
		SGDMA_STAGE_MAP, SGDMA_STAGE_PREP, SGDMA_STAGE_SUBMIT,
		SGDMA_STAGE_TIMEOUT, SGDMA_STAGE_PIN,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(points) - (user ? 0 : 1); i++)
		KUNIT_EXPECT_GE_MSG(test, sw->counts[points[i]], 1,
				    "the engine's %s point was never failed",
				    sgdma_stage_name(points[i]));
	KUNIT_EXPECT_EQ_MSG(test, sw->absorbed, 0,
			    "an engine failure point whose failure went unnoticed");
}

/*
 * Only the engine's own points (pinning, mapping each list, preparing and
 * submitting each descriptor, the wait): the same points in the same order
 * on every copy, so each one is failed exactly once, and each must be.
 */
static void sgdma_failed_engine_step_unwinds(struct kunit *test)
{
	sweep_channels(test, DMA_SUITE_FAULT_OTHERS, expect_engine_points);
}

static struct kunit_case sgdma_fault_cases[] = {
	KUNIT_CASE_PARAM(sgdma_failed_allocation_anywhere_unwinds, fault_gen_params),
	KUNIT_CASE_PARAM(sgdma_failed_engine_step_unwinds, fault_gen_params),
	{}
};

static struct kunit_suite sgdma_fault_suite = {
	.name = "sgdma_fault",
	.exit = sgdma_fault_exit,
	.test_cases = sgdma_fault_cases,
};

kunit_test_suite(sgdma_fault_suite);

MODULE_DESCRIPTION("KUnit tests of sgdma_test's unwinding at every failure point");
MODULE_LICENSE("GPL");

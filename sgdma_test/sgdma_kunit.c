// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sgdma_test: scatter-gather memcpy on every memcpy channel
 * the system has (a real controller's, or sgdma-swchan's software ones),
 * verified after unmap.  Cases skip, with the reason, when there is no
 * channel, no software channel for fault injection, or no way to make user
 * memory inside KUnit (kunit_vm_mmap() arrived after 6.1).
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/mman.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/module.h>
#include <linux/string.h>

#include "sgdma.h"
#include "sgdma_kunit_helpers.h"
#include "dma_suite_helpers.h"

#define MAX_TEST_CHANS	16

/*
 * Name the channels the cases will test, once; the runner reads these
 * lines.  Each case holds its channels itself (need_chans()).
 */
static int sgdma_suite_init(struct kunit_suite *suite)
{
	struct dma_chan *chans[MAX_TEST_CHANS];
	unsigned int i, n;

	n = sgdma_request_channels(chans, MAX_TEST_CHANS, NULL, NULL);
	for (i = 0; i < n; i++)
		pr_info("sgdma: testing %s of %s (driver %s)\n", dma_chan_name(chans[i]),
			dev_name(chans[i]->device->dev),
			dev_driver_string(chans[i]->device->dev));
	sgdma_release_channels(chans, n);
	return 0;
}

/* Every free memcpy channel, held until the case ends, or a skip */
static struct sgdma_kunit_chans *need_chans(struct kunit *test)
{
	return sgdma_kunit_chans(test, MAX_TEST_CHANS, NULL, SGDMA_KUNIT_NO_CHAN);
}

/*
 * Cases with byte-granular offsets and lengths run on the channels without
 * an alignment requirement; a case none of whose channels qualified must
 * skip, not pass having copied nothing.
 */
static bool byte_granular(struct dma_chan *chan)
{
	return !chan->device->copy_align;
}

static void tested_some(struct kunit *test, unsigned int tested)
{
	if (!tested)
		kunit_skip(test, "every memcpy channel needs aligned copies (copy_align)");
}

/* Copy, and on failure fail the case with the engine's full report */
static void expect_copy_ok(struct kunit *test, struct dma_chan *chan,
			   const struct sgdma_params *p)
{
	struct sgdma_result r;

	sgdma_copy(chan, p, &r);
	if (r.status)
		sgdma_report(chan, p, &r);
	KUNIT_EXPECT_EQ_MSG(test, r.status, 0,
			    "%s %s %s len %zu: failed at %s (seed %#x, see log)",
			    dma_chan_name(chan), sgdma_dir_name(p->dir),
			    sgdma_mode_name(p->mode), p->len,
			    sgdma_stage_name(r.stage), p->seed);
	KUNIT_EXPECT_EQ(test, r.bytes, r.status ? 0 : p->len);
	if (!r.status)
		KUNIT_EXPECT_GE(test, r.descs, max(r.src_mapped, r.dst_mapped));
}

/* ---- shapes ---- */

struct shape {
	const char *name;
	size_t len;
	unsigned int src_off, dst_off, seg_min, seg_max;
};

static const struct shape shapes[] = {
	{ "one page, one entry each", PAGE_SIZE, 0, 0, 0, 0 },
	{ "one byte at odd offsets", 1, 7, PAGE_SIZE - 1, 1, 1 },
	{ "odd offsets and length", 1001, 3, 5, 1, PAGE_SIZE },
	{ "straddling page ends", 3 * PAGE_SIZE + 17, PAGE_SIZE - 3, 1, 1, 3 * PAGE_SIZE },
	{ "mismatched segmentation", 20000, 100, 3000, 1, PAGE_SIZE },
	{ "many small entries", 65536 + 5, 1, 2, 16, 64 },
	{ "whole pages, 1 MiB", 1 << 20, 0, 0, 0, 0 },
};

static void shape_desc(const struct shape *s, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: len %zu offsets %u/%u entries %u-%u",
		 s->name, s->len, s->src_off, s->dst_off, s->seg_min, s->seg_max);
}

KUNIT_ARRAY_PARAM(shape, shapes, shape_desc);

static void shape_params(const struct shape *s, enum sgdma_mode mode,
			 unsigned int i, struct sgdma_params *p)
{
	memset(p, 0, sizeof(*p));
	p->dir = SGDMA_K2K;
	p->mode = mode;
	p->len = s->len;
	p->src_off = s->src_off;
	p->dst_off = s->dst_off;
	p->seg_min = s->seg_min;
	p->seg_max = s->seg_max;
	p->align = 1;
	p->timeout_ms = 5000;
	p->seed = 0x5eed0000 + i;
}

static void copy_every_shape(struct kunit *test, enum sgdma_mode mode)
{
	const struct shape *s = test->param_value;
	struct sgdma_kunit_chans *held;
	struct sgdma_params p;
	unsigned int i;

	unsigned int tested = 0;

	held = need_chans(test);
	for (i = 0; i < held->nr; i++) {
		if (!byte_granular(held->chan[i]))
			continue;
		shape_params(s, mode, i, &p);
		expect_copy_ok(test, held->chan[i], &p);
		tested++;
	}
	tested_some(test, tested);
}

/* Batched submission copies every shape exactly, on every channel */
static void sgdma_k2k_batched_copies_every_shape(struct kunit *test)
{
	copy_every_shape(test, SGDMA_BATCHED);
}

/* The SG DMA article's routine (a descriptor and a wait per run) does too */
static void sgdma_k2k_per_entry_copies_every_shape(struct kunit *test)
{
	copy_every_shape(test, SGDMA_PER_ENTRY);
}

/* Random shapes from a fixed seed: reproducible, and printed on failure */
static void sgdma_k2k_random_shapes_from_seed(struct kunit *test)
{
	struct sgdma_kunit_chans *held;
	struct sgdma_params p;
	struct rnd_state rnd;
	unsigned int i, n;

	held = need_chans(test);
	prandom_seed_state(&rnd, 20261121);
	for (n = 0; n < 40; n++) {
		for (i = 0; i < held->nr; i++) {
			memset(&p, 0, sizeof(p));
			p.dir = SGDMA_K2K;
			p.mode = n % 4 ? SGDMA_BATCHED : SGDMA_PER_ENTRY;
			p.align = 1U << held->chan[i]->device->copy_align;
			p.len = max_t(size_t, p.align,
				      ALIGN_DOWN(prandom_u32_state(&rnd) % 50000 + 1, p.align));
			p.src_off = ALIGN_DOWN(prandom_u32_state(&rnd) % PAGE_SIZE, p.align);
			p.dst_off = ALIGN_DOWN(prandom_u32_state(&rnd) % PAGE_SIZE, p.align);
			/* 2 bytes at least: 50000 bytes stay within SGDMA_MAX_ENTRIES */
			p.seg_min = max(2U, p.align);
			p.seg_max = p.seg_min + prandom_u32_state(&rnd) % (2 * PAGE_SIZE);
			p.timeout_ms = 5000;
			p.seed = prandom_u32_state(&rnd);
			expect_copy_ok(test, held->chan[i], &p);
		}
	}
}

/* ---- user memory ---- */

static const enum sgdma_dir user_dirs[] = { SGDMA_U2K, SGDMA_K2U, SGDMA_U2U };

static void dir_desc(const enum sgdma_dir *d, char *desc)
{
	strscpy(desc, sgdma_dir_name(*d), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(user_dir, user_dirs, dir_desc);

/* User buffers pinned with pin_user_pages_fast(), odd offsets, many pages */
static void sgdma_user_buffers_copy_in_every_direction(struct kunit *test)
{
	const enum sgdma_dir *dir = test->param_value;
	const size_t map_len = 8 * PAGE_SIZE;
	struct sgdma_kunit_chans *held;
	unsigned int i, tested = 0;
	struct sgdma_params p;
	unsigned long ua;

	held = need_chans(test);
	ua = sgdma_user_map(test, map_len);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(ua), "no user mapping: %ld", (long)ua);
	for (i = 0; i < held->nr; i++) {
		if (!byte_granular(held->chan[i]))
			continue;
		memset(&p, 0, sizeof(p));
		p.dir = *dir;
		p.mode = i % 2 ? SGDMA_PER_ENTRY : SGDMA_BATCHED;
		p.len = 3 * PAGE_SIZE + 123;
		/* source and destination in the first and second half */
		p.usrc = ua + 5;
		p.udst = ua + 4 * PAGE_SIZE + 77;
		p.src_off = 9;
		p.dst_off = 33;
		p.seg_min = 1;
		p.seg_max = PAGE_SIZE;
		p.align = 1;
		p.timeout_ms = 5000;
		p.seed = 0xabc0 + i;
		expect_copy_ok(test, held->chan[i], &p);
		tested++;
	}
	tested_some(test, tested);
}

/* ---- the checker can fail ---- */

struct corrupt_case {
	enum sgdma_corrupt how;
	const char *name, *where;
	unsigned long mismatches;
};

static const struct corrupt_case corrupt_cases[] = {
	{ SGDMA_CORRUPT_BYTE_NOT_COPIED, "a byte not copied", "dst", 1 },
	{ SGDMA_CORRUPT_GUARD_BEFORE, "a byte written before the region", "guard-before", 1 },
	{ SGDMA_CORRUPT_GUARD_AFTER, "a byte written after the region", "guard-after", 1 },
	{ SGDMA_CORRUPT_SOURCE, "the source modified", "src", 1 },
	{ SGDMA_CORRUPT_SWAP, "two bytes swapped", "dst", 2 },
};

static void corrupt_desc(const struct corrupt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(corrupt, corrupt_cases, corrupt_desc);

/*
 * Verification after unmap reports each kind of damage, where it is; also
 * when source and destination sit at the same offsets, where a checker
 * whose two sides started out alike would miss an uncopied byte.
 */
static void sgdma_verify_reports_each_corruption(struct kunit *test)
{
	static const unsigned int offs[][2] = { { 64, 128 }, { 96, 96 } };
	const struct corrupt_case *c = test->param_value;
	struct sgdma_kunit_chans *held;
	struct sgdma_params p;
	struct sgdma_result r;
	unsigned int i;

	held = need_chans(test);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		memset(&p, 0, sizeof(p));
		p.dir = SGDMA_K2K;
		p.len = 2 * PAGE_SIZE;
		p.src_off = offs[i][0];
		p.dst_off = offs[i][1];
		p.seg_min = 256;
		p.seg_max = 1024;
		p.align = 1U << held->chan[0]->device->copy_align;
		p.timeout_ms = 5000;
		p.seed = 42;
		p.corrupt = c->how;
		KUNIT_EXPECT_EQ(test, sgdma_copy(held->chan[0], &p, &r), -EIO);
		KUNIT_EXPECT_EQ_MSG(test, r.stage, SGDMA_STAGE_VERIFY, "stage %s",
				    sgdma_stage_name(r.stage));
		KUNIT_EXPECT_EQ(test, r.nr_mismatches, c->mismatches);
		KUNIT_EXPECT_STREQ(test, r.mismatch[0].where ? r.mismatch[0].where : "-",
				   c->where);
		KUNIT_EXPECT_EQ(test, r.bytes, (size_t)0);
	}
}

/* ---- failures of the channel, through the software channel ---- */

static struct dma_chan *soft_chan(struct kunit *test)
{
	struct sgdma_kunit_chans *held = sgdma_kunit_chans(test, MAX_TEST_CHANS, NULL, NULL);
	unsigned int i;

	for (i = 0; i < held->nr; i++)
		if (sgdma_swchan_owns(held->chan[i]))
			return held->chan[i];
	kunit_skip(test, "no sgdma-swchan channel: fault injection needs CONFIG_SGDMA_SWCHAN");
	return NULL;
}

static void fault_params(struct sgdma_params *p, enum sgdma_mode mode)
{
	memset(p, 0, sizeof(*p));
	p->dir = SGDMA_K2K;
	p->mode = mode;
	p->len = 5 * PAGE_SIZE + 3;
	p->src_off = 1;
	p->dst_off = 2;
	p->seg_min = 100;
	p->seg_max = 2000;
	p->align = 1;
	p->timeout_ms = 200;
	p->seed = 7;
}

/* The report of a failed copy names the channel, the failure and the seed */
static void expect_failure_report(struct kunit *test, struct dma_chan *chan,
				  const struct sgdma_params *p,
				  const struct sgdma_result *r, const char *what)
{
	char *seed = kasprintf(GFP_KERNEL, "seed %#x", p->seed);
	u64 mark = dma_suite_log_mark();

	KUNIT_ASSERT_NOT_NULL(test, seed);
	sgdma_report(chan, p, r);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, dma_chan_name(chan), what), 1U);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, what, seed), 1U);
	kfree(seed);
}

static const enum sgdma_mode modes[] = { SGDMA_BATCHED, SGDMA_PER_ENTRY };

static void mode_desc(const enum sgdma_mode *m, char *desc)
{
	strscpy(desc, sgdma_mode_name(*m), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mode, modes, mode_desc);

/*
 * Completions that never come end in -ETIMEDOUT at the "timeout" stage,
 * with the channel terminated and usable again afterwards.
 */
static void sgdma_lost_completion_times_out_and_terminates(struct kunit *test)
{
	const enum sgdma_mode *mode = test->param_value;
	struct dma_chan *chan = soft_chan(test);
	struct sgdma_params p;
	struct sgdma_result r;

	fault_params(&p, *mode);
	KUNIT_ASSERT_EQ(test, sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_DROP), 0);
	KUNIT_EXPECT_EQ(test, sgdma_copy(chan, &p, &r), -ETIMEDOUT);
	KUNIT_EXPECT_EQ_MSG(test, r.stage, SGDMA_STAGE_TIMEOUT, "stage %s",
			    sgdma_stage_name(r.stage));
	expect_failure_report(test, chan, &p, &r, "FAIL timeout -110");
	KUNIT_EXPECT_GE(test, r.descs, 1U);
	KUNIT_EXPECT_EQ_MSG(test, sgdma_swchan_pending(chan), 0U,
			    "descriptors left on the channel after the timeout");
	sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_OK);
	p.timeout_ms = 5000;
	expect_copy_ok(test, chan, &p);
}

/* A completion that reports an error fails the copy, and nothing is verified */
static void sgdma_error_completion_fails_the_copy(struct kunit *test)
{
	const enum sgdma_mode *mode = test->param_value;
	struct dma_chan *chan = soft_chan(test);
	struct sgdma_params p;
	struct sgdma_result r;

	fault_params(&p, *mode);
	p.timeout_ms = 5000;
	KUNIT_ASSERT_EQ(test, sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_ERROR), 0);
	KUNIT_EXPECT_EQ(test, sgdma_copy(chan, &p, &r), -EIO);
	KUNIT_EXPECT_EQ_MSG(test, r.stage, SGDMA_STAGE_DMA_ERROR, "stage %s",
			    sgdma_stage_name(r.stage));
	expect_failure_report(test, chan, &p, &r, "FAIL dma-error -5");
	KUNIT_EXPECT_EQ(test, r.nr_mismatches, 0UL);
	sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_OK);
	expect_copy_ok(test, chan, &p);
}

/*
 * An error in a descriptor that is not the last fails the copy: the last
 * one completes fine, so only checking every cookie's status finds it.
 */
static void sgdma_error_in_an_early_descriptor_fails_the_copy(struct kunit *test)
{
	struct dma_chan *chan = soft_chan(test);
	struct sgdma_params p;
	struct sgdma_result r;

	fault_params(&p, SGDMA_BATCHED);
	p.timeout_ms = 5000;
	KUNIT_ASSERT_EQ(test, sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_ERROR_ONCE), 0);
	KUNIT_EXPECT_EQ(test, sgdma_copy(chan, &p, &r), -EIO);
	KUNIT_EXPECT_EQ_MSG(test, r.stage, SGDMA_STAGE_STATUS, "stage %s",
			    sgdma_stage_name(r.stage));
	KUNIT_EXPECT_GT(test, r.descs, 1U);
	sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_OK);
}

/*
 * A channel that copies slowly, in bursts: the data must be complete when
 * the completion arrives, and the engine must not look before.
 */
static void sgdma_slow_channel_data_complete_at_completion(struct kunit *test)
{
	const enum sgdma_mode *mode = test->param_value;
	struct dma_chan *chan = soft_chan(test);
	struct sgdma_params p;

	fault_params(&p, *mode);
	p.len = 2 * PAGE_SIZE + 100;
	p.seg_min = PAGE_SIZE;
	p.seg_max = 2 * PAGE_SIZE;
	p.timeout_ms = 10000;
	KUNIT_ASSERT_EQ(test, sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_SLOW), 0);
	expect_copy_ok(test, chan, &p);
	sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_OK);
}

/*
 * A driver with a fixed pool of descriptors (zynqmp_dma: 32 a channel)
 * refuses a prep while they are all in use: a batched copy of many more
 * runs than the pool has still completes, exactly, in smaller batches.
 * Entries of 100-2000 bytes from odd offsets merge nowhere, not even
 * behind an IOMMU, so the runs outnumber the pool.
 */
static void sgdma_copy_goes_on_when_the_driver_runs_out_of_descriptors(struct kunit *test)
{
	struct dma_chan *chan = soft_chan(test);
	struct sgdma_params p;
	struct sgdma_result r;

	fault_params(&p, SGDMA_BATCHED);
	p.len = 16 * PAGE_SIZE + 3;
	p.timeout_ms = 5000;
	KUNIT_ASSERT_EQ(test, sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_SMALL_POOL), 0);
	sgdma_copy(chan, &p, &r);
	sgdma_swchan_set_fault(chan, SGDMA_SWCHAN_OK);
	if (r.status)
		sgdma_report(chan, &p, &r);
	kunit_info(test, "%zu bytes in %u descriptors, %u at a time at most, %u batches refused",
		   p.len, r.descs, SGDMA_SWCHAN_POOL, r.refused);
	KUNIT_EXPECT_EQ_MSG(test, r.status, 0, "failed at %s", sgdma_stage_name(r.stage));
	KUNIT_EXPECT_EQ(test, r.bytes, p.len);
	KUNIT_EXPECT_EQ(test, r.nr_mismatches, 0UL);
	KUNIT_EXPECT_GT(test, r.descs, 4U * SGDMA_SWCHAN_POOL);
	/*
	 * The pool really ran out (the path was taken), and once: the engine
	 * keeps to what the driver showed it takes, rather than asking again
	 * for more than the pool has with every batch.
	 */
	KUNIT_EXPECT_EQ(test, r.refused, 1U);
}

/*
 * The rule of streaming DMA, made visible where mappings bounce (x86_64
 * with swiotlb=force): after the transfer, the CPU's view of the
 * destination is stale until dma_unmap_sg() copies the bounce buffer back;
 * after it, the data are right.  Skipped where nothing bounces, since then
 * what the CPU sees early depends on caches and timing, not on the rule.
 */
static void sgdma_cpu_sees_the_data_only_after_unmap(struct kunit *test)
{
	struct sgdma_kunit_chans *held;
	struct sgdma_params p;
	struct sgdma_result r;
	unsigned int i, shown = 0;

	held = need_chans(test);
	for (i = 0; i < held->nr; i++) {
		shape_params(&shapes[3], SGDMA_BATCHED, i, &p);
		p.align = 1U << held->chan[i]->device->copy_align;
		p.src_off = ALIGN(p.src_off, p.align);
		p.dst_off = ALIGN(p.dst_off, p.align);
		p.len = ALIGN_DOWN(p.len, p.align);
		p.peek_before_unmap = true;
		KUNIT_EXPECT_EQ(test, sgdma_copy(held->chan[i], &p, &r), 0);
		if (!r.bounced)
			continue;
		KUNIT_EXPECT_GT_MSG(test, r.peek_stale, (size_t)p.len / 2,
				    "%s: before unmap the CPU already saw the data",
				    dma_chan_name(held->chan[i]));
		KUNIT_EXPECT_EQ(test, r.nr_mismatches, 0UL);
		shown++;
	}
	if (!shown)
		kunit_skip(test, "no DMA mapping bounces here (x86_64: swiotlb=force)");
}

/* The software channel says what it is, wherever it shows up */
static void sgdma_swchan_names_itself_software(struct kunit *test)
{
	struct dma_chan *chan = soft_chan(test);

	KUNIT_EXPECT_STREQ(test, dev_driver_string(chan->device->dev), "sgdma-swchan");
	KUNIT_EXPECT_GE(test, dma_suite_log_count(0, "sgdma-swchan", "SOFTWARE memcpy channels"),
			1U);
}

/* Bad parameters are refused before anything is allocated or mapped */
static void sgdma_copy_refuses_bad_params(struct kunit *test)
{
	struct sgdma_kunit_chans *held;
	struct sgdma_params p;
	struct sgdma_result r;

	held = need_chans(test);
	fault_params(&p, SGDMA_BATCHED);
	p.len = 0;
	KUNIT_EXPECT_EQ(test, sgdma_copy(held->chan[0], &p, &r), -EINVAL);
	KUNIT_EXPECT_EQ_MSG(test, r.stage, SGDMA_STAGE_PARAMS, "stage %s",
			    sgdma_stage_name(r.stage));
	fault_params(&p, SGDMA_BATCHED);
	p.align = 3;
	KUNIT_EXPECT_EQ(test, sgdma_copy(held->chan[0], &p, &r), -EINVAL);
	fault_params(&p, SGDMA_BATCHED);
	p.seg_min = 10;
	p.seg_max = 5;
	KUNIT_EXPECT_EQ(test, sgdma_copy(held->chan[0], &p, &r), -EINVAL);
	fault_params(&p, SGDMA_BATCHED);
	p.dir = SGDMA_U2K;
	KUNIT_EXPECT_EQ(test, sgdma_copy(held->chan[0], &p, &r), -EFAULT);
	fault_params(&p, SGDMA_BATCHED);
	KUNIT_EXPECT_EQ(test, sgdma_copy(NULL, &p, &r), -ENODEV);
}

/* The threaded runner prints one parsable summary per channel thread */
static void sgdma_runner_prints_a_summary_per_thread(struct kunit *test)
{
	struct sgdma_kunit_chans *held;
	struct sgdma_run_cfg cfg;
	unsigned int c;
	u64 mark, t, f;

	held = need_chans(test);
	sgdma_run_cfg_defaults(&cfg);
	cfg.iterations = 10;
	cfg.threads_per_chan = 2;
	/* the runner takes the channels itself: give them back */
	sgdma_kunit_chans_put(held);
	mark = dma_suite_log_mark();
	KUNIT_EXPECT_EQ(test, sgdma_run_all(&cfg, &c, &t, &f), 0);
	KUNIT_EXPECT_GE(test, c, 1U);
	KUNIT_EXPECT_EQ(test, t, (u64)c * 2 * 10);
	KUNIT_EXPECT_EQ(test, f, 0ULL);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, ": summary 10 tests, 0 failures", "iops"),
			c * 2);
}

/* ---- an ordinary client: only ->callback and ->callback_param ---- */

#define CLIENT_DESCS	64
#define CLIENT_LEN	64

struct client_run {
	atomic_t done;
	unsigned int want;	/* descriptors submitted */
	struct completion all;
};

struct client_slot {
	struct client_run *run;
	atomic_t calls;
};

static void client_callback(void *param)
{
	struct client_slot *slot = param;

	atomic_inc(&slot->calls);
	if (atomic_inc_return(&slot->run->done) == slot->run->want)
		complete(&slot->run->all);
}

/* Copies through the engine: it sets callback_result on its descriptors */
static void leave_callback_results_behind(struct kunit *test, struct dma_chan *chan)
{
	static const enum sgdma_mode mode[] = { SGDMA_PER_ENTRY, SGDMA_BATCHED };
	struct sgdma_params p;
	unsigned int m;

	for (m = 0; m < ARRAY_SIZE(mode); m++) {
		memset(&p, 0, sizeof(p));
		p.dir = SGDMA_K2K;
		p.mode = mode[m];
		p.align = 1U << chan->device->copy_align;
		p.len = 16 * 512;
		p.seg_min = max(512U, p.align);
		p.seg_max = p.seg_min;
		p.timeout_ms = 5000;
		p.seed = 0xcb0000 + m;
		expect_copy_ok(test, chan, &p);
	}
}

/*
 * One channel, used the way dmatest and the SG DMA article do: prepare,
 * set ->callback and ->callback_param, submit.  Returns how many of the
 * prepared descriptors came with a callback_result already set.
 */
static unsigned int copy_as_a_client(struct kunit *test, struct dma_chan *chan)
{
	struct device *dev = dmaengine_get_dma_device(chan);
	size_t size = CLIENT_DESCS * CLIENT_LEN;
	struct client_slot *slot;
	struct client_run *run;
	dma_addr_t src, dst;
	unsigned int i, stale = 0, prepped = 0;
	void *stale_fn = NULL;
	bool failed = false;
	u8 *sbuf, *dbuf;

	run = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);
	slot = kunit_kcalloc(test, CLIENT_DESCS, sizeof(*slot), GFP_KERNEL);
	sbuf = kunit_kmalloc(test, size, GFP_KERNEL);
	dbuf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run);
	KUNIT_ASSERT_NOT_NULL(test, slot);
	KUNIT_ASSERT_NOT_NULL(test, sbuf);
	KUNIT_ASSERT_NOT_NULL(test, dbuf);
	for (i = 0; i < size; i++)
		sbuf[i] = i * 7 + 1;
	atomic_set(&run->done, 0);
	init_completion(&run->all);
	src = dma_map_single(dev, sbuf, size, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, src));
	dst = dma_map_single(dev, dbuf, size, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, dst)) {
		dma_unmap_single(dev, src, size, DMA_TO_DEVICE);
		KUNIT_FAIL(test, "%s: cannot map the destination", dma_chan_name(chan));
		return 0;
	}

	for (i = 0; i < CLIENT_DESCS; i++) {
		struct dma_async_tx_descriptor *tx;

		slot[i].run = run;
		atomic_set(&slot[i].calls, 0);
		tx = dmaengine_prep_dma_memcpy(chan, dst + i * CLIENT_LEN,
					       src + i * CLIENT_LEN, CLIENT_LEN,
					       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		/* a driver with a fixed pool (zynqmp_dma: 32) has no more */
		if (!tx && prepped) {
			kunit_info(test, "%s: the driver gave %u descriptors at once",
				   dma_chan_name(chan), prepped);
			break;
		}
		if (!tx) {
			failed = true;
			break;
		}
		/*
		 * A client that never heard of callback_result does not set
		 * it.  One left by the previous user would be called instead
		 * of this client's callback, with this client's parameter: a
		 * kernel bug, counted here and taken out before submitting.
		 */
		if (tx->callback_result) {
			if (!stale++)
				stale_fn = tx->callback_result;
			tx->callback_result = NULL;
		}
		tx->callback = client_callback;
		tx->callback_param = &slot[i];
		if (dma_submit_error(dmaengine_submit(tx))) {
			failed = true;
			break;
		}
		prepped++;
	}
	run->want = prepped;
	if (failed) {
		dmaengine_terminate_sync(chan);
		KUNIT_FAIL(test, "%s: descriptor %u could not be prepared or submitted",
			   dma_chan_name(chan), prepped);
	} else {
		dma_async_issue_pending(chan);
		if (!wait_for_completion_timeout(&run->all, msecs_to_jiffies(5000))) {
			dmaengine_terminate_sync(chan);
			KUNIT_FAIL(test, "%s: %d of %u callbacks in 5 s",
				   dma_chan_name(chan), atomic_read(&run->done),
				   prepped);
		}
	}
	/* a callback already running when terminated (no device_synchronize) */
	synchronize_rcu();
	dma_unmap_single(dev, dst, size, DMA_FROM_DEVICE);
	dma_unmap_single(dev, src, size, DMA_TO_DEVICE);
	if (stale)
		pr_info("sgdma: %s: prep gave %u of %u descriptors with callback_result %ps set\n",
			dma_chan_name(chan), stale, CLIENT_DESCS, stale_fn);
	if (failed)
		return stale;
	for (i = 0; i < prepped; i++)
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&slot[i].calls), 1,
				    "%s: descriptor %u: its callback ran %d times",
				    dma_chan_name(chan), i, atomic_read(&slot[i].calls));
	KUNIT_EXPECT_EQ_MSG(test, memcmp(sbuf, dbuf, prepped * CLIENT_LEN), 0,
			    "%s: the client's copy is wrong", dma_chan_name(chan));
	return stale;
}

/*
 * Each memcpy channel, after the engine's copies (which set callback_result)
 * have gone back to the driver, serves a client that sets only ->callback
 * and ->callback_param: every descriptor from prep has no callback_result,
 * and exactly the client's callback runs, once per descriptor.  6.1's pl330
 * hands out recycled descriptors with the previous callback_result
 * (fixed upstream in 4728e3fe2ff1, "dmaengine: pl330: Clear callback_result
 * for re-used descs"): that fails here, naming it, before any is submitted
 * with it.
 */
static void sgdma_client_setting_only_callback_gets_exactly_its_own(struct kunit *test)
{
	struct sgdma_kunit_chans *held;
	unsigned int i, stale;

	held = need_chans(test);
	for (i = 0; i < held->nr; i++) {
		leave_callback_results_behind(test, held->chan[i]);
		stale = copy_as_a_client(test, held->chan[i]);
		KUNIT_EXPECT_EQ_MSG(test, stale, 0,
				    "%s (driver %s): %u descriptors from prep had a stale callback_result: %s stale callback_result (pl330's: upstream fix 4728e3fe2ff1)",
				    dma_chan_name(held->chan[i]),
				    dev_driver_string(held->chan[i]->device->dev), stale,
				    dev_driver_string(held->chan[i]->device->dev));
	}
}

static struct kunit_case sgdma_cases[] = {
	KUNIT_CASE(sgdma_copy_refuses_bad_params),
	KUNIT_CASE_PARAM(sgdma_k2k_batched_copies_every_shape, shape_gen_params),
	KUNIT_CASE_PARAM(sgdma_k2k_per_entry_copies_every_shape, shape_gen_params),
	KUNIT_CASE_SLOW(sgdma_k2k_random_shapes_from_seed),
	KUNIT_CASE_PARAM(sgdma_user_buffers_copy_in_every_direction, user_dir_gen_params),
	KUNIT_CASE_PARAM(sgdma_verify_reports_each_corruption, corrupt_gen_params),
	KUNIT_CASE_PARAM(sgdma_lost_completion_times_out_and_terminates, mode_gen_params),
	KUNIT_CASE_PARAM(sgdma_error_completion_fails_the_copy, mode_gen_params),
	KUNIT_CASE(sgdma_error_in_an_early_descriptor_fails_the_copy),
	KUNIT_CASE_PARAM(sgdma_slow_channel_data_complete_at_completion, mode_gen_params),
	KUNIT_CASE(sgdma_copy_goes_on_when_the_driver_runs_out_of_descriptors),
	KUNIT_CASE(sgdma_cpu_sees_the_data_only_after_unmap),
	KUNIT_CASE(sgdma_swchan_names_itself_software),
	KUNIT_CASE(sgdma_runner_prints_a_summary_per_thread),
	KUNIT_CASE(sgdma_client_setting_only_callback_gets_exactly_its_own),
	{}
};

static struct kunit_suite sgdma_suite = {
	.name = "sgdma",
	.suite_init = sgdma_suite_init,
	.test_cases = sgdma_cases,
};

kunit_test_suite(sgdma_suite);

MODULE_DESCRIPTION("KUnit tests for scatter-gather dmaengine memcpy (sgdma_test)");
MODULE_LICENSE("GPL");

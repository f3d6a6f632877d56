// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the DMA pool allocator (mm/dmapool.c) under concurrency.
 *
 * Several kthreads allocate and free at once, from one pool and from
 * several pools of one device, while another kthread reads the device's
 * sysfs file "pools"; and pools of one device are created and destroyed at
 * once while the file is read.  Every worker stamps the blocks it holds
 * with a pattern of its own and checks it before freeing them, so a block
 * handed out twice is caught; every block is checked for its pool's
 * alignment and boundary and for a DMA handle that matches its address.
 *
 * Threads never use KUnit assertions: they count errors and keep the first
 * message.  The test thread always stops and joins every thread before it
 * asserts anything.  What a line of the pools file promises while blocks
 * come and go differs between allocator generations; dmapool_rules.h says
 * how (poolinfo_line_is_a_snapshot).
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dmapool.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmapool_geometry.h"
#include "dmapool_rules.h"
#include "include/dma_suite_helpers.h"

#define NR_WORKERS	4
#define MAX_CPOOLS	NR_WORKERS
/* blocks a worker of the allocation cases holds at most */
#define LIVE_PER_WORKER	32
/* blocks a pool of the create/destroy case holds per cycle */
#define CHURN_BLOCKS	3
/* steps (an allocation or a free, or a pool's whole life) per worker... */
#define WORKER_STEPS	3000
#define CHURN_CYCLES	300
/* ...and for this long at most, so that slow machines stay bounded */
#define RUN_MS		1500
/* the workers must all have returned by then */
#define JOIN_MS		(RUN_MS + 20000)

/*
 * A pool of a case.  Sizes are multiples of align and at least the largest
 * minimum block, so the block size is the size on both generations.
 */
struct cpool {
	char name[16];
	size_t size, align, boundary;
	struct dma_pool *pool;
	/* derived: see cpool_geometry() */
	struct dmapool_geometry geom;
	unsigned int max_live, max_pages;
};

struct cblock {
	struct cpool *cp;
	void *vaddr;
	dma_addr_t dma;
	u32 stamp;
};

struct cctx {
	struct device *dev;
	struct platform_device *pdev;
	struct cpool pools[MAX_CPOOLS];
	unsigned int nr_pools;
	/* the pools file may be absent (pools come and go) */
	bool file_may_vanish;
	char *buf;
	struct task_struct *tasks[NR_WORKERS + 1];
	unsigned int nr_tasks;
	atomic_t workers_left;
	struct completion workers_done;
	/* what the threads saw */
	atomic_t errors;
	char msg[192];
	atomic_t steps, reads, reads_during, absent, removed;
};

struct cworker {
	struct cctx *ctx;
	unsigned int id;
	struct cblock live[LIVE_PER_WORKER];
};

/* The first error a thread finds is kept; every error is counted */
static __printf(2, 3) void cfail(struct cctx *ctx, const char *fmt, ...)
{
	va_list args;

	if (atomic_inc_return(&ctx->errors) != 1)
		return;
	va_start(args, fmt);
	vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, args);
	va_end(args);
}

static bool cfailed(struct cctx *ctx)
{
	return atomic_read(&ctx->errors);
}

/*
 * The pool's layout on this kernel (dmapool_geometry.h), and the bounds of
 * what a line of poolinfo may say while @threads use the pool at once and
 * hold at most @max_live blocks together.
 */
static void cpool_geometry(struct cpool *cp, unsigned int max_live,
			   unsigned int threads)
{
	dmapool_geometry(&cp->geom, cp->size, cp->align, cp->boundary);
	cp->max_live = max_live;
	/*
	 * A chunk is added only when every block is in use; each thread may
	 * add one more while the pool's lock is dropped to allocate it.
	 */
	cp->max_pages = DIV_ROUND_UP(max_live, cp->geom.per_page) + threads;
}

static void cpool_init(struct cpool *cp, const char *name, size_t size,
		       size_t align, size_t boundary)
{
	strscpy(cp->name, name, sizeof(cp->name));
	cp->size = size;
	cp->align = align;
	cp->boundary = boundary;
}

/* ---- blocks: invariants and stamps ---- */

static u8 stamp_byte(u32 stamp, size_t i)
{
	u32 v = stamp * 0x9e3779b1u + (u32)i * 0x85ebca6bu;

	return (u8)(v >> 24) ^ (u8)i;
}

static void stamp_block(struct cblock *b)
{
	u8 *p = b->vaddr;
	size_t i;

	for (i = 0; i < b->cp->size; i++)
		p[i] = stamp_byte(b->stamp, i);
}

static bool stamp_intact(const struct cblock *b)
{
	const u8 *p = b->vaddr;
	size_t i;

	for (i = 0; i < b->cp->size; i++)
		if (p[i] != stamp_byte(b->stamp, i))
			return false;
	return true;
}

/*
 * A block just handed out: its pool's alignment (the CPU address only up
 * to a page: coherent memory may be remapped), the same offset in its page
 * in both address spaces, inside one boundary segment; zeroed if asked.
 */
static bool block_ok(struct cctx *ctx, const struct cblock *b, bool zeroed)
{
	const struct cpool *cp = b->cp;
	size_t cpu_align = min_t(size_t, cp->align, PAGE_SIZE);

	if (!b->vaddr) {
		cfail(ctx, "%s: allocation failed", cp->name);
		return false;
	}
	if (b->dma % cp->align || (unsigned long)b->vaddr % cpu_align) {
		cfail(ctx, "%s: block %p dma %pad not aligned to %zu", cp->name,
		      b->vaddr, &b->dma, cp->align);
		return false;
	}
	if (offset_in_page(b->vaddr) != (b->dma & (PAGE_SIZE - 1))) {
		cfail(ctx, "%s: block %p has dma %pad: offsets in page differ",
		      cp->name, b->vaddr, &b->dma);
		return false;
	}
	if (cp->boundary &&
	    b->dma / cp->boundary != (b->dma + cp->size - 1) / cp->boundary) {
		cfail(ctx, "%s: block dma %pad crosses boundary %zu", cp->name,
		      &b->dma, cp->boundary);
		return false;
	}
	if (zeroed && memchr_inv(b->vaddr, 0, cp->size)) {
		cfail(ctx, "%s: dma_pool_zalloc() block %pad not zeroed",
		      cp->name, &b->dma);
		return false;
	}
	return true;
}

static bool take_block(struct cctx *ctx, struct cblock *b, struct cpool *cp,
		       struct dma_pool *pool, bool zero, u32 stamp)
{
	b->cp = cp;
	b->stamp = stamp;
	if (zero)
		b->vaddr = dma_pool_zalloc(pool, GFP_KERNEL, &b->dma);
	else
		b->vaddr = dma_pool_alloc(pool, GFP_KERNEL, &b->dma);
	if (!block_ok(ctx, b, zero)) {
		if (b->vaddr)
			dma_pool_free(pool, b->vaddr, b->dma);
		b->vaddr = NULL;
		return false;
	}
	stamp_block(b);
	return true;
}

/* Check that nobody else wrote to the block while it was ours, free it */
static void give_block(struct cctx *ctx, struct cblock *b, struct dma_pool *pool)
{
	if (!stamp_intact(b))
		cfail(ctx, "%s: block dma %pad changed while one thread held it: handed out twice?",
		      b->cp->name, &b->dma);
	dma_pool_free(pool, b->vaddr, b->dma);
	b->vaddr = NULL;
}

/* ---- the pools file, parsed strictly, from any thread ---- */

static struct cpool *cpool_named(struct cctx *ctx, const char *name)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_pools; i++)
		if (!strcmp(ctx->pools[i].name, name))
			return &ctx->pools[i];
	return NULL;
}

/*
 * One line's numbers.  On 6.1 each line is counted under the pool's lock:
 * a snapshot, total = pages * per-page, in use <= total.  6.4+ reads the
 * three counters without it, so while blocks come and go a line may mix
 * moments and each column is only within its own bounds.  Once every
 * thread is done (@quiet), the line must be exact on both.
 */
static void check_line(struct cctx *ctx, const struct cpool *cp,
		       const struct dma_suite_poolinfo *pl, bool quiet)
{
	unsigned int in_use = pl->in_use, total = pl->total, size = pl->size;
	unsigned int pages = pl->pages;

	if (size != cp->geom.size)
		cfail(ctx, "%s: block size %u, not %zu", cp->name, size, cp->geom.size);
	if (in_use > cp->max_live)
		cfail(ctx, "%s: %u blocks in use, at most %u can be", cp->name,
		      in_use, cp->max_live);
	if (pages > cp->max_pages)
		cfail(ctx, "%s: %u pages, at most %u needed", cp->name, pages,
		      cp->max_pages);
	if (total > cp->max_pages * cp->geom.reported_per_page)
		cfail(ctx, "%s: %u total blocks in at most %u pages", cp->name,
		      total, cp->max_pages);
	if (dmapool_rules.poolinfo_line_is_a_snapshot || quiet) {
		if (total != pages * cp->geom.reported_per_page)
			cfail(ctx, "%s: %u total blocks in %u pages of %u",
			      cp->name, total, pages, cp->geom.reported_per_page);
		if (in_use > total)
			cfail(ctx, "%s: %u blocks in use of %u", cp->name,
			      in_use, total);
	}
	if (quiet && in_use)
		cfail(ctx, "%s: %u blocks in use after every block was freed",
		      cp->name, in_use);
}

/*
 * The file as the suite's one strict parser reads it (the header, then one
 * line per pool, each name at most once), with one line per pool of the
 * case at most, each within its pool's bounds.  Returns the number of lines.
 */
static int check_poolinfo(struct cctx *ctx, const char *buf, size_t len, bool quiet)
{
	struct dma_suite_poolinfo lines[MAX_CPOOLS];
	char why[DMA_SUITE_POOLINFO_WHY_SIZE];
	struct cpool *cp;
	int i, n;

	n = dma_suite_poolinfo_parse(buf, len, lines, ARRAY_SIZE(lines), why,
				     sizeof(why));
	if (n < 0) {
		cfail(ctx, "%s", why);
		return n;
	}
	for (i = 0; i < n; i++) {
		cp = cpool_named(ctx, lines[i].name);
		if (!cp) {
			cfail(ctx, "pools line of a pool not of this device: \"%s\"",
			      lines[i].name);
			return -EINVAL;
		}
		check_line(ctx, cp, &lines[i], quiet);
	}
	return n;
}

static int reader_fn(void *data)
{
	struct cctx *ctx = data;
	ssize_t len;
	bool during;
	int n;

	while (!kthread_should_stop() && !cfailed(ctx)) {
		during = !completion_done(&ctx->workers_done);
		len = dma_suite_read_dev_attr(ctx->dev, "pools", ctx->buf, PAGE_SIZE);
		/* -ENODEV: the file was removed between open and read */
		if ((len == -ENOENT || len == -ENODEV) && ctx->file_may_vanish) {
			atomic_inc(&ctx->absent);
			if (len == -ENODEV)
				atomic_inc(&ctx->removed);
		} else if (len < 0) {
			cfail(ctx, "reading the pools file: %zd", len);
		} else {
			n = check_poolinfo(ctx, ctx->buf, len, false);
			if (n >= 0 && !ctx->file_may_vanish && n != ctx->nr_pools)
				cfail(ctx, "%d pools listed, the device has %u", n,
				      ctx->nr_pools);
		}
		atomic_inc(&ctx->reads);
		if (during)
			atomic_inc(&ctx->reads_during);
		cond_resched();
	}
	return 0;
}

/* ---- threads: always joined ---- */

static void worker_done(struct cctx *ctx, unsigned int steps)
{
	atomic_add(steps, &ctx->steps);
	if (atomic_dec_and_test(&ctx->workers_left))
		complete(&ctx->workers_done);
}

/*
 * A worker takes @max steps, and more if the reader has not yet read the
 * pools file while the workers ran: on one CPU (UML) the workers can take
 * all their steps within a tick, before the scheduler ever runs the
 * reader.  Those extra steps each give the reader the CPU first.  Never
 * past @deadline.
 */
static bool keep_going(struct cctx *ctx, unsigned int step, unsigned int max,
		       unsigned long deadline)
{
	if (!time_before(jiffies, deadline) || cfailed(ctx) || kthread_should_stop())
		return false;
	if (step < max)
		return true;
	if (atomic_read(&ctx->reads_during))
		return false;
	usleep_range(50, 100);
	return true;
}

static int start_kthread(struct cctx *ctx, int (*fn)(void *), void *data,
			 const char *what, unsigned int id)
{
	struct task_struct *task = kthread_create(fn, data, "dmapool-%s/%u", what, id);

	if (IS_ERR(task)) {
		cfail(ctx, "cannot start thread %s/%u: %ld", what, id, PTR_ERR(task));
		return PTR_ERR(task);
	}
	/* kthread_stop() needs the task even if it has returned already */
	get_task_struct(task);
	ctx->tasks[ctx->nr_tasks++] = task;
	wake_up_process(task);
	return 0;
}

/*
 * A reader and NR_WORKERS workers; returns when the workers are done (or
 * the time is up) and every thread has been stopped and joined.
 */
static void run_threads(struct kunit *test, struct cctx *ctx, int (*fn)(void *),
			const char *what)
{
	struct cworker *w = kunit_kcalloc(test, NR_WORKERS, sizeof(*w), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	init_completion(&ctx->workers_done);
	atomic_set(&ctx->workers_left, NR_WORKERS);
	if (start_kthread(ctx, reader_fn, ctx, "reader", 0))
		goto join;
	for (i = 0; i < NR_WORKERS; i++) {
		w[i].ctx = ctx;
		w[i].id = i;
		if (start_kthread(ctx, fn, &w[i], what, i))
			goto join;
	}
	if (!wait_for_completion_timeout(&ctx->workers_done, msecs_to_jiffies(JOIN_MS)))
		cfail(ctx, "workers still running after %u ms", JOIN_MS);
join:
	while (ctx->nr_tasks) {
		struct task_struct *task = ctx->tasks[--ctx->nr_tasks];

		kthread_stop(task);
		put_task_struct(task);
	}
	kunit_info(test, "%d steps; %d reads of the pools file, %d while workers ran, %d without the file (%d removed while open)\n",
		   atomic_read(&ctx->steps), atomic_read(&ctx->reads),
		   atomic_read(&ctx->reads_during), atomic_read(&ctx->absent),
		   atomic_read(&ctx->removed));
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->errors), 0, "first error: %s", ctx->msg);
	KUNIT_EXPECT_GT_MSG(test, atomic_read(&ctx->reads_during), 0,
			    "the pools file was never read while the workers ran");
}

/* ---- context ---- */

static int conc_init(struct kunit *test)
{
	struct cctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	ctx->pdev = dma_suite_register_dma_device("dmapool-conc-kunit");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(ctx->pdev), "no test device: %ld",
			       PTR_ERR(ctx->pdev));
	ctx->dev = &ctx->pdev->dev;
	test->priv = ctx;
	return 0;
}

static void conc_exit(struct kunit *test)
{
	struct cctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < ctx->nr_pools; i++)
		dma_pool_destroy(ctx->pools[i].pool);
	platform_device_unregister(ctx->pdev);
}

/* Create the case's pools; @threads may use each at once */
static void create_pools(struct kunit *test, struct cctx *ctx,
			 unsigned int threads)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_pools; i++) {
		struct cpool *cp = &ctx->pools[i];

		cpool_geometry(cp, NR_WORKERS * LIVE_PER_WORKER, threads);
		cp->pool = dma_pool_create(cp->name, ctx->dev, cp->size,
					   cp->align, cp->boundary);
		KUNIT_ASSERT_NOT_NULL_MSG(test, cp->pool, "dma_pool_create(%s)",
					  cp->name);
	}
}

/* After the threads: every pool listed, exact, nothing in use */
static void expect_quiet_poolinfo(struct kunit *test, struct cctx *ctx)
{
	ssize_t len = dma_suite_read_dev_attr(ctx->dev, "pools", ctx->buf, PAGE_SIZE);
	int before = atomic_read(&ctx->errors);

	KUNIT_ASSERT_GT_MSG(test, len, 0, "reading the pools file: %zd", len);
	KUNIT_EXPECT_EQ(test, check_poolinfo(ctx, ctx->buf, len, true),
			(int)ctx->nr_pools);
	if (!before)
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->errors), 0, "%s", ctx->msg);
}

/* ---- allocation from shared pools ---- */

/*
 * Random steps: a free slot gets a block from a random pool of the case
 * (every fourth with dma_pool_zalloc()), a held one is checked and freed.
 */
static int alloc_worker_fn(void *data)
{
	struct cworker *w = data;
	struct cctx *ctx = w->ctx;
	unsigned long deadline = jiffies + msecs_to_jiffies(RUN_MS);
	struct rnd_state rnd;
	unsigned int step, i;
	u32 seq = 0;

	prandom_seed_state(&rnd, 0xd0a1 + w->id);
	for (step = 0; keep_going(ctx, step, WORKER_STEPS, deadline); step++) {
		struct cblock *b = &w->live[prandom_u32_state(&rnd) % LIVE_PER_WORKER];
		struct cpool *cp;

		if (b->vaddr) {
			give_block(ctx, b, b->cp->pool);
		} else {
			cp = &ctx->pools[prandom_u32_state(&rnd) % ctx->nr_pools];
			seq++;
			take_block(ctx, b, cp, cp->pool, !(seq % 4),
				   (w->id + 1) << 24 | seq);
		}
		/* let the others run between taking and checking */
		cond_resched();
	}
	for (i = 0; i < LIVE_PER_WORKER; i++)
		if (w->live[i].vaddr)
			give_block(ctx, &w->live[i], w->live[i].cp->pool);
	worker_done(ctx, step);
	return 0;
}

/*
 * Four threads allocate from and free to one pool while a fifth reads the
 * pools file: no block is handed out twice (each thread's stamp survives
 * until it frees the block), every block has the pool's alignment and
 * boundary, and every read of the file parses with counts in bounds.
 */
static void dmapool_parallel_alloc_never_hands_out_a_block_twice(struct kunit *test)
{
	struct cctx *ctx = test->priv;

	cpool_init(&ctx->pools[0], "conc-one", 256, 64, 1024);
	ctx->nr_pools = 1;
	create_pools(test, ctx, NR_WORKERS);
	run_threads(test, ctx, alloc_worker_fn, "alloc");
	expect_quiet_poolinfo(test, ctx);
}

/*
 * The same over four pools of one device with different block sizes,
 * alignments and boundaries (one larger than a page): each block has its
 * own pool's geometry, none is handed out twice or by two pools, and the
 * file lists each pool once with counts in bounds.
 */
static void dmapool_parallel_alloc_from_sibling_pools_keeps_them_apart(struct kunit *test)
{
	struct cctx *ctx = test->priv;

	cpool_init(&ctx->pools[0], "conc-small", 32, 16, 0);
	cpool_init(&ctx->pools[1], "conc-mid", 192, 64, 512);
	cpool_init(&ctx->pools[2], "conc-page", 4096, 4096, 0);
	cpool_init(&ctx->pools[3], "conc-large", PAGE_SIZE + 64, 64, 0);
	ctx->nr_pools = 4;
	create_pools(test, ctx, NR_WORKERS);
	run_threads(test, ctx, alloc_worker_fn, "multi");
	expect_quiet_poolinfo(test, ctx);
}

/* ---- pools created and destroyed at once ---- */

/*
 * Worker i creates pool i (dmam_pool_create() every other time), takes
 * CHURN_BLOCKS blocks, checks and frees them, destroys the pool; again.
 */
static int churn_worker_fn(void *data)
{
	struct cworker *w = data;
	struct cctx *ctx = w->ctx;
	struct cpool *cp = &ctx->pools[w->id];
	unsigned long deadline = jiffies + msecs_to_jiffies(RUN_MS);
	unsigned int cycle, i;
	struct dma_pool *pool;
	bool managed;

	for (cycle = 0; keep_going(ctx, cycle, CHURN_CYCLES, deadline); cycle++) {
		managed = cycle & 1;
		if (managed)
			pool = dmam_pool_create(cp->name, ctx->dev, cp->size,
						cp->align, cp->boundary);
		else
			pool = dma_pool_create(cp->name, ctx->dev, cp->size,
					       cp->align, cp->boundary);
		if (!pool) {
			cfail(ctx, "%s: creating it failed in cycle %u", cp->name, cycle);
			break;
		}
		for (i = 0; i < CHURN_BLOCKS; i++) {
			if (!take_block(ctx, &w->live[i], cp, pool, i == 0,
					(w->id + 1) << 24 | cycle << 4 | i))
				break;
			cond_resched();
		}
		/* the others, and the reader, run while this pool exists */
		usleep_range(20, 50);
		while (i--)
			give_block(ctx, &w->live[i], pool);
		cond_resched();
		if (managed)
			dmam_pool_destroy(pool);
		else
			dma_pool_destroy(pool);
		cond_resched();
	}
	worker_done(ctx, cycle);
	return 0;
}

/*
 * Four threads create and destroy pools of distinct names on one device
 * while a fifth reads the pools file.  Both generations register the file
 * under pools_reg_lock when the first pool is linked to the device and
 * remove it when the last is unlinked, after linking (create) and
 * unlinking (destroy) under pools_lock.  So a reader finds no file (also
 * while a first pool is being created), a file removed under it (-ENODEV),
 * or a well-formed file listing at most the pools that exist, each once
 * (just the header, between the last pool's unlinking and the removal).
 * When no pool is left, the file is gone and the device has no pool.
 */
static void dmapool_parallel_create_destroy_pools_file_absent_or_well_formed(struct kunit *test)
{
	struct cctx *ctx = test->priv;
	static const size_t sizes[] = { 64, 512, 2048, 96 };
	unsigned int i;

	for (i = 0; i < NR_WORKERS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "conc-churn%u", i);
		cpool_init(&ctx->pools[i], name, sizes[i], 32, i == 3 ? 1024 : 0);
		cpool_geometry(&ctx->pools[i], CHURN_BLOCKS, 1);
	}
	ctx->nr_pools = NR_WORKERS;
	ctx->file_may_vanish = true;
	run_threads(test, ctx, churn_worker_fn, "churn");
	KUNIT_EXPECT_GT_MSG(test, atomic_read(&ctx->reads) - atomic_read(&ctx->absent), 0,
			    "the pools file was never read while a pool existed");
	KUNIT_EXPECT_EQ_MSG(test, dma_suite_read_dev_attr(ctx->dev, "pools", ctx->buf, PAGE_SIZE),
			    (ssize_t)-ENOENT, "the pools file outlives the last pool");
	KUNIT_EXPECT_TRUE(test, list_empty(&ctx->dev->dma_pools));
}

static struct kunit_case dmapool_concurrency_cases[] = {
	KUNIT_CASE(dmapool_parallel_alloc_never_hands_out_a_block_twice),
	KUNIT_CASE(dmapool_parallel_alloc_from_sibling_pools_keeps_them_apart),
	KUNIT_CASE(dmapool_parallel_create_destroy_pools_file_absent_or_well_formed),
	{}
};

static struct kunit_suite dmapool_concurrency_suite = {
	.name = "dmapool_concurrency",
	.init = conc_init,
	.exit = conc_exit,
	.test_cases = dmapool_concurrency_cases,
};

kunit_test_suite(dmapool_concurrency_suite);

MODULE_DESCRIPTION("KUnit tests for the DMA pool allocator under concurrency");
MODULE_LICENSE("GPL");

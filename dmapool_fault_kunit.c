// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "dmapool_fault": dma_pool_create() and dma_pool_alloc() when
 * the memory they need cannot be had.
 *
 * Every allocation the allocator makes (its struct dma_pool, the sysfs
 * "pools" file of a device's first pool, a page's descriptor, the coherent
 * memory of a new page) is a fault-injection point: with failslab and
 * fail_page_alloc set to consider every allocation, arming the task's
 * fail-nth counter with N fails exactly the N-th point the call reaches.
 * Each case arms N = 1, 2, ... until the call reaches no N-th point, so it
 * visits every failure point of the call once, and counts them.
 *
 * The contract at each point: the call returns NULL and leaves nothing
 * behind (no pool in the device's "pools" file, no new page or block in
 * use), or, where the kernel absorbs the failure (a fallback), it returns
 * a pool or block that works.  kmemleak (make kunit-debug) catches memory
 * left behind that sysfs cannot show.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and
 * CONFIG_FAULT_INJECTION_DEBUG_FS, and skips, saying so, without them.
 */

#include <kunit/test.h>
#include <linux/dmapool.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include "dmapool_geometry.h"
#include "include/dma_suite_helpers.h"

/* far more points than a pool operation has: a call that never ends fails */
#define MAX_POINTS	200
#define BLOCK		64

struct fault_ctx {
	struct platform_device *pdev;
	struct dma_pool *pool;
};

static int dmapool_fault_init(struct kunit *test)
{
	struct fault_ctx *ctx;

	if (dma_suite_fault_begin(DMA_SUITE_FAULT_ALLOCS))
		kunit_skip(test, DMA_SUITE_NO_FAULT_INJECTION);
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	test->priv = ctx;
	ctx->pdev = dma_suite_register_dma_device("dmapool-fault-test");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(ctx->pdev), "no test device: %ld",
			       PTR_ERR(ctx->pdev));
	return 0;
}

static void dmapool_fault_exit(struct kunit *test)
{
	struct fault_ctx *ctx = test->priv;

	dma_suite_fault_end();
	if (!ctx || IS_ERR_OR_NULL(ctx->pdev))
		return;
	dma_pool_destroy(ctx->pool);
	platform_device_unregister(ctx->pdev);
}

/* What one case saw: points visited, NULL returns, failures absorbed */
struct fault_tally {
	unsigned int points, failed, absorbed;
};

static void report(struct kunit *test, const char *what, const struct fault_tally *t)
{
	kunit_info(test, "%s: %u failure points visited, %u returned NULL, %u absorbed\n",
		   what, t->points, t->failed, t->absorbed);
	KUNIT_EXPECT_LT_MSG(test, t->points, MAX_POINTS,
			    "%s never ran without reaching the armed point", what);
	KUNIT_EXPECT_GE_MSG(test, t->failed, 1,
			    "no injected failure made %s return NULL", what);
}

static void dmapool_create_failure_returns_null_and_leaves_no_pool(struct kunit *test)
{
	struct fault_ctx *ctx = test->priv;
	struct device *dev = &ctx->pdev->dev;
	struct dma_suite_poolinfo pi;
	struct fault_tally t = {};
	struct dma_pool *pool;
	unsigned int n;

	for (n = 1; n <= MAX_POINTS; n++) {
		dma_suite_fail_nth(n);
		pool = dma_pool_create("fault-create", dev, BLOCK, BLOCK, 0);
		if (dma_suite_fail_nth(0)) {
			/* fewer than n points: this run failed nowhere */
			KUNIT_EXPECT_NOT_NULL(test, pool);
			dma_pool_destroy(pool);
			break;
		}
		t.points = n;
		if (pool) {
			void *v;
			dma_addr_t dma;

			t.absorbed++;
			KUNIT_EXPECT_EQ(test, dma_suite_poolinfo(dev, "fault-create", &pi), 0);
			v = dma_pool_alloc(pool, GFP_KERNEL, &dma);
			KUNIT_EXPECT_NOT_NULL_MSG(test, v, "point %u: a pool that cannot allocate",
						  n);
			if (v)
				dma_pool_free(pool, v, dma);
			dma_pool_destroy(pool);
		} else {
			t.failed++;
		}
		/* either way, the device has no pool again */
		KUNIT_EXPECT_EQ_MSG(test, dma_suite_poolinfo(dev, "fault-create", &pi), -ENOENT,
				    "point %u: a pools file without a pool", n);
	}
	report(test, "dma_pool_create", &t);
}

struct alloc_case {
	const char *name;
	gfp_t gfp;
	/* first use every block of the first page: the next needs a page */
	bool fill_page;
};

static const struct alloc_case alloc_cases[] = {
	{ "GFP_KERNEL, empty pool", GFP_KERNEL, false },
	{ "GFP_ATOMIC, empty pool", GFP_ATOMIC, false },
	{ "GFP_KERNEL, first page full", GFP_KERNEL, true },
	{ "__GFP_ZERO, empty pool", GFP_KERNEL | __GFP_ZERO, false },
};

static void alloc_case_desc(const struct alloc_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(alloc, alloc_cases, alloc_case_desc);

static void dmapool_alloc_failure_returns_null_and_leaves_no_page(struct kunit *test)
{
	const struct alloc_case *c = test->param_value;
	struct fault_ctx *ctx = test->priv;
	struct device *dev = &ctx->pdev->dev;
	struct dma_suite_poolinfo pi, before;
	struct dmapool_geometry g;
	struct fault_tally t = {};
	unsigned int n, i, nr_held;
	dma_addr_t *dmas, dma;
	void **held, *v;

	/* the blocks of the first page, all of them in use */
	dmapool_geometry(&g, BLOCK, BLOCK, 0);
	nr_held = c->fill_page ? g.per_page : 0;
	held = kunit_kcalloc(test, nr_held + 1, sizeof(*held), GFP_KERNEL);
	dmas = kunit_kcalloc(test, nr_held + 1, sizeof(*dmas), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, held && dmas);
	ctx->pool = dma_pool_create("fault-alloc", dev, BLOCK, BLOCK, 0);
	KUNIT_ASSERT_NOT_NULL(test, ctx->pool);
	for (i = 0; i < nr_held; i++) {
		held[i] = dma_pool_alloc(ctx->pool, GFP_KERNEL, &dmas[i]);
		KUNIT_ASSERT_NOT_NULL(test, held[i]);
	}
	KUNIT_ASSERT_EQ(test, dma_suite_poolinfo(dev, "fault-alloc", &before), 0);
	KUNIT_ASSERT_EQ(test, before.pages, nr_held ? 1 : 0);

	for (n = 1; n <= MAX_POINTS; n++) {
		dma_suite_fail_nth(n);
		v = dma_pool_alloc(ctx->pool, c->gfp, &dma);
		if (dma_suite_fail_nth(0)) {
			KUNIT_EXPECT_NOT_NULL(test, v);
			if (v)
				dma_pool_free(ctx->pool, v, dma);
			break;
		}
		t.points = n;
		KUNIT_ASSERT_EQ(test, dma_suite_poolinfo(dev, "fault-alloc", &pi), 0);
		if (v) {
			t.absorbed++;
			KUNIT_EXPECT_EQ(test, pi.in_use, before.in_use + 1);
			dma_pool_free(ctx->pool, v, dma);
			continue;
		}
		t.failed++;
		/* nothing half done: no block taken, no page added */
		KUNIT_EXPECT_EQ_MSG(test, pi.in_use, before.in_use, "point %u", n);
		KUNIT_EXPECT_EQ_MSG(test, pi.pages, before.pages, "point %u", n);
	}
	report(test, c->name, &t);
	/* and the pool still works */
	v = dma_pool_alloc(ctx->pool, c->gfp, &dma);
	KUNIT_EXPECT_NOT_NULL(test, v);
	if (v)
		dma_pool_free(ctx->pool, v, dma);
	for (i = 0; i < nr_held; i++)
		dma_pool_free(ctx->pool, held[i], dmas[i]);
}

static struct kunit_case dmapool_fault_cases[] = {
	KUNIT_CASE(dmapool_create_failure_returns_null_and_leaves_no_pool),
	KUNIT_CASE_PARAM(dmapool_alloc_failure_returns_null_and_leaves_no_page,
			 alloc_gen_params),
	{}
};

static struct kunit_suite dmapool_fault_suite = {
	.name = "dmapool_fault",
	.init = dmapool_fault_init,
	.exit = dmapool_fault_exit,
	.test_cases = dmapool_fault_cases,
};

kunit_test_suite(dmapool_fault_suite);

MODULE_DESCRIPTION("KUnit tests of the DMA pool allocator under allocation failures");
MODULE_LICENSE("GPL");

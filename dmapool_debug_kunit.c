// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "dmapool_debug": what the DMA pool allocator reports when a
 * driver misuses it, in kernels that build mm/dmapool.c with DMAPOOL_DEBUG
 * (CONFIG_SLUB_DEBUG_ON; `make kunit-debug` runs this suite so).
 *
 * Such a kernel poisons blocks (POOL_POISON_ALLOCATED when handed out,
 * POOL_POISON_FREED when given back), reports a block freed twice or a DMA
 * handle from elsewhere and ignores that free, and reports a freed block
 * written to when it is next handed out.  Each case provokes one report,
 * finds it in the kernel log as mm/kfence/kfence_test.c finds its own, and
 * checks through the pool's poolinfo line and its next allocations that the
 * pool is still sound: no case leaves the kernel in a bad state, since
 * every misuse is one the debug checks stop before it does harm.
 *
 * Without DMAPOOL_DEBUG the same misuse would corrupt the pool, so every
 * case skips there, saying so.
 */

#include <kunit/test.h>
#include <linux/dmapool.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/poison.h>
#include <linux/string.h>

#include "dmapool_rules.h"
#include "include/dma_suite_helpers.h"

#define DBG_BLOCK	64

struct dbg_ctx {
	struct platform_device *pdev;
	struct dma_pool *pool, *other;
};

static int dmapool_debug_init(struct kunit *test)
{
	struct dbg_ctx *ctx;

	if (!DMAPOOL_KERNEL_DEBUG)
		kunit_skip(test, "%s (%s)", "mm/dmapool.c built without DMAPOOL_DEBUG",
			   "needs CONFIG_SLUB_DEBUG_ON, as in make kunit-debug");
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->pdev = dma_suite_register_dma_device("dmapool-debug-test");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(ctx->pdev), "no test device: %ld",
			       PTR_ERR(ctx->pdev));
	test->priv = ctx;
	ctx->pool = dma_pool_create("dbg-pool", &ctx->pdev->dev, DBG_BLOCK,
				    DBG_BLOCK, 0);
	KUNIT_ASSERT_NOT_NULL(test, ctx->pool);
	return 0;
}

static void dmapool_debug_exit(struct kunit *test)
{
	struct dbg_ctx *ctx = test->priv;

	if (!ctx)
		return;
	dma_pool_destroy(ctx->other);
	dma_pool_destroy(ctx->pool);
	platform_device_unregister(ctx->pdev);
}

/* The "blocks in use" column of @name's poolinfo line, or -1 */
static int blocks_in_use(struct kunit *test, const char *name)
{
	struct dbg_ctx *ctx = test->priv;
	struct dma_suite_poolinfo pi;
	int ret = dma_suite_poolinfo(&ctx->pdev->dev, name, &pi);

	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "no poolinfo line for %s", name);
	return ret ? -1 : pi.in_use;
}

static bool all_bytes(const u8 *p, size_t from, size_t to, u8 val)
{
	for (; from < to; from++)
		if (p[from] != val)
			return false;
	return true;
}

static void dmapool_debug_double_free_is_reported_and_ignored(struct kunit *test)
{
	struct dbg_ctx *ctx = test->priv;
	dma_addr_t a_dma, b_dma, x_dma, y_dma;
	void *a, *b, *x, *y;
	u64 mark;

	a = dma_pool_alloc(ctx->pool, GFP_KERNEL, &a_dma);
	b = dma_pool_alloc(ctx->pool, GFP_KERNEL, &b_dma);
	KUNIT_ASSERT_TRUE(test, a && b);
	dma_pool_free(ctx->pool, a, a_dma);

	mark = dma_suite_log_mark();
	dma_pool_free(ctx->pool, a, a_dma);
	KUNIT_EXPECT_EQ_MSG(test, dma_suite_log_count(mark, "already free", "dbg-pool"), 1,
			    "a second free of the same block must be reported once");
	KUNIT_EXPECT_EQ_MSG(test, blocks_in_use(test, "dbg-pool"), 1,
			    "the second free must not count");

	/* the block is on the free list once: handed out once, not twice */
	x = dma_pool_alloc(ctx->pool, GFP_KERNEL, &x_dma);
	y = dma_pool_alloc(ctx->pool, GFP_KERNEL, &y_dma);
	KUNIT_ASSERT_TRUE(test, x && y);
	KUNIT_EXPECT_PTR_EQ(test, x, a);
	KUNIT_EXPECT_PTR_NE_MSG(test, y, a, "a block freed twice was handed out twice");
	KUNIT_EXPECT_NE(test, y_dma, a_dma);
	dma_pool_free(ctx->pool, y, y_dma);
	dma_pool_free(ctx->pool, x, x_dma);
	dma_pool_free(ctx->pool, b, b_dma);
	KUNIT_EXPECT_EQ(test, blocks_in_use(test, "dbg-pool"), 0);
}

static void dmapool_debug_write_after_free_is_reported_on_next_alloc(struct kunit *test)
{
	struct dbg_ctx *ctx = test->priv;
	dma_addr_t a_dma, x_dma;
	u8 *a, *x;
	u64 mark;

	a = dma_pool_alloc(ctx->pool, GFP_KERNEL, &a_dma);
	KUNIT_ASSERT_NOT_NULL(test, a);
	dma_pool_free(ctx->pool, a, a_dma);
	/* past the free-list link the pool keeps in a free block */
	a[DBG_BLOCK - 1] = 0x5a;

	mark = dma_suite_log_mark();
	x = dma_pool_alloc(ctx->pool, GFP_KERNEL, &x_dma);
	KUNIT_ASSERT_PTR_EQ(test, x, a);
	KUNIT_EXPECT_EQ_MSG(test, dma_suite_log_count(mark, "(corrupted)", "dbg-pool"), 1,
			    "a freed block written to must be reported when handed out");
	/* the hex dump of the block shows the byte written */
	KUNIT_EXPECT_GE(test, dma_suite_log_count(mark, " 5a", NULL), 1);
	/* and the block is handed out poisoned (or zeroed) all the same */
	KUNIT_EXPECT_TRUE(test, all_bytes(x, 0, DBG_BLOCK,
					  want_init_on_alloc(GFP_KERNEL) ? 0 :
					  POOL_POISON_ALLOCATED));
	dma_pool_free(ctx->pool, x, x_dma);
}

static void dmapool_debug_blocks_are_poisoned_when_allocated_and_freed(struct kunit *test)
{
	struct dbg_ctx *ctx = test->priv;
	dma_addr_t a_dma, x_dma;
	u8 *a, *x;
	u64 mark;

	a = dma_pool_alloc(ctx->pool, GFP_KERNEL, &a_dma);
	KUNIT_ASSERT_NOT_NULL(test, a);
	if (want_init_on_alloc(GFP_KERNEL))
		KUNIT_EXPECT_TRUE_MSG(test, all_bytes(a, 0, DBG_BLOCK, 0),
				      "init_on_alloc: a new block is zeroed");
	else
		KUNIT_EXPECT_TRUE_MSG(test, all_bytes(a, 0, DBG_BLOCK, POOL_POISON_ALLOCATED),
				      "a new block is filled with POOL_POISON_ALLOCATED");
	memset(a, 0x11, DBG_BLOCK);
	dma_pool_free(ctx->pool, a, a_dma);
	/* all but the free-list link (at most rules.min_block bytes) */
	KUNIT_EXPECT_TRUE_MSG(test, all_bytes(a, dmapool_rules.min_block, DBG_BLOCK,
					      POOL_POISON_FREED),
			      "a freed block is filled with POOL_POISON_FREED");

	/* an untouched freed block comes back without a report */
	mark = dma_suite_log_mark();
	x = dma_pool_alloc(ctx->pool, GFP_KERNEL, &x_dma);
	KUNIT_ASSERT_PTR_EQ(test, x, a);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, "(corrupted)", NULL), 0);
	dma_pool_free(ctx->pool, x, x_dma);
}

static void dmapool_debug_free_of_foreign_dma_is_reported_and_ignored(struct kunit *test)
{
	struct dbg_ctx *ctx = test->priv;
	dma_addr_t a_dma, q_dma;
	void *a, *q;
	u64 mark;

	ctx->other = dma_pool_create("dbg-other", &ctx->pdev->dev, DBG_BLOCK,
				     DBG_BLOCK, 0);
	KUNIT_ASSERT_NOT_NULL(test, ctx->other);
	a = dma_pool_alloc(ctx->pool, GFP_KERNEL, &a_dma);
	q = dma_pool_alloc(ctx->other, GFP_KERNEL, &q_dma);
	KUNIT_ASSERT_TRUE(test, a && q);

	/* a block of the other pool, freed to this one */
	mark = dma_suite_log_mark();
	dma_pool_free(ctx->pool, q, q_dma);
	KUNIT_EXPECT_EQ_MSG(test, dma_suite_log_count(mark, "(bad dma)", "dbg-pool"), 1,
			    "a handle outside the pool's pages must be reported");
	KUNIT_EXPECT_EQ(test, blocks_in_use(test, "dbg-pool"), 1);
	KUNIT_EXPECT_EQ(test, blocks_in_use(test, "dbg-other"), 1);

	dma_pool_free(ctx->other, q, q_dma);
	dma_pool_free(ctx->pool, a, a_dma);
	KUNIT_EXPECT_EQ(test, blocks_in_use(test, "dbg-pool"), 0);
	KUNIT_EXPECT_EQ(test, blocks_in_use(test, "dbg-other"), 0);
}

static void dmapool_debug_free_with_mismatched_vaddr_is_reported(struct kunit *test)
{
	struct dbg_ctx *ctx = test->priv;
	dma_addr_t a_dma, b_dma;
	void *a, *b;
	u64 mark;

	if (!dmapool_rules.debug_checks_vaddr)
		kunit_skip(test, "%s: dma_pool_free() does not compare the address with the handle",
			   dmapool_rules.generation);
	a = dma_pool_alloc(ctx->pool, GFP_KERNEL, &a_dma);
	b = dma_pool_alloc(ctx->pool, GFP_KERNEL, &b_dma);
	KUNIT_ASSERT_TRUE(test, a && b);

	mark = dma_suite_log_mark();
	dma_pool_free(ctx->pool, b, a_dma);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, "(bad vaddr)", "dbg-pool"), 1);
	KUNIT_EXPECT_EQ(test, blocks_in_use(test, "dbg-pool"), 2);
	dma_pool_free(ctx->pool, b, b_dma);
	dma_pool_free(ctx->pool, a, a_dma);
	KUNIT_EXPECT_EQ(test, blocks_in_use(test, "dbg-pool"), 0);
}

static struct kunit_case dmapool_debug_cases[] = {
	KUNIT_CASE(dmapool_debug_double_free_is_reported_and_ignored),
	KUNIT_CASE(dmapool_debug_write_after_free_is_reported_on_next_alloc),
	KUNIT_CASE(dmapool_debug_blocks_are_poisoned_when_allocated_and_freed),
	KUNIT_CASE(dmapool_debug_free_of_foreign_dma_is_reported_and_ignored),
	KUNIT_CASE(dmapool_debug_free_with_mismatched_vaddr_is_reported),
	{}
};

static struct kunit_suite dmapool_debug_suite = {
	.name = "dmapool_debug",
	.init = dmapool_debug_init,
	.exit = dmapool_debug_exit,
	.test_cases = dmapool_debug_cases,
};

kunit_test_suite(dmapool_debug_suite);

MODULE_DESCRIPTION("KUnit tests of the DMA pool allocator's debug reports");
MODULE_LICENSE("GPL");

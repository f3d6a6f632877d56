// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the DMA pool allocator (mm/dmapool.c).
 *
 * Each case is named after the rule it checks.  Where the allocator
 * generations differ (6.1's per-page offset chain, 6.4+'s global block
 * list), the rule of each is stated in dmapool_rules.h and checked exactly
 * from there; this file never looks at the kernel version.
 *
 * Pools live on a platform device registered for each case, with a 32-bit
 * DMA mask.  The sysfs file "pools" is read through sysfs, as user space
 * reads it, and parsed strictly.
 */

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "dmapool_geometry.h"
#include "dmapool_rules.h"
#include "include/dma_suite_helpers.h"

#define TEST_DEV_NAME	"dmapool-kunit"
#define MAX_POOLS	8

struct dmapool_test_ctx {
	struct platform_device *pdev;
	struct device *dev;
	struct dma_pool *pools[MAX_POOLS];
	char *buf;		/* sysfs read buffer, PAGE_SIZE */
};

struct blk {
	void *vaddr;
	dma_addr_t dma;
};

/* ---- context: a device per case, pools that are cleaned up on failure ---- */

static int dmapool_test_init(struct kunit *test)
{
	struct dmapool_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	ctx->pdev = dma_suite_register_dma_device(TEST_DEV_NAME);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(ctx->pdev), "no test device: %ld",
			       PTR_ERR(ctx->pdev));
	ctx->dev = &ctx->pdev->dev;
	test->priv = ctx;
	return 0;
}

static void dmapool_test_exit(struct kunit *test)
{
	struct dmapool_test_ctx *ctx = test->priv;
	int i;

	for (i = 0; i < MAX_POOLS; i++)
		dma_pool_destroy(ctx->pools[i]);
	platform_device_unregister(ctx->pdev);
}

/* A second device, for what must not mix with the case's own */
static struct platform_device *register_other_device(struct kunit *test)
{
	struct platform_device *pdev = dma_suite_register_dma_device(TEST_DEV_NAME "-other");

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pdev), "no device: %ld", PTR_ERR(pdev));
	return pdev;
}

static struct dma_pool *create_pool(struct kunit *test, const char *name,
				    size_t size, size_t align, size_t boundary)
{
	struct dmapool_test_ctx *ctx = test->priv;
	struct dma_pool *pool;
	int i;

	pool = dma_pool_create(name, ctx->dev, size, align, boundary);
	if (!pool)
		return NULL;
	for (i = 0; i < MAX_POOLS; i++) {
		if (!ctx->pools[i]) {
			ctx->pools[i] = pool;
			return pool;
		}
	}
	dma_pool_destroy(pool);
	KUNIT_FAIL(test, "more than %d pools in one case", MAX_POOLS);
	return NULL;
}

static void destroy_pool(struct kunit *test, struct dma_pool *pool)
{
	struct dmapool_test_ctx *ctx = test->priv;
	int i;

	for (i = 0; i < MAX_POOLS; i++)
		if (ctx->pools[i] == pool)
			ctx->pools[i] = NULL;
	dma_pool_destroy(pool);
}

/* A pool the case cannot go on without */
static struct dma_pool *must_create_pool(struct kunit *test, const char *name,
					 size_t size, size_t align,
					 size_t boundary)
{
	struct dma_pool *pool = create_pool(test, name, size, align, boundary);

	KUNIT_ASSERT_NOT_NULL_MSG(test, pool,
				  "dma_pool_create(%s, size %zu, align %zu, boundary %zu) failed",
				  name, size, align, boundary);
	return pool;
}

static void alloc_blocks(struct kunit *test, struct dma_pool *pool,
			 struct blk *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		b[i].vaddr = dma_pool_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL_MSG(test, b[i].vaddr, "alloc %u of %u", i, n);
	}
}

static void free_blocks(struct dma_pool *pool, struct blk *b, unsigned int n)
{
	while (n--)
		dma_pool_free(pool, b[n].vaddr, b[n].dma);
}

/* A position- and block-dependent pattern: misplaced bytes show up */
static u8 pattern_byte(unsigned int blk, size_t i)
{
	return (u8)(blk * 151 + i * 7 + (i >> 8) + 1);
}

static void fill_block(void *vaddr, size_t size, unsigned int blk)
{
	u8 *p = vaddr;
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = pattern_byte(blk, i);
}

static bool block_intact(const void *vaddr, size_t size, unsigned int blk)
{
	const u8 *p = vaddr;
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i] != pattern_byte(blk, i))
			return false;
	return true;
}

/* ---- the pools file, read through sysfs and parsed strictly ---- */

/*
 * Read the device's pools file and parse it with the suite's one strict
 * parser.  Returns the number of pool lines, or a negative errno (-ENOENT
 * when the file does not exist).  A file that is not exactly what the
 * kernel prints (see dma_suite_poolinfo_parse()) fails the case.
 */
static int read_poolinfo(struct kunit *test, struct device *dev,
			 struct dma_suite_poolinfo *out, int max)
{
	struct dmapool_test_ctx *ctx = test->priv;
	char why[DMA_SUITE_POOLINFO_WHY_SIZE];
	ssize_t len;
	int n;

	len = dma_suite_read_dev_attr(dev, "pools", ctx->buf, PAGE_SIZE);
	if (len < 0)
		return len;
	n = dma_suite_poolinfo_parse(ctx->buf, len, out, max, why, sizeof(why));
	KUNIT_ASSERT_GE_MSG(test, n, 0, "%s", why);
	return n;
}

/* The line of pool @name; fails the case when there is none */
static struct dma_suite_poolinfo pool_line(struct kunit *test, const char *name)
{
	struct dmapool_test_ctx *ctx = test->priv;
	struct dma_suite_poolinfo lines[MAX_POOLS];
	int i, n;

	n = read_poolinfo(test, ctx->dev, lines, MAX_POOLS);
	KUNIT_ASSERT_GE_MSG(test, n, 0, "cannot read the pools file: %d", n);
	for (i = 0; i < n; i++)
		if (!strcmp(lines[i].name, name))
			return lines[i];
	KUNIT_FAIL(test, "no line for pool %s in the pools file", name);
	return (struct dma_suite_poolinfo){};
}

/* Pool @name's line says @active blocks in use over @npages chunks of @g */
static void expect_pool_line(struct kunit *test, const char *name,
			     const struct dmapool_geometry *g, unsigned int active,
			     unsigned int npages)
{
	struct dma_suite_poolinfo pl = pool_line(test, name);

	KUNIT_EXPECT_EQ_MSG(test, pl.in_use, active, "%s: blocks in use", name);
	KUNIT_EXPECT_EQ_MSG(test, pl.total, npages * g->reported_per_page,
			    "%s: total blocks", name);
	KUNIT_EXPECT_EQ_MSG(test, pl.size, (unsigned int)g->size, "%s: block size", name);
	KUNIT_EXPECT_EQ_MSG(test, pl.pages, npages, "%s: pages", name);
}

/* ---- creation rules ---- */

struct create_case {
	size_t size, align, boundary;
	const char *why;
};

static void create_case_desc(const struct create_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %zu align %zu boundary %zu: %s",
		 c->size, c->align, c->boundary, c->why);
}

static const struct create_case refused_cases[] = {
	{ 0, 0, 0, "size 0" },
	{ 0, 8, 0, "size 0 with an alignment" },
	{ 64, 3, 0, "align 3 not a power of two" },
	{ 64, 24, 0, "align 24 not a power of two" },
	{ 64, 4095, 0, "align 4095 not a power of two" },
	{ 128, 0, 64, "boundary below size" },
	{ 4096, 0, 2048, "boundary below size" },
	{ 65, 0, 64, "boundary one below size" },
	{ 64, 0, 96, "boundary 96 not a power of two" },
	{ 16, 0, 3000, "boundary 3000 not a power of two" },
	{ 40, 8, 4095, "boundary 4095 not a power of two" },
};

KUNIT_ARRAY_PARAM(refused, refused_cases, create_case_desc);

static void dmapool_create_refuses_invalid_arguments(struct kunit *test)
{
	const struct create_case *c = test->param_value;

	KUNIT_EXPECT_NULL(test, create_pool(test, "refused", c->size, c->align,
					    c->boundary));
}

static const struct create_case rounding_cases[] = {
	{ 1, 0, 0, "tiny size up to the minimum block" },
	{ 2, 1, 0, "tiny size up to the minimum block" },
	{ 3, 2, 0, "tiny size up to the minimum block" },
	{ 4, 0, 0, "tiny size up to the minimum block" },
	{ 7, 0, 0, "tiny size up to the minimum block" },
	{ 15, 0, 0, "tiny size up to the minimum block" },
	{ 17, 0, 0, "align 0 means 1: no rounding" },
	{ 17, 1, 0, "align 1: no rounding" },
	{ 1, 64, 0, "size up to align" },
	{ 17, 16, 0, "size up to align" },
	{ 68, 32, 4096, "size up to align" },
	{ 100, 128, 0, "size up to align" },
	{ 4097, 4096, 0, "size up to align, past a page" },
	{ 5000, 8, 0, "size up to align, chunk larger than a page" },
};

KUNIT_ARRAY_PARAM(rounding, rounding_cases, create_case_desc);

/*
 * The block size a pool uses is max(size, minimum block) rounded up to
 * align; poolinfo prints it and consecutive blocks of a chunk are that far
 * apart.
 */
static void dmapool_create_rounds_block_size(struct kunit *test)
{
	const struct create_case *c = test->param_value;
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	struct dma_pool *pool;
	struct blk b[2];

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, c->size, c->align, c->boundary);
	pool = must_create_pool(test, "rounding", c->size, c->align, c->boundary);
	expect_pool_line(test, "rounding", g, 0, 0);
	if (g->per_page < 2)
		return;
	alloc_blocks(test, pool, b, 2);
	KUNIT_EXPECT_EQ(test, b[1].dma - b[0].dma, (dma_addr_t)g->size);
	KUNIT_EXPECT_EQ(test, b[1].vaddr - b[0].vaddr, (long)g->size);
	expect_pool_line(test, "rounding", g, 2, 1);
	free_blocks(pool, b, 2);
}

/*
 * No driver can use a block of more than INT_MAX bytes.  6.4+ refuses such
 * a pool; 6.1 creates it (and would only fail at the first allocation, so
 * none is tried here).
 */
static void dmapool_create_size_above_int_max(struct kunit *test)
{
	struct dma_pool *pool;

	pool = create_pool(test, "huge", (size_t)INT_MAX + 1, 0, 0);
	if (dmapool_rules.refuses_size_above_int_max) {
		KUNIT_EXPECT_NULL(test, pool);
		return;
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, pool, "%s accepts size > INT_MAX",
				  dmapool_rules.generation);
	KUNIT_EXPECT_EQ(test, pool_line(test, "huge").pages, 0U);
}

static void dmapool_create_refuses_null_device(struct kunit *test)
{
	if (!dmapool_rules.refuses_null_dev)
		kunit_skip(test, "%s dereferences a NULL device: not tried",
			   dmapool_rules.generation);
	KUNIT_EXPECT_NULL(test, dma_pool_create("nodev", NULL, 64, 8, 0));
}

/* ---- allocation: layout, alignment, boundary, handles ---- */

struct geom_case {
	size_t size, align, boundary;
};

static void geom_case_desc(const struct geom_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %zu align %zu boundary %zu",
		 c->size, c->align, c->boundary);
}

/* mm/dmapool_test.c's table, tiny sizes, and boundary shapes */
static const struct geom_case geom_cases[] = {
	{ 16, 16, 0 },
	{ 64, 64, 0 },
	{ 256, 256, 0 },
	{ 1024, 1024, 0 },
	{ 4096, 4096, 0 },
	{ 68, 32, 4096 },
	{ 1, 0, 0 },
	{ 3, 1, 0 },
	{ 24, 8, 0 },
	{ 100, 8, 128 },
	{ 96, 32, 1024 },
	{ 64, 0, 128 },
	{ 128, 0, 128 },
	{ 5000, 8, 0 },
	{ 8192, 8192, 0 },
	{ 64, 64, 8192 },
	{ 96, 32, 8192 },
};

KUNIT_ARRAY_PARAM(geom, geom_cases, geom_case_desc);

static struct dmapool_geometry *case_geom(struct kunit *test, const struct geom_case *c)
{
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, c->size, c->align, c->boundary);
	if (g->overruns) {
		/* only a generation that does not clamp names the bug */
		const char *bug = dmapool_rules.overrun_bug ?: "an unclamped boundary";
		const char *fix = dmapool_rules.overrun_fix ?: "?";
		char desc[KUNIT_PARAM_DESC_SIZE];

		/* 6.1 does not print a parameter's skip reason: say it here */
		geom_case_desc(c, desc);
		pr_info("dma-suite: known kernel bug in %s (%s): %s, boundary %zu > chunk %zu (fixed in %s); not allocated\n",
			test->name, desc, bug, c->boundary, g->allocation, fix);
		kunit_skip(test, "known kernel bug: %s (fixed in %s); not allocated",
			   bug, fix);
	}
	return g;
}

/*
 * A fresh chunk hands out exactly the blocks its geometry allows, at their
 * offsets and in ascending order, and only when they have all been handed
 * out is the next chunk allocated.  No chunk exists before the first alloc.
 */
static void dmapool_alloc_fills_a_chunk_before_adding_the_next(struct kunit *test)
{
	const struct geom_case *c = test->param_value;
	struct dmapool_geometry *g = case_geom(test, c);
	unsigned int i, n = g->per_page + 1;
	struct dma_pool *pool;
	struct blk *b;
	size_t off;

	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pool = must_create_pool(test, "layout", c->size, c->align, c->boundary);
	expect_pool_line(test, "layout", g, 0, 0);

	for (i = 0, off = 0; i < g->per_page; i++, off = dmapool_next_block(g, off)) {
		alloc_blocks(test, pool, &b[i], 1);
		KUNIT_EXPECT_EQ_MSG(test, b[i].dma - b[0].dma, (dma_addr_t)off,
				    "block %u of the first chunk", i);
		KUNIT_EXPECT_EQ_MSG(test, (size_t)(b[i].vaddr - b[0].vaddr), off,
				    "block %u of the first chunk", i);
	}
	expect_pool_line(test, "layout", g, g->per_page, 1);

	alloc_blocks(test, pool, &b[g->per_page], 1);
	expect_pool_line(test, "layout", g, n, 2);
	for (i = 0; i < g->per_page; i++)
		KUNIT_EXPECT_PTR_NE_MSG(test, b[g->per_page].vaddr, b[i].vaddr,
					"the next chunk's block is block %u", i);
	free_blocks(pool, b, n);
	expect_pool_line(test, "layout", g, 0, 2);
}

static int cmp_blk_dma(const void *a, const void *b)
{
	const struct blk *x = a, *y = b;

	return x->dma < y->dma ? -1 : x->dma > y->dma;
}

/*
 * Over three chunks' worth of blocks: every block is aligned (DMA address;
 * CPU address up to a page), lies inside its chunk, does not cross the boundary, has the
 * same offset from its chunk in both address spaces, overlaps no other live
 * block, and holds what was written to it.
 */
static void dmapool_alloc_blocks_aligned_inside_chunk_within_boundary(struct kunit *test)
{
	const struct geom_case *c = test->param_value;
	struct dmapool_geometry *g = case_geom(test, c);
	size_t align = c->align ? c->align : 1;
	/*
	 * The DMA address is aligned as asked.  The CPU address is aligned
	 * only as far as its chunk is: coherent memory may be remapped (ARM),
	 * so chunks are page aligned in the CPU's view and no more.
	 */
	size_t cpu_align = min_t(size_t, align, PAGE_SIZE);
	unsigned int i, n = 3 * g->per_page;
	struct dma_pool *pool;
	struct blk *b, *sorted;

	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	sorted = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, sorted);
	pool = must_create_pool(test, "bounds", c->size, c->align, c->boundary);
	alloc_blocks(test, pool, b, n);

	for (i = 0; i < n; i++) {
		/* block 0 of each chunk sits at its start (see the layout case) */
		const struct blk *first = &b[i - i % g->per_page];
		dma_addr_t off = b[i].dma - first->dma;

		fill_block(b[i].vaddr, g->size, i);
		KUNIT_EXPECT_EQ_MSG(test, b[i].dma % align, 0, "block %u dma %pad", i, &b[i].dma);
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)b[i].vaddr % cpu_align, 0,
				    "block %u at %p", i, b[i].vaddr);
		KUNIT_EXPECT_LE_MSG(test, off + g->size, (dma_addr_t)g->allocation,
				    "block %u runs past its chunk", i);
		KUNIT_EXPECT_EQ_MSG(test, (size_t)(b[i].vaddr - first->vaddr), (size_t)off,
				    "block %u: CPU and DMA offsets in the chunk differ", i);
		if (c->boundary)
			KUNIT_EXPECT_EQ_MSG(test, b[i].dma / c->boundary,
					    (b[i].dma + g->size - 1) / c->boundary,
					    "block %u dma %pad crosses boundary %zu",
					    i, &b[i].dma, c->boundary);
	}

	memcpy(sorted, b, n * sizeof(*b));
	sort(sorted, n, sizeof(*sorted), cmp_blk_dma, NULL);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_LE_MSG(test, sorted[i - 1].dma + g->size, sorted[i].dma,
				    "live blocks overlap at %pad", &sorted[i].dma);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, block_intact(b[i].vaddr, g->size, i),
				      "block %u was overwritten", i);
	expect_pool_line(test, "bounds", g, n, 3);
	free_blocks(pool, b, n);
}

/* Boundary 0 means none: a chunk is used as if the boundary were the chunk. */
static void dmapool_create_boundary_0_means_none(struct kunit *test)
{
	struct dmapool_geometry *none = kunit_kzalloc(test, sizeof(*none), GFP_KERNEL);
	struct dmapool_geometry *chunk = kunit_kzalloc(test, sizeof(*chunk), GFP_KERNEL);
	struct dma_pool *p0, *pc;
	struct blk *b0, *bc;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, none);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	dmapool_geometry(none, 48, 16, 0);
	dmapool_geometry(chunk, 48, 16, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, none->per_page, chunk->per_page);
	b0 = kunit_kcalloc(test, none->per_page, sizeof(*b0), GFP_KERNEL);
	bc = kunit_kcalloc(test, none->per_page, sizeof(*bc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b0);
	KUNIT_ASSERT_NOT_NULL(test, bc);

	p0 = must_create_pool(test, "boundary0", 48, 16, 0);
	pc = must_create_pool(test, "boundarypage", 48, 16, PAGE_SIZE);
	alloc_blocks(test, p0, b0, none->per_page);
	alloc_blocks(test, pc, bc, none->per_page);
	for (i = 0; i < none->per_page; i++)
		KUNIT_EXPECT_EQ_MSG(test, b0[i].dma - b0[0].dma, bc[i].dma - bc[0].dma,
				    "block %u", i);
	expect_pool_line(test, "boundary0", none, none->per_page, 1);
	expect_pool_line(test, "boundarypage", chunk, none->per_page, 1);
	free_blocks(p0, b0, none->per_page);
	free_blocks(pc, bc, none->per_page);
}

/* ---- reuse, zeroing, atomic context, many blocks ---- */

/*
 * With no other free block in the pool, a freed block is handed out again
 * (no new chunk), and the most recently freed block comes first.
 */
static void dmapool_free_block_is_reused_last_freed_first(struct kunit *test)
{
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	struct dma_pool *pool;
	struct blk *b, again;

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, 64, 64, 0);
	b = kunit_kcalloc(test, g->per_page, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pool = must_create_pool(test, "reuse", 64, 64, 0);
	alloc_blocks(test, pool, b, g->per_page);	/* the chunk is full */

	dma_pool_free(pool, b[5].vaddr, b[5].dma);
	expect_pool_line(test, "reuse", g, g->per_page - 1, 1);
	again.vaddr = dma_pool_alloc(pool, GFP_KERNEL, &again.dma);
	KUNIT_EXPECT_PTR_EQ(test, again.vaddr, b[5].vaddr);
	KUNIT_EXPECT_EQ(test, again.dma, b[5].dma);
	expect_pool_line(test, "reuse", g, g->per_page, 1);

	dma_pool_free(pool, b[2].vaddr, b[2].dma);
	dma_pool_free(pool, b[7].vaddr, b[7].dma);
	again.vaddr = dma_pool_alloc(pool, GFP_KERNEL, &again.dma);
	KUNIT_EXPECT_PTR_EQ(test, again.vaddr, b[7].vaddr);
	KUNIT_EXPECT_EQ(test, again.dma, b[7].dma);
	again.vaddr = dma_pool_alloc(pool, GFP_KERNEL, &again.dma);
	KUNIT_EXPECT_PTR_EQ(test, again.vaddr, b[2].vaddr);
	KUNIT_EXPECT_EQ(test, again.dma, b[2].dma);
	expect_pool_line(test, "reuse", g, g->per_page, 1);
	free_blocks(pool, b, g->per_page);
}

/* dma_pool_zalloc() zeroes the whole block, even one freed dirty */
static void dmapool_zalloc_zeroes_a_dirty_freed_block(struct kunit *test)
{
	const size_t size = 200, bsize = dmapool_block_size(200, 8);
	struct dma_pool *pool;
	struct blk b, z;

	pool = must_create_pool(test, "zalloc", size, 8, 0);
	alloc_blocks(test, pool, &b, 1);
	memset(b.vaddr, 0xa5, bsize);
	dma_pool_free(pool, b.vaddr, b.dma);
	z.vaddr = dma_pool_zalloc(pool, GFP_KERNEL, &z.dma);
	KUNIT_ASSERT_PTR_EQ_MSG(test, z.vaddr, b.vaddr, "the freed block is not reused");
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(z.vaddr, 0, bsize),
			      "dma_pool_zalloc() left a byte set");
	memset(z.vaddr, 0x5a, bsize);
	dma_pool_free(pool, z.vaddr, z.dma);

	/* and a block of a fresh chunk, which the allocator may have written */
	alloc_blocks(test, pool, &b, 1);
	z.vaddr = dma_pool_zalloc(pool, GFP_KERNEL, &z.dma);
	KUNIT_ASSERT_NOT_NULL(test, z.vaddr);
	KUNIT_EXPECT_NULL(test, memchr_inv(z.vaddr, 0, bsize));
	dma_pool_free(pool, z.vaddr, z.dma);
	dma_pool_free(pool, b.vaddr, b.dma);
}

/*
 * GFP_ATOMIC allocation works with interrupts off and a spinlock held,
 * including when a new chunk has to be allocated; so does freeing.
 */
static void dmapool_alloc_atomic_in_atomic_context(struct kunit *test)
{
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	unsigned int i, got = 0, n;
	spinlock_t lock;	/* makes the context atomic, guards nothing */
	struct dma_pool *pool;
	unsigned long flags;
	struct blk *b;

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, 512, 32, 0);
	n = g->per_page + 1;	/* forces a second chunk */
	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pool = must_create_pool(test, "atomic", 512, 32, 0);
	spin_lock_init(&lock);

	spin_lock_irqsave(&lock, flags);
	for (i = 0; i < n; i++) {
		b[i].vaddr = dma_pool_alloc(pool, GFP_ATOMIC, &b[i].dma);
		if (!b[i].vaddr)
			break;
		got++;
	}
	spin_unlock_irqrestore(&lock, flags);
	KUNIT_EXPECT_EQ(test, got, n);
	expect_pool_line(test, "atomic", g, got, 2);

	spin_lock_irqsave(&lock, flags);
	free_blocks(pool, b, got);
	spin_unlock_irqrestore(&lock, flags);
	expect_pool_line(test, "atomic", g, 0, 2);
}

/*
 * A thousand live blocks over many chunks are all distinct and intact;
 * freeing them all keeps the chunks (they are given back only on destroy),
 * and allocating them again needs no new chunk.
 */
static void dmapool_alloc_many_blocks_across_chunks(struct kunit *test)
{
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	const unsigned int n = 1000;
	unsigned int i, pages;
	struct dma_pool *pool;
	struct blk *b;

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, 64, 8, 0);
	pages = DIV_ROUND_UP(n, g->per_page);
	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pool = must_create_pool(test, "many", 64, 8, 0);
	alloc_blocks(test, pool, b, n);
	for (i = 0; i < n; i++)
		fill_block(b[i].vaddr, g->size, i);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, block_intact(b[i].vaddr, g->size, i),
				      "block %u was overwritten", i);
	expect_pool_line(test, "many", g, n, pages);

	/* free every other block first, then the rest */
	for (i = 0; i < n; i += 2)
		dma_pool_free(pool, b[i].vaddr, b[i].dma);
	expect_pool_line(test, "many", g, n / 2, pages);
	for (i = 1; i < n; i += 2)
		dma_pool_free(pool, b[i].vaddr, b[i].dma);
	expect_pool_line(test, "many", g, 0, pages);

	alloc_blocks(test, pool, b, n);
	expect_pool_line(test, "many", g, n, pages);
	free_blocks(pool, b, n);
}

/*
 * Is the coherent memory at @vaddr still allocated?  It is either in the
 * linear map (dma-direct on coherent machines: UML, x86) or remapped into
 * vmalloc space (non-coherent ARM), where freeing it also unmaps it.
 */
static bool chunk_still_allocated(void *vaddr)
{
	struct page *page = NULL;

	if (virt_addr_valid(vaddr))
		page = virt_to_page(vaddr);
	else if (is_vmalloc_addr(vaddr))
		page = vmalloc_to_page(vaddr);
	return page && page_ref_count(page) > 0;
}

/*
 * Destroying a pool with a block in use prints "dma_pool_destroy <name>
 * ... busy" and does not give the busy chunk back (the device may still
 * write to it).  Chunks the kernel deliberately leaks are freed here.
 */
static void dmapool_destroy_busy_pool_reports_and_keeps_memory(struct kunit *test)
{
	struct dmapool_test_ctx *ctx = test->priv;
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	const char *name = "busypool";
	struct dma_pool *pool;
	struct blk *b, busy, idle;
	u64 mark;

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, 1024, 8, 0);
	b = kunit_kcalloc(test, g->per_page, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pool = must_create_pool(test, name, 1024, 8, 0);
	/* chunk 1: one block stays busy; chunk 2: used, then idle again */
	alloc_blocks(test, pool, &busy, 1);
	alloc_blocks(test, pool, b, g->per_page - 1);
	alloc_blocks(test, pool, &idle, 1);
	free_blocks(pool, b, g->per_page - 1);
	dma_pool_free(pool, idle.vaddr, idle.dma);
	expect_pool_line(test, name, g, 1, 2);
	fill_block(busy.vaddr, g->size, 1);

	mark = dma_suite_log_mark();
	destroy_pool(test, pool);
	/*
	 * Checked first, before anything here allocates memory that could
	 * reuse a wrongly freed chunk; and asserted, so that a chunk the pool
	 * did free is never freed again below.
	 */
	KUNIT_ASSERT_TRUE_MSG(test, chunk_still_allocated(busy.vaddr),
			      "the busy chunk was given back");
	KUNIT_EXPECT_TRUE(test, block_intact(busy.vaddr, g->size, 1));
	if (dmapool_rules.busy_destroy_keeps_idle_pages)
		KUNIT_ASSERT_TRUE_MSG(test, chunk_still_allocated(idle.vaddr),
				      "%s keeps every chunk of a busy pool",
				      dmapool_rules.generation);
	KUNIT_EXPECT_EQ_MSG(test, dma_suite_log_count(mark, "dma_pool_destroy busypool", "busy"),
			    1U, "one busy report expected");
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, NULL, 0), -ENOENT);

	/* what the kernel deliberately leaked goes back now */
	dma_free_coherent(ctx->dev, g->allocation, busy.vaddr, busy.dma);
	if (dmapool_rules.busy_destroy_keeps_idle_pages)
		dma_free_coherent(ctx->dev, g->allocation, idle.vaddr, idle.dma);
}

/* ---- the sysfs file "pools" ---- */

/* The file exists exactly while the device has at least one pool */
static void dmapool_sysfs_file_exists_from_first_pool_to_last(struct kunit *test)
{
	struct dmapool_test_ctx *ctx = test->priv;
	struct dma_suite_poolinfo lines[2];
	struct dma_pool *a, *b;

	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, lines, 2), -ENOENT);
	a = must_create_pool(test, "first", 32, 0, 0);
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, lines, 2), 1);
	b = must_create_pool(test, "second", 32, 0, 0);
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, lines, 2), 2);
	destroy_pool(test, a);
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, lines, 2), 1);
	KUNIT_EXPECT_STREQ(test, lines[0].name, "second");
	destroy_pool(test, b);
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, lines, 2), -ENOENT);
}

/* A file named "pools" that is not the pool allocator's */
static ssize_t squatter_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "not poolinfo\n");
}

static struct device_attribute squatter_attr = __ATTR(pools, 0444, squatter_show, NULL);

/*
 * The first pool of a device makes its "pools" file; when that fails, the
 * pool is refused and taken off the device's list again, so the next pool
 * is the first once more and makes the file.
 */
static void dmapool_create_fails_cleanly_without_its_sysfs_file(struct kunit *test)
{
	struct dmapool_test_ctx *ctx = test->priv;
	struct dma_suite_poolinfo lines[2];
	struct dma_pool *pool;
	u64 mark;

	KUNIT_ASSERT_EQ(test, device_create_file(ctx->dev, &squatter_attr), 0);
	mark = dma_suite_log_mark();
	pool = create_pool(test, "no-file", 32, 0, 0);
	device_remove_file(ctx->dev, &squatter_attr);
	KUNIT_EXPECT_PTR_EQ_MSG(test, pool, NULL,
				"a first pool was made without its pools file");
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, "cannot create duplicate filename",
						  NULL), 1);

	pool = must_create_pool(test, "after", 32, 0, 0);
	KUNIT_EXPECT_EQ_MSG(test, read_poolinfo(test, ctx->dev, lines, 2), 1,
			    "the refused pool is still on the device");
	KUNIT_EXPECT_STREQ(test, lines[0].name, "after");
	destroy_pool(test, pool);
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, lines, 2), -ENOENT);
}

/*
 * Byte for byte: the header, then "%-16s %4u %4u %4u %2u" per pool, the
 * newest pool first (as both generations print them), with names shorter
 * than, as long as and longer than the 16-column field.
 */
static void dmapool_sysfs_poolinfo_format_is_exact(struct kunit *test)
{
	struct dmapool_test_ctx *ctx = test->priv;
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	struct dma_pool *pool;
	char *expect;
	struct blk b;
	ssize_t len;

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, 32, 0, 0);
	must_create_pool(test, "exactly16chars__", 1024, 0, 0);
	must_create_pool(test, "a-name-longer-than-16", 8, 0, 0);
	pool = must_create_pool(test, "a", 32, 0, 0);
	alloc_blocks(test, pool, &b, 1);
	expect = kasprintf(GFP_KERNEL, "%s" DMA_SUITE_POOLINFO_LINE_FMT
			   DMA_SUITE_POOLINFO_LINE_FMT DMA_SUITE_POOLINFO_LINE_FMT,
			   DMA_SUITE_POOLINFO_HEADER,
			   "a", 1, g->reported_per_page, 32, 1,
			   "a-name-longer-than-16", 0, 0,
			   (unsigned int)dmapool_block_size(8, 0), 0,
			   "exactly16chars__", 0, 0, 1024, 0);
	KUNIT_ASSERT_NOT_NULL(test, expect);
	len = dma_suite_read_dev_attr(ctx->dev, "pools", ctx->buf, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, len, (ssize_t)strlen(expect));
	KUNIT_EXPECT_STREQ(test, ctx->buf, expect);
	kfree(expect);
	dma_pool_free(pool, b.vaddr, b.dma);
}

/* Blocks in use, total blocks and pages follow every alloc and free */
static void dmapool_sysfs_counts_follow_every_alloc_and_free(struct kunit *test)
{
	struct dmapool_geometry *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	unsigned int i, n;
	struct dma_pool *pool;
	struct blk *b;

	KUNIT_ASSERT_NOT_NULL(test, g);
	dmapool_geometry(g, 256, 0, 0);
	n = 2 * g->per_page + 1;
	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pool = must_create_pool(test, "counts", 256, 0, 0);
	expect_pool_line(test, "counts", g, 0, 0);
	for (i = 0; i < n; i++) {
		alloc_blocks(test, pool, &b[i], 1);
		expect_pool_line(test, "counts", g, i + 1, i / g->per_page + 1);
	}
	for (i = n; i-- > 0;) {
		dma_pool_free(pool, b[i].vaddr, b[i].dma);
		expect_pool_line(test, "counts", g, i, 3);
	}
}

/* Every pool of the device has its own line; other devices' pools do not */
static void dmapool_sysfs_lists_every_pool_of_the_device(struct kunit *test)
{
	struct dmapool_test_ctx *ctx = test->priv;
	struct dmapool_geometry *g = kunit_kcalloc(test, 3, sizeof(*g), GFP_KERNEL);
	static const size_t sizes[] = { 32, 512, 4096 };
	static const char * const names[] = { "list-small", "list-mid", "list-page" };
	struct dma_suite_poolinfo lines[MAX_POOLS];
	struct platform_device *other;
	struct dma_pool *pools[3], *foreign;
	struct blk b[3];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, g);
	for (i = 0; i < 3; i++) {
		dmapool_geometry(&g[i], sizes[i], 0, 0);
		pools[i] = must_create_pool(test, names[i], sizes[i], 0, 0);
	}
	for (i = 0; i < 3; i++)
		alloc_blocks(test, pools[i], &b[i], 1);

	other = register_other_device(test);
	foreign = dma_pool_create("foreign", &other->dev, 64, 0, 0);
	KUNIT_EXPECT_NOT_NULL(test, foreign);

	KUNIT_EXPECT_EQ(test, read_poolinfo(test, ctx->dev, lines, MAX_POOLS), 3);
	for (i = 0; i < 3; i++)
		expect_pool_line(test, names[i], &g[i], 1, 1);
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, &other->dev, lines, MAX_POOLS), 1);
	KUNIT_EXPECT_STREQ(test, lines[0].name, "foreign");

	dma_pool_destroy(foreign);
	platform_device_unregister(other);
	for (i = 0; i < 3; i++)
		dma_pool_free(pools[i], b[i].vaddr, b[i].dma);
}

/* A name longer than the pool keeps is cut to its first 31 characters */
static void dmapool_sysfs_truncates_long_name(struct kunit *test)
{
	const char *name = "a-pool-name-of-forty-characters-long-xyz";
	char cut[DMA_SUITE_POOL_NAME_MAX + 1];

	KUNIT_ASSERT_GT(test, strlen(name), (size_t)DMA_SUITE_POOL_NAME_MAX);
	strscpy(cut, name, sizeof(cut));
	must_create_pool(test, name, 64, 0, 0);
	KUNIT_EXPECT_EQ(test, strlen(pool_line(test, cut).name), (size_t)DMA_SUITE_POOL_NAME_MAX);
}

/* ---- the suite's parser of "pools": what it takes, what it refuses ---- */

/* Test data, written out: the parser must agree with these bytes */
#define PI_HDR	"poolinfo - 0.1\n"
#define PI_A	"pool-a              3   64  256  4\n"
#define PI_B	"pool-b              0    0   32  0\n"
#define PI_ROOM	4

/* Every column, in the kernel's order, and the lines in the file's order */
static void dmapool_sysfs_parser_reads_every_column(struct kunit *test)
{
	static const char text[] = PI_HDR "exactly16chars__    1  127   32  1\n"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa    0    0    8  0\n" PI_A PI_B;
	struct dma_suite_poolinfo l[PI_ROOM];
	char why[DMA_SUITE_POOLINFO_WHY_SIZE] = "";

	KUNIT_ASSERT_EQ_MSG(test, dma_suite_poolinfo_parse(text, strlen(text), l,
							   PI_ROOM, why, sizeof(why)),
			    4, "%s", why);
	KUNIT_EXPECT_STREQ(test, l[0].name, "exactly16chars__");
	KUNIT_EXPECT_EQ(test, l[0].in_use, 1U);
	KUNIT_EXPECT_EQ(test, l[0].total, 127U);
	KUNIT_EXPECT_EQ(test, l[0].size, 32U);
	KUNIT_EXPECT_EQ(test, l[0].pages, 1U);
	KUNIT_EXPECT_EQ(test, strlen(l[1].name), (size_t)DMA_SUITE_POOL_NAME_MAX);
	KUNIT_EXPECT_EQ(test, l[1].size, 8U);
	KUNIT_EXPECT_STREQ(test, l[2].name, "pool-a");
	KUNIT_EXPECT_EQ(test, l[2].in_use, 3U);
	KUNIT_EXPECT_EQ(test, l[2].total, 64U);
	KUNIT_EXPECT_EQ(test, l[2].size, 256U);
	KUNIT_EXPECT_EQ(test, l[2].pages, 4U);
	KUNIT_EXPECT_STREQ(test, l[3].name, "pool-b");
	/* just the header: no line, and no room needed */
	KUNIT_EXPECT_EQ(test, dma_suite_poolinfo_parse(PI_HDR, strlen(PI_HDR), NULL, 0,
						       why, sizeof(why)), 0);
}

struct parse_case {
	const char *what;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	unsigned int room;	/* 0: PI_ROOM */
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

static const struct parse_case refused_file_cases[] = {
	{ "an empty file", "" },
	{ "another header", "poolinfo - 0.2\n" PI_A },
	{ "a header without its newline", "poolinfo - 0.1" },
	{ "a header with a blank more", "poolinfo  - 0.1\n" PI_A },
	{ "no header", PI_A },
	{ "a last line without its newline", PI_HDR "pool-a              3   64  256  4" },
	{ "an empty line", PI_HDR PI_A "\n" },
	{ "a column less", PI_HDR "pool-a              3   64  256\n" },
	{ "a column more", PI_HDR "pool-a              3   64  256  4  0\n" },
	{ "trailing garbage", PI_HDR "pool-a              3   64  256  4 x\n" },
	{ "a carriage return", PI_HDR "pool-a              3   64  256  4\r\n" },
	{ "a wider pages column", PI_HDR "pool-a              3   64  256   4\n" },
	{ "a narrower name column", PI_HDR "pool-a             3   64  256  4\n" },
	{ "a leading zero", PI_HDR "pool-a              3   64 0256  4\n" },
	{ "a leading blank", PI_HDR " pool-a             3   64  256  4\n" },
	{ "a negative count", PI_HDR "pool-a             -1   64  256  4\n" },
	{ "a name of 32 characters",
	  PI_HDR "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa    0    0    8  0\n" },
	{ "a name listed twice", PI_HDR PI_A PI_B PI_A },
	{ "a NUL byte", PI_HDR "pool-a\0             3   64  256  4\n",
	  sizeof(PI_HDR "pool-a\0             3   64  256  4\n") - 1 },
	{ "a line more than there is room for", PI_HDR PI_A PI_B, 0, 1 },
};

KUNIT_ARRAY_PARAM(refused_files, refused_file_cases, parse_case_desc);

/* Anything but what mm/dmapool.c prints is refused, with a reason */
static void dmapool_sysfs_parser_refuses_what_the_kernel_never_prints(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct dma_suite_poolinfo lines[PI_ROOM];
	char why[DMA_SUITE_POOLINFO_WHY_SIZE] = "";
	int n;

	n = dma_suite_poolinfo_parse(c->text, c->len ?: strlen(c->text), lines,
				     c->room ?: PI_ROOM, why, sizeof(why));
	KUNIT_EXPECT_EQ_MSG(test, n, -EBADMSG, "%s: taken as %d lines", c->what, n);
	KUNIT_EXPECT_STRNEQ_MSG(test, why, "", "%s: refused without a reason", c->what);
}

/* ---- managed pools ---- */

static struct dma_pool *probed_pool;

static int dmapool_test_probe(struct platform_device *pdev)
{
	probed_pool = dmam_pool_create("managed", &pdev->dev, 64, 8, 0);
	return probed_pool ? 0 : -ENOMEM;
}

static struct platform_driver dmapool_test_driver = {
	.probe = dmapool_test_probe,
	.driver = { .name = TEST_DEV_NAME "-drv" },
};

/* A pool from dmam_pool_create() in probe is destroyed on driver detach */
static void dmapool_managed_pool_destroyed_on_driver_detach(struct kunit *test)
{
	struct platform_device_info info = {
		.name = TEST_DEV_NAME "-drv", .id = PLATFORM_DEVID_AUTO,
		.dma_mask = DMA_BIT_MASK(32),
	};
	struct dma_suite_poolinfo lines[2];
	struct platform_device *pdev;
	int ret;

	probed_pool = NULL;
	ret = platform_driver_register(&dmapool_test_driver);
	KUNIT_ASSERT_EQ(test, ret, 0);
	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev)) {
		platform_driver_unregister(&dmapool_test_driver);
		KUNIT_FAIL(test, "no device: %ld", PTR_ERR(pdev));
		return;
	}
	KUNIT_EXPECT_NOT_NULL_MSG(test, probed_pool, "probe did not run or failed");
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, &pdev->dev, lines, 2), 1);

	device_release_driver(&pdev->dev);
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, &pdev->dev, lines, 2), -ENOENT);
	KUNIT_EXPECT_TRUE(test, list_empty(&pdev->dev.dma_pools));

	platform_device_unregister(pdev);
	platform_driver_unregister(&dmapool_test_driver);
}

/* ... and on removal of a device that has no driver */
static void dmapool_managed_pool_destroyed_on_device_removal(struct kunit *test)
{
	struct platform_device *pdev = register_other_device(test);
	struct device *dev = get_device(&pdev->dev);

	KUNIT_EXPECT_NOT_NULL(test, dmam_pool_create("managed", dev, 64, 8, 0));
	KUNIT_EXPECT_FALSE(test, list_empty(&dev->dma_pools));
	platform_device_unregister(pdev);
	KUNIT_EXPECT_TRUE(test, list_empty(&dev->dma_pools));
	put_device(dev);
}

/* dmam_pool_destroy() destroys at once, and device removal does not again */
static void dmapool_managed_destroy_releases_now(struct kunit *test)
{
	struct platform_device *pdev = register_other_device(test);
	struct dma_suite_poolinfo lines[2];
	struct dma_pool *pool;
	u64 mark = dma_suite_log_mark();

	pool = dmam_pool_create("managed", &pdev->dev, 64, 8, 0);
	KUNIT_EXPECT_NOT_NULL(test, pool);
	if (pool) {
		KUNIT_EXPECT_EQ(test, read_poolinfo(test, &pdev->dev, lines, 2), 1);
		dmam_pool_destroy(pool);
	}
	KUNIT_EXPECT_EQ(test, read_poolinfo(test, &pdev->dev, lines, 2), -ENOENT);
	KUNIT_EXPECT_TRUE(test, list_empty(&pdev->dev.dma_pools));
	/* a second release at device removal would warn or crash */
	platform_device_unregister(pdev);
	KUNIT_EXPECT_EQ(test, dma_suite_log_count(mark, "WARNING", NULL), 0U);
}

static struct kunit_case dmapool_cases[] = {
	KUNIT_CASE_PARAM(dmapool_create_refuses_invalid_arguments, refused_gen_params),
	KUNIT_CASE_PARAM(dmapool_create_rounds_block_size, rounding_gen_params),
	KUNIT_CASE(dmapool_create_size_above_int_max),
	KUNIT_CASE(dmapool_create_refuses_null_device),
	KUNIT_CASE(dmapool_create_boundary_0_means_none),
	KUNIT_CASE_PARAM(dmapool_alloc_fills_a_chunk_before_adding_the_next, geom_gen_params),
	KUNIT_CASE_PARAM(dmapool_alloc_blocks_aligned_inside_chunk_within_boundary,
			 geom_gen_params),
	KUNIT_CASE(dmapool_free_block_is_reused_last_freed_first),
	KUNIT_CASE(dmapool_zalloc_zeroes_a_dirty_freed_block),
	KUNIT_CASE(dmapool_alloc_atomic_in_atomic_context),
	KUNIT_CASE(dmapool_alloc_many_blocks_across_chunks),
	KUNIT_CASE(dmapool_destroy_busy_pool_reports_and_keeps_memory),
	KUNIT_CASE(dmapool_sysfs_file_exists_from_first_pool_to_last),
	KUNIT_CASE(dmapool_create_fails_cleanly_without_its_sysfs_file),
	KUNIT_CASE(dmapool_sysfs_poolinfo_format_is_exact),
	KUNIT_CASE(dmapool_sysfs_counts_follow_every_alloc_and_free),
	KUNIT_CASE(dmapool_sysfs_lists_every_pool_of_the_device),
	KUNIT_CASE(dmapool_sysfs_truncates_long_name),
	KUNIT_CASE(dmapool_sysfs_parser_reads_every_column),
	KUNIT_CASE_PARAM(dmapool_sysfs_parser_refuses_what_the_kernel_never_prints,
			 refused_files_gen_params),
	KUNIT_CASE(dmapool_managed_pool_destroyed_on_driver_detach),
	KUNIT_CASE(dmapool_managed_pool_destroyed_on_device_removal),
	KUNIT_CASE(dmapool_managed_destroy_releases_now),
	{}
};

static struct kunit_suite dmapool_suite = {
	.name = "dmapool",
	.init = dmapool_test_init,
	.exit = dmapool_test_exit,
	.test_cases = dmapool_cases,
};

kunit_test_suite(dmapool_suite);

MODULE_DESCRIPTION("KUnit tests for the DMA pool allocator");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * What a DMA pool block costs, against a kmem_cache of the same object size.
 *
 * The table of shapes is mm/dmapool_test.c's (size, align, boundary, and
 * its number of blocks), plus tiny sizes.  One sample is one round of that
 * test's pattern: allocate all the blocks, holding them live, then free them
 * all; alloc and free are timed apart, and the pair is their sum, per block.
 * The same round on a kmem_cache of the same size and alignment is the
 * baseline a driver could use instead (it has no DMA address, no boundary).
 *
 * Growth: the cost of a free and an allocation with N pages' worth of
 * blocks live, for N from 1 to about 1000.  Generation 1 (up to 6.3) walks
 * the pool's pages on both; generation 2 keeps one free list.
 */

#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "bench.h"

struct dsb_shape {
	size_t size, align, boundary;
};

static const struct dsb_shape shapes[] = {
	/* tiny: below generation 2's smallest block */
	{ .size = 4, .align = 4 },
	{ .size = 8, .align = 8 },
	/* mm/dmapool_test.c's table */
	{ .size = 16, .align = 16 },
	{ .size = 64, .align = 64 },
	{ .size = 256, .align = 256 },
	{ .size = 1024, .align = 1024 },
	{ .size = 4096, .align = 4096 },
	{ .size = 68, .align = 32, .boundary = 4096 },
};

/* mm/dmapool_test.c's number of blocks for a size */
static unsigned int upstream_blocks(size_t size)
{
	return clamp_t(unsigned long, (PAGE_SIZE / size) * 512, 1024, 8192);
}

struct dsb_pool_ctx {
	struct device *dev;
	struct dma_pool *pool;		/* either this */
	struct kmem_cache *cache;	/* or this */
	void **v;
	dma_addr_t *dma;
};

static void *ctx_alloc(struct dsb_pool_ctx *c, dma_addr_t *dma)
{
	if (c->pool)
		return dma_pool_alloc(c->pool, GFP_KERNEL, dma);
	return kmem_cache_alloc(c->cache, GFP_KERNEL);
}

static void ctx_free(struct dsb_pool_ctx *c, void *v, dma_addr_t dma)
{
	if (c->pool)
		dma_pool_free(c->pool, v, dma);
	else
		kmem_cache_free(c->cache, v);
}

/* The alloc, free and pair figures of one point */
static void print_ops(const char *part, const char *keys, u64 *a, u64 *f,
		      u64 *p, unsigned int reps)
{
	static const char * const ops[] = { "alloc", "free", "pair" };
	u64 *samples[] = { a, f, p };
	char line[160];
	int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		snprintf(line, sizeof(line), "%s op=%s", keys, ops[i]);
		dsb_print(part, line, samples[i], reps);
	}
}

/* One round of dmapool_test's pattern; times in ns */
static int one_round(struct dsb_pool_ctx *c, unsigned int n, u64 *alloc_ns,
		     u64 *free_ns)
{
	unsigned int i;
	u64 t0, t1, t2;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		c->v[i] = ctx_alloc(c, &c->dma[i]);
		if (!c->v[i])
			goto fail;
	}
	t1 = ktime_get_ns();
	for (i = 0; i < n; i++)
		ctx_free(c, c->v[i], c->dma[i]);
	t2 = ktime_get_ns();
	*alloc_ns = t1 - t0;
	*free_ns = t2 - t1;
	cond_resched();
	return 0;
fail:
	while (i--)
		ctx_free(c, c->v[i], c->dma[i]);
	return -ENOMEM;
}

#define UPSTREAM_ROUNDS	100	/* NR_TESTS of mm/dmapool_test.c */

/*
 * mm/dmapool_test.c's own method, to compare with its line: a fresh pool,
 * UPSTREAM_ROUNDS rounds timed as a whole (the first one grows the pool),
 * in ns per alloc+free pair.
 */
static int measure_upstream(struct dsb_pool_ctx *c, const struct dsb_shape *s,
			    unsigned int n, unsigned int reps, u64 *p,
			    const char *keys)
{
	struct dma_pool *keep = c->pool;
	unsigned int r, i;
	u64 t0, an, fn;
	char line[160];
	int ret = 0;

	for (r = 0; !ret && r < reps; r++) {
		c->pool = dma_pool_create("dsb-upstream", dsb_device(), s->size,
					  s->align, s->boundary);
		if (!c->pool) {
			ret = -ENOMEM;
			break;
		}
		t0 = ktime_get_ns();
		for (i = 0; !ret && i < UPSTREAM_ROUNDS; i++)
			ret = one_round(c, n, &an, &fn);
		p[r] = div_u64((ktime_get_ns() - t0) * DSB_SCALE,
			       UPSTREAM_ROUNDS * n);
		dma_pool_destroy(c->pool);
	}
	c->pool = keep;
	if (!ret) {
		snprintf(line, sizeof(line), "%s op=upstream", keys);
		dsb_print("pool", line, p, reps);
	}
	return ret;
}

static int measure_shape(struct dsb_pool_ctx *c, const struct dsb_shape *s,
			 const char *kind, unsigned int reps)
{
	unsigned int n = upstream_blocks(s->size), r;
	u64 *a, *f, *p, an, fn;
	char keys[128];
	int ret = -ENOMEM;

	a = kcalloc(reps, sizeof(*a), GFP_KERNEL);
	f = kcalloc(reps, sizeof(*f), GFP_KERNEL);
	p = kcalloc(reps, sizeof(*p), GFP_KERNEL);
	if (!a || !f || !p)
		goto out;
	/* an untimed round first: the pool's pages are then already there */
	ret = one_round(c, n, &an, &fn);
	for (r = 0; !ret && r < reps; r++) {
		ret = one_round(c, n, &an, &fn);
		a[r] = div_u64(an * DSB_SCALE, n);
		f[r] = div_u64(fn * DSB_SCALE, n);
		p[r] = div_u64((an + fn) * DSB_SCALE, n);
	}
	if (ret)
		goto out;
	snprintf(keys, sizeof(keys), "kind=%s size=%zu align=%zu boundary=%zu blocks=%u",
		 kind, s->size, s->align, s->boundary, n);
	print_ops("pool", keys, a, f, p, reps);
	if (c->pool)
		ret = measure_upstream(c, s, n, reps, p, keys);
out:
	kfree(a);
	kfree(f);
	kfree(p);
	return ret;
}

/**
 * dsb_pool_run() - per-operation cost of DMA pools and of kmem_caches
 * @cfg: repetitions
 *
 * Return: 0, or a negative errno if something could not be set up.
 */
int dsb_pool_run(const struct dsb_cfg *cfg)
{
	struct dsb_pool_ctx c = { };
	unsigned int i, max = upstream_blocks(1);
	int ret = -ENOMEM;

	c.v = kvcalloc(max, sizeof(*c.v), GFP_KERNEL);
	c.dma = kvcalloc(max, sizeof(*c.dma), GFP_KERNEL);
	if (!c.v || !c.dma)
		goto out;
	c.dev = dsb_device();
	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		const struct dsb_shape *s = &shapes[i];

		c.pool = dma_pool_create("dsb", c.dev, s->size, s->align,
					 s->boundary);
		ret = c.pool ? measure_shape(&c, s, "dmapool", cfg->reps) : -ENOMEM;
		dma_pool_destroy(c.pool);
		c.pool = NULL;
		if (ret)
			break;
		c.cache = kmem_cache_create("dsb", s->size, s->align, 0, NULL);
		ret = c.cache ? measure_shape(&c, s, "kmem_cache", cfg->reps) : -ENOMEM;
		kmem_cache_destroy(c.cache);
		c.cache = NULL;
		if (ret)
			break;
	}
out:
	kvfree(c.v);
	kvfree(c.dma);
	return ret;
}

/* live blocks of the growth curve, in pages' worth */
static const unsigned int growth_pages[] = {
	1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000,
};

static const unsigned int smoke_pages[] = { 1, 32, 1000 };

/*
 * 48-byte blocks: 85 to a page in both generations (generation 1 leaves out
 * the last block of a page that the size divides, 64 bytes would give 63
 * and 64), so N pages' worth of blocks fill exactly N pages in both.
 */
#define GROWTH_SIZE	48
#define GROWTH_ALIGN	16
#define GROWTH_OPS	256	/* free+alloc pairs per sample */

/*
 * One sample at the current number of live blocks: GROWTH_OPS times, free a
 * random live block and allocate one in its place, timed as a whole (the
 * pair); then GROWTH_OPS more with each free and alloc timed on its own.
 * Those include a clock read each (the start line prints its cost) and,
 * on a coarse clock (UML's ticks are 256 ns), only average out over many
 * operations.
 */
static int growth_sample(struct dsb_pool_ctx *c, unsigned int live,
			 struct rnd_state *rnd, u64 *alloc_ns, u64 *free_ns,
			 u64 *pair_ns)
{
	unsigned int k, j;
	u64 t0, t1, t2;

	t0 = ktime_get_ns();
	for (k = 0; k < GROWTH_OPS; k++) {
		j = prandom_u32_state(rnd) % live;
		ctx_free(c, c->v[j], c->dma[j]);
		c->v[j] = ctx_alloc(c, &c->dma[j]);
		if (!c->v[j])
			return -ENOMEM;
	}
	*pair_ns = ktime_get_ns() - t0;
	*alloc_ns = *free_ns = 0;
	for (k = 0; k < GROWTH_OPS; k++) {
		j = prandom_u32_state(rnd) % live;
		t0 = ktime_get_ns();
		ctx_free(c, c->v[j], c->dma[j]);
		t1 = ktime_get_ns();
		c->v[j] = ctx_alloc(c, &c->dma[j]);
		t2 = ktime_get_ns();
		if (!c->v[j])
			return -ENOMEM;
		*free_ns += t1 - t0;
		*alloc_ns += t2 - t1;
	}
	cond_resched();
	return 0;
}

static int growth_curve(struct dsb_pool_ctx *c, const unsigned int *pages,
			unsigned int nr, const char *kind, unsigned int reps)
{
	unsigned int per_page = PAGE_SIZE / GROWTH_SIZE, live = 0, i, r;
	u64 *a, *f, *p, an, fn, pn;
	struct rnd_state rnd;
	char keys[128];
	int ret = -ENOMEM;

	a = kcalloc(reps, sizeof(*a), GFP_KERNEL);
	f = kcalloc(reps, sizeof(*f), GFP_KERNEL);
	p = kcalloc(reps, sizeof(*p), GFP_KERNEL);
	if (!a || !f || !p)
		goto out;
	prandom_seed_state(&rnd, 42);
	ret = 0;
	for (i = 0; !ret && i < nr; i++) {
		for (; live < pages[i] * per_page; live++) {
			c->v[live] = ctx_alloc(c, &c->dma[live]);
			if (!c->v[live]) {
				ret = -ENOMEM;
				break;
			}
		}
		for (r = 0; !ret && r < reps; r++) {
			ret = growth_sample(c, live, &rnd, &an, &fn, &pn);
			a[r] = div_u64(an * DSB_SCALE, GROWTH_OPS);
			f[r] = div_u64(fn * DSB_SCALE, GROWTH_OPS);
			p[r] = div_u64(pn * DSB_SCALE, GROWTH_OPS);
		}
		if (ret)
			break;
		snprintf(keys, sizeof(keys), "kind=%s size=%u pages=%u live=%u",
			 kind, GROWTH_SIZE, pages[i], live);
		print_ops("growth", keys, a, f, p, reps);
	}
	while (live--)
		if (c->v[live])
			ctx_free(c, c->v[live], c->dma[live]);
out:
	kfree(a);
	kfree(f);
	kfree(p);
	return ret;
}

/**
 * dsb_growth_run() - pool and kmem_cache cost against live blocks
 * @cfg: repetitions; smoke: three points
 *
 * Return: 0, or a negative errno if something could not be set up.
 */
int dsb_growth_run(const struct dsb_cfg *cfg)
{
	const unsigned int *pages = cfg->smoke ? smoke_pages : growth_pages;
	unsigned int nr = cfg->smoke ? ARRAY_SIZE(smoke_pages) :
				       ARRAY_SIZE(growth_pages);
	unsigned int max = pages[nr - 1] * (PAGE_SIZE / GROWTH_SIZE);
	struct dsb_pool_ctx c = { };
	int ret = -ENOMEM;

	c.v = kvcalloc(max, sizeof(*c.v), GFP_KERNEL);
	c.dma = kvcalloc(max, sizeof(*c.dma), GFP_KERNEL);
	if (!c.v || !c.dma)
		goto out;
	c.dev = dsb_device();
	c.pool = dma_pool_create("dsb-growth", c.dev, GROWTH_SIZE,
				 GROWTH_ALIGN, 0);
	ret = c.pool ? growth_curve(&c, pages, nr, "dmapool", cfg->reps) : -ENOMEM;
	dma_pool_destroy(c.pool);
	c.pool = NULL;
	if (!ret) {
		c.cache = kmem_cache_create("dsb-growth", GROWTH_SIZE,
					    GROWTH_ALIGN, 0, NULL);
		ret = c.cache ? growth_curve(&c, pages, nr, "kmem_cache",
					     cfg->reps) : -ENOMEM;
		kmem_cache_destroy(c.cache);
	}
out:
	kvfree(c.v);
	kvfree(c.dma);
	return ret;
}

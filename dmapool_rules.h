/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What mm/dmapool.c promises, per allocator generation.
 *
 * Linux 6.4 replaced the allocator: up to 6.3 (generation 1) each page kept
 * its own free list as a chain of 4-byte offsets stored in the free blocks;
 * from 6.4 (generation 2) one free list of struct dma_block links blocks
 * across all pages.  Kbuild derives DMAPOOL_GENERATION from the kernel's
 * version, once; everything else in the suite asks struct dmapool_rules.
 */
#ifndef _DMAPOOL_RULES_H
#define _DMAPOOL_RULES_H

#include <linux/kconfig.h>
#include <linux/types.h>

struct dmapool_rules {
	/* which allocator, for messages */
	const char *generation;
	/*
	 * Smallest block: a free block must hold the free-list link.  Up to
	 * 6.3 that is the int offset of the next free block (4 bytes); from
	 * 6.4 it is struct dma_block { struct dma_block *next; dma_addr_t dma; }.
	 */
	size_t min_block;
	/* 6.4+ returns NULL for a NULL device; 6.1 dereferences it (oops). */
	bool refuses_null_dev;
	/* 6.4+ refuses size > INT_MAX; 6.1 accepts it (and would try it). */
	bool refuses_size_above_int_max;
	/*
	 * 6.4+ clamps the boundary to the allocation (a page, or the block if
	 * larger).  6.1 keeps a larger boundary, and then its offset chain runs
	 * to the end of the page without stopping at it: a block whose end is
	 * past the page is handed out when the block size does not divide the
	 * page.  That case is never allocated from on 6.1: it skips, naming
	 * the bug (@overrun_bug) and its fix.
	 */
	bool clamps_boundary;
	/*
	 * The kernel bug an unclamped boundary is, and its upstream fix
	 * (which clamps it: boundary = min(boundary, allocation)), or NULL.
	 */
	const char *overrun_bug;
	const char *overrun_fix;
	/*
	 * 6.1 links a block to the next only if the block after that would end
	 * strictly before the boundary (next + size >= boundary skips), so
	 * when the block size divides the boundary segment exactly, the last
	 * block of every segment (but a segment's only block) is never used.
	 * 6.4+ uses every block that fits.
	 */
	bool skips_block_ending_on_boundary;
	/*
	 * The "total blocks" column of poolinfo: 6.4+ counts the blocks it
	 * carved out of its pages; 6.1 prints pages * (allocation / size),
	 * which ignores boundary gaps and the skipped blocks above.
	 */
	bool reports_carved_blocks;
	/*
	 * A line of poolinfo read while blocks are allocated and freed: 6.1
	 * counts each pool's pages and blocks in use under the pool's lock,
	 * so a line is a snapshot (total = pages * per page, in use <= total).
	 * 6.4+ prints its three counters without taking the pool's lock: the
	 * columns may come from different moments, each within its bounds.
	 */
	bool poolinfo_line_is_a_snapshot;
	/*
	 * Destroying a pool with blocks in use: 6.1 prints one
	 * "dma_pool_destroy <name>, <addr> busy" line per busy page and frees
	 * the idle pages; 6.4+ prints "dma_pool_destroy <name> busy" once and
	 * frees no page at all.  Both keep the memory of the busy blocks.
	 */
	bool busy_destroy_keeps_idle_pages;
	/*
	 * With DMAPOOL_DEBUG, dma_pool_free() of 6.1 also checks that the
	 * block's address matches its DMA handle ("(bad vaddr)"); 6.4+ only
	 * checks that the handle is in one of the pool's pages and that the
	 * block is not already free.
	 */
	bool debug_checks_vaddr;
};

struct dmapool_block_link {
	void *next;
	dma_addr_t dma;
};

#ifndef DMAPOOL_GENERATION
#error "DMAPOOL_GENERATION is set by Kbuild"
#endif

#if DMAPOOL_GENERATION >= 2
static const struct dmapool_rules dmapool_rules = {
	.generation = "global block list (6.4+)",
	.min_block = sizeof(struct dmapool_block_link),
	.refuses_null_dev = true,
	.refuses_size_above_int_max = true,
	.clamps_boundary = true,
	.overrun_bug = NULL,
	.overrun_fix = NULL,
	.skips_block_ending_on_boundary = false,
	.reports_carved_blocks = true,
	.poolinfo_line_is_a_snapshot = false,
	.busy_destroy_keeps_idle_pages = true,
	.debug_checks_vaddr = false,
};
#else
static const struct dmapool_rules dmapool_rules = {
	.generation = "per-page offset free list (up to 6.3)",
	.min_block = sizeof(int),
	.refuses_null_dev = false,
	.refuses_size_above_int_max = false,
	.clamps_boundary = false,
	.overrun_bug = "dmapool boundary past chunk",
	.overrun_fix = "6.4: 790233528d33 \"dmapool: cleanup integer types\"",
	.skips_block_ending_on_boundary = true,
	.reports_carved_blocks = false,
	.poolinfo_line_is_a_snapshot = true,
	.busy_destroy_keeps_idle_pages = false,
	.debug_checks_vaddr = true,
};
#endif

/*
 * mm/dmapool.c defines DMAPOOL_DEBUG (poisoning, double-free and corruption
 * reports) when the slab allocator debugs by default: CONFIG_SLUB_DEBUG_ON,
 * or up to 6.7 CONFIG_DEBUG_SLAB.
 */
#define DMAPOOL_KERNEL_DEBUG \
	(IS_ENABLED(CONFIG_SLUB_DEBUG_ON) || IS_ENABLED(CONFIG_DEBUG_SLAB))

#endif /* _DMAPOOL_RULES_H */

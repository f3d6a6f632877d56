/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a DMA pool lays out its chunks, derived once from the rules of this
 * kernel's allocator generation (dmapool_rules.h): the block size, the
 * chunk, the boundary as the allocator applies it, which blocks a fresh
 * chunk hands out and in what order, and what the "total blocks" column of
 * poolinfo counts for each chunk.  Every suite that needs a pool's layout
 * asks here.
 */
#ifndef _DMAPOOL_GEOMETRY_H
#define _DMAPOOL_GEOMETRY_H

#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/page.h>

#include "dmapool_rules.h"

/**
 * struct dmapool_geometry - the layout of a pool's chunks
 * @size: block size after rounding, the stride of a chunk's blocks
 * @allocation: bytes per chunk (one dma_alloc_coherent() each)
 * @boundary: the boundary as the allocator applies it
 * @per_page: blocks a chunk hands out
 * @reported_per_page: "total blocks" per chunk in poolinfo
 * @overruns: a block would end past its chunk (6.1's unclamped boundary)
 */
struct dmapool_geometry {
	size_t size;
	size_t allocation;
	size_t boundary;
	unsigned int per_page;
	unsigned int reported_per_page;
	bool overruns;
};

/**
 * dmapool_block_size() - the block size a pool uses
 * @size: size passed to dma_pool_create()
 * @align: align passed to dma_pool_create() (0 means 1)
 *
 * Return: @size raised to the smallest block (a free block holds the free
 * list's link), rounded up to @align.
 */
static inline size_t dmapool_block_size(size_t size, size_t align)
{
	return ALIGN(max(size, dmapool_rules.min_block), align ? align : 1);
}

/**
 * dmapool_next_block() - the block a fresh chunk hands out after another
 * @g: the pool's geometry
 * @off: offset in its chunk of a block the chunk hands out
 *
 * Both generations hand out a fresh chunk's blocks in ascending order,
 * from offset 0; they differ in which blocks there are:
 *  - 6.4+: in each boundary segment, every block that fits in it;
 *  - 6.1: a segment's first block, then the next only while the block
 *    after it would end strictly before the segment's end; its boundary
 *    is not clamped to the chunk, so blocks run on to the chunk's end.
 * A segment's first block is there whenever it starts inside the chunk.
 *
 * Return: the offset of the next block, or @g->allocation when the block
 * at @off is the chunk's last.
 */
static inline size_t dmapool_next_block(const struct dmapool_geometry *g,
					size_t off)
{
	size_t segment_end = off - off % g->boundary + g->boundary;
	size_t next = off + g->size;
	bool fits = dmapool_rules.skips_block_ending_on_boundary ?
		    next + g->size < segment_end :
		    next + g->size <= segment_end;

	if (!fits)
		next = segment_end;
	return min(next, g->allocation);
}

/**
 * dmapool_geometry() - how a pool lays out its chunks on this kernel
 * @g: the geometry
 * @size: size passed to dma_pool_create()
 * @align: align passed to dma_pool_create()
 * @boundary: boundary passed to dma_pool_create() (0: none)
 *
 * Derives @g from the pool's creation arguments, which must be ones
 * dma_pool_create() accepts.
 */
static inline void dmapool_geometry(struct dmapool_geometry *g, size_t size,
				    size_t align, size_t boundary)
{
	size_t off;

	*g = (struct dmapool_geometry){};
	g->size = dmapool_block_size(size, align);
	g->allocation = max_t(size_t, g->size, PAGE_SIZE);
	g->boundary = boundary ? boundary : g->allocation;
	if (dmapool_rules.clamps_boundary)
		g->boundary = min(g->boundary, g->allocation);
	for (off = 0; off < g->allocation; off = dmapool_next_block(g, off)) {
		if (off + g->size > g->allocation)
			g->overruns = true;
		g->per_page++;
	}
	g->reported_per_page = dmapool_rules.reports_carved_blocks ?
			       g->per_page : g->allocation / g->size;
}

#endif /* _DMAPOOL_GEOMETRY_H */

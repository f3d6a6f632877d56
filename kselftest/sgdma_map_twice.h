/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One set of pages mapped twice, back to back, for the aliasing rules of
 * /dev/sgdma_test.  Shared anonymous memory and mremap() with an old size
 * of 0, which maps a shared mapping's pages once more (mremap(2)): no
 * memfd_create(), which kernels without CONFIG_MEMFD_CREATE lack.
 */
#ifndef _SGDMA_MAP_TWICE_H
#define _SGDMA_MAP_TWICE_H

#include <stddef.h>
#include <sys/mman.h>

/* @len bytes of shared pages at @at, and the same pages at @at + @len */
static inline int sgdma_map_twice(unsigned char *at, size_t len)
{
	if (mmap(at, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -1;
	if (mremap(at, 0, len, MREMAP_MAYMOVE | MREMAP_FIXED, at + len) == MAP_FAILED)
		return -1;
	return 0;
}

#endif /* _SGDMA_MAP_TWICE_H */

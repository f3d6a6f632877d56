/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the DMA test suite's KUnit tests: reading sysfs and
 * debugfs as user space sees them, finding what the kernel printed, counted
 * failure points, cleanups at the end of a case, and a device to make pools
 * on.
 */
#ifndef _DMA_SUITE_HELPERS_H
#define _DMA_SUITE_HELPERS_H

#include <linux/types.h>

struct device;
struct kunit;
struct platform_device;

/*
 * The per-device sysfs file "pools" of mm/dmapool.c, as both allocator
 * generations print it: this header, then one line per pool of the device,
 * newest first, in this format (name, blocks in use, total blocks, block
 * size, pages).
 */
#define DMA_SUITE_POOLINFO_HEADER	"poolinfo - 0.1\n"
#define DMA_SUITE_POOLINFO_LINE_FMT	"%-16s %4u %4u %4u %2u\n"
/* struct dma_pool keeps name[32]: at most 31 characters of a name */
#define DMA_SUITE_POOL_NAME_MAX		31
/* room for the reason dma_suite_poolinfo_parse() gives */
#define DMA_SUITE_POOLINFO_WHY_SIZE	128

/**
 * struct dma_suite_poolinfo - one line of "pools"
 * @name: the pool's name
 * @in_use: blocks in use
 * @total: blocks in the pool's pages
 * @size: block size
 * @pages: pages (chunks) of the pool
 */
struct dma_suite_poolinfo {
	char name[DMA_SUITE_POOL_NAME_MAX + 1];
	unsigned int in_use, total, size, pages;
};

int dma_suite_poolinfo_parse(const char *buf, size_t len,
			     struct dma_suite_poolinfo *lines, unsigned int max,
			     char *why, size_t why_size);
int dma_suite_poolinfo(struct device *dev, const char *name,
		       struct dma_suite_poolinfo *pi);
ssize_t dma_suite_read_dev_attr(struct device *dev, const char *attr,
				char *buf, size_t size);
ssize_t dma_suite_sysfs_read(const char *path, char *buf, size_t size);
int dma_suite_sysfs_write(const char *path, const char *val);
int dma_suite_sysfs_exists(const char *path);
u64 dma_suite_log_mark(void);
unsigned int dma_suite_log_count(u64 since, const char *what,
				 const char *also);
int dma_suite_debugfs_u32(const char *dir, const char *name, u32 *val);
/* why a case that needs dma_suite_fault_begin() skips */
#define DMA_SUITE_NO_FAULT_INJECTION \
	"no fault injection (FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC, " \
	"FAULT_INJECTION_DEBUG_FS): make kunit-debug has it"
/* which should_fail() sites a task's fail-nth counter counts */
enum dma_suite_fault_scope {
	DMA_SUITE_FAULT_ALLOCS,		/* every allocation, and the others */
	DMA_SUITE_FAULT_OTHERS,		/* only the sites that are not allocations */
};

int dma_suite_fault_begin(enum dma_suite_fault_scope scope);
void dma_suite_fault_end(void);
unsigned int dma_suite_fail_nth(unsigned int n);
struct platform_device *dma_suite_register_dma_device(const char *name);
int dma_suite_kunit_defer(struct kunit *test, void (*fn)(void *data), void *data);
struct platform_device *dma_suite_kunit_dma_device(struct kunit *test,
						   const char *name);

#endif /* _DMA_SUITE_HELPERS_H */

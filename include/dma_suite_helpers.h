/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the DMA test suite's KUnit tests: reading sysfs as user
 * space sees it, and finding what the kernel printed.
 */
#ifndef _DMA_SUITE_HELPERS_H
#define _DMA_SUITE_HELPERS_H

#include <linux/types.h>

struct device;

ssize_t dma_suite_read_dev_attr(struct device *dev, const char *attr,
				char *buf, size_t size);
u64 dma_suite_log_mark(void);
unsigned int dma_suite_log_count(u64 since, const char *what,
				 const char *also);

#endif /* _DMA_SUITE_HELPERS_H */

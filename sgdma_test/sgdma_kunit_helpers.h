/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the sgdma KUnit suites share: the memcpy channels a case holds, and
 * user memory where KUnit can make it (kunit_vm_mmap() arrived after 6.1,
 * and Kbuild defines SGDMA_HAVE_KUNIT_VM_MMAP when lib/kunit/user_alloc.c
 * exists).
 */
#ifndef _SGDMA_KUNIT_HELPERS_H
#define _SGDMA_KUNIT_HELPERS_H

#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/overflow.h>

#include "sgdma.h"
#include "dma_suite_helpers.h"

/*
 * A case whose run takes over a second somewhere the suite runs (the
 * kernel says "Test should be marked slow" since 6.6, which added test
 * attributes): on 6.1 it is an ordinary case.
 */
#ifndef KUNIT_CASE_SLOW
#define KUNIT_CASE_SLOW(test_name) KUNIT_CASE(test_name)
#endif

/* why a case that needs a memcpy channel skips */
#define SGDMA_KUNIT_NO_CHAN	"no dmaengine channel with DMA_MEMCPY"

/**
 * struct sgdma_kunit_chans - memcpy channels a case holds
 * @nr: how many it holds
 * @chan: the channels
 */
struct sgdma_kunit_chans {
	unsigned int nr;
	struct dma_chan *chan[];
};

/**
 * sgdma_kunit_chans_put() - give back the channels of sgdma_kunit_chans() now
 * @data: the &struct sgdma_kunit_chans
 *
 * For a case that lends them to something that takes channels itself (the
 * threaded runner); the end of the case then has none left to give back.
 */
static inline void sgdma_kunit_chans_put(void *data)
{
	struct sgdma_kunit_chans *c = data;

	sgdma_release_channels(c->chan, c->nr);
	c->nr = 0;
}

/**
 * sgdma_kunit_chans() - hold the free memcpy channels that match, for a case
 * @test: the case; the channels are given back when it ends
 * @max: at most this many
 * @device: DMA device name to match ("sgdma-swchan"), or NULL for any
 * @none: why the case skips when no channel matched, or NULL to go on
 *	holding none
 *
 * The one way the sgdma suites take channels: sgdma_request_channels(),
 * given back by sgdma_kunit_chans_put() or when the case ends (after the
 * suite's exit function), however it ends.
 *
 * Context: process context, in the case's thread.
 * Return: the channels held.
 */
static inline struct sgdma_kunit_chans *
sgdma_kunit_chans(struct kunit *test, unsigned int max, const char *device,
		  const char *none)
{
	struct sgdma_kunit_chans *c;

	c = kunit_kzalloc(test, struct_size(c, chan, max), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->nr = sgdma_request_channels(c->chan, max, NULL, device);
	KUNIT_ASSERT_EQ(test, dma_suite_kunit_defer(test, sgdma_kunit_chans_put, c), 0);
	if (!c->nr && none)
		kunit_skip(test, "%s", none);
	return c;
}

/*
 * Anonymous user memory for this case, or a skip saying why there is none.
 *
 * KUnit attaches a new mm to the case's thread for it and leaves it to the
 * thread's exit; on 6.12 UML that mm is never freed, and kmemleak reports
 * it.  The line printed here names the mm so that the runner can tell that
 * known leak, by address, from leaks of the suite.
 */
static inline unsigned long sgdma_user_map(struct kunit *test, size_t len)
{
#ifdef SGDMA_HAVE_KUNIT_VM_MMAP
	unsigned long addr = kunit_vm_mmap(test, NULL, 0, len, PROT_READ | PROT_WRITE,
					   MAP_ANONYMOUS | MAP_PRIVATE, 0);

	if (current->mm)
		pr_info("sgdma: KUnit user memory in mm 0x%lx\n",
			(unsigned long)current->mm);
	return addr;
#else
	kunit_skip(test, "no kunit_vm_mmap() in this KUnit: no user memory to pin");
	return -EOPNOTSUPP;
#endif
}

#endif /* _SGDMA_KUNIT_HELPERS_H */

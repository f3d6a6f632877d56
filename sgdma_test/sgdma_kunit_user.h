/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User memory for the sgdma KUnit suites, where KUnit can make it:
 * kunit_vm_mmap() arrived after 6.1, and Kbuild defines
 * SGDMA_HAVE_KUNIT_VM_MMAP when lib/kunit/user_alloc.c exists.
 */
#ifndef _SGDMA_KUNIT_USER_H
#define _SGDMA_KUNIT_USER_H

#include <kunit/test.h>
#include <linux/mman.h>

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

#endif /* _SGDMA_KUNIT_USER_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kselftest programs of /dev/sgdma_test share: the seeded PRNG
 * (splitmix64), counting lines of the pools file, and one set of pages
 * mapped twice for the aliasing rules.
 */
#ifndef _SGDMA_KSFT_H
#define _SGDMA_KSFT_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/types.h>

#include "sgdma_test.h"

/* ---- the PRNG: splitmix64, a stream per seed ---- */

static inline __u64 splitmix(__u64 *s)
{
	__u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline __u64 below(__u64 *s, __u64 n)
{
	return n ? splitmix(s) % n : 0;
}

static inline int chance(__u64 *s, unsigned int percent)
{
	return below(s, 100) < percent;
}

/* Pools file lines whose name starts with @prefix; 0 without the file */
static inline int pools_listed(const char *prefix)
{
	char buf[8192], *line, *next;
	int fd, n = 0;
	ssize_t got;

	fd = open(SGDMA_POOLS_SYSFS, O_RDONLY);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got < 0)
		return -errno;
	buf[got] = '\0';
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n += !strncmp(line, prefix, strlen(prefix));
	}
	return n;
}

/*
 * @len bytes of shared pages at @at, and the same pages at @at + @len:
 * shared anonymous memory and mremap() with an old size of 0, which maps
 * a shared mapping's pages once more (mremap(2)); no memfd_create(), which
 * kernels without CONFIG_MEMFD_CREATE lack.
 */
static inline int sgdma_map_twice(unsigned char *at, size_t len)
{
	if (mmap(at, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -1;
	if (mremap(at, 0, len, MREMAP_MAYMOVE | MREMAP_FIXED, at + len) == MAP_FAILED)
		return -1;
	return 0;
}

/*
 * Whether a memcpy channel takes a copy: a one-byte kernel copy on any
 * channel is not refused with ENODEV.  Only ENODEV says there is none: a
 * channel that fails the copy is there, and finding that out is the
 * cases' job, not a reason to skip them.
 */
#define SGDMA_NO_CHANNEL	"no memcpy channel (a copy is refused with ENODEV)"

static inline int sgdma_any_channel(int fd)
{
	struct sgdma_ioc_copy c = { .size = sizeof(c), .version = SGDMA_UAPI_VERSION,
				    .dir = SGDMA_DIR_K2K, .len = 1, .timeout_ms = 5000 };

	return ioctl(fd, SGDMA_IOC_COPY, &c) == 0 || errno != ENODEV;
}

#endif /* _SGDMA_KSFT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs "pools" file of a device, as user space reads it.
 *
 * /dev/sgdma_test makes DMA pools, with blocks in use, on the platform
 * device sgdma-test-pools; this reads /sys/.../pools and parses it strictly:
 * the header "poolinfo - 0.1", then one "%-16s %4u %4u %4u %2u" line per
 * pool (name, blocks in use, total blocks, block size, pages).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sgdma_test.h"

struct line {
	char name[32];
	unsigned int in_use, total, size, pages;
};

/* Read the pools file; -errno if it cannot be opened, else lines parsed */
static int read_pools(struct __test_metadata *_metadata, struct line *out,
		      int max)
{
	char buf[8192], again[128], *line, *next;
	ssize_t len;
	int fd, n = 0;

	fd = open(SGDMA_POOLS_SYSFS, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_GT(len, 0);
	buf[len] = '\0';
	ASSERT_EQ(0, strncmp(buf, "poolinfo - 0.1\n", 15)) {
		TH_LOG("header: \"%.20s\"", buf);
	}
	ASSERT_EQ('\n', buf[len - 1]);
	for (line = buf + 15; *line; line = next) {
		struct line l;
		int got;

		next = strchr(line, '\n');
		*next++ = '\0';
		got = sscanf(line, "%31s %u %u %u %u", l.name, &l.in_use, &l.total,
			     &l.size, &l.pages);
		ASSERT_EQ(5, got) {
			TH_LOG("unparsable line \"%s\"", line);
		}
		snprintf(again, sizeof(again), "%-16s %4u %4u %4u %2u", l.name,
			 l.in_use, l.total, l.size, l.pages);
		ASSERT_STREQ(again, line);
		ASSERT_LT(n, max);
		out[n++] = l;
	}
	return n;
}

FIXTURE(pools) {
	int fd;
	unsigned int ids[4];
	int nr;
};

FIXTURE_SETUP(pools)
{
	self->nr = 0;
	self->fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->fd < 0)
		SKIP(return, "%s: %s (module sgdma_test not loaded?)",
		     SGDMA_DEV_PATH, strerror(errno));
}

FIXTURE_TEARDOWN(pools)
{
	struct sgdma_ioc_pool p = { };

	while (self->nr > 0) {
		p.id = self->ids[--self->nr];
		ioctl(self->fd, SGDMA_IOC_POOL_DESTROY, &p);
	}
	if (self->fd >= 0)
		close(self->fd);
}

/* Make a pool with @blocks in use; its id goes to ids[(*nr)++] */
static void make_pool(struct __test_metadata *_metadata, int fd,
		      unsigned int *ids, int *nr, const char *name,
		      unsigned int size, unsigned int align, unsigned int blocks)
{
	struct sgdma_ioc_pool p = { .size = size, .align = align, .blocks = blocks };

	snprintf(p.name, sizeof(p.name), "%s", name);
	ASSERT_EQ(0, ioctl(fd, SGDMA_IOC_POOL_CREATE, &p)) {
		TH_LOG("pool create: %s", strerror(errno));
	}
	ids[(*nr)++] = p.id;
}

FIXTURE_VARIANT(pools) {
	unsigned int size, align, blocks;
	unsigned int block;	/* the block size the pool reports */
};

FIXTURE_VARIANT_ADD(pools, small) { .size = 32, .align = 0, .blocks = 3, .block = 32 };
FIXTURE_VARIANT_ADD(pools, rounded_up) { .size = 100, .align = 64, .blocks = 5, .block = 128 };
FIXTURE_VARIANT_ADD(pools, two_pages) { .size = 2048, .align = 8, .blocks = 3, .block = 2048 };

#define MAKE_POOL(...) make_pool(_metadata, self->fd, self->ids, &self->nr, __VA_ARGS__)

/* A pool's line: its blocks in use, its block size, chunks for them */
TEST_F(pools, line_counts_blocks_in_use)
{
	struct line l[4];
	int n;

	MAKE_POOL("ksft-pool", variant->size, variant->align,
		  variant->blocks);
	n = read_pools(_metadata, l, 4);
	ASSERT_EQ(1, n);
	EXPECT_STREQ("ksft-pool", l[0].name);
	EXPECT_EQ(variant->blocks, l[0].in_use);
	EXPECT_EQ(variant->block, l[0].size);
	EXPECT_GE(l[0].total, l[0].in_use);
	EXPECT_GE(l[0].pages * 4096ULL, (unsigned long long)variant->blocks * variant->block);
	EXPECT_GE(l[0].pages, 1U);
}

/* The file lists every pool, and goes away with the last one */
TEST_F(pools, file_follows_the_pools)
{
	struct sgdma_ioc_pool p = { };
	struct line l[4];

	ASSERT_EQ(-ENOENT, read_pools(_metadata, l, 4));
	MAKE_POOL("ksft-a", variant->size, variant->align, 1);
	MAKE_POOL("ksft-b", variant->size, variant->align, 0);
	ASSERT_EQ(2, read_pools(_metadata, l, 4));
	while (self->nr > 0) {
		p.id = self->ids[--self->nr];
		ASSERT_EQ(0, ioctl(self->fd, SGDMA_IOC_POOL_DESTROY, &p));
	}
	ASSERT_EQ(-ENOENT, read_pools(_metadata, l, 4));
}

/* Refusals: arguments dma_pool_create() refuses, unknown pool, reserved */
TEST_F(pools, bad_requests_get_errno)
{
	struct sgdma_ioc_pool p = { .size = 64, .align = 3 };

	snprintf(p.name, sizeof(p.name), "bad");
	EXPECT_EQ(-1, ioctl(self->fd, SGDMA_IOC_POOL_CREATE, &p));
	EXPECT_EQ(EINVAL, errno);
	p.align = 8;
	p.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, SGDMA_IOC_POOL_CREATE, &p));
	EXPECT_EQ(EINVAL, errno);
	p.reserved = 0;
	p.blocks = 1 << 20;
	EXPECT_EQ(-1, ioctl(self->fd, SGDMA_IOC_POOL_CREATE, &p));
	EXPECT_EQ(E2BIG, errno);
	p.id = 999999;
	EXPECT_EQ(-1, ioctl(self->fd, SGDMA_IOC_POOL_DESTROY, &p));
	EXPECT_EQ(ENOENT, errno);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Scatter-gather copies through /dev/sgdma_test with user buffers.
 *
 * Each direction (kernel/user to kernel/user) on any memcpy channel, with
 * buffers spanning several pages at odd offsets; the kernel verifies after
 * unmap, and for user destinations this program checks the bytes itself.
 * Then bad requests, each with the errno the UAPI documents.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sgdma_test.h"

#define PAGE		4096UL
#define MAP_PAGES	16

FIXTURE(copy) {
	int fd;
	unsigned char *map;	/* MAP_PAGES pages: source in the first half */
	struct sgdma_ioc_copy c;
};

static void init_copy(struct sgdma_ioc_copy *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->version = SGDMA_UAPI_VERSION;
	c->timeout_ms = 5000;
}

FIXTURE_SETUP(copy)
{
	self->map = MAP_FAILED;
	self->fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->fd < 0)
		SKIP(return, "%s: %s (module sgdma_test not loaded?)",
		     SGDMA_DEV_PATH, strerror(errno));
	self->map = mmap(NULL, MAP_PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	init_copy(&self->c);
}

FIXTURE_TEARDOWN(copy)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, MAP_PAGES * PAGE);
	if (self->fd >= 0)
		close(self->fd);
}

FIXTURE_VARIANT(copy) {
	__u32 dir;
	unsigned long len, src_off, dst_off;
	__u32 seg_min, seg_max;
};

/* offsets into the mapping: source at src_off, destination in the second half */
FIXTURE_VARIANT_ADD(copy, k2k_odd) {
	.dir = SGDMA_DIR_K2K, .len = 5000, .src_off = 3, .dst_off = 7,
	.seg_min = 1, .seg_max = 4096 };
FIXTURE_VARIANT_ADD(copy, u2k_straddling) {
	.dir = SGDMA_DIR_U2K, .len = 3 * 4096 + 17, .src_off = 4093, .dst_off = 5,
	.seg_min = 100, .seg_max = 3000 };
FIXTURE_VARIANT_ADD(copy, k2u_straddling) {
	.dir = SGDMA_DIR_K2U, .len = 3 * 4096 + 17, .src_off = 1, .dst_off = 4095,
	.seg_min = 64, .seg_max = 4096 };
FIXTURE_VARIANT_ADD(copy, u2u_many_pages) {
	.dir = SGDMA_DIR_U2U, .len = 6 * 4096 + 333, .src_off = 11, .dst_off = 13,
	.seg_min = 1, .seg_max = 512 };
FIXTURE_VARIANT_ADD(copy, u2u_one_byte) {
	.dir = SGDMA_DIR_U2U, .len = 1, .src_off = 4095, .dst_off = 0,
	.seg_min = 0, .seg_max = 0 };

static int user_src(__u32 dir)
{
	return dir == SGDMA_DIR_U2K || dir == SGDMA_DIR_U2U;
}

static int user_dst(__u32 dir)
{
	return dir == SGDMA_DIR_K2U || dir == SGDMA_DIR_U2U;
}

/* A copy in this direction and shape succeeds and is verified */
TEST_F(copy, copies_and_verifies)
{
	unsigned char *src = self->map + variant->src_off;
	unsigned char *dst = self->map + (MAP_PAGES / 2) * PAGE + variant->dst_off;
	unsigned long i;

	for (i = 0; i < MAP_PAGES * PAGE; i++)
		self->map[i] = (unsigned char)(i * 7 + 3);
	self->c.dir = variant->dir;
	self->c.len = variant->len;
	self->c.seg_min = variant->seg_min;
	self->c.seg_max = variant->seg_max;
	self->c.seed = 1234;
	self->c.flags = SGDMA_F_USER_DATA;
	if (user_src(variant->dir))
		self->c.src = (uintptr_t)src;
	else
		self->c.src_off = variant->src_off;
	if (user_dst(variant->dir))
		self->c.dst = (uintptr_t)dst;
	else
		self->c.dst_off = variant->dst_off;

	ASSERT_EQ(0, ioctl(self->fd, SGDMA_IOC_COPY, &self->c)) {
		TH_LOG("ioctl: %s", strerror(errno));
	}
	if (self->c.status == -ENODEV)
		SKIP(return, "no memcpy channel");
	EXPECT_EQ(0, self->c.status) {
		TH_LOG("%s (%s): failed at stage %u, %u mismatches",
		       self->c.chan_name, self->c.driver, self->c.stage,
		       self->c.mismatches);
	}
	EXPECT_EQ(variant->len, self->c.bytes);
	EXPECT_GE(self->c.descs, 1U);
	TH_LOG("%s (%s): %lu bytes, %u descriptors, %llu ns", self->c.chan_name,
	       self->c.driver, variant->len, self->c.descs,
	       (unsigned long long)self->c.ns);
	if (user_src(variant->dir) && user_dst(variant->dir))
		EXPECT_EQ(0, memcmp(dst, src, variant->len));
	if (user_dst(variant->dir)) {
		/* untouched around the destination */
		EXPECT_EQ((unsigned char)((dst - self->map - 1) * 7 + 3), dst[-1]);
		EXPECT_EQ((unsigned char)((dst - self->map + variant->len) * 7 + 3),
			  dst[variant->len]);
	}
}

/* ---- bad requests ---- */

FIXTURE(bad) {
	int fd;
	unsigned char *map, *ro;
	struct sgdma_ioc_copy c;
};

FIXTURE_SETUP(bad)
{
	self->map = MAP_FAILED;
	self->ro = MAP_FAILED;
	self->fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->fd < 0)
		SKIP(return, "%s: %s", SGDMA_DEV_PATH, strerror(errno));
	self->map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	self->ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	ASSERT_NE(MAP_FAILED, self->ro);
	init_copy(&self->c);
	self->c.dir = SGDMA_DIR_U2U;
	self->c.src = (uintptr_t)self->map;
	self->c.dst = (uintptr_t)(self->map + 2 * PAGE);
	self->c.len = 100;
}

FIXTURE_TEARDOWN(bad)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, 4 * PAGE);
	if (self->ro != MAP_FAILED)
		munmap(self->ro, PAGE);
	if (self->fd >= 0)
		close(self->fd);
}

/* The errno of a refused copy request, 0 if it was accepted */
static int refused(int fd, struct sgdma_ioc_copy *c)
{
	return ioctl(fd, SGDMA_IOC_COPY, c) == -1 ? errno : 0;
}

/* Refusals that come from pinning need a working channel to get that far */
static int has_channel(int fd, const struct sgdma_ioc_copy *c)
{
	struct sgdma_ioc_copy probe = *c;

	probe.dir = SGDMA_DIR_K2K;
	probe.src = 0;
	probe.dst = 0;
	return ioctl(fd, SGDMA_IOC_COPY, &probe) == 0 && probe.status == 0;
}

TEST_F(bad, zero_length_is_einval)
{
	self->c.len = 0;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_F(bad, oversized_length_is_e2big)
{
	self->c.len = SGDMA_MAX_LEN + 1;
	EXPECT_EQ(E2BIG, refused(self->fd, &self->c));
}

TEST_F(bad, read_only_destination_is_efault)
{
	if (!has_channel(self->fd, &self->c))
		SKIP(return, "no working memcpy channel");
	self->c.dst = (uintptr_t)self->ro;
	EXPECT_EQ(EFAULT, refused(self->fd, &self->c));
}

TEST_F(bad, unmapped_source_is_efault)
{
	if (!has_channel(self->fd, &self->c))
		SKIP(return, "no working memcpy channel");
	munmap(self->map, PAGE);
	EXPECT_EQ(EFAULT, refused(self->fd, &self->c));
}

TEST_F(bad, kernel_address_is_efault)
{
	self->c.src = ~0ULL - 4096;
	EXPECT_EQ(EFAULT, refused(self->fd, &self->c));
}

TEST_F(bad, overlapping_buffers_are_einval)
{
	self->c.dst = self->c.src + 50;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_F(bad, unknown_channel_is_enodev)
{
	snprintf(self->c.channel, sizeof(self->c.channel), "nosuchchan");
	EXPECT_EQ(ENODEV, refused(self->fd, &self->c));
}

TEST_F(bad, reserved_fields_are_einval)
{
	self->c.reserved[2] = 1;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
	self->c.reserved[2] = 0;
	self->c.reserved0 = 1;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
	self->c.reserved0 = 0;
	self->c.flags = 0x80;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_F(bad, wrong_version_is_eproto)
{
	self->c.version = SGDMA_UAPI_VERSION + 1;
	EXPECT_EQ(EPROTO, refused(self->fd, &self->c));
}

TEST_F(bad, wrong_size_is_einval)
{
	self->c.size = sizeof(self->c) - 8;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_F(bad, unused_user_pointer_is_einval)
{
	self->c.dir = SGDMA_DIR_K2K;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_HARNESS_MAIN

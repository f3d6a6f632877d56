// SPDX-License-Identifier: GPL-2.0
/*
 * Scatter-gather copies through /dev/sgdma_test with user buffers.
 *
 * Each direction (kernel/user to kernel/user) on any memcpy channel, with
 * buffers spanning several pages at odd offsets; the kernel verifies after
 * unmap, and for user destinations this program checks the bytes itself.
 * Then bad requests, each with the errno the UAPI documents; pages mapped
 * twice in one request; a copy at exactly SGDMA_MAX_ENTRIES entries and
 * one past it; and pools: per open file, at most SGDMA_MAX_POOLS_PER_FD,
 * gone with the file, names within the rules.
 */

#define _GNU_SOURCE
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
#include "sgdma_ksft.h"

#define PAGE		4096UL
#define MAP_PAGES	16

/*
 * Every fixture has "skipped", set where its FIXTURE_SETUP skips: 6.1's
 * kselftest_harness.h runs the test after such a skip, and its tests then
 * return at once.
 */

FIXTURE(copy) {
	int skipped;
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

/*
 * Whether @c, made a kernel-to-kernel copy, finds a memcpy channel (the
 * refusals that come from pinning need one to get that far): as
 * sgdma_any_channel(), with @c's length and offsets.
 */
static int has_channel(int fd, const struct sgdma_ioc_copy *c)
{
	struct sgdma_ioc_copy probe = *c;

	probe.dir = SGDMA_DIR_K2K;
	probe.src = 0;
	probe.dst = 0;
	return ioctl(fd, SGDMA_IOC_COPY, &probe) == 0 || errno != ENODEV;
}

FIXTURE_SETUP(copy)
{
	self->map = MAP_FAILED;
	self->fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->fd < 0) {
		self->skipped = 1;
		SKIP(return, "%s: %s (module sgdma_test not loaded?)",
		     SGDMA_DEV_PATH, strerror(errno));
	}
	self->map = mmap(NULL, MAP_PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->map != MAP_FAILED);
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

	if (self->skipped)
		return;
	if (!sgdma_any_channel(self->fd))
		SKIP(return, SGDMA_NO_CHANNEL);
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
	int skipped;
	int fd;
	unsigned char *map, *ro;
	struct sgdma_ioc_copy c;
};

FIXTURE_SETUP(bad)
{
	self->map = MAP_FAILED;
	self->ro = MAP_FAILED;
	self->fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->fd < 0) {
		self->skipped = 1;
		SKIP(return, "%s: %s", SGDMA_DEV_PATH, strerror(errno));
	}
	self->map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	self->ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->map != MAP_FAILED);
	ASSERT_TRUE(self->ro != MAP_FAILED);
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

/*
 * Open the device for cases that must get as far as a channel: NULL, or
 * why they skip (no device, no memcpy channel).
 */
static const char *open_with_channel(int *fd)
{
	static char why[128];

	*fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (*fd < 0) {
		snprintf(why, sizeof(why), "%s: %s", SGDMA_DEV_PATH, strerror(errno));
		return why;
	}
	return sgdma_any_channel(*fd) ? NULL : SGDMA_NO_CHANNEL;
}

TEST_F(bad, zero_length_is_einval)
{
	if (self->skipped)
		return;
	self->c.len = 0;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_F(bad, oversized_length_is_e2big)
{
	if (self->skipped)
		return;
	self->c.len = SGDMA_MAX_LEN + 1;
	EXPECT_EQ(E2BIG, refused(self->fd, &self->c));
}

TEST_F(bad, read_only_destination_is_efault)
{
	if (self->skipped)
		return;
	if (!has_channel(self->fd, &self->c))
		SKIP(return, SGDMA_NO_CHANNEL);
	self->c.dst = (uintptr_t)self->ro;
	EXPECT_EQ(EFAULT, refused(self->fd, &self->c));
}

TEST_F(bad, unmapped_source_is_efault)
{
	if (self->skipped)
		return;
	if (!has_channel(self->fd, &self->c))
		SKIP(return, SGDMA_NO_CHANNEL);
	munmap(self->map, PAGE);
	EXPECT_EQ(EFAULT, refused(self->fd, &self->c));
}

TEST_F(bad, kernel_address_is_efault)
{
	if (self->skipped)
		return;
	self->c.src = ~0ULL - 4096;
	EXPECT_EQ(EFAULT, refused(self->fd, &self->c));
}

TEST_F(bad, overlapping_buffers_are_einval)
{
	if (self->skipped)
		return;
	self->c.dst = self->c.src + 50;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_F(bad, unknown_channel_is_enodev)
{
	if (self->skipped)
		return;
	snprintf(self->c.channel, sizeof(self->c.channel), "nosuchchan");
	EXPECT_EQ(ENODEV, refused(self->fd, &self->c));
}

TEST_F(bad, reserved_fields_are_einval)
{
	if (self->skipped)
		return;
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
	if (self->skipped)
		return;
	self->c.version = SGDMA_UAPI_VERSION + 1;
	EXPECT_EQ(EPROTO, refused(self->fd, &self->c));
}

TEST_F(bad, wrong_size_is_einval)
{
	if (self->skipped)
		return;
	self->c.size = sizeof(self->c) - 8;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

TEST_F(bad, unused_user_pointer_is_einval)
{
	if (self->skipped)
		return;
	self->c.dir = SGDMA_DIR_K2K;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

/* ---- a page mapped twice in one request ---- */

/*
 * One shared page mapped at twice[0] and twice[PAGE], back to back, and a
 * private buffer; the rules are found on the pinned pages, so a channel
 * must be there to get that far.
 */
FIXTURE(twice) {
	int skipped;
	int fd;
	unsigned char *twice, *priv;
	struct sgdma_ioc_copy c;
};

FIXTURE_SETUP(twice)
{
	const char *why;
	unsigned int i;

	self->twice = MAP_FAILED;
	self->priv = MAP_FAILED;
	why = open_with_channel(&self->fd);
	if (why) {
		self->skipped = 1;
		SKIP(return, "%s", why);
	}
	self->twice = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	ASSERT_TRUE(self->twice != MAP_FAILED);
	ASSERT_EQ(0, sgdma_map_twice(self->twice, PAGE));
	self->priv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->priv != MAP_FAILED);
	for (i = 0; i < PAGE; i++)
		self->twice[i] = (unsigned char)(i * 13 + 5);
	/* the page really is mapped twice */
	ASSERT_EQ(self->twice[PAGE + 77], self->twice[77]);
	memset(self->priv, 0xa5, 4 * PAGE);
	init_copy(&self->c);
	self->c.flags = SGDMA_F_USER_DATA;
	self->c.len = 200;
}

FIXTURE_TEARDOWN(twice)
{
	if (self->twice != MAP_FAILED)
		munmap(self->twice, 2 * PAGE);
	if (self->priv != MAP_FAILED)
		munmap(self->priv, 4 * PAGE);
	if (self->fd >= 0)
		close(self->fd);
}

/* A destination that runs from one mapping into the other: EINVAL */
TEST_F(twice, destination_mapped_twice_is_einval)
{
	if (self->skipped)
		return;
	self->c.dir = SGDMA_DIR_K2U;
	self->c.dst = (uintptr_t)(self->twice + PAGE - 100);
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
	self->c.dir = SGDMA_DIR_U2U;
	self->c.src = (uintptr_t)(self->priv + 9);
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
	/* the kernel fills it itself: the same */
	self->c.flags = 0;
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

/* u2u from one mapping of the page to the other: no virtual page shared */
TEST_F(twice, u2u_between_two_mappings_of_one_page_is_einval)
{
	if (self->skipped)
		return;
	self->c.dir = SGDMA_DIR_U2U;
	self->c.src = (uintptr_t)(self->twice + 10);
	self->c.dst = (uintptr_t)(self->twice + PAGE + 2000);
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
	self->c.src = (uintptr_t)(self->twice + PAGE + 10);
	self->c.dst = (uintptr_t)(self->twice + 3000);
	EXPECT_EQ(EINVAL, refused(self->fd, &self->c));
}

/* A source that runs through both mappings is allowed, and copied right */
TEST_F(twice, source_mapped_twice_is_accepted_and_copied)
{
	unsigned char *dst = self->priv + 5;
	unsigned int i, bad = 0;

	if (self->skipped)
		return;
	self->c.dir = SGDMA_DIR_U2U;
	self->c.src = (uintptr_t)(self->twice + PAGE - 100);
	self->c.dst = (uintptr_t)dst;
	self->c.seg_min = 1;
	self->c.seg_max = 64;
	ASSERT_EQ(0, ioctl(self->fd, SGDMA_IOC_COPY, &self->c)) {
		TH_LOG("ioctl: %s", strerror(errno));
	}
	EXPECT_EQ(0, self->c.status) {
		TH_LOG("stage %u, %u mismatches", self->c.stage, self->c.mismatches);
	}
	EXPECT_EQ(200, self->c.bytes);
	for (i = 0; i < 200; i++)
		bad += dst[i] != (unsigned char)((PAGE - 100 + i) % PAGE * 13 + 5);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0xa5, dst[-1]);
	EXPECT_EQ(0xa5, dst[200]);
	/* and to a kernel buffer, which the kernel verifies */
	init_copy(&self->c);
	self->c.dir = SGDMA_DIR_U2K;
	self->c.flags = SGDMA_F_USER_DATA;
	self->c.len = PAGE + 300;
	self->c.src = (uintptr_t)(self->twice + 200);
	ASSERT_EQ(0, ioctl(self->fd, SGDMA_IOC_COPY, &self->c)) {
		TH_LOG("ioctl: %s", strerror(errno));
	}
	EXPECT_EQ(0, self->c.status);
	EXPECT_EQ(PAGE + 300, self->c.bytes);
}

/* ---- SGDMA_MAX_ENTRIES ---- */

/*
 * Entries of exactly 64 bytes: a side of LIMIT_LEN bytes starting on a page
 * spans 505 pages and needs 505 + LIMIT_LEN / 64 = 505 + 32263 entries,
 * exactly SGDMA_MAX_ENTRIES.
 */
#define LIMIT_SEG	64
#define LIMIT_LEN	2064832UL
#define LIMIT_PAGES	507	/* room for an offset that spans one more page */

/* The entry bound the kernel counts for one side */
static unsigned long entries(unsigned long off, unsigned long len,
			     unsigned int seg_min)
{
	return (off + len + PAGE - 1) / PAGE + len / seg_min;
}

FIXTURE(limit) {
	int skipped;
	int fd;
	unsigned char *src, *dst;
	struct sgdma_ioc_copy c;
};

FIXTURE_SETUP(limit)
{
	const char *why;
	unsigned long i;

	self->src = MAP_FAILED;
	self->dst = MAP_FAILED;
	/* the bound is checked before pinning, maybe once the channel is known */
	why = open_with_channel(&self->fd);
	if (why) {
		self->skipped = 1;
		SKIP(return, "%s", why);
	}
	self->src = mmap(NULL, LIMIT_PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	self->dst = mmap(NULL, LIMIT_PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->src != MAP_FAILED);
	ASSERT_TRUE(self->dst != MAP_FAILED);
	for (i = 0; i < LIMIT_PAGES * PAGE; i++) {
		self->src[i] = (unsigned char)(i * 131 + (i >> 12) * 7 + 1);
		self->dst[i] = 0x3c;
	}
	/* the arithmetic of the cases below */
	ASSERT_EQ(SGDMA_MAX_ENTRIES, entries(0, LIMIT_LEN, LIMIT_SEG));
	ASSERT_EQ(SGDMA_MAX_ENTRIES + 1, entries(0, LIMIT_LEN + LIMIT_SEG, LIMIT_SEG));
	ASSERT_EQ(SGDMA_MAX_ENTRIES + 1, entries(3700, LIMIT_LEN, LIMIT_SEG));
	init_copy(&self->c);
	self->c.timeout_ms = SGDMA_MAX_TIMEOUT_MS;
	self->c.flags = SGDMA_F_USER_DATA;
	self->c.dir = SGDMA_DIR_U2U;
	self->c.mode = SGDMA_MODE_BATCHED;
	self->c.seg_min = LIMIT_SEG;
	self->c.seg_max = LIMIT_SEG;
	self->c.len = LIMIT_LEN;
	self->c.src = (uintptr_t)self->src;
	self->c.dst = (uintptr_t)self->dst;
}

FIXTURE_TEARDOWN(limit)
{
	if (self->src != MAP_FAILED)
		munmap(self->src, LIMIT_PAGES * PAGE);
	if (self->dst != MAP_FAILED)
		munmap(self->dst, LIMIT_PAGES * PAGE);
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * The DMA layer may lack room to map a copy (swiotlb=force: a 2 KiB slot
 * for each entry, 32768 slots), which the copy reports as -ENOMEM at "map"
 */
static int no_room_to_map(const struct sgdma_ioc_copy *c)
{
	return c->status == -ENOMEM && c->stage == SGDMA_STAGE_MAP;
}

/*
 * SGDMA_MAX_ENTRIES on both sides: carried out in full, every byte right;
 * skipped, saying so, where there is no room to map that many entries
 */
TEST_F_TIMEOUT(limit, copy_of_exactly_max_entries_is_accepted_and_correct, 120)
{
	if (self->skipped)
		return;
	ASSERT_EQ(0, ioctl(self->fd, SGDMA_IOC_COPY, &self->c)) {
		TH_LOG("ioctl: %s", strerror(errno));
	}
	if (no_room_to_map(&self->c))
		SKIP(return, "no room to map 2 x %u entries (swiotlb=force?): ENOMEM at map",
		     SGDMA_MAX_ENTRIES);
	EXPECT_EQ(0, self->c.status) {
		TH_LOG("%s (%s): stage %u, %u mismatches", self->c.chan_name,
		       self->c.driver, self->c.stage, self->c.mismatches);
	}
	EXPECT_EQ(LIMIT_LEN, self->c.bytes);
	EXPECT_EQ(0, memcmp(self->dst, self->src, LIMIT_LEN));
	EXPECT_EQ(0x3c, self->dst[LIMIT_LEN]);
	TH_LOG("%s (%s): %lu bytes in %u descriptors, %llu ns", self->c.chan_name,
	       self->c.driver, LIMIT_LEN, self->c.descs,
	       (unsigned long long)self->c.ns);
}

/* One entry more on either side, by length or by offset: E2BIG */
TEST_F(limit, one_entry_over_max_entries_is_e2big)
{
	struct sgdma_ioc_copy c = self->c;

	if (self->skipped)
		return;
	c.len = LIMIT_LEN + LIMIT_SEG;
	EXPECT_EQ(E2BIG, refused(self->fd, &c));
	c = self->c;
	c.dst = (uintptr_t)(self->dst + 3700);	/* one page more: the destination */
	EXPECT_EQ(E2BIG, refused(self->fd, &c));
	c = self->c;
	c.src = (uintptr_t)(self->src + 3700);
	EXPECT_EQ(E2BIG, refused(self->fd, &c));
	/* kernel sides count their offsets */
	c = self->c;
	c.dir = SGDMA_DIR_K2K;
	c.src = 0;
	c.dst = 0;
	c.flags = 0;
	c.src_off = 3700;
	EXPECT_EQ(E2BIG, refused(self->fd, &c));
	c.src_off = 0;
	c.dst_off = 3700;
	EXPECT_EQ(E2BIG, refused(self->fd, &c));
	/* and at the limit, a kernel copy is accepted (mapped where there is room) */
	c.dst_off = 0;
	EXPECT_EQ(0, refused(self->fd, &c));
	EXPECT_TRUE(!c.status || no_room_to_map(&c));
}

/* ---- pools: per open file ---- */

/* 0, or the errno of a pool create; its id in *@id */
static int pool_create(int fd, const char *name, unsigned int *id)
{
	struct sgdma_ioc_pool p = { .size = 64, .blocks = 2 };

	snprintf(p.name, sizeof(p.name), "%s", name);
	if (ioctl(fd, SGDMA_IOC_POOL_CREATE, &p))
		return errno;
	*id = p.id;
	return 0;
}

static int pool_destroy(int fd, unsigned int id)
{
	struct sgdma_ioc_pool p = { .id = id };

	return ioctl(fd, SGDMA_IOC_POOL_DESTROY, &p) ? errno : 0;
}

FIXTURE(owned) {
	int skipped;
	int fd, fd2;
	unsigned int ids[SGDMA_MAX_POOLS_PER_FD + 1];
	int nr;
};

FIXTURE_SETUP(owned)
{
	self->nr = 0;
	self->fd2 = -1;
	self->fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->fd < 0) {
		self->skipped = 1;
		SKIP(return, "%s: %s", SGDMA_DEV_PATH, strerror(errno));
	}
	self->fd2 = open(SGDMA_DEV_PATH, O_RDWR);
	ASSERT_LE(0, self->fd2);
}

FIXTURE_TEARDOWN(owned)
{
	while (self->nr > 0)
		pool_destroy(self->fd, self->ids[--self->nr]);
	if (self->fd2 >= 0)
		close(self->fd2);
	if (self->fd >= 0)
		close(self->fd);
}

/* 16 pools in one file, with ids of their own; the 17th is ENOSPC */
TEST_F(owned, seventeenth_pool_of_one_file_is_enospc)
{
	unsigned int id, i;
	char name[32];
	int j;

	if (self->skipped)
		return;
	for (i = 0; i < SGDMA_MAX_POOLS_PER_FD; i++) {
		snprintf(name, sizeof(name), "ksft_enospc.%u", i);
		ASSERT_EQ(0, pool_create(self->fd, name, &self->ids[self->nr])) {
			TH_LOG("pool %u: %s (pools of other files: %d)", i,
			       strerror(errno), pools_listed("") - 1 - (int)i);
		}
		EXPECT_LE(1U, self->ids[self->nr]);
		for (j = 0; j < self->nr; j++)
			EXPECT_NE(self->ids[j], self->ids[self->nr]);
		self->nr++;
	}
	EXPECT_EQ(SGDMA_MAX_POOLS_PER_FD, pools_listed("ksft_enospc."));
	EXPECT_EQ(ENOSPC, pool_create(self->fd, "ksft_enospc.x", &id));
	EXPECT_EQ(SGDMA_MAX_POOLS_PER_FD, pools_listed("ksft_enospc."));
	/* another file has room of its own */
	ASSERT_EQ(0, pool_create(self->fd2, "ksft_enospc.other", &id));
	EXPECT_EQ(0, pool_destroy(self->fd2, id));
	/* and a destroyed pool makes room again */
	ASSERT_EQ(0, pool_destroy(self->fd, self->ids[--self->nr]));
	ASSERT_EQ(0, pool_create(self->fd, "ksft_enospc.y", &self->ids[self->nr])) {
		TH_LOG("after a destroy: %s", strerror(errno));
	}
	self->nr++;
}

/* Closing a file destroys its pools: the pools file no longer lists them */
TEST_F(owned, pools_of_a_closed_file_are_gone)
{
	unsigned int id, i;
	char name[32];

	if (self->skipped)
		return;
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "ksft_closed.%u", i);
		ASSERT_EQ(0, pool_create(self->fd2, name, &id));
	}
	ASSERT_EQ(0, pool_create(self->fd, "ksft_kept", &self->ids[self->nr++]));
	EXPECT_EQ(3, pools_listed("ksft_closed."));
	ASSERT_EQ(0, close(self->fd2));
	self->fd2 = -1;
	EXPECT_EQ(0, pools_listed("ksft_closed."));
	/* the other file's pool stays */
	EXPECT_EQ(1, pools_listed("ksft_kept"));
}

/* A pool id is a number of its own file: another file's DESTROY is ENOENT */
TEST_F(owned, another_file_cannot_destroy_a_pool)
{
	unsigned int id;

	if (self->skipped)
		return;
	ASSERT_EQ(0, pool_create(self->fd, "ksft_owned", &id));
	self->ids[self->nr++] = id;
	EXPECT_EQ(ENOENT, pool_destroy(self->fd2, id));
	EXPECT_EQ(1, pools_listed("ksft_owned"));
	EXPECT_EQ(0, pool_destroy(self->fd, id));
	self->nr--;
	EXPECT_EQ(0, pools_listed("ksft_owned"));
	EXPECT_EQ(ENOENT, pool_destroy(self->fd, id));
}

/* Names: 1..31 characters 0x21..0x7e; a space, a newline and others: EINVAL */
TEST_F(owned, pool_names_outside_the_rules_are_einval)
{
	static const char * const bad[] = { "ksft pool", "ksft\npool", "ksft\tpool",
		"ksft\rpool", "ksft\x7f", "ksft\x80", "ksft\xff", "\x01ksft", " ", "" };
	static const char * const good[] = {
		"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}",	/* 31 characters */
		"ksft~name", "K" };
	struct sgdma_ioc_pool p = { .size = 64, .blocks = 1 };
	unsigned int i, id;

	if (self->skipped)
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, pool_create(self->fd, bad[i], &id)) {
			TH_LOG("name %u accepted", i);
		}
	}
	/* not terminated */
	memset(p.name, 'k', sizeof(p.name));
	EXPECT_EQ(-1, ioctl(self->fd, SGDMA_IOC_POOL_CREATE, &p));
	EXPECT_EQ(EINVAL, errno);
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		ASSERT_EQ(0, pool_create(self->fd, good[i], &id)) {
			TH_LOG("name \"%s\": %s", good[i], strerror(errno));
		}
		EXPECT_EQ(1, pools_listed(good[i]));
		EXPECT_EQ(0, pool_destroy(self->fd, id));
	}
}

TEST_HARNESS_MAIN

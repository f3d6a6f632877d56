/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/sgdma_test: scatter-gather memcpy through dmaengine from user space,
 * and DMA pools on a test device, for kselftest.  Shared by the kernel
 * module (sgdma_test/sgdma_chardev.c) and tools.  Every ioctl needs
 * CAP_SYS_ADMIN.
 */
#ifndef _UAPI_SGDMA_TEST_H
#define _UAPI_SGDMA_TEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* 2: limits on entries per copy, pools belong to the fd that made them */
#define SGDMA_UAPI_VERSION	2
#define SGDMA_DEV_PATH		"/dev/sgdma_test"
/* the device whose "pools" file SGDMA_IOC_POOL_CREATE populates */
#define SGDMA_POOLS_SYSFS	"/sys/devices/platform/sgdma-test-pools/pools"

#define SGDMA_MAX_LEN		(64ULL << 20)
#define SGDMA_MAX_TIMEOUT_MS	60000
#define SGDMA_NAME_LEN		32
/*
 * Scatterlist entries one side of a copy may need, at most, counted before
 * anything is pinned: the pages its region spans, plus, when seg_max is set,
 * len / seg_min (seg_min taken as at least 1, and rounded down to the
 * channel's copy alignment but not below it).  More: E2BIG.  Descriptors are
 * then at most the two sides' entries plus len / the device's largest
 * segment.
 */
#define SGDMA_MAX_ENTRIES	32768
/* blocks one SGDMA_IOC_POOL_CREATE keeps in use, at most */
#define SGDMA_MAX_POOL_BLOCKS	4096
/* live pools of one open file, and of all of them: more is ENOSPC */
#define SGDMA_MAX_POOLS_PER_FD	16
#define SGDMA_MAX_POOLS		64

enum sgdma_uapi_dir {
	SGDMA_DIR_K2K,
	SGDMA_DIR_U2K,
	SGDMA_DIR_K2U,
	SGDMA_DIR_U2U,
};

enum sgdma_uapi_mode {
	SGDMA_MODE_BATCHED,
	SGDMA_MODE_PER_ENTRY,
};

/* Copy the caller's data as it is: do not fill user buffers with patterns */
#define SGDMA_F_USER_DATA	(1U << 0)
#define SGDMA_F_ALL		SGDMA_F_USER_DATA

/* Where a copy failed (sgdma_ioc_copy.stage) */
enum sgdma_uapi_stage {
	SGDMA_STAGE_NONE,
	SGDMA_STAGE_PARAMS,
	SGDMA_STAGE_ALLOC,
	SGDMA_STAGE_PIN,
	SGDMA_STAGE_SG,
	SGDMA_STAGE_MAP,
	SGDMA_STAGE_RUNS,
	SGDMA_STAGE_ALIGN,
	SGDMA_STAGE_PREP,
	SGDMA_STAGE_SUBMIT,
	SGDMA_STAGE_TIMEOUT,
	SGDMA_STAGE_DMA_ERROR,
	SGDMA_STAGE_STATUS,
	SGDMA_STAGE_VERIFY,
	SGDMA_STAGE_OTHER,
};

/**
 * struct sgdma_ioc_copy - SGDMA_IOC_COPY: one scatter-gather copy
 * @size: sizeof(struct sgdma_ioc_copy), as the caller knows it
 * @version: SGDMA_UAPI_VERSION
 * @dir: enum sgdma_uapi_dir
 * @mode: enum sgdma_uapi_mode
 * @flags: SGDMA_F_*
 * @timeout_ms: completion timeout, 1..SGDMA_MAX_TIMEOUT_MS (0: 3000)
 * @channel: channel name ("dma0chan1"), or empty for any memcpy channel
 * @src: user source address (u2k, u2u)
 * @dst: user destination address (k2u, u2u); must be writable
 * @len: bytes, 1..SGDMA_MAX_LEN
 * @src_off: kernel source offset in its first page (k2k, k2u)
 * @dst_off: kernel destination offset in its first page (k2k, u2k)
 * @seg_min: smallest scatterlist entry (0: whole pages)
 * @seg_max: largest scatterlist entry (0: whole pages)
 * @seed: entry cuts and data pattern
 * @reserved0: must be zero
 * @reserved: must be zero
 * @status: out: 0 or a negative errno of the copy itself
 * @stage: out: enum sgdma_uapi_stage where it failed
 * @bytes: out: bytes copied and verified
 * @ns: out: time from issue to completion
 * @descs: out: descriptors submitted
 * @mismatches: out: bytes found wrong by verification
 * @chan_name: out: the channel used
 * @driver: out: its driver ("dma-pl330", "sgdma-swchan")
 *
 * The ioctl returns 0 when the copy was attempted (its outcome is in
 * @status) and -1 with errno when the request itself is refused, including
 * user memory that cannot be pinned (EFAULT: unmapped or, for @dst,
 * read-only), more entries than SGDMA_MAX_ENTRIES (E2BIG), and a
 * destination page that is mapped twice in the request or is also a source
 * page (EINVAL, found on the pinned pages).  Copies whose user pages are in
 * flight in another copy wait for it; a fatal signal ends the wait, and the
 * wait for the transfer, with EINTR.
 */
struct sgdma_ioc_copy {
	__u32 size;
	__u32 version;
	__u32 dir;
	__u32 mode;
	__u32 flags;
	__u32 timeout_ms;
	char channel[SGDMA_NAME_LEN];
	__u64 src;
	__u64 dst;
	__u64 len;
	__u32 src_off;
	__u32 dst_off;
	__u32 seg_min;
	__u32 seg_max;
	__u32 seed;
	__u32 reserved0;
	__u64 reserved[4];
	/* results */
	__s32 status;
	__u32 stage;
	__u64 bytes;
	__u64 ns;
	__u32 descs;
	__u32 mismatches;
	char chan_name[SGDMA_NAME_LEN];
	char driver[SGDMA_NAME_LEN];
};

/**
 * struct sgdma_ioc_pool - SGDMA_IOC_POOL_CREATE / SGDMA_IOC_POOL_DESTROY
 * @name: pool name, 1 to SGDMA_NAME_LEN - 1 printable characters other
 *	than space (0x21..0x7e), NUL-terminated
 * @size: block size, as for dma_pool_create()
 * @align: alignment, as for dma_pool_create()
 * @boundary: boundary, as for dma_pool_create()
 * @blocks: blocks to allocate and keep in use, 0..SGDMA_MAX_POOL_BLOCKS
 * @id: out of CREATE, in to DESTROY: the pool's number in this open file
 * @reserved: must be zero
 *
 * A pool belongs to the open file that made it: only that file can destroy
 * it, and closing the file destroys the pools it still has.
 */
struct sgdma_ioc_pool {
	char name[SGDMA_NAME_LEN];
	__u32 size;
	__u32 align;
	__u32 boundary;
	__u32 blocks;
	__u32 id;
	__u32 reserved;
};

#define SGDMA_IOC_MAGIC		0xd5
#define SGDMA_IOC_COPY		_IOWR(SGDMA_IOC_MAGIC, 1, struct sgdma_ioc_copy)
#define SGDMA_IOC_POOL_CREATE	_IOWR(SGDMA_IOC_MAGIC, 2, struct sgdma_ioc_pool)
#define SGDMA_IOC_POOL_DESTROY	_IOW(SGDMA_IOC_MAGIC, 3, struct sgdma_ioc_pool)

#endif /* _UAPI_SGDMA_TEST_H */

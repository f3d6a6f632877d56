/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sgdma_test: scatter-gather memcpy through dmaengine, verified after unmap.
 *
 * The engine builds source and destination scatterlists over physically
 * scattered memory (separately allocated kernel pages, or user pages pinned
 * with pin_user_pages_fast()), maps them with dma_map_sgtable() on the
 * channel's DMA device, copies with one memcpy descriptor per contiguous run
 * of the two mapped lists, and verifies only after dma_unmap_sgtable().
 */
#ifndef _SGDMA_H
#define _SGDMA_H

#include <linux/errno.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/types.h>

#include "sgdma_test.h"

struct dma_chan;
struct mutex;

enum sgdma_dir {
	SGDMA_K2K,	/* kernel buffer to kernel buffer */
	SGDMA_U2K,	/* user buffer to kernel buffer */
	SGDMA_K2U,	/* kernel buffer to user buffer */
	SGDMA_U2U,	/* user buffer to user buffer */
	SGDMA_NR_DIRS,
};

enum sgdma_mode {
	/* all descriptors chained, issued once, one wait for the last */
	SGDMA_BATCHED,
	/* the SG DMA article's routine: one descriptor, interrupt, wait per run */
	SGDMA_PER_ENTRY,
	SGDMA_NR_MODES,
};

/* Ways a buffer can be broken after the copy, to prove verify catches it */
enum sgdma_corrupt {
	SGDMA_CORRUPT_NONE,
	SGDMA_CORRUPT_BYTE_NOT_COPIED,	/* a destination byte keeps its old value */
	SGDMA_CORRUPT_GUARD_BEFORE,	/* a byte written just before the region */
	SGDMA_CORRUPT_GUARD_AFTER,	/* a byte written just after the region */
	SGDMA_CORRUPT_SOURCE,		/* the source was modified */
	SGDMA_CORRUPT_SWAP,		/* two destination bytes swapped */
	SGDMA_NR_CORRUPT,
};

#define SGDMA_MAX_MISMATCHES	8

/* the stages of a copy are the UAPI's: enum sgdma_uapi_stage, up to OTHER */
#define SGDMA_NR_STAGES		(SGDMA_STAGE_OTHER + 1)

/**
 * struct sgdma_params - one scatter-gather copy
 * @dir: which sides are user memory
 * @mode: batched or per-entry submission
 * @len: bytes to copy
 * @src_off: offset of the source region in its first page (kernel buffers)
 * @dst_off: offset of the destination region in its first page
 * @seg_min: smallest scatterlist entry, bytes (entries also end at pages)
 * @seg_max: largest scatterlist entry, bytes; 0: whole pages
 * @align: offsets, lengths and entry sizes are multiples of this (power of 2)
 * @seed: seed of the random entry cuts and the data pattern
 * @timeout_ms: how long to wait for a completion
 * @noverify: skip verification (benchmarks)
 * @user_data: user buffers hold the caller's data: do not fill them
 * @peek_before_unmap: test only: after the transfer, read the destination
 *	while it is still mapped (the bug the unmap rule forbids), to show
 *	what the CPU would have seen; see &sgdma_result.peek_stale
 * @usrc: user source (SGDMA_U2K, SGDMA_U2U), in current->mm
 * @udst: user destination (SGDMA_K2U, SGDMA_U2U), in current->mm
 * @corrupt: test only: break the data after unmap, before verify
 * @chan_lock: where other copies use the same channel at once (threads of
 *	a run), a lock they share: held from the first descriptor to the
 *	last completion, so that a failing copy's terminate ends only its
 *	own descriptors; NULL for a channel the caller holds alone
 */
struct sgdma_params {
	enum sgdma_dir dir;
	enum sgdma_mode mode;
	size_t len;
	unsigned int src_off, dst_off;
	unsigned int seg_min, seg_max;
	unsigned int align;
	u32 seed;
	unsigned int timeout_ms;
	bool noverify;
	bool user_data;
	bool peek_before_unmap;
	unsigned long usrc, udst;
	enum sgdma_corrupt corrupt;
	struct mutex *chan_lock;	/* see above */
};

/**
 * struct sgdma_mismatch - a byte that is not what it should be
 * @where: "src", "dst", "guard-before" or "guard-after"
 * @offset: offset from the start of the region (negative: before it)
 * @expected: the byte that should be there
 * @actual: the byte that is there
 */
struct sgdma_mismatch {
	const char *where;
	long offset;
	u8 expected, actual;
};

/**
 * struct sgdma_result - what one copy did
 * @status: 0, or the negative errno of the first failure
 * @stage: where it failed (SGDMA_STAGE_PIN, SGDMA_STAGE_MAP, ...;
 *	sgdma_stage_name() names it), SGDMA_STAGE_NONE on success
 * @bytes: bytes copied (0 on failure)
 * @ns: time from first submit to last completion
 * @src_nents: source entries built / mapped
 * @src_mapped: source entries after mapping
 * @dst_nents: destination entries built
 * @dst_mapped: destination entries after mapping
 * @descs: descriptors submitted
 * @refused: batches the driver ran out of descriptors in, made again in
 *	smaller batches
 * @bounced: the destination mapping went through swiotlb bounce buffers
 * @peek_stale: with @peek_before_unmap: destination bytes that did not yet
 *	hold the source's data before unmap
 * @nr_mismatches: mismatched bytes found (all of them)
 * @mismatch: the first SGDMA_MAX_MISMATCHES of them
 */
struct sgdma_result {
	int status;
	enum sgdma_uapi_stage stage;
	size_t bytes;
	u64 ns;
	unsigned int src_nents, src_mapped, dst_nents, dst_mapped;
	unsigned int descs;
	unsigned int refused;
	bool bounced;
	size_t peek_stale;
	unsigned long nr_mismatches;
	struct sgdma_mismatch mismatch[SGDMA_MAX_MISMATCHES];
};

/* the module parameters' ranges (sgdma_main.c); writes outside are EINVAL */
#define SGDMA_MAX_ITERATIONS	1000000U
#define SGDMA_RUN_MAX_CHANS	64U
#define SGDMA_RUN_MAX_THREADS	64U	/* per channel */

/**
 * struct sgdma_run_cfg - what a run of the threaded runner does
 * @iterations: copies per thread
 * @threads_per_chan: threads per channel, 1..SGDMA_RUN_MAX_THREADS
 * @max_channels: channels at most, 0 for all
 * @timeout_ms: completion timeout of each copy
 * @buf_size: largest copy, bytes
 * @alignment: alignment as a power of 2, or -1 for the channel's copy_align
 * @seg_min: smallest scatterlist entry
 * @seg_max: largest scatterlist entry, 0 for whole pages
 * @seed: seed of the run, 0 for a random one
 * @noverify: skip verification
 * @norandom: every copy @buf_size bytes at offset 0
 * @per_entry: one descriptor, interrupt and wait per entry
 * @channel: channel name to match, "" for any
 * @device: DMA device name, or its driver's name, to match, "" for any
 * @fault_timeout_ms: test only: if set, the first thread of each channel
 *	waits only this long for each completion (a timeout in one thread of
 *	several that share a channel)
 *
 * sgdma_run_cfg_from_params() fills it from the module parameters, which
 * a run reads only there, once, when it starts; sgdma_run_cfg_defaults()
 * with their defaults.
 */
struct sgdma_run_cfg {
	unsigned int iterations, threads_per_chan, max_channels;
	unsigned int timeout_ms, buf_size;
	int alignment;
	unsigned int seg_min, seg_max, seed;
	bool noverify, norandom, per_entry;
	char channel[32], device[32];
	unsigned int fault_timeout_ms;
};

void sgdma_run_cfg_defaults(struct sgdma_run_cfg *cfg);
void sgdma_run_cfg_from_params(struct sgdma_run_cfg *cfg);

int sgdma_run_all(const struct sgdma_run_cfg *cfg, unsigned int *nr_chans,
		  u64 *nr_tests, u64 *nr_failures);

/**
 * struct sgdma_run_stats - what a run of the threaded runner did
 * @chans: channels it held
 * @threads: threads it started
 * @tests: copies made, over all threads
 * @failures: copies that failed
 * @unfinished: channels whose last descriptor had not completed when the
 *	run released them (a copy still in flight, or one terminated after
 *	a timeout)
 * @cancelled: the threads made fewer copies than they were to make
 */
struct sgdma_run_stats {
	unsigned int chans, threads;
	u64 tests, failures;
	unsigned int unfinished;
	bool cancelled;
};

int sgdma_run_start(const struct sgdma_run_cfg *cfg);
int sgdma_run_stop(struct sgdma_run_stats *st);
unsigned int sgdma_run_channels(struct dma_chan **chans, unsigned int max);
unsigned int sgdma_run_threads_alive(void);
unsigned int sgdma_request_channels(struct dma_chan **chans, unsigned int max,
				    const char *channel, const char *device);
void sgdma_release_channels(struct dma_chan **chans, unsigned int n);
int sgdma_copy(struct dma_chan *chan, const struct sgdma_params *p,
	       struct sgdma_result *r);
int sgdma_params_check(struct dma_chan *chan, const struct sgdma_params *p);
void sgdma_report(struct dma_chan *chan, const struct sgdma_params *p,
		  const struct sgdma_result *r);
const char *sgdma_dir_name(enum sgdma_dir dir);
const char *sgdma_mode_name(enum sgdma_mode mode);
const char *sgdma_stage_name(enum sgdma_uapi_stage stage);
bool sgdma_is_memcpy_chan(struct dma_chan *chan);

/*
 * The IOMMU domain that translates @dev's DMA addresses (they are IOVAs),
 * or NULL where they reach memory directly: no IOMMU, or an identity
 * (passthrough) domain.  The one rule the software channel copies by and
 * the sgdma_iommu suite skips by.
 */
static inline struct iommu_domain *sgdma_translating_domain(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	return dom && dom->type != IOMMU_DOMAIN_IDENTITY ? dom : NULL;
}

/* /dev/sgdma_test (sgdma_chardev.c), registered by the sgdma_test module */
int sgdma_chardev_init(void);
void sgdma_chardev_exit(void);

/* Software channel fault injection (sgdma_swchan.c) */
enum sgdma_swchan_fault {
	SGDMA_SWCHAN_OK,
	SGDMA_SWCHAN_DROP,	/* descriptors are never completed */
	SGDMA_SWCHAN_ERROR,	/* descriptors complete with an error, no copy */
	SGDMA_SWCHAN_ERROR_ONCE, /* the next descriptor fails, then OK again */
	SGDMA_SWCHAN_SLOW,	/* copies in small bursts with pauses between */
	/* prep refuses while SGDMA_SWCHAN_POOL descriptors are in use */
	SGDMA_SWCHAN_SMALL_POOL,
	SGDMA_SWCHAN_NR_FAULTS,
};

/* the descriptors a channel has with SGDMA_SWCHAN_SMALL_POOL (zynqmp_dma: 32) */
#define SGDMA_SWCHAN_POOL	8

/*
 * The software channel's controls (sgdma_swchan.c), as the suites call
 * them.  Each call looks its function up with symbol_get(), so that a suite
 * does not need sgdma_swchan to load: on a machine with a DMA controller
 * the software channel is not there, and the suites test the real one.
 * Without it, no channel is the software one, and setting a fault is
 * -ENODEV.
 */
bool sgdma_swchan_ctl_owns(struct dma_chan *chan);
int sgdma_swchan_ctl_set_fault(struct dma_chan *chan, enum sgdma_swchan_fault fault);
unsigned int sgdma_swchan_ctl_pending(struct dma_chan *chan);
unsigned int sgdma_swchan_ctl_errors(struct dma_chan *chan);

static inline bool sgdma_swchan_owns(struct dma_chan *chan)
{
	typeof(sgdma_swchan_ctl_owns) *fn = symbol_get(sgdma_swchan_ctl_owns);
	bool ret = fn && fn(chan);

	if (fn)
		symbol_put_addr(fn);
	return ret;
}

static inline int sgdma_swchan_set_fault(struct dma_chan *chan,
					 enum sgdma_swchan_fault fault)
{
	typeof(sgdma_swchan_ctl_set_fault) *fn = symbol_get(sgdma_swchan_ctl_set_fault);
	int ret = fn ? fn(chan, fault) : -ENODEV;

	if (fn)
		symbol_put_addr(fn);
	return ret;
}

static inline unsigned int sgdma_swchan_pending(struct dma_chan *chan)
{
	typeof(sgdma_swchan_ctl_pending) *fn = symbol_get(sgdma_swchan_ctl_pending);
	unsigned int ret = fn ? fn(chan) : 0;

	if (fn)
		symbol_put_addr(fn);
	return ret;
}

static inline unsigned int sgdma_swchan_errors(struct dma_chan *chan)
{
	typeof(sgdma_swchan_ctl_errors) *fn = symbol_get(sgdma_swchan_ctl_errors);
	unsigned int ret = fn ? fn(chan) : 0;

	if (fn)
		symbol_put_addr(fn);
	return ret;
}

#endif /* _SGDMA_H */

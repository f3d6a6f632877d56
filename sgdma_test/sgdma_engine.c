// SPDX-License-Identifier: GPL-2.0
/*
 * sgdma_test engine: one scatter-gather memcpy through a dmaengine channel.
 *
 * Modelled on drivers/dma/dmatest.c (patterns, verification, reports), but
 * with scatterlists over physically scattered memory and dma_map_sgtable(),
 * and verifying only after dma_unmap_sgtable(): until then the CPU's view of
 * a streaming mapping is not guaranteed (bounce buffers, non-coherent
 * caches), which is the rule this engine exists to respect.
 *
 * Every stage unwinds what the ones before it did: descriptors are
 * terminated, lists unmapped, user pages unpinned, memory freed.
 */

#include <linux/cache.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/fault-inject.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/scatterlist.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "sgdma.h"

#include "sgdma_test.h"

/* One side of a copy: pages, the region in them, its list and mapping */
struct sgdma_buf {
	struct page **pages;
	unsigned int npages;
	unsigned int pinned;	/* user pages pinned so far */
	bool user, is_dst;
	bool dirty;		/* user pages the copy writes: pinned for writing */
	size_t start;		/* region offset from the start of pages[0] */
	size_t len;
	struct sg_table sgt;
	bool sgt_built, mapped;
	bool in_flight;		/* its user pages are in sgdma_flight */
	u8 *snap;		/* all pages, as they were before the copy */
};

struct sgdma_run {
	dma_addr_t src, dst;
	size_t len;
};

struct sgdma_wait {
	struct completion done;
	enum dmaengine_tx_result result;
};

/*
 * Failure points of the engine's own, beside the allocations (failslab and
 * fail_page_alloc points): pinning, mapping, descriptor preparation,
 * submission and the wait.  With CONFIG_FAULT_INJECTION each is a
 * should_fail() site, reached in order by a task's fail-nth counter
 * (/proc/<pid>/fail-nth; KUnit's sgdma_fault suite), and the failure taken
 * is the one the real call could return.  Without it they never fail.
 */
#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(sgdma_fault_attr);

static bool sgdma_inject(enum sgdma_uapi_stage point)
{
	if (!should_fail_ex(&sgdma_fault_attr, 1, FAULT_NOWARN))
		return false;
	pr_info("sgdma: injected failure at %s\n", sgdma_stage_name(point));
	return true;
}

/*
 * dma-debug's bookkeeping allocates while a list is mapped, and a failure
 * there turns dma-debug off for the whole system instead of failing the
 * call: those allocations are no failure points of a copy (the "map" point
 * stands for a mapping that fails).  The task's counter waits meanwhile.
 */
static unsigned int sgdma_points_hold(void)
{
	unsigned int n = current->fail_nth;

	current->fail_nth = 0;
	return n;
}

static void sgdma_points_resume(unsigned int n)
{
	current->fail_nth = n;
}
#else
static bool sgdma_inject(enum sgdma_uapi_stage point)
{
	return false;
}

static unsigned int sgdma_points_hold(void)
{
	return 0;
}

static void sgdma_points_resume(unsigned int n)
{
}
#endif

static int sgdma_map(struct device *dev, struct sg_table *sgt,
		     enum dma_data_direction dir)
{
	unsigned int held;
	int ret;

	if (sgdma_inject(SGDMA_STAGE_MAP))
		return -ENOMEM;
	held = sgdma_points_hold();
	ret = dma_map_sgtable(dev, sgt, dir, 0);
	sgdma_points_resume(held);
	/*
	 * dma-direct answers -EIO when swiotlb has no room for the list
	 * (swiotlb=force: a 2 KiB slot for every entry): to the caller, a
	 * lack of resources, like the -ENOMEM of an IOMMU out of IOVA space.
	 */
	return ret == -EIO ? -ENOMEM : ret;
}

static const char * const dir_names[] = {
	[SGDMA_K2K] = "k2k", [SGDMA_U2K] = "u2k",
	[SGDMA_K2U] = "k2u", [SGDMA_U2U] = "u2u",
};

static const char * const mode_names[] = {
	[SGDMA_BATCHED] = "batched", [SGDMA_PER_ENTRY] = "per-entry",
};

/**
 * sgdma_dir_name() - short name of a direction
 * @dir: the direction
 *
 * Return: "k2k", "u2k", "k2u", "u2u", or "?".
 */
const char *sgdma_dir_name(enum sgdma_dir dir)
{
	return dir < SGDMA_NR_DIRS ? dir_names[dir] : "?";
}
EXPORT_SYMBOL_GPL(sgdma_dir_name);

/**
 * sgdma_mode_name() - short name of a submission mode
 * @mode: the mode
 *
 * Return: "batched", "per-entry", or "?".
 */
const char *sgdma_mode_name(enum sgdma_mode mode)
{
	return mode < SGDMA_NR_MODES ? mode_names[mode] : "?";
}
EXPORT_SYMBOL_GPL(sgdma_mode_name);

static const char * const stage_names[SGDMA_NR_STAGES] = {
	[SGDMA_STAGE_NONE] = "none",
	[SGDMA_STAGE_PARAMS] = "params",
	[SGDMA_STAGE_ALLOC] = "alloc",
	[SGDMA_STAGE_PIN] = "pin",
	[SGDMA_STAGE_SG] = "sg",
	[SGDMA_STAGE_MAP] = "map",
	[SGDMA_STAGE_RUNS] = "runs",
	[SGDMA_STAGE_ALIGN] = "align",
	[SGDMA_STAGE_PREP] = "prep",
	[SGDMA_STAGE_SUBMIT] = "submit",
	[SGDMA_STAGE_TIMEOUT] = "timeout",
	[SGDMA_STAGE_DMA_ERROR] = "dma-error",
	[SGDMA_STAGE_STATUS] = "status",
	[SGDMA_STAGE_VERIFY] = "verify",
	[SGDMA_STAGE_OTHER] = "other",
};

/**
 * sgdma_stage_name() - short name of a stage of a copy
 * @stage: an SGDMA_STAGE_* of the UAPI (&sgdma_result.stage,
 *	&sgdma_ioc_copy.stage)
 *
 * The one name of each stage, for logs and test messages: "none",
 * "params", "alloc", "pin", "sg", "map", "runs", "align", "prep",
 * "submit", "timeout", "dma-error", "status", "verify", "other".
 *
 * Return: the name, or "?" for a value that is no stage.
 */
const char *sgdma_stage_name(enum sgdma_uapi_stage stage)
{
	return stage < ARRAY_SIZE(stage_names) && stage_names[stage] ?
	       stage_names[stage] : "?";
}
EXPORT_SYMBOL_GPL(sgdma_stage_name);

/**
 * sgdma_is_memcpy_chan() - can this channel do memory-to-memory copies?
 * @chan: a dmaengine channel
 *
 * Return: true if its device has the DMA_MEMCPY capability.
 */
bool sgdma_is_memcpy_chan(struct dma_chan *chan)
{
	return dma_has_cap(DMA_MEMCPY, chan->device->cap_mask);
}
EXPORT_SYMBOL_GPL(sgdma_is_memcpy_chan);

struct sgdma_match {
	const char *channel, *device;
};

static bool sgdma_match(struct dma_chan *chan, void *param)
{
	const struct sgdma_match *m = param;

	if (m->channel && m->channel[0] && strcmp(dma_chan_name(chan), m->channel))
		return false;
	/* the device by its name, or by its driver's ("sgdma-swchan") */
	if (m->device && m->device[0] && strcmp(dev_name(chan->device->dev), m->device) &&
	    strcmp(dev_driver_string(chan->device->dev), m->device))
		return false;
	return true;
}

/**
 * sgdma_request_channels() - take the free memcpy channels that match
 * @chans: where the channels go
 * @max: room in @chans
 * @channel: channel name ("dma0chan1") to match, or NULL or "" for any
 * @device: DMA device name, or its driver's name, to match, or NULL or ""
 *	for any
 *
 * The channels are held exclusively until sgdma_release_channels().
 *
 * Context: process context.
 * Return: how many channels were taken, 0 if none matched or was free.
 */
unsigned int sgdma_request_channels(struct dma_chan **chans, unsigned int max,
				    const char *channel, const char *device)
{
	struct sgdma_match m = { .channel = channel, .device = device };
	dma_cap_mask_t mask;
	unsigned int n = 0;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	while (n < max) {
		chans[n] = dma_request_channel(mask, sgdma_match, &m);
		if (!chans[n])
			break;
		n++;
	}
	return n;
}
EXPORT_SYMBOL_GPL(sgdma_request_channels);

/**
 * sgdma_release_channels() - give back channels of sgdma_request_channels()
 * @chans: the channels
 * @n: how many
 */
void sgdma_release_channels(struct dma_chan **chans, unsigned int n)
{
	while (n)
		dma_release_channel(chans[--n]);
}
EXPORT_SYMBOL_GPL(sgdma_release_channels);

/*
 * The data pattern: a byte for each position and seed, mixed so that
 * neighbouring bytes differ and a byte moved elsewhere does not match.
 */
static u8 sgdma_pattern(u32 seed, size_t pos)
{
	u32 v = (u32)pos * 0x9e3779b1u + seed;

	v ^= v >> 15;
	v *= 0x2c1b3c6du;
	v ^= v >> 12;
	return (u8)(v ^ (pos >> 16));
}

/* ---- buffers ---- */

static u8 *buf_byte(struct sgdma_buf *b, size_t pos, void **map)
{
	*map = kmap_local_page(b->pages[pos >> PAGE_SHIFT]);
	return (u8 *)*map + offset_in_page(pos);
}

/* Copy all pages of @b to or from @mem */
static void buf_pages_io(struct sgdma_buf *b, u8 *mem, bool to_mem)
{
	unsigned int i;

	for (i = 0; i < b->npages; i++) {
		void *p = kmap_local_page(b->pages[i]);

		if (to_mem)
			memcpy(mem + i * PAGE_SIZE, p, PAGE_SIZE);
		else
			memcpy(p, mem + i * PAGE_SIZE, PAGE_SIZE);
		kunmap_local(p);
		cond_resched();
	}
}

/* Fill [from, to) of @b's pages with @seed's pattern, indexed by position */
static void buf_fill(struct sgdma_buf *b, size_t from, size_t to, u32 seed)
{
	size_t pos = from;

	while (pos < to) {
		size_t end = min_t(size_t, to, ALIGN(pos + 1, PAGE_SIZE));
		u8 *p = kmap_local_page(b->pages[pos >> PAGE_SHIFT]);

		for (; pos < end; pos++)
			p[offset_in_page(pos)] = sgdma_pattern(seed, pos);
		kunmap_local(p);
		cond_resched();
	}
}

/* Kernel buffer: separately allocated pages, the region at @off in the first */
static int buf_alloc_kernel(struct sgdma_buf *b, size_t off, size_t len,
			    u32 seed)
{
	unsigned int i;

	b->start = off;
	b->len = len;
	b->npages = DIV_ROUND_UP(off + len, PAGE_SIZE);
	b->pages = kvcalloc(b->npages, sizeof(*b->pages), GFP_KERNEL);
	if (!b->pages)
		return -ENOMEM;
	for (i = 0; i < b->npages; i++) {
		b->pages[i] = alloc_page(GFP_KERNEL);
		if (!b->pages[i])
			return -ENOMEM;
	}
	/* the whole pages, guards included, carry this side's pattern */
	buf_fill(b, 0, b->npages * PAGE_SIZE, seed);
	return 0;
}

/*
 * User buffer: pin the pages of the region, writable where the engine or
 * the device will write them (a destination; a source it fills, which a
 * read-only mapping refuses).  Filling comes later (buf_fill()), once no
 * other copy has these pages in flight.
 */
static int buf_pin_user(struct sgdma_buf *b, unsigned long addr, size_t len,
			bool fill)
{
	int ret;

	if (!current->mm)
		return -EFAULT;	/* a kernel thread has no user memory */
	b->user = true;
	b->dirty = b->is_dst || fill;
	b->start = offset_in_page(addr);
	b->len = len;
	b->npages = DIV_ROUND_UP(b->start + len, PAGE_SIZE);
	b->pages = kvcalloc(b->npages, sizeof(*b->pages), GFP_KERNEL);
	if (!b->pages)
		return -ENOMEM;
	/* injected: pinned fewer pages than asked, as a racing munmap makes */
	ret = pin_user_pages_fast(addr & PAGE_MASK,
				  sgdma_inject(SGDMA_STAGE_PIN) ? b->npages / 2 : b->npages,
				  b->dirty ? FOLL_WRITE : 0, b->pages);
	if (ret > 0)
		b->pinned = ret;
	if (ret < 0)
		return ret;
	return b->pinned == b->npages ? 0 : -EFAULT;
}

/*
 * User pages in flight.  Two copies can name the same physical page: two
 * processes sharing a mapping, two threads of one, one page mapped twice.
 * A device writing one cacheline through two mappings at once breaks both
 * copies (and dma-debug reports the overlap), and a copy filling or
 * verifying a page that another copy's device is writing sees, or spoils,
 * its data.  So from pinning to verification a copy's user pages are
 * entered here, by page frame, and a copy whose pages another copy holds
 * waits until that copy lets them go.
 *
 * Within one copy, a destination page that stands twice in the
 * destination, or also in the source, is refused (the same cacheline
 * would be written twice, or read while written): -EINVAL.  Kernel-side
 * pages are the engine's own and never shared.
 */
static DEFINE_MUTEX(sgdma_flight_lock);
static DEFINE_XARRAY(sgdma_flight);
static DECLARE_WAIT_QUEUE_HEAD(sgdma_flight_wq);
static unsigned long sgdma_flight_gen;	/* bumped at every release */
static unsigned long sgdma_flight_owner;	/* tags of the copies */

/* An entry of sgdma_flight: the copy that holds the page, and which side */
static void *flight_entry(unsigned long owner, bool is_dst)
{
	return xa_mk_value(owner << 1 | is_dst);
}

static bool flight_busy(struct sgdma_buf *b, unsigned long owner)
{
	unsigned int i;

	for (i = 0; b->user && i < b->npages; i++) {
		void *e = xa_load(&sgdma_flight, page_to_pfn(b->pages[i]));

		if (e && xa_to_value(e) >> 1 != owner)
			return true;
	}
	return false;
}

static void flight_erase(struct sgdma_buf *b, unsigned int n)
{
	while (n)
		xa_erase(&sgdma_flight, page_to_pfn(b->pages[--n]));
}

/* Enter @b's pages as @owner's; -EINVAL where a destination page repeats */
static int flight_store(struct sgdma_buf *b, unsigned long owner)
{
	void *mine = flight_entry(owner, b->is_dst);
	unsigned int i;

	for (i = 0; b->user && i < b->npages; i++) {
		unsigned long pfn = page_to_pfn(b->pages[i]);
		void *e = xa_load(&sgdma_flight, pfn);
		int ret;

		/* the source may repeat a page; nothing else may */
		if (e && (b->is_dst || e != mine))
			ret = -EINVAL;
		else
			ret = xa_err(xa_store(&sgdma_flight, pfn, mine, GFP_KERNEL));
		if (ret) {
			flight_erase(b, i);
			return ret;
		}
	}
	b->in_flight = b->user;
	return 0;
}

/* Take the user pages of a copy, waiting for other copies to let them go */
static int flight_claim(struct sgdma_buf *dst, struct sgdma_buf *src)
{
	unsigned long owner, gen;
	int ret;

	if (!dst->user && !src->user)
		return 0;
	mutex_lock(&sgdma_flight_lock);
	owner = ++sgdma_flight_owner & (LONG_MAX >> 2);
	while (flight_busy(dst, owner) || flight_busy(src, owner)) {
		gen = sgdma_flight_gen;
		mutex_unlock(&sgdma_flight_lock);
		if (wait_event_killable(sgdma_flight_wq,
					READ_ONCE(sgdma_flight_gen) != gen))
			return -EINTR;
		mutex_lock(&sgdma_flight_lock);
	}
	/* the destination first: a source page it holds is an alias */
	ret = flight_store(dst, owner);
	if (!ret) {
		ret = flight_store(src, owner);
		if (ret) {
			flight_erase(dst, dst->npages);
			dst->in_flight = false;
		}
	}
	mutex_unlock(&sgdma_flight_lock);
	return ret;
}

static void flight_release(struct sgdma_buf *b)
{
	if (!b->in_flight)
		return;
	mutex_lock(&sgdma_flight_lock);
	flight_erase(b, b->npages);
	b->in_flight = false;
	WRITE_ONCE(sgdma_flight_gen, sgdma_flight_gen + 1);
	mutex_unlock(&sgdma_flight_lock);
	wake_up_all(&sgdma_flight_wq);
}

static void buf_release(struct sgdma_buf *b)
{
	unsigned int i;

	if (b->sgt_built)
		sg_free_table(&b->sgt);
	b->sgt_built = false;
	flight_release(b);
	if (b->user) {
		unpin_user_pages_dirty_lock(b->pages, b->pinned, b->dirty);
	} else if (b->pages) {
		for (i = 0; i < b->npages; i++)
			if (b->pages[i])
				__free_page(b->pages[i]);
	}
	kvfree(b->pages);
	kvfree(b->snap);
	b->pages = NULL;
	b->snap = NULL;
}

/*
 * Cut the region into entries of random size in [seg_min, seg_max] (whole
 * remaining length when seg_max is 0), each also ending at a page end, since
 * the pages are not contiguous.  Sizes are multiples of @align.
 *
 * A device-writable list (the destination) is cut only at cacheline
 * boundaries: two entries mapped DMA_FROM_DEVICE must not share a cacheline,
 * or invalidating one entry's lines on a non-coherent machine can throw away
 * what the device wrote to its neighbour (dma-debug reports such mappings
 * as "overlapping mappings aren't supported").  The source may be cut
 * anywhere, so the two lists rarely line up.
 */
/*
 * The larger of what the architecture needs for DMA into memory the CPU
 * also caches, and the cacheline dma-debug tracks (L1_CACHE_BYTES, on
 * every architecture).
 */
static size_t dst_cut_align(void)
{
	return max_t(size_t, dma_get_cache_alignment(), L1_CACHE_BYTES);
}

static unsigned int buf_cut(struct sgdma_buf *b, struct rnd_state *rnd,
			    const struct sgdma_params *p, struct scatterlist *sgl)
{
	size_t pos = b->start, end = b->start + b->len;
	struct scatterlist *sg = sgl;
	unsigned int n = 0;

	while (pos < end) {
		size_t want = end - pos;

		if (p->seg_max) {
			want = p->seg_min;
			if (p->seg_max > p->seg_min)
				want += prandom_u32_state(rnd) %
					(p->seg_max - p->seg_min + 1);
			want = max_t(size_t, ALIGN_DOWN(want, p->align), p->align);
		}
		want = min3(want, end - pos, PAGE_SIZE - offset_in_page(pos));
		if (b->is_dst && pos + want < end)
			want = min(ALIGN(pos + want, dst_cut_align()), end) - pos;
		if (sg) {
			sg_set_page(sg, b->pages[pos >> PAGE_SHIFT], want,
				    offset_in_page(pos));
			sg = sg_next(sg);
		}
		pos += want;
		n++;
	}
	return n;
}

static int buf_build_sgt(struct sgdma_buf *b, const struct sgdma_params *p,
			 u32 seed)
{
	struct rnd_state rnd, again;
	unsigned int n;
	int ret;

	prandom_seed_state(&rnd, seed);
	again = rnd;
	n = buf_cut(b, &rnd, p, NULL);
	ret = sg_alloc_table(&b->sgt, n, GFP_KERNEL);
	if (ret)
		return ret;
	b->sgt_built = true;
	buf_cut(b, &again, p, b->sgt.sgl);
	return 0;
}

/*
 * Did mapping @b put it in bounce buffers?  Without an IOMMU, a DMA address
 * that does not lead back to the entry's own page can only be a bounce
 * buffer (swiotlb).  Behind an IOMMU we cannot tell, and say no.
 */
static bool buf_bounced(struct device *dev, struct sgdma_buf *b)
{
	return b->mapped && !device_iommu_mapped(dev) &&
	       dma_to_phys(dev, sg_dma_address(b->sgt.sgl)) != sg_phys(b->sgt.sgl);
}

/*
 * Test only: what the CPU sees of the destination region while it is still
 * mapped: the bytes that do not hold the source's data yet.
 */
static size_t peek_stale(struct sgdma_buf *src, struct sgdma_buf *dst)
{
	size_t i, stale = 0;
	void *map;
	u8 *p;

	for (i = 0; i < dst->len; i++) {
		p = buf_byte(dst, dst->start + i, &map);
		stale += *p != src->snap[src->start + i];
		kunmap_local(map);
		if (!offset_in_page(dst->start + i + 1))
			cond_resched();
	}
	return stale;
}

static void buf_unmap(struct device *dev, struct sgdma_buf *b)
{
	if (b->mapped)
		dma_unmap_sgtable(dev, &b->sgt,
				  b->is_dst ? DMA_FROM_DEVICE : DMA_TO_DEVICE, 0);
	b->mapped = false;
}

/* ---- verification, dmatest style ---- */

static void note_mismatch(struct sgdma_result *r, const char *where, long off,
			  u8 expected, u8 actual)
{
	if (r->nr_mismatches < SGDMA_MAX_MISMATCHES) {
		struct sgdma_mismatch *m = &r->mismatch[r->nr_mismatches];

		m->where = where;
		m->offset = off;
		m->expected = expected;
		m->actual = actual;
	}
	r->nr_mismatches++;
}

/*
 * After unmap only.  The source must be as it was; the destination region
 * must hold the source region, and everything around it in its pages (the
 * guards) must be as it was.
 */
static int sgdma_verify(struct sgdma_buf *src, struct sgdma_buf *dst,
			struct sgdma_result *r)
{
	size_t pos;
	void *map;
	u8 *p;

	if (WARN_ON_ONCE(src->mapped || dst->mapped))
		return -EBUSY;	/* the CPU may not look at mapped buffers */

	for (pos = 0; pos < src->npages * PAGE_SIZE; pos++) {
		p = buf_byte(src, pos, &map);
		if (*p != src->snap[pos])
			note_mismatch(r, "src", (long)pos - (long)src->start,
				      src->snap[pos], *p);
		kunmap_local(map);
		if (!offset_in_page(pos + 1))
			cond_resched();
	}
	for (pos = 0; pos < dst->npages * PAGE_SIZE; pos++) {
		long off = (long)pos - (long)dst->start;
		const char *where = "dst";
		u8 want;

		if (off < 0) {
			where = "guard-before";
			want = dst->snap[pos];
		} else if (off >= (long)dst->len) {
			where = "guard-after";
			want = dst->snap[pos];
		} else {
			want = src->snap[src->start + off];
		}
		p = buf_byte(dst, pos, &map);
		if (*p != want)
			note_mismatch(r, where, off, want, *p);
		kunmap_local(map);
		if (!offset_in_page(pos + 1))
			cond_resched();
	}
	return r->nr_mismatches ? -EIO : 0;
}

/* Test only: break the data the way a faulty copy would */
static void sgdma_corrupt(struct sgdma_buf *src, struct sgdma_buf *dst,
			  enum sgdma_corrupt how)
{
	size_t a = dst->start + dst->len / 2, b = a + 1;
	void *ma, *mb;
	u8 *pa, *pb, t;

	switch (how) {
	case SGDMA_CORRUPT_BYTE_NOT_COPIED:
		pa = buf_byte(dst, a, &ma);
		*pa = dst->snap[a];
		kunmap_local(ma);
		break;
	case SGDMA_CORRUPT_GUARD_BEFORE:
		if (!dst->start)
			break;
		pa = buf_byte(dst, dst->start - 1, &ma);
		*pa ^= 0xff;
		kunmap_local(ma);
		break;
	case SGDMA_CORRUPT_GUARD_AFTER:
		if (dst->start + dst->len >= dst->npages * PAGE_SIZE)
			break;
		pa = buf_byte(dst, dst->start + dst->len, &ma);
		*pa ^= 0xff;
		kunmap_local(ma);
		break;
	case SGDMA_CORRUPT_SOURCE:
		pa = buf_byte(src, src->start, &ma);
		*pa ^= 0x5a;
		kunmap_local(ma);
		break;
	case SGDMA_CORRUPT_SWAP:
		if (dst->len < 2)
			break;
		/* two bytes that differ, so the swap is a change */
		while (b < dst->start + dst->len - 1 &&
		       src->snap[src->start + (a - dst->start)] ==
		       src->snap[src->start + (b - dst->start)])
			b++;
		pa = buf_byte(dst, a, &ma);
		pb = buf_byte(dst, b, &mb);
		t = *pa;
		*pa = *pb;
		*pb = t;
		kunmap_local(mb);
		kunmap_local(ma);
		break;
	default:
		break;
	}
}

/* ---- submission ---- */

static void sgdma_done(void *arg, const struct dmaengine_result *res)
{
	struct sgdma_wait *w = arg;

	w->result = res ? res->result : DMA_TRANS_NOERROR;
	complete(&w->done);
}

/*
 * Walk the two mapped lists together: each run is as long as both current
 * entries allow (and the device's segment limit), so lists that were cut or
 * merged differently still pair every byte with its counterpart.
 */
static int sgdma_make_runs(struct device *dev, struct sg_table *s,
			   struct sg_table *d, struct sgdma_run *runs,
			   unsigned int max)
{
	struct scatterlist *ss = s->sgl, *ds = d->sgl;
	size_t soff = 0, doff = 0, seg = dma_get_max_seg_size(dev);
	unsigned int n = 0, si = 0, di = 0;

	while (si < s->nents && di < d->nents) {
		size_t len = min3(sg_dma_len(ss) - soff, sg_dma_len(ds) - doff, seg);

		if (n == max)
			return -E2BIG;
		runs[n].src = sg_dma_address(ss) + soff;
		runs[n].dst = sg_dma_address(ds) + doff;
		runs[n].len = len;
		n++;
		soff += len;
		doff += len;
		if (soff == sg_dma_len(ss)) {
			ss = sg_next(ss);
			si++;
			soff = 0;
		}
		if (doff == sg_dma_len(ds)) {
			ds = sg_next(ds);
			di++;
			doff = 0;
		}
	}
	/* both lists must end together: they map the same number of bytes */
	return si == s->nents && di == d->nents ? n : -EINVAL;
}

/* Prepare, submit, issue and wait for @runs[first..last]; the last interrupts */
static int sgdma_submit_wait(struct dma_chan *chan, struct sgdma_run *runs,
			     unsigned int first, unsigned int last,
			     const struct sgdma_params *p, struct sgdma_result *r)
{
	struct sgdma_wait w = { .result = DMA_TRANS_NOERROR };
	unsigned int i, nr = last - first + 1;
	dma_cookie_t *cookies;
	long left;
	ktime_t t0;
	int ret = 0;

	cookies = kvmalloc_array(nr, sizeof(*cookies), GFP_KERNEL);
	if (!cookies) {
		r->stage = SGDMA_STAGE_ALLOC;
		return -ENOMEM;
	}
	init_completion(&w.done);
	/* from the first descriptor to the last completion or terminate */
	if (p->chan_lock)
		mutex_lock(p->chan_lock);
	for (i = 0; i < nr; i++) {
		struct sgdma_run *run = &runs[first + i];
		unsigned long flags = DMA_CTRL_ACK;
		struct dma_async_tx_descriptor *tx;

		if (i == nr - 1)
			flags |= DMA_PREP_INTERRUPT;
		if (sgdma_inject(SGDMA_STAGE_PREP)) {
			r->stage = SGDMA_STAGE_PREP;
			ret = -ENOMEM;
			goto terminate;
		}
		tx = dmaengine_prep_dma_memcpy(chan, run->dst, run->src, run->len, flags);
		if (!tx) {
			/* after some: the driver's descriptors may all be in use */
			r->stage = SGDMA_STAGE_PREP;
			ret = i ? -ENOSPC : -ENOMEM;
			goto terminate;
		}
		/*
		 * Set the callback of every descriptor, not only the last:
		 * drivers recycle descriptors, and some hand them out with the
		 * previous user's callback still set (6.1's pl330 does not clear
		 * callback_result), which would complete this wait early.  That
		 * is a kernel bug (fixed by 4728e3fe2ff1): the sgdma case
		 * sgdma_client_setting_only_callback_gets_exactly_its_own names it.
		 */
		tx->callback = NULL;
		tx->callback_result = i == nr - 1 ? sgdma_done : NULL;
		tx->callback_param = i == nr - 1 ? &w : NULL;
		cookies[i] = dmaengine_submit(tx);
		/* injected: the driver queued the descriptor, then said no */
		if (dma_submit_error(cookies[i]) || sgdma_inject(SGDMA_STAGE_SUBMIT)) {
			r->stage = SGDMA_STAGE_SUBMIT;
			ret = -EIO;
			goto terminate;
		}
		r->descs++;
		if (!(i % 256))
			cond_resched();
	}
	t0 = ktime_get();
	dma_async_issue_pending(chan);
	/* injected: gave up at once, with the transfer maybe still running */
	left = sgdma_inject(SGDMA_STAGE_TIMEOUT) ? 0 :
	       wait_for_completion_killable_timeout(&w.done,
						    msecs_to_jiffies(p->timeout_ms));
	if (left <= 0) {
		/* a user process waiting on a copy can be killed */
		r->stage = SGDMA_STAGE_TIMEOUT;
		ret = left < 0 ? -EINTR : -ETIMEDOUT;
		goto terminate;
	}
	r->ns += ktime_to_ns(ktime_sub(ktime_get(), t0));
	if (w.result != DMA_TRANS_NOERROR) {
		r->stage = SGDMA_STAGE_DMA_ERROR;
		ret = -EIO;
		goto terminate;
	}
	/* every descriptor, not only the one that interrupted */
	for (i = 0; i < nr; i++) {
		if (dma_async_is_tx_complete(chan, cookies[i], NULL, NULL) !=
		    DMA_COMPLETE) {
			r->stage = SGDMA_STAGE_STATUS;
			ret = -EIO;
			goto terminate;
		}
	}
	if (p->chan_lock)
		mutex_unlock(p->chan_lock);
	kvfree(cookies);
	return 0;

terminate:
	/* nothing may still write to the buffers once we unmap them */
	dmaengine_terminate_sync(chan);
	/*
	 * Without device_synchronize (6.12's pl330) terminate_sync cannot
	 * wait for a completion callback already running, and @w is on this
	 * stack.  Drivers call callbacks from their tasklet, with bottom
	 * halves off: a grace period outlasts any that has begun.
	 */
	if (!chan->device->device_synchronize)
		synchronize_rcu();
	if (p->chan_lock)
		mutex_unlock(p->chan_lock);
	kvfree(cookies);
	return ret;
}

/*
 * All runs in one batch (SGDMA_BATCHED) or one at a time.  A driver with a
 * fixed pool of descriptors (zynqmp_dma: 32 a channel) refuses a prep once
 * they are all in flight; a batch it refused after taking some is made
 * again, from its start, in batches of half what it took (the pool's
 * descriptors come back after the callback of the batch before), down to
 * one run at a time.  Only a driver that takes none fails the copy.
 */
static int sgdma_submit(struct dma_chan *chan, struct sgdma_run *runs,
			unsigned int nr, const struct sgdma_params *p,
			struct sgdma_result *r)
{
	unsigned int i = 0, batch = p->mode == SGDMA_BATCHED ? nr : 1;
	int ret;

	while (i < nr) {
		unsigned int descs = r->descs;

		ret = sgdma_submit_wait(chan, runs, i, min(i + batch, nr) - 1, p, r);
		if (ret == -ENOSPC) {
			/* nothing of the batch counts: it is made again */
			batch = max(1U, (r->descs - descs) / 2);
			r->descs = descs;
			r->refused++;
			r->stage = SGDMA_STAGE_NONE;
			continue;
		}
		if (ret)
			return ret;
		i += batch;
	}
	return 0;
}

/*
 * The most scatterlist entries buf_cut() can make of a side whose region
 * starts @off bytes into its first page: an entry ends at a page end, at
 * the region's end, or at least ALIGN_DOWN(seg_min, align) bytes on
 * (a destination's cacheline cuts only lengthen entries).
 */
static size_t side_entries_bound(const struct sgdma_params *p, size_t off)
{
	size_t pages = DIV_ROUND_UP(off + p->len, PAGE_SIZE);

	if (!p->seg_max)
		return pages;
	return pages + p->len / max_t(size_t, ALIGN_DOWN(p->seg_min, p->align),
				      p->align);
}

static int sgdma_check_params(struct dma_chan *chan,
			      const struct sgdma_params *p)
{
	bool usrc = p->dir == SGDMA_U2K || p->dir == SGDMA_U2U;
	bool udst = p->dir == SGDMA_K2U || p->dir == SGDMA_U2U;
	size_t entries;

	if (!chan || !sgdma_is_memcpy_chan(chan))
		return -ENODEV;
	if (p->dir >= SGDMA_NR_DIRS || p->mode >= SGDMA_NR_MODES ||
	    p->corrupt >= SGDMA_NR_CORRUPT)
		return -EINVAL;
	if (!p->len || p->len > SGDMA_MAX_LEN || !p->timeout_ms)
		return -EINVAL;
	if (!p->align || !is_power_of_2(p->align) || p->align > PAGE_SIZE)
		return -EINVAL;
	if (!IS_ALIGNED(p->len | p->src_off | p->dst_off, p->align))
		return -EINVAL;
	if (p->seg_max && (p->seg_min < p->align || p->seg_max < p->seg_min))
		return -EINVAL;
	if (!usrc && p->src_off >= PAGE_SIZE)
		return -EINVAL;
	if (!udst && p->dst_off >= PAGE_SIZE)
		return -EINVAL;
	if ((usrc && !p->usrc) || (udst && !p->udst))
		return -EFAULT;
	if ((usrc && !IS_ALIGNED(p->usrc, p->align)) ||
	    (udst && !IS_ALIGNED(p->udst, p->align)))
		return -EINVAL;
	entries = max(side_entries_bound(p, usrc ? offset_in_page(p->usrc) : p->src_off),
		      side_entries_bound(p, udst ? offset_in_page(p->udst) : p->dst_off));
	if (entries > SGDMA_MAX_ENTRIES)
		return -E2BIG;
	return 0;
}

/**
 * sgdma_params_check() - would sgdma_copy() accept these parameters?
 * @chan: the channel the copy would use
 * @p: the parameters
 *
 * The engine's own checks, before anything is allocated, pinned or mapped:
 * directions, modes, length (at most SGDMA_MAX_LEN), alignment to
 * @p->align, entry sizes, offsets, and at most SGDMA_MAX_ENTRIES entries
 * on either side.  Callers that derive many copies from one configuration
 * (the threaded runner) check its worst case here once.
 *
 * Return: 0, -ENODEV (not a memcpy channel), -E2BIG (more entries than
 * SGDMA_MAX_ENTRIES), -EFAULT (a user side without an address) or -EINVAL.
 */
int sgdma_params_check(struct dma_chan *chan, const struct sgdma_params *p)
{
	return sgdma_check_params(chan, p);
}
EXPORT_SYMBOL_GPL(sgdma_params_check);

/* ---- the steps of a copy, in order; each names its stage in @r ---- */

/*
 * Both sides' pages: user pages pinned, kernel pages allocated and filled
 * with their pattern; then the user pages taken for this copy alone and,
 * unless the caller's data are to be copied, filled.
 */
static int copy_get_buffers(struct sgdma_buf *src, struct sgdma_buf *dst,
			    const struct sgdma_params *p, struct sgdma_result *r)
{
	bool usrc = p->dir == SGDMA_U2K || p->dir == SGDMA_U2U;
	bool udst = p->dir == SGDMA_K2U || p->dir == SGDMA_U2U;
	int ret;

	r->stage = usrc ? SGDMA_STAGE_PIN : SGDMA_STAGE_ALLOC;
	ret = usrc ? buf_pin_user(src, p->usrc, p->len, !p->user_data) :
		     buf_alloc_kernel(src, p->src_off, p->len, p->seed);
	if (ret)
		return ret;
	r->stage = udst ? SGDMA_STAGE_PIN : SGDMA_STAGE_ALLOC;
	ret = udst ? buf_pin_user(dst, p->udst, p->len, !p->user_data) :
		     buf_alloc_kernel(dst, p->dst_off, p->len, ~p->seed);
	if (ret)
		return ret;
	/* the user pages are this copy's alone from here to verification */
	ret = flight_claim(dst, src);
	if (ret) {
		/* an alias is bad input; a fatal signal, or no memory, is not */
		r->stage = ret == -EINVAL ? SGDMA_STAGE_PARAMS : SGDMA_STAGE_PIN;
		return ret;
	}
	if (usrc && !p->user_data)
		buf_fill(src, src->start, src->start + src->len, p->seed);
	if (udst && !p->user_data)
		buf_fill(dst, dst->start, dst->start + dst->len, ~p->seed);
	return 0;
}

/* Every page of both sides as it is before the copy, to verify against */
static int copy_snapshot(struct sgdma_buf *src, struct sgdma_buf *dst,
			 struct sgdma_result *r)
{
	r->stage = SGDMA_STAGE_ALLOC;
	src->snap = kvmalloc(src->npages * PAGE_SIZE, GFP_KERNEL);
	dst->snap = kvmalloc(dst->npages * PAGE_SIZE, GFP_KERNEL);
	if (!src->snap || !dst->snap)
		return -ENOMEM;
	buf_pages_io(src, src->snap, true);
	buf_pages_io(dst, dst->snap, true);
	return 0;
}

/* Each side's scatterlist, cut from a seed of its own */
static int copy_build_lists(struct sgdma_buf *src, struct sgdma_buf *dst,
			    const struct sgdma_params *p, struct sgdma_result *r)
{
	int ret;

	r->stage = SGDMA_STAGE_SG;
	ret = buf_build_sgt(src, p, p->seed * 2 + 1);
	if (!ret)
		ret = buf_build_sgt(dst, p, p->seed * 2 + 2);
	if (ret)
		return ret;
	r->src_nents = src->sgt.orig_nents;
	r->dst_nents = dst->sgt.orig_nents;
	return 0;
}

/* Both lists mapped for @dev; on failure, what was mapped stays so */
static int copy_map(struct device *dev, struct sgdma_buf *src,
		    struct sgdma_buf *dst, struct sgdma_result *r)
{
	int ret;

	r->stage = SGDMA_STAGE_MAP;
	ret = sgdma_map(dev, &src->sgt, DMA_TO_DEVICE);
	if (ret)
		return ret;
	src->mapped = true;
	ret = sgdma_map(dev, &dst->sgt, DMA_FROM_DEVICE);
	if (ret)
		return ret;
	dst->mapped = true;
	r->src_mapped = src->sgt.nents;
	r->dst_mapped = dst->sgt.nents;
	return 0;
}

/*
 * The runs of the two mapped lists, @nr of them, each one the channel can
 * copy (its copy alignment); an ERR_PTR() when there are none.
 */
static struct sgdma_run *copy_plan_runs(struct dma_chan *chan,
					struct device *dev,
					struct sgdma_buf *src,
					struct sgdma_buf *dst, size_t len,
					int *nr, struct sgdma_result *r)
{
	struct sgdma_run *runs;
	int max, i;

	r->stage = SGDMA_STAGE_RUNS;
	max = src->sgt.nents + dst->sgt.nents + len / dma_get_max_seg_size(dev) + 1;
	runs = kvcalloc(max, sizeof(*runs), GFP_KERNEL);
	if (!runs)
		return ERR_PTR(-ENOMEM);
	*nr = sgdma_make_runs(dev, &src->sgt, &dst->sgt, runs, max);
	for (i = 0; i < *nr; i++) {
		if (!is_dma_copy_aligned(chan->device, runs[i].src, runs[i].dst,
					 runs[i].len)) {
			r->stage = SGDMA_STAGE_ALIGN;
			*nr = -EINVAL;
			break;
		}
	}
	if (*nr < 0) {
		kvfree(runs);
		return ERR_PTR(*nr);
	}
	return runs;
}

/*
 * The transfer: descriptors for the runs, submitted, and waited for
 * (sgdma_submit()); then whether the destination went through bounce
 * buffers, and (test only) what the CPU sees of it before unmap.
 */
static int copy_transfer(struct dma_chan *chan, struct device *dev,
			 struct sgdma_buf *src, struct sgdma_buf *dst,
			 const struct sgdma_params *p, struct sgdma_result *r)
{
	struct sgdma_run *runs;
	int nr, ret;

	runs = copy_plan_runs(chan, dev, src, dst, p->len, &nr, r);
	if (IS_ERR(runs))
		return PTR_ERR(runs);
	r->stage = SGDMA_STAGE_NONE;
	ret = sgdma_submit(chan, runs, nr, p, r);
	kvfree(runs);
	r->bounced = buf_bounced(dev, dst);
	if (!ret && p->peek_before_unmap)
		r->peek_stale = peek_stale(src, dst);
	return ret;
}

/* After unmap only: (test only) the damage asked for, then verification */
static int copy_verify(struct sgdma_buf *src, struct sgdma_buf *dst,
		       const struct sgdma_params *p, struct sgdma_result *r)
{
	int ret;

	if (p->corrupt)
		sgdma_corrupt(src, dst, p->corrupt);
	if (p->noverify)
		return 0;
	ret = sgdma_verify(src, dst, r);
	if (ret)
		r->stage = SGDMA_STAGE_VERIFY;
	return ret;
}

/**
 * sgdma_copy() - one scatter-gather memcpy through a dmaengine channel
 * @chan: a channel with DMA_MEMCPY, held by the caller
 * @p: what to copy, and how
 * @r: what happened; always filled, also on failure
 *
 * Builds both sides (kernel pages or pinned user pages), fills them with
 * patterns, cuts each into a scatterlist with its own random entry sizes,
 * maps both on dmaengine_get_dma_device(@chan), copies (batched or one
 * descriptor and wait per run), unmaps, and only then verifies every byte of
 * both sides' pages.  User buffers are in current->mm.
 *
 * Context: process context; sleeps.
 * Return: 0 on a verified copy, else a negative errno (also in @r->status,
 * with the failing stage, an SGDMA_STAGE_*, in @r->stage).
 */
int sgdma_copy(struct dma_chan *chan, const struct sgdma_params *p,
	       struct sgdma_result *r)
{
	struct sgdma_buf src = { .is_dst = false }, dst = { .is_dst = true };
	struct device *dev;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = sgdma_check_params(chan, p);
	if (ret) {
		r->stage = SGDMA_STAGE_PARAMS;
		goto out;
	}
	dev = dmaengine_get_dma_device(chan);

	/* each step only when every step before it succeeded */
	ret = copy_get_buffers(&src, &dst, p, r);
	if (!ret)
		ret = copy_snapshot(&src, &dst, r);
	if (!ret)
		ret = copy_build_lists(&src, &dst, p, r);
	if (!ret)
		ret = copy_map(dev, &src, &dst, r);
	if (!ret)
		ret = copy_transfer(chan, dev, &src, &dst, p, r);
	/* whatever happened: nothing mapped, before the CPU looks at the data */
	buf_unmap(dev, &dst);
	buf_unmap(dev, &src);
	if (!ret)
		ret = copy_verify(&src, &dst, p, r);
	buf_release(&dst);
	buf_release(&src);
out:
	r->status = ret;
	if (!ret) {
		r->stage = SGDMA_STAGE_NONE;
		r->bytes = p->len;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(sgdma_copy);

/**
 * sgdma_report() - print what a copy did, a failure in full
 * @chan: the channel used
 * @p: the parameters of the copy
 * @r: its result
 *
 * A failure names the channel and its driver, the direction and mode,
 * offsets, length, entries, the stage and errno, the seed that reproduces it,
 * and the first mismatching bytes (where, offset, expected, actual).
 */
void sgdma_report(struct dma_chan *chan, const struct sgdma_params *p,
		  const struct sgdma_result *r)
{
	const char *drv = chan ? dev_driver_string(chan->device->dev) : "-";
	const char *name = chan ? dma_chan_name(chan) : "-";
	unsigned int i;

	if (!r->status) {
		pr_debug("sgdma: %s (%s) %s %s: ok len %zu entries %u/%u descs %u\n",
			 name, drv, sgdma_dir_name(p->dir),
			 sgdma_mode_name(p->mode), p->len, r->src_mapped,
			 r->dst_mapped, r->descs);
		return;
	}
	pr_err("sgdma: %s (%s) %s %s: FAIL %s %d: len %zu src_off %u dst_off %u entries %u->%u/%u->%u descs %u seed %#x: %lu mismatches\n",
	       name, drv, sgdma_dir_name(p->dir), sgdma_mode_name(p->mode),
	       sgdma_stage_name(r->stage), r->status, p->len, p->src_off,
	       p->dst_off, r->src_nents, r->src_mapped, r->dst_nents,
	       r->dst_mapped, r->descs, p->seed, r->nr_mismatches);
	for (i = 0; i < min_t(unsigned long, r->nr_mismatches,
			      SGDMA_MAX_MISMATCHES); i++)
		pr_err("sgdma:   %s %+ld: expected %#04x actual %#04x\n",
		       r->mismatch[i].where, r->mismatch[i].offset,
		       r->mismatch[i].expected, r->mismatch[i].actual);
}
EXPORT_SYMBOL_GPL(sgdma_report);

// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded, reproducible fuzzer of /dev/sgdma_test's ioctls and of the
 * module parameters of sgdma_test.
 *
 * Each iteration picks SGDMA_IOC_COPY, SGDMA_IOC_POOL_CREATE,
 * SGDMA_IOC_POOL_DESTROY or a wrong command number, starts from a valid
 * request and sets some of its fields to edge values (0, 1, all-ones,
 * INT_MAX, the UAPI limits +-1, powers of two +-1, unknown enum and flag
 * values, nonzero reserved fields, names with characters the rules refuse)
 * or random bits; user pointers are NULL, a valid buffer, one too short,
 * unmapped memory, a read-only mapping, a kernel address, misaligned, or in
 * a shared range mapped twice back to back, and sometimes the ioctl's
 * argument itself is bad.  The model of the documented rules
 * (sgdma_fuzz_model.h: README's errno table, the UAPI header) says which
 * errnos each request may get: a request that breaks a rule must be refused
 * with the errno of a rule it breaks, a valid one must succeed (or fail for
 * lack of memory).  Anything else, or a call that does not return, prints a
 * reproducer line and fails.
 *
 * The whole accepted space is reached, and the time bounded, by sampling:
 * most copies are small (64 KiB, about 256 entries), one in LARGE_ONE_IN is
 * drawn large, log-uniform up to SGDMA_MAX_LEN and SGDMA_MAX_ENTRIES, some
 * of those exactly at a limit or one past it.  Most pools are small, one in
 * POOL_LARGE_ONE_IN has up to SGDMA_MAX_POOL_BLOCKS blocks, and phases of
 * POOL_PHASE iterations fill the open file to SGDMA_MAX_POOLS_PER_FD pools
 * and past it (ENOSPC), or drain it.
 *
 * SGDMA_FUZZ_SEED and SGDMA_FUZZ_ITERS (environment; the booted kernels of
 * `make kselftest` pass them from their command line) choose the run, and
 * SGDMA_FUZZ_SECONDS, if set, bounds its time: the iterations stop there,
 * and the summary says how many were made and how to replay exactly those;
 * every iteration draws from its own stream, so SGDMA_FUZZ_FIRST=N starts
 * at iteration N (with no pools yet), and SGDMA_FUZZ_VERBOSE=1 prints each
 * request before it is made (a kernel that loops without yielding stops
 * the watchdog too).
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sgdma_test.h"
#include "sgdma_ksft.h"
#include "sgdma_fuzz_model.h"

#define DEFAULT_SEED	0x5eed0d3aULL
#define DEFAULT_ITERS	4000
#define PAGE		4096UL
/* a small copy is at most this long, with about this many entries */
#define SMALL_LEN	(64UL << 10)
#define SMALL_ENTRIES	256
/* one copy in this many is drawn large: log-uniform up to the limits */
#define LARGE_ONE_IN	320
/* one pool in this many is drawn with up to SGDMA_MAX_POOL_BLOCKS blocks */
#define POOL_LARGE_ONE_IN 32
/*
 * The memory the blocks of one pool, and of all live pools, may take: the
 * guests have 1 GiB.  A pool asking for more gets fewer blocks (counted,
 * for large draws); live pools are destroyed, largest first, to make room
 * for a new one.  Small draws stay within SMALL_POOL_BYTES, as copies
 * within SMALL_LEN.
 */
#define SMALL_POOL_BYTES (1024ULL * 1024)
#define POOL_REQ_BYTES	(64ULL << 20)
#define POOL_LIVE_BYTES	(128ULL << 20)
/* pool phases: drain, mixed, mixed, fill the open file past its limit */
#define POOL_PHASE	256
/* iterations between releases of the user buffer's pages */
#define RECLAIM_EVERY	1024
/* a call that takes longer has hung (the longest copy timeout is 60 s) */
#define HANG_SECONDS	90
#define MAX_REPORTS	20

#define PARAMS_DIR	"/sys/module/sgdma_test/parameters"
#define SWCHAN_PARAMS	"/sys/module/sgdma_swchan/parameters"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

static unsigned int ilog2_u64(__u64 v)
{
	return 63 - __builtin_clzll(v | 1);
}

/* About log-uniform in [lo, hi] (1 <= lo <= hi < 2^62): a power of two, then within it */
static __u64 log_uniform(__u64 *s, __u64 lo, __u64 hi)
{
	unsigned int lb = ilog2_u64(lo), hb = ilog2_u64(hi);
	unsigned int b = lb + below(s, hb - lb + 1);
	__u64 p = 1, v;

	p <<= b;
	v = p + below(s, p);

	return v < lo ? lo : v > hi ? hi : v;
}

static __u64 env_u64(const char *name, __u64 def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

#define bit(err)	model_bit(err)
#define errno_name(err)	model_errno_name(err)
#define NR_ERRNOS	MODEL_NR_ERRNOS

/* refusals counted by errno; the last slot counts any other */
struct tally {
	unsigned long calls, ok, refused[NR_ERRNOS + 1];
};

static void tally(struct tally *t, int ret, int err)
{
	t->calls++;
	if (!ret)
		t->ok++;
	else
		t->refused[model_errno_index(err)]++;
}

static void print_tally(const char *what, const struct tally *t)
{
	char buf[512];

	ksft_print_msg("%s%s%lu calls, succeeded: %lu\n", what, *what ? ": " : "",
		       t->calls, t->ok);
	ksft_print_msg("%s%srefusals by errno: %s\n", what, *what ? " " : "",
		       model_errno_counts(buf, sizeof(buf), t->refused));
}

/* ---- the watchdog: a call that does not return is reported ---- */

static struct {
	pthread_mutex_t lock;
	time_t started;		/* 0: no call in progress */
	char what[1024];
} watch = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *watchdog(void *arg)
{
	for (;;) {
		sleep(1);
		pthread_mutex_lock(&watch.lock);
		if (watch.started && time(NULL) - watch.started > HANG_SECONDS) {
			printf("# HANG: no return after %d s: %s\n", HANG_SECONDS,
			       watch.what);
			fflush(stdout);
			_exit(KSFT_FAIL);
		}
		pthread_mutex_unlock(&watch.lock);
	}
	return NULL;
}

static void start_watchdog(void)
{
	static int started;
	pthread_t t;

	if (!started && !pthread_create(&t, NULL, watchdog, NULL))
		started = 1;
}

static void watch_begin(const char *what)
{
	pthread_mutex_lock(&watch.lock);
	snprintf(watch.what, sizeof(watch.what), "%s", what);
	watch.started = time(NULL);
	pthread_mutex_unlock(&watch.lock);
}

static void watch_end(void)
{
	pthread_mutex_lock(&watch.lock);
	watch.started = 0;
	pthread_mutex_unlock(&watch.lock);
}

/* The line that replays iteration @it of @seed, and what went wrong */
static void reproduce(__u64 seed, unsigned long it, const char *what,
		      const char *outcome)
{
	char env[80];

	snprintf(env, sizeof(env), "SGDMA_FUZZ_SEED=%#llx SGDMA_FUZZ_FIRST=%lu",
		 (unsigned long long)seed, it);
	ksft_print_msg("REPRODUCE: %s SGDMA_FUZZ_ITERS=%lu: %s: %s\n", env,
		       it + 1, what, outcome);
}

/* ---- user memory: valid, read-only, unmapped, mapped twice, guards between ---- */

/*
 * The read-write buffer: two halves, each room for the longest copy and
 * any offset (sources in the first, destinations in the second), mapped
 * with MAP_NORESERVE and only touched where copies go.  Small copies use
 * the first SMALL_PAGES pages of each half.
 */
#define RW_HALF_PAGES	(SGDMA_MAX_LEN / PAGE + 2)
#define RW_PAGES	(2 * RW_HALF_PAGES)
#define SMALL_PAGES	8
/* one shared range of ALIAS_PAGES pages, mapped twice back to back */
#define ALIAS_PAGES	4

/* the arena, in pages; a PROT_NONE guard page between the parts */
#define PG_RW		1
#define PG_RO		(PG_RW + RW_PAGES + 1)
#define RO_PAGES	2
#define PG_HOLE		(PG_RO + RO_PAGES + 1)	/* unmapped */
#define HOLE_PAGES	2
#define PG_ARG		(PG_HOLE + HOLE_PAGES + 1)	/* ioctl argument */
#define PG_ARG_RO	(PG_ARG + 2)			/* read-only argument */
#define PG_ALIAS	(PG_ARG_RO + 2)
#define ARENA_PAGES	(PG_ALIAS + 2 * ALIAS_PAGES + 1)

struct arena {
	unsigned char *base;
	__u64 rw, rw_end, ro, ro_end, hole, arg, arg_ro, alias, alias_end;
};

static int arena_map(struct arena *a)
{
	unsigned char *b = mmap(NULL, ARENA_PAGES * PAGE, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b == MAP_FAILED)
		return -1;
	a->base = b;
	if (mmap(b + PG_RW * PAGE, RW_PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		 -1, 0) == MAP_FAILED ||
	    mprotect(b + PG_RO * PAGE, RO_PAGES * PAGE, PROT_READ) ||
	    mprotect(b + PG_ARG * PAGE, PAGE, PROT_READ | PROT_WRITE) ||
	    munmap(b + PG_HOLE * PAGE, HOLE_PAGES * PAGE))
		return -1;
	if (sgdma_map_twice(b + PG_ALIAS * PAGE, ALIAS_PAGES * PAGE))
		return -1;
	memset(b + PG_ALIAS * PAGE, 0x5a, ALIAS_PAGES * PAGE);
	a->rw = (uintptr_t)b + PG_RW * PAGE;
	a->rw_end = a->rw + RW_PAGES * PAGE;
	a->ro = (uintptr_t)b + PG_RO * PAGE;
	a->ro_end = a->ro + RO_PAGES * PAGE;
	a->hole = (uintptr_t)b + PG_HOLE * PAGE;
	a->arg = (uintptr_t)b + PG_ARG * PAGE;
	a->arg_ro = (uintptr_t)b + PG_ARG_RO * PAGE;
	a->alias = (uintptr_t)b + PG_ALIAS * PAGE;
	a->alias_end = a->alias + 2 * ALIAS_PAGES * PAGE;
	return 0;
}

static void arena_unmap(struct arena *a)
{
	if (a->base)
		munmap(a->base, ARENA_PAGES * PAGE);
}

/* Give back the pages copies touched in the read-write buffer */
static void arena_reclaim(struct arena *a)
{
	madvise((void *)(uintptr_t)a->rw, RW_PAGES * PAGE, MADV_DONTNEED);
}

/* [addr, addr + len) can be pinned (and, if @write, written) */
static int arena_pinnable(const void *ctx, __u64 addr, __u64 len, int write)
{
	const struct arena *a = ctx;

	if (!len || addr + len < addr)
		return 0;
	if (addr >= a->rw && addr + len <= a->rw_end)
		return 1;
	if (addr >= a->alias && addr + len <= a->alias_end)
		return 1;
	return !write && addr >= a->ro && addr + len <= a->ro_end;
}

/* The page behind @addr: both mappings of the shared range give the same */
static __u64 arena_page_id(const void *ctx, __u64 addr)
{
	const struct arena *a = ctx;

	if (addr >= a->alias && addr < a->alias_end)
		return a->alias + (addr - a->alias) / PAGE % ALIAS_PAGES * PAGE;
	return addr & ~(__u64)(PAGE - 1);
}

/* a kernel address as this machine's user space sees one */
static __u64 kernel_address(__u64 *s)
{
	static const __u64 k64[] = { 0xffff888000000000ULL,
					0xffffffff81000000ULL, ~0ULL - 4095,
					0x8000000000000000ULL };
	static const __u64 k32[] = { 0xc0000000ULL, 0xc0008000ULL,
					0xfffff000ULL, 0xbf000000ULL };

	return sizeof(long) == 8 ? k64[below(s, ARRAY_SIZE(k64))] :
				   k32[below(s, ARRAY_SIZE(k32))];
}

enum ptr_kind { P_NULL, P_RW, P_SHORT, P_UNMAPPED, P_RO, P_KERNEL, P_HIGH,
		P_RANDOM, P_MISALIGNED, P_ALIAS, NR_PTR_KINDS };

static const char * const ptr_names[] = { "null", "rw", "short", "unmapped",
					  "ro", "kernel", "high-bits",
					  "random", "misaligned", "mapped-twice" };

/* A user pointer of some kind for a copy of @len bytes */
static __u64 user_pointer(__u64 *s, const struct arena *a, __u64 len,
			  enum ptr_kind k)
{
	/* mostly where small copies go, sometimes anywhere in the buffer */
	__u64 span = chance(s, 90) ? 2 * SMALL_PAGES * PAGE : RW_PAGES * PAGE;
	__u64 room = span - (len < span ? len : 0);
	__u64 aroom = 2 * ALIAS_PAGES * PAGE;

	aroom -= len < aroom ? len : 0;
	switch (k) {
	case P_NULL:
		return 0;
	case P_RW:
		return a->rw + below(s, room + 1);
	case P_SHORT:		/* ends before the buffer does: runs into the guard */
		return a->rw_end - 1 - below(s, len > 1 ? len - 1 : 1);
	case P_UNMAPPED:
		return a->hole + below(s, HOLE_PAGES * PAGE);
	case P_RO:
		return a->ro + below(s, RO_PAGES * PAGE);
	case P_KERNEL:
		return kernel_address(s);
	case P_HIGH:		/* a valid address with bits above 32 set */
		return (1ULL << (32 + below(s, 31))) | (a->rw + below(s, room + 1));
	case P_RANDOM:
		return splitmix(s);
	case P_ALIAS:
		return a->alias + below(s, aroom + 1);
	default:
		return (a->rw + below(s, room + 1)) | 1;
	}
}

/* ---- edge values ---- */

static __u64 edge_u32(__u64 *s)
{
	static const __u64 v[] = { 0, 1, 2, 3, 7, 8, 16, 17, 63, 64, 65, 255,
				      256, 4095, 4096, 4097, 8191, 8192, 32767,
				      32768, 32769, 65535, 65536, 0x7fffffff,
				      0x80000000, 0xfffffffe, 0xffffffff };

	switch (below(s, 4)) {
	case 0:
		return v[below(s, ARRAY_SIZE(v))];
	case 1: {
		__u64 p = 1ULL << below(s, 32);

		return (p + below(s, 3) - 1) & 0xffffffff;	/* 2^n - 1, 2^n, 2^n + 1 */
	}
	case 2:
		return splitmix(s) & 0xffffffff;
	default:
		return below(s, 2 * PAGE);
	}
}

static __u64 edge_u64(__u64 *s)
{
	static const __u64 v[] = { 0, 1, SGDMA_MAX_LEN - 1, SGDMA_MAX_LEN,
				      SGDMA_MAX_LEN + 1, SGDMA_MAX_ENTRIES,
				      SGDMA_MAX_ENTRIES + 1, 0x7fffffffULL,
				      0xffffffffULL, 0x100000000ULL,
				      0x7fffffffffffffffULL, ~0ULL };

	switch (below(s, 3)) {
	case 0:
		return v[below(s, ARRAY_SIZE(v))];
	case 1: {
		__u64 p = 1ULL << below(s, 64);

		return p + below(s, 3) - 1;
	}
	default:
		return chance(s, 50) ? splitmix(s) : edge_u32(s);
	}
}

/* ---- the fuzzer's state ---- */

struct pool_rec {
	unsigned int id;
	__u64 bytes;
};

/* what a run reached, for the summary */
struct reach {
	unsigned long copies, copy_bytes, timeouts;
	/* accepted copies drawn large; at a limit; refused one past one */
	unsigned long large, at_len, at_entries, over;
	__u64 longest, most_entries;
	/* pools: most live, the largest made, drawn large, cut, destroyed for room */
	int most_live;
	__u32 most_blocks;
	__u64 most_pool_bytes;
	unsigned long pools_large, pool_cuts, room_destroys, room_failures;
};

struct world {
	int fd;
	struct arena a;
	struct model_mem mem;
	int have_chan;		/* a copy on "any channel" works */
	char chan[SGDMA_NAME_LEN];	/* the channel it used */
	/* room for every pool the kernel might wrongly let one file have */
	struct pool_rec live[SGDMA_MAX_POOLS];
	int nr_live;
	__u64 live_bytes;
	unsigned int gone;	/* a destroyed pool's id */
	int others;		/* pools of other open files when the run began */
	struct reach r;
};

struct copy_req {
	struct sgdma_ioc_copy c;
	enum ptr_kind src_kind, dst_kind;
};

static int user_src(__u32 dir)
{
	return model_user_src(dir);
}

static int user_dst(__u32 dir)
{
	return model_user_dst(dir);
}

/*
 * Whether a copy on channel @name finds one: "any" or the channel the
 * fixture found, and only if it found one.  Without a memcpy channel every
 * copy that passes the field checks is ENODEV.
 */
static int known_channel(const struct world *w, const char *name)
{
	return w->have_chan && (!name[0] || !strcmp(name, w->chan));
}

/* ---- SGDMA_IOC_COPY ---- */

static void copy_init(__u64 *s, struct world *w, struct sgdma_ioc_copy *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->version = SGDMA_UAPI_VERSION;
	c->dir = below(s, 4);
	c->mode = below(s, 2);
	c->flags = chance(s, 50) ? SGDMA_F_USER_DATA : 0;
	if (w->have_chan && chance(s, 30))
		memcpy(c->channel, w->chan, sizeof(c->channel));
	c->seed = splitmix(s);
}

/* A small copy: sometimes on the shared range that is mapped twice */
static void copy_base(__u64 *s, struct world *w, struct copy_req *r)
{
	static const __u32 timeouts[] = { 0, 200, 1000, 2000 };
	struct sgdma_ioc_copy *c = &r->c;
	__u64 alias_room;

	copy_init(s, w, c);
	c->timeout_ms = timeouts[below(s, ARRAY_SIZE(timeouts))];
	c->len = 1 + below(s, chance(s, 50) ? 64 : 6 * PAGE);
	alias_room = 2 * ALIAS_PAGES * PAGE - c->len;
	/* sources at the start of the first half, destinations of the second */
	if (user_src(c->dir) && chance(s, 8)) {
		c->src = w->a.alias + below(s, alias_room);
		r->src_kind = P_ALIAS;
	} else if (user_src(c->dir)) {
		c->src = w->a.rw + below(s, SMALL_PAGES * PAGE - c->len);
	} else {
		c->src_off = below(s, PAGE);
	}
	if (user_dst(c->dir) && chance(s, 8)) {
		c->dst = w->a.alias + below(s, alias_room);
		r->dst_kind = P_ALIAS;
	} else if (user_dst(c->dir)) {
		c->dst = w->a.rw + RW_HALF_PAGES * PAGE +
			 below(s, SMALL_PAGES * PAGE - c->len);
	} else {
		c->dst_off = below(s, PAGE);
	}
	if (chance(s, 60)) {
		c->seg_min = 1 + below(s, 2 * PAGE);
		c->seg_max = c->seg_min + below(s, 2 * PAGE);
	}
}

/* The entry bound of a copy of @len at offsets @soff and @doff */
static __u64 entries_at(__u64 soff, __u64 doff, __u64 len, __u32 seg_min,
			__u32 seg_max)
{
	__u64 a = model_side_entries(soff, len, seg_min, seg_max);
	__u64 b = model_side_entries(doff, len, seg_min, seg_max);

	return a > b ? a : b;
}

/*
 * A length and seg_min (entries of exactly that size) that make the entry
 * bound exactly @target; the bound grows with the length by one or two
 * at a time, so a few entry sizes are tried.
 */
static __u64 len_for_entries(__u64 *s, __u64 soff, __u64 doff, __u64 target,
			     __u32 *seg_min)
{
	/* half of them short: small entries */
	__u32 seg = log_uniform(s, 1, chance(s, 50) ? 256 : PAGE);
	__u64 lo = 1, hi = SGDMA_MAX_LEN, mid;
	unsigned int tries;

	for (tries = 0; tries < 32; tries++) {
		lo = 1;
		hi = SGDMA_MAX_LEN;
		if (entries_at(soff, doff, hi, seg, seg) < target) {
			seg = seg > 1 ? seg / 2 : 1;	/* not reachable: smaller entries */
			continue;
		}
		while (lo < hi) {	/* the shortest length that reaches it */
			mid = lo + (hi - lo) / 2;
			if (entries_at(soff, doff, mid, seg, seg) >= target)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (entries_at(soff, doff, lo, seg, seg) == target)
			break;
		seg++;		/* jumped over it: another size */
	}
	*seg_min = seg;
	return lo;
}

/*
 * A large copy: a length log-uniform up to SGDMA_MAX_LEN (one in sixteen
 * exactly that) and entries log-uniform up to SGDMA_MAX_ENTRIES; or (three
 * in sixteen) exactly SGDMA_MAX_ENTRIES entries on one side, or (one in
 * sixteen) one more.  Its timeout is the longest, so that a slow machine
 * still completes it.
 */
static void copy_large(__u64 *s, struct world *w, struct sgdma_ioc_copy *c)
{
	__u64 soff = below(s, PAGE), doff = below(s, PAGE), len, pages, target;
	unsigned int kind = below(s, 16);
	__u32 seg;

	copy_init(s, w, c);
	c->mode = chance(s, 75) ? SGDMA_MODE_BATCHED : SGDMA_MODE_PER_ENTRY;
	c->timeout_ms = SGDMA_MAX_TIMEOUT_MS;
	if (kind < 4) {
		len = len_for_entries(s, soff, doff,
				      SGDMA_MAX_ENTRIES + (kind == 3), &seg);
		c->seg_min = seg;
		c->seg_max = chance(s, 50) ? seg : seg + below(s, 4ULL * seg + 1);
	} else {
		len = kind == 4 ? SGDMA_MAX_LEN :
		      log_uniform(s, SMALL_LEN + 1, SGDMA_MAX_LEN);
		pages = (len + (soff > doff ? soff : doff) + PAGE - 1) / PAGE;
		if (!chance(s, 33) && pages < SGDMA_MAX_ENTRIES) {
			target = log_uniform(s, pages + 1, SGDMA_MAX_ENTRIES);
			c->seg_min = len / (target - pages + 1) + 1;
			c->seg_max = c->seg_min + below(s, c->seg_min + PAGE);
		}
	}
	c->len = len;
	if (user_src(c->dir))
		c->src = w->a.rw + soff;
	else
		c->src_off = soff;
	if (user_dst(c->dir))
		c->dst = w->a.rw + RW_HALF_PAGES * PAGE + doff;
	else
		c->dst_off = doff;
}

/* A channel name not terminated, unknown, random, or known with junk after */
static void mutate_channel(__u64 *s, const struct world *w,
			   struct sgdma_ioc_copy *c)
{
	unsigned int i;

	switch (below(s, 4)) {
	case 0:		/* not terminated */
		memset(c->channel, 'a' + below(s, 26), sizeof(c->channel));
		break;
	case 1:
		snprintf(c->channel, sizeof(c->channel), "nosuchchan%u",
			 (unsigned int)below(s, 100));
		break;
	case 2:		/* random bytes, terminated somewhere */
		for (i = 0; i < sizeof(c->channel); i++)
			c->channel[i] = splitmix(s);
		c->channel[below(s, sizeof(c->channel))] = '\0';
		break;
	default:	/* a known name with junk after its NUL */
		memset(c->channel, 'x', sizeof(c->channel));
		memcpy(c->channel, w->chan, strlen(w->chan) + 1);
	}
}

/* Set one field of @r to an edge or random value */
static void copy_mutate(__u64 *s, struct world *w, struct copy_req *r)
{
	struct sgdma_ioc_copy *c = &r->c;
	enum ptr_kind k = below(s, NR_PTR_KINDS);

	switch (below(s, 17)) {
	case 0:
		c->size = chance(s, 50) ? sizeof(*c) + below(s, 17) - 8 : edge_u32(s);
		break;
	case 1:
		c->version = chance(s, 50) ? below(s, 4) : edge_u32(s);
		break;
	case 2:
		c->dir = chance(s, 50) ? below(s, 6) : edge_u32(s);
		break;
	case 3:
		c->mode = chance(s, 50) ? below(s, 4) : edge_u32(s);
		break;
	case 4:
		c->flags = chance(s, 50) ? 1U << below(s, 32) : edge_u32(s);
		break;
	case 5:
		c->timeout_ms = chance(s, 50) ?
			SGDMA_MAX_TIMEOUT_MS + below(s, 3) - 1 : edge_u32(s);
		break;
	case 6:
		mutate_channel(s, w, c);
		break;
	case 7:
		r->src_kind = k;
		c->src = user_pointer(s, &w->a, c->len, k);
		break;
	case 8:
		r->dst_kind = k;
		c->dst = user_pointer(s, &w->a, c->len, k);
		break;
	case 9:
		c->len = edge_u64(s);
		break;
	case 10:
		c->src_off = chance(s, 50) ? PAGE + below(s, 3) - 2 : edge_u32(s);
		break;
	case 11:
		c->dst_off = chance(s, 50) ? PAGE + below(s, 3) - 2 : edge_u32(s);
		break;
	case 12:
		c->seg_min = edge_u32(s);
		break;
	case 13:
		c->seg_max = edge_u32(s);
		break;
	case 14:
		c->reserved0 = edge_u32(s) | 1;
		break;
	case 15:
		c->reserved[below(s, 4)] = chance(s, 50) ? 1ULL << below(s, 64) :
							    edge_u64(s) | 1;
		break;
	default:	/* the results are ignored on the way in */
		c->status = splitmix(s);
		c->stage = splitmix(s);
		c->bytes = splitmix(s);
		c->descs = splitmix(s);
		memset(c->chan_name, 0xff, sizeof(c->chan_name));
	}
}

/*
 * Keep a small draw that will do work small: SMALL_LEN, and about
 * SMALL_ENTRIES entries of the average size asked for (large draws reach
 * the rest of the space).
 */
static void copy_bound(__u64 *s, struct sgdma_ioc_copy *c)
{
	__u64 max = SMALL_LEN;

	if (c->seg_max) {
		__u64 lo = c->seg_min ? c->seg_min : 1;
		__u64 hi = c->seg_max < PAGE ? c->seg_max : PAGE;

		if (lo > hi)
			lo = hi;
		if ((lo + hi) / 2 * SMALL_ENTRIES < max)
			max = (lo + hi) / 2 * SMALL_ENTRIES;
	}
	if (c->len > max)
		c->len = 1 + below(s, max);
	/* a short timeout may expire on a slow emulated machine: ask for none */
	if (c->timeout_ms && c->timeout_ms < 100 && chance(s, 90))
		c->timeout_ms = 200 + below(s, 1800);
}

static void describe_copy(char *buf, size_t len, const struct copy_req *r,
			  const struct model_copy *v)
{
	const struct sgdma_ioc_copy *c = &r->c;
	char chan[4 * SGDMA_NAME_LEN + 1];
	unsigned int i, n = 0;

	for (i = 0; i < sizeof(c->channel) && c->channel[i]; i++)
		n += snprintf(chan + n, sizeof(chan) - n,
			      c->channel[i] > ' ' && c->channel[i] < 127 ? "%c" : "\\%03o",
			      (unsigned char)c->channel[i]);
	chan[n] = '\0';
	snprintf(buf, len,
		 "SGDMA_IOC_COPY size=%u version=%u dir=%u mode=%u flags=%#x timeout_ms=%u channel=\"%s\"%s src=%#llx(%s) dst=%#llx(%s) len=%llu src_off=%u dst_off=%u seg_min=%u seg_max=%u seed=%#x reserved0=%#x reserved=%#llx,%#llx,%#llx,%#llx (entries %llu)",
		 c->size, c->version, c->dir, c->mode, c->flags, c->timeout_ms,
		 chan, i == sizeof(c->channel) ? "(unterminated)" : "",
		 (unsigned long long)c->src, ptr_names[r->src_kind],
		 (unsigned long long)c->dst, ptr_names[r->dst_kind],
		 (unsigned long long)c->len, c->src_off, c->dst_off, c->seg_min,
		 c->seg_max, c->seed, c->reserved0,
		 (unsigned long long)c->reserved[0], (unsigned long long)c->reserved[1],
		 (unsigned long long)c->reserved[2], (unsigned long long)c->reserved[3],
		 (unsigned long long)v->entries);
}

/* ---- SGDMA_IOC_POOL_CREATE / _DESTROY ---- */

static void pool_base(__u64 *s, unsigned int iter, struct sgdma_ioc_pool *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "fz%u", iter);
	p->size = chance(s, 50) ? 1U << below(s, 13) : 1 + below(s, 2 * PAGE);
	p->align = chance(s, 30) ? 0 : 1U << below(s, 13);
	if (chance(s, 50)) {
		p->boundary = 1U << below(s, 13);
		if (p->boundary < p->size)
			p->boundary = 0;
	}
	p->blocks = chance(s, 20) ? 0 : below(s, 65);
}

/*
 * Up to SGDMA_MAX_POOL_BLOCKS blocks (a quarter exactly that) of up to
 * 16 KiB: at most POOL_REQ_BYTES
 */
static void pool_large(__u64 *s, unsigned int iter, struct sgdma_ioc_pool *p)
{
	__u32 b;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "fz%u", iter);
	p->size = log_uniform(s, 1, 16 << 10);
	p->align = chance(s, 30) ? 0 : 1U << below(s, 13);
	b = 1U << ilog2_u64(p->size);
	if (b < p->size)
		b <<= 1;
	if (chance(s, 50) && b <= (p->size > PAGE ? p->size : PAGE))
		p->boundary = b;
	p->blocks = chance(s, 25) ? SGDMA_MAX_POOL_BLOCKS :
		    log_uniform(s, 65, SGDMA_MAX_POOL_BLOCKS);
}

static void pool_mutate(__u64 *s, unsigned int iter, struct sgdma_ioc_pool *p)
{
	/* characters the name rules refuse, and some they allow */
	static const char odd[] = { ' ', '\n', '\t', '\r', 0x7f, (char)0x80,
				    (char)0xff, 0x01, 0x1b, '!', '~', '-', '.',
				    ':', '/', '"' };
	size_t len;
	unsigned int i;

	switch (below(s, 8)) {
	case 0:
		switch (below(s, 4)) {
		case 0:
			p->name[0] = '\0';
			break;
		case 1:		/* not terminated */
			memset(p->name, 'f', sizeof(p->name));
			break;
		case 2:		/* the longest name: 31 characters */
			memset(p->name, 'z', sizeof(p->name));
			memcpy(p->name, "fz", 2);
			p->name[sizeof(p->name) - 1] = '\0';
			break;
		default:	/* odd bytes after "fz" */
			for (i = 2; i < sizeof(p->name); i++)
				p->name[i] = 1 + below(s, 255);
			p->name[2 + below(s, sizeof(p->name) - 2)] = '\0';
		}
		break;
	case 1:
		p->size = edge_u32(s);
		break;
	case 2:
		p->align = chance(s, 50) ? 1U << below(s, 32) : edge_u32(s);
		break;
	case 3:
		p->boundary = chance(s, 50) ? 1U << below(s, 32) : edge_u32(s);
		break;
	case 4:
		p->blocks = chance(s, 50) ? SGDMA_MAX_POOL_BLOCKS + below(s, 3) - 1 :
					    edge_u32(s);
		break;
	case 5:
		p->id = edge_u32(s) | 1;
		break;
	case 6:		/* one character of the name, after "fz" */
		len = strnlen(p->name, sizeof(p->name) - 2);
		i = 2 + below(s, len > 2 ? len - 1 : 1);
		p->name[i] = odd[below(s, sizeof(odd))];
		if (i == len)
			p->name[i + 1] = '\0';
		break;
	default:
		p->reserved = edge_u32(s) | 1;
	}
}

static void describe_pool(char *buf, size_t len, const char *cmd,
			  const struct sgdma_ioc_pool *p)
{
	char name[4 * SGDMA_NAME_LEN + 1];
	unsigned int i, n = 0;

	for (i = 0; i < sizeof(p->name) && p->name[i]; i++)
		n += snprintf(name + n, sizeof(name) - n,
			      p->name[i] > ' ' && p->name[i] < 127 ? "%c" : "\\%03o",
			      (unsigned char)p->name[i]);
	name[n] = '\0';
	snprintf(buf, len,
		 "%s name=\"%s\"%s size=%u align=%u boundary=%u blocks=%u id=%u reserved=%#x",
		 cmd, name, i == sizeof(p->name) ? "(unterminated)" : "", p->size,
		 p->align, p->boundary, p->blocks, p->id, p->reserved);
}

static int live_index(const struct world *w, unsigned int id)
{
	int i;

	for (i = 0; i < w->nr_live; i++)
		if (w->live[i].id == id)
			return i;
	return -1;
}

static void forget_pool(struct world *w, unsigned int id)
{
	int i = live_index(w, id);

	if (i < 0)
		return;
	w->live_bytes -= w->live[i].bytes;
	w->live[i] = w->live[--w->nr_live];
	w->gone = id;
}

/*
 * Destroy live pools, largest first, until @bytes more fit in
 * POOL_LIVE_BYTES; each destroy must succeed
 */
static void make_room(struct world *w, __u64 bytes)
{
	struct sgdma_ioc_pool p = { };
	int i, big;

	while (w->nr_live && w->live_bytes + bytes > POOL_LIVE_BYTES) {
		for (big = 0, i = 1; i < w->nr_live; i++)
			if (w->live[i].bytes > w->live[big].bytes)
				big = i;
		p.id = w->live[big].id;
		w->r.room_destroys++;
		if (ioctl(w->fd, SGDMA_IOC_POOL_DESTROY, &p)) {
			w->r.room_failures++;
			ksft_print_msg("destroying live pool %u to make room: %s\n",
				       p.id, strerror(errno));
		}
		forget_pool(w, p.id);
	}
}

/* ---- wrong command numbers ---- */

static unsigned long wrong_cmd(__u64 *s)
{
	/* magics the VFS answers itself on any file: never sent */
	static const unsigned int vfs[] = { 0x00, 0x15, 'T', 'X', 'f', 0x94 };
	static const unsigned int sizes[] = { sizeof(struct sgdma_ioc_copy),
					      sizeof(struct sgdma_ioc_pool) };
	static const unsigned int nrs[] = { 0, 4, 5, 0x80, 0xff };
	unsigned int dir = below(s, 4), nr = 1 + below(s, 3);
	unsigned int size = sizes[below(s, ARRAY_SIZE(sizes))];
	unsigned int magic = SGDMA_IOC_MAGIC, i;

	switch (below(s, 4)) {
	case 0:		/* another number */
		nr = nrs[below(s, ARRAY_SIZE(nrs))];
		break;
	case 1:		/* another size */
		size = chance(s, 50) ? size + below(s, 17) - 8 : below(s, 1U << 14);
		break;
	case 2:		/* another direction */
		break;
	default:	/* another magic */
		do {
			magic = below(s, 256);
			for (i = 0; i < ARRAY_SIZE(vfs); i++)
				if (magic == vfs[i])
					magic = SGDMA_IOC_MAGIC;
		} while (magic == SGDMA_IOC_MAGIC);
	}
	for (;;) {
		unsigned long cmd = _IOC(dir, magic, nr, size & _IOC_SIZEMASK);

		if (cmd != SGDMA_IOC_COPY && cmd != SGDMA_IOC_POOL_CREATE &&
		    cmd != SGDMA_IOC_POOL_DESTROY)
			return cmd;
		dir = (dir + 1) % 4;
	}
}

/* ---- the ioctl argument itself ---- */

enum arg_kind { A_OK, A_NULL, A_UNMAPPED, A_KERNEL, A_STRADDLE, A_RO,
		A_MISALIGNED };

static const char * const arg_names[] = { "ok", "null", "unmapped", "kernel",
					  "straddling-a-guard", "read-only",
					  "misaligned" };

/* The kernel can read all of an argument of kind @k */
static int arg_readable(enum arg_kind k)
{
	return k == A_OK || k == A_RO || k == A_MISALIGNED;
}

/* ... and write it */
static int arg_writable(enum arg_kind k)
{
	return k == A_OK || k == A_MISALIGNED;
}

/* Where the argument goes; a copy of @buf there where it can be */
static unsigned long place_arg(__u64 *s, struct arena *a, enum arg_kind k,
			       void *buf, size_t len)
{
	unsigned char *p;

	switch (k) {
	case A_NULL:
		return 0;
	case A_UNMAPPED:
		return a->hole + below(s, PAGE);
	case A_KERNEL:
		return kernel_address(s);
	case A_STRADDLE:	/* the struct's tail in the guard page */
		p = (unsigned char *)(uintptr_t)a->arg + PAGE - 1 - below(s, len - 1);
		memcpy(p, buf, (unsigned char *)(uintptr_t)a->arg + PAGE - p);
		return (uintptr_t)p;
	case A_RO:
		p = (unsigned char *)(uintptr_t)a->arg_ro;
		mprotect(p, PAGE, PROT_READ | PROT_WRITE);
		memcpy(p, buf, len);
		mprotect(p, PAGE, PROT_READ);
		return (uintptr_t)p;
	case A_MISALIGNED:
		p = (unsigned char *)(uintptr_t)a->arg + 1 + below(s, 7);
		memcpy(p, buf, len);
		return (uintptr_t)p;
	default:
		return (uintptr_t)buf;
	}
}

/* ---- the fuzzer ---- */

enum { FZ_COPY, FZ_CREATE, FZ_DESTROY, FZ_WRONG, FZ_KINDS };

static const char * const fz_names[] = { "SGDMA_IOC_COPY",
	"SGDMA_IOC_POOL_CREATE", "SGDMA_IOC_POOL_DESTROY", "wrong command" };

/* One iteration: the request, what the model allows, what came back */
struct iter {
	unsigned long it;
	int which, large, ret, err;
	enum arg_kind ak;
	struct copy_req r;
	struct model_copy v;
	struct sgdma_ioc_pool p, out;
	unsigned int must, may;
	unsigned long cmd, arg;
	char what[1100];
};

/*
 * A run of the fuzzer: SGDMA_FUZZ_SEED, _FIRST, _ITERS, _SECONDS (0: no
 * time bound), _VERBOSE; @end: where the iterations stopped
 */
struct fuzz_run {
	__u64 seed;
	unsigned long first, iters, seconds, end;
	int verbose;
};

/*
 * "skipped": FIXTURE_SETUP skipped.  6.1's kselftest_harness.h runs the
 * test after such a skip; the tests then return at once.
 */
FIXTURE(fuzz) {
	int skipped;
	struct world w;
	struct fuzz_run run;
};

/* A 1-byte k2k copy on any channel: which one, if any */
static int probe_channel(int fd, char *chan)
{
	struct sgdma_ioc_copy c = { .size = sizeof(c), .version = SGDMA_UAPI_VERSION,
				    .dir = SGDMA_DIR_K2K, .len = 1 };
	int ok = !ioctl(fd, SGDMA_IOC_COPY, &c) && !c.status;

	memcpy(chan, ok ? c.chan_name : "", ok ? SGDMA_NAME_LEN : 1);
	chan[SGDMA_NAME_LEN - 1] = '\0';
	return ok;
}

/* Lines of the pools file whose name starts with @prefix, into @buf */
static int pools_named(const char *prefix, char *buf, size_t len)
{
	char file[8192], *line, *next;
	size_t n = 0;
	ssize_t got;
	int fd, found = 0;

	buf[0] = '\0';
	fd = open(SGDMA_POOLS_SYSFS, O_RDONLY);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;	/* no pool at all */
	got = read(fd, file, sizeof(file) - 1);
	close(fd);
	if (got < 0)
		return -errno;
	file[got] = '\0';
	for (line = file; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "poolinfo", 8))
			continue;
		if (!strncmp(line, prefix, strlen(prefix))) {
			found++;
			n += snprintf(buf + n, len - n, "%s\"%s\"", n ? ", " : "", line);
			if (n >= len)
				n = len - 1;
		}
	}
	return found;
}

/*
 * What the model and the draws need to know of the world of @w (the
 * device open, the arena mapped): the memory, the channel, other files'
 * pools
 */
static void world_init(struct world *w)
{
	char buf[64];

	w->mem.pinnable = arena_pinnable;
	w->mem.page_id = arena_page_id;
	w->mem.ctx = &w->a;
	w->have_chan = probe_channel(w->fd, w->chan);
	/* any pool of other open files counts against SGDMA_MAX_POOLS */
	w->others = pools_named("", buf, sizeof(buf));
	if (w->others < 0)
		w->others = 0;
}

/* The run the environment asks for */
static void fuzz_run_init(struct fuzz_run *run)
{
	run->seed = env_u64("SGDMA_FUZZ_SEED", DEFAULT_SEED);
	run->iters = env_u64("SGDMA_FUZZ_ITERS", DEFAULT_ITERS);
	run->first = env_u64("SGDMA_FUZZ_FIRST", 0);
	run->seconds = env_u64("SGDMA_FUZZ_SECONDS", 0);
	run->verbose = env_u64("SGDMA_FUZZ_VERBOSE", 0);
}

FIXTURE_SETUP(fuzz)
{
	memset(&self->w, 0, sizeof(self->w));
	self->w.fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->w.fd < 0) {
		self->skipped = 1;
		SKIP(return, "%s: %s (module sgdma_test not loaded?)",
		     SGDMA_DEV_PATH, strerror(errno));
	}
	ASSERT_EQ(0, arena_map(&self->w.a)) {
		TH_LOG("mapping the user buffers: %s", strerror(errno));
	}
	world_init(&self->w);
	fuzz_run_init(&self->run);
	start_watchdog();
}

FIXTURE_TEARDOWN(fuzz)
{
	struct sgdma_ioc_pool p = { };

	while (self->w.nr_live > 0) {
		p.id = self->w.live[--self->w.nr_live].id;
		ioctl(self->w.fd, SGDMA_IOC_POOL_DESTROY, &p);
	}
	arena_unmap(&self->w.a);
	if (self->w.fd >= 0)
		close(self->w.fd);
}

static void draw_copy(__u64 *s, struct world *w, struct iter *q, unsigned int n)
{
	q->large = !below(s, LARGE_ONE_IN);
	if (q->large) {
		copy_large(s, w, &q->r.c);
		n = chance(s, 75) ? 0 : 1 + below(s, 2);
	} else {
		copy_base(s, w, &q->r);
	}
	while (n--)
		copy_mutate(s, w, &q->r);
	model_copy(&q->r.c, &w->mem, known_channel(w, q->r.c.channel), &q->v);
	if (!q->large && q->v.work) {
		copy_bound(s, &q->r.c);
		model_copy(&q->r.c, &w->mem, known_channel(w, q->r.c.channel),
			   &q->v);
	}
	q->must = q->v.must;
	q->may = q->v.may;
	q->cmd = SGDMA_IOC_COPY;
	describe_copy(q->what, sizeof(q->what), &q->r, &q->v);
	q->arg = place_arg(s, &w->a, q->ak, &q->r.c, sizeof(q->r.c));
}

static void draw_create(__u64 *s, struct world *w, struct iter *q, unsigned int n)
{
	struct sgdma_ioc_pool *p = &q->p;
	int full = w->others + w->nr_live >= SGDMA_MAX_POOLS;
	__u64 bytes, limit;

	q->large = !below(s, POOL_LARGE_ONE_IN);
	if (q->large) {
		pool_large(s, q->it, p);
		n = chance(s, 75) ? 0 : 1;
	} else {
		pool_base(s, q->it, p);
	}
	while (n--)
		pool_mutate(s, q->it, p);
	q->must = model_pool_create(p, w->nr_live, full, &q->may);
	if (!(q->must & ~bit(ENOSPC))) {
		/* a pool that will be made: within the memory it may take */
		bytes = model_pool_bytes(p);
		limit = q->large ? POOL_REQ_BYTES : SMALL_POOL_BYTES;
		if (bytes > limit) {
			p->blocks = limit / (bytes / p->blocks);
			w->r.pool_cuts += q->large;
		}
		make_room(w, model_pool_bytes(p));
		full = w->others + w->nr_live >= SGDMA_MAX_POOLS;
		q->must = model_pool_create(p, w->nr_live, full, &q->may);
	}
	q->cmd = SGDMA_IOC_POOL_CREATE;
}

/* Pool phases: drain, mixed, mixed, fill (creates favoured, destroys missing) */
static unsigned int pool_phase(unsigned long it)
{
	return it / POOL_PHASE % 4;
}

static void draw_destroy(__u64 *s, struct world *w, struct iter *q, unsigned int n)
{
	static const unsigned int pick_live[] = { 90, 60, 60, 5 };
	struct sgdma_ioc_pool *p = &q->p;

	pool_base(s, q->it, p);
	/* only the id counts: other fields are ignored */
	if (n)
		pool_mutate(s, q->it, p);
	/* a live pool, a destroyed one, or any number */
	p->id = w->nr_live && chance(s, pick_live[pool_phase(q->it)]) ?
		w->live[below(s, w->nr_live)].id :
		chance(s, 30) ? w->gone : edge_u32(s);
	q->must = model_pool_destroy(live_index(w, p->id) >= 0);
	q->may = 0;
	q->cmd = SGDMA_IOC_POOL_DESTROY;
}

/* Draw iteration @q->it's request from its stream */
static void draw(__u64 *s, struct world *w, struct iter *q)
{
	unsigned int which = below(s, 100), n;

	q->which = which < 55 ? FZ_COPY : which < 72 ? FZ_CREATE :
		   which < 90 ? FZ_DESTROY : FZ_WRONG;
	if (pool_phase(q->it) == 3 && q->which == FZ_DESTROY && chance(s, 50))
		q->which = FZ_CREATE;
	q->ak = chance(s, 10) ? 1 + below(s, 6) : A_OK;
	n = chance(s, 30) ? 0 : 1 + below(s, 3);	/* fields to break */
	q->r.src_kind = P_RW;
	q->r.dst_kind = P_RW;

	switch (q->which) {
	case FZ_COPY:
		draw_copy(s, w, q, n);
		break;
	case FZ_CREATE:
		draw_create(s, w, q, n);
		break;
	case FZ_DESTROY:
		draw_destroy(s, w, q, n);
		break;
	default:
		pool_base(s, q->it, &q->p);
		q->cmd = wrong_cmd(s);
		snprintf(q->what, sizeof(q->what),
			 "wrong command %#lx (dir %lu magic %#lx nr %lu size %lu)",
			 q->cmd, (unsigned long)_IOC_DIR(q->cmd),
			 (unsigned long)_IOC_TYPE(q->cmd),
			 (unsigned long)_IOC_NR(q->cmd),
			 (unsigned long)_IOC_SIZE(q->cmd));
		q->must = model_wrong_cmd();
		q->may = 0;
	}
	if (q->which != FZ_COPY) {
		if (q->which != FZ_WRONG)
			describe_pool(q->what, sizeof(q->what), fz_names[q->which],
				      &q->p);
		q->out = q->p;
		q->arg = place_arg(s, &w->a, q->ak, &q->out, sizeof(q->out));
	}
	model_ioctl_arg(q->cmd, arg_readable(q->ak), arg_writable(q->ak),
			&q->must, &q->may);
	n = strlen(q->what);
	snprintf(q->what + n, sizeof(q->what) - n, " arg=%#lx(%s)", q->arg,
		 arg_names[q->ak]);
}

static void append(struct iter *q, const char *fmt, ...)
{
	size_t n = strlen(q->what);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->what + n, sizeof(q->what) - n, fmt, ap);
	va_end(ap);
}

/* An accepted copy: what it reports (model_copy_report()), and what it reached */
static int judge_copy(struct world *w, struct iter *q)
{
	struct sgdma_ioc_copy *c = &q->r.c;
	enum model_copy_report rep = model_copy_report(c);
	int ok;

	w->r.copies++;
	if (rep == MODEL_REPORT_TIMED_OUT) {
		w->r.timeouts++;
		return 1;
	}
	ok = rep == MODEL_REPORT_OK;
	if (!ok)
		append(q, ": copy status %d stage %u bytes %llu descs %u mismatches %u",
		       c->status, c->stage, (unsigned long long)c->bytes,
		       c->descs, c->mismatches);
	if (!ok)
		append(q, " on %.32s (%.32s)", c->chan_name, c->driver);
	if (c->status)
		return ok;
	w->r.copy_bytes += c->bytes;
	if (c->len > w->r.longest)
		w->r.longest = c->len;
	if (q->v.entries > w->r.most_entries)
		w->r.most_entries = q->v.entries;
	w->r.large += q->large;
	w->r.at_len += c->len == SGDMA_MAX_LEN;
	w->r.at_entries += q->v.entries == SGDMA_MAX_ENTRIES;
	return ok;
}

/* A pool made (model_pool_made()): it is kept, and what it reached */
static int judge_create(struct world *w, struct iter *q)
{
	int ok = model_pool_made(q->out.id, live_index(w, q->out.id) >= 0,
				 w->nr_live);
	struct pool_rec *rec;

	if (!ok)
		append(q, ": made pool id %u with %d live", q->out.id, w->nr_live);
	/* keep what was made, right or not, so that it is destroyed */
	if (!q->out.id || live_index(w, q->out.id) >= 0 ||
	    w->nr_live >= (int)ARRAY_SIZE(w->live))
		return ok;
	rec = &w->live[w->nr_live++];
	rec->id = q->out.id;
	rec->bytes = model_pool_bytes(&q->p);
	w->live_bytes += rec->bytes;
	if (w->nr_live > w->r.most_live)
		w->r.most_live = w->nr_live;
	if (q->p.blocks > w->r.most_blocks)
		w->r.most_blocks = q->p.blocks;
	if (rec->bytes > w->r.most_pool_bytes)
		w->r.most_pool_bytes = rec->bytes;
	w->r.pools_large += q->large;
	return ok;
}

/* Was the outcome of @q one the model allows?  Updates the world. */
static int judge(struct world *w, struct iter *q)
{
	int ok;

	if (q->ak == A_MISALIGNED)	/* what the kernel wrote back */
		memcpy(q->which == FZ_COPY ? (void *)&q->r.c : (void *)&q->out,
		       (void *)(uintptr_t)q->arg,
		       q->which == FZ_COPY ? sizeof(q->r.c) : sizeof(q->out));
	ok = model_allows(q->must, q->may, q->ret, q->err);

	if (q->which == FZ_COPY && q->ret && q->err == E2BIG &&
	    (q->r.c.len == SGDMA_MAX_LEN + 1 ||
	     q->v.entries == SGDMA_MAX_ENTRIES + 1))
		w->r.over++;
	if (ok && !q->ret && q->which == FZ_COPY && q->ak != A_RO)
		ok = judge_copy(w, q);
	if (!q->ret && q->which == FZ_CREATE && q->ak != A_RO)
		ok &= judge_create(w, q);
	if (!q->ret && q->which == FZ_DESTROY)
		forget_pool(w, q->p.id);
	return ok;
}

/* Iteration @it: draw, call, judge; 1 if the outcome was allowed */
static int fuzz_one(struct world *w, __u64 seed, int verbose, struct tally *t,
		    struct iter *q)
{
	__u64 st = seed ^ (q->it * 0xd1b54a32d192ed03ULL), *s = &st;

	splitmix(s);
	draw(s, w, q);
	if (verbose)
		ksft_print_msg("iteration %lu: %s\n", q->it, q->what);
	else if (q->it && !(q->it % 5000))
		ksft_print_msg("iteration %lu\n", q->it);
	watch_begin(q->what);
	q->ret = ioctl(w->fd, q->cmd, q->arg);
	q->err = q->ret ? errno : 0;
	watch_end();
	tally(&t[q->which], q->ret, q->err);
	return judge(w, q);
}

static void print_reach(const struct world *w)
{
	const struct reach *r = &w->r;

	ksft_print_msg("copies accepted: %lu (%lu bytes copied), timed out: %lu\n",
		       r->copies, r->copy_bytes, r->timeouts);
	ksft_print_msg("large copies: %lu (largest %llu bytes, most entries %llu)\n",
		       r->large, (unsigned long long)r->longest,
		       (unsigned long long)r->most_entries);
	ksft_print_msg("at the limits: %lu of SGDMA_MAX_LEN, %lu of SGDMA_MAX_ENTRIES entries\n",
		       r->at_len, r->at_entries);
	ksft_print_msg("refused one past a limit (E2BIG): %lu\n", r->over);
	ksft_print_msg("pools: most live %d (of %d per file), most blocks %u, most bytes %llu\n",
		       r->most_live, SGDMA_MAX_POOLS_PER_FD, r->most_blocks,
		       (unsigned long long)r->most_pool_bytes);
	ksft_print_msg("pools drawn large: %lu (cut to %llu MiB: %lu), destroyed for room: %lu\n",
		       r->pools_large, POOL_REQ_BYTES >> 20, r->pool_cuts,
		       r->room_destroys);
}

/* The run's seed, length and channel, and the line that replays it all */
static void fuzz_announce(const struct fuzz_run *run, const struct world *w)
{
	ksft_print_msg("seed %#llx, %lu iterations%s, channel %s\n",
		       (unsigned long long)run->seed, run->iters,
		       run->seconds ? " at most (time-bounded)" : "",
		       w->have_chan ? w->chan : "none");
	ksft_print_msg("reproduce: SGDMA_FUZZ_SEED=%#llx SGDMA_FUZZ_ITERS=%lu\n",
		       (unsigned long long)run->seed, run->iters);
}

/* The line that replays iteration @q->it, whose outcome the model refused */
static void report_failure(__u64 seed, const struct iter *q)
{
	char outcome[200], want[128];

	model_errno_set(want, sizeof(want), q->must | q->may);
	snprintf(outcome, sizeof(outcome), "got %d (%s), allowed %s%s", q->ret,
		 errno_name(q->err), want, q->must ? " (must fail)" : "");
	reproduce(seed, q->it, q->what, outcome);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Iterations @run->first to @run->iters, or until @run->seconds have
 * passed: each drawn, made and judged (fuzz_one()), counted into @t by
 * kind, the first MAX_REPORTS failed checks reported.  Returns the failed
 * checks; *@seconds: the time taken; @run->end: the iteration it stopped
 * before.
 */
static unsigned long fuzz_iterations(struct fuzz_run *run,
				     struct world *w, struct tally *t,
				     double *seconds)
{
	unsigned long it, failures = 0;
	struct timespec t0;
	struct iter q;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (it = run->first; it < run->iters; it++) {
		if (run->seconds && seconds_since(&t0) >= run->seconds)
			break;
		memset(&q, 0, sizeof(q));
		q.it = it;
		if (!fuzz_one(w, run->seed, run->verbose, t, &q) &&
		    ++failures <= MAX_REPORTS)
			report_failure(run->seed, &q);
		/* the pages large copies touched, and now and then all */
		if ((q.which == FZ_COPY && q.large) || !(it % RECLAIM_EVERY))
			arena_reclaim(&w->a);
	}
	run->end = it;
	*seconds = seconds_since(&t0);
	return failures;
}

/* The calls and refusals of each kind and in all, and what was reached */
static void fuzz_summary(const struct fuzz_run *run, const struct world *w,
			 const struct tally *t, unsigned long failures,
			 double seconds)
{
	struct tally all = { };
	unsigned int i, j;

	for (i = 0; i < FZ_KINDS; i++) {
		print_tally(fz_names[i], &t[i]);
		all.calls += t[i].calls;
		all.ok += t[i].ok;
		for (j = 0; j <= NR_ERRNOS; j++)
			all.refused[j] += t[i].refused[j];
	}
	print_tally("", &all);
	ksft_print_msg("iterations: %lu, succeeded: %lu, failed checks: %lu, in %.1f s\n",
		       run->end - run->first, all.ok, failures, seconds);
	if (run->end < run->iters) {
		ksft_print_msg("stopped by SGDMA_FUZZ_SECONDS=%lu; these iterations again:\n",
			       run->seconds);
		ksft_print_msg("SGDMA_FUZZ_SEED=%#llx SGDMA_FUZZ_FIRST=%lu SGDMA_FUZZ_ITERS=%lu\n",
			       (unsigned long long)run->seed, run->first, run->end);
	}
	print_reach(w);
}

/*
 * Every request either succeeds or is refused with an errno the UAPI
 * documents for what is wrong with it, and no call hangs.  The world
 * (device, user memory, channel) is FIXTURE_SETUP's.
 */
TEST_F_TIMEOUT(fuzz, every_ioctl_succeeds_or_refuses_with_a_documented_errno,
	       86400)
{
	struct tally t[FZ_KINDS] = { };
	struct world *w = &self->w;
	unsigned long failures;
	double seconds;

	if (self->skipped)
		return;
	fuzz_announce(&self->run, w);
	failures = fuzz_iterations(&self->run, w, t, &seconds);
	fuzz_summary(&self->run, w, t, failures, seconds);
	EXPECT_EQ(0, failures);
	EXPECT_EQ(0, w->r.room_failures);
	if (!w->have_chan)
		ksft_print_msg("no memcpy channel: copies were only refused\n");
}

/*
 * Every pool the fuzzer made is gone once it is done, those of refused
 * requests included (it runs after the fuzzing, in the same fixture)
 */
TEST_F(fuzz, fuzzed_pools_are_all_gone_afterwards)
{
	char buf[1024];

	if (self->skipped)
		return;
	EXPECT_EQ(0, pools_named("fz", buf, sizeof(buf))) {
		TH_LOG("left in %s: %s", SGDMA_POOLS_SYSFS, buf);
	}
}

/* ---- module parameters and sysfs files ---- */

#define MAX_PARAMS	32

struct param {
	char name[64], path[300], orig[64];
	size_t orig_len;
	const struct model_param *rule;	/* sgdma_test's; NULL: none known */
	int writable;
};

struct param_set {
	struct param p[MAX_PARAMS];
	int n;
	struct tally t;
	__u64 seed;
	unsigned long failures;
	int have_chan;
	char chan[SGDMA_NAME_LEN];
	/* runs: started, past the entry limit, large, the largest buffer */
	unsigned long runs, runs_over, runs_large;
	__u64 largest_run;
};

FIXTURE(params) {
	int skipped;
	struct param_set ps;
};

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return -errno;
	got = read(fd, buf, len - 1);
	close(fd);
	if (got < 0)
		return -errno;
	buf[got] = '\0';
	return got;
}

/* Write @len bytes of @val to @path: 0 or the errno */
static int write_file(const char *path, const void *val, size_t len)
{
	char what[400];
	ssize_t got;
	int fd, err = 0;

	snprintf(what, sizeof(what), "write of %zu bytes to %s", len, path);
	watch_begin(what);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		err = errno;
	} else {
		got = write(fd, val, len);
		if (got < 0)
			err = errno;
		else if ((size_t)got != len)
			err = EIO;	/* a short write: nothing documents it */
		close(fd);
	}
	watch_end();
	return err;
}

/* Every file of @dir, with its value as read now; 0 or -errno */
static int add_params(struct param_set *ps, const char *dir)
{
	struct dirent *de;
	struct stat sb;
	DIR *d = opendir(dir);
	int got = 0;

	while (d && (de = readdir(d)) && ps->n < MAX_PARAMS) {
		struct param *p = &ps->p[ps->n];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p->name, sizeof(p->name), "%.63s", de->d_name);
		snprintf(p->path, sizeof(p->path), "%s/%.63s", dir, de->d_name);
		if (stat(p->path, &sb))
			continue;
		p->writable = !!(sb.st_mode & 0222);
		p->rule = strcmp(dir, PARAMS_DIR) ? NULL : model_param_find(p->name);
		got = read_file(p->path, p->orig, sizeof(p->orig));
		if (got < 0)
			break;
		/* what to write back: the value without its newline */
		p->orig_len = got && p->orig[got - 1] == '\n' ? got - 1 : got;
		p->orig[p->orig_len] = '\0';
		ps->n++;
	}
	if (d)
		closedir(d);
	return got < 0 ? got : 0;
}

FIXTURE_SETUP(params)
{
	struct param_set *ps = &self->ps;
	int ret, fd;

	memset(ps, 0, sizeof(*ps));
	if (access(PARAMS_DIR, F_OK)) {
		self->skipped = 1;
		SKIP(return, "%s: %s (sgdma_test not built in or loaded)",
		     PARAMS_DIR, strerror(errno));
	}
	ret = add_params(ps, PARAMS_DIR);
	if (!ret)
		ret = add_params(ps, SWCHAN_PARAMS);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading parameters: %s", strerror(-ret));
	}
	/* whether runs on any channel can find one */
	fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (fd >= 0) {
		ps->have_chan = probe_channel(fd, ps->chan);
		close(fd);
	}
	start_watchdog();
}

static struct param *param(struct param_set *ps, const char *name)
{
	int i;

	for (i = 0; i < ps->n; i++)
		if (!strcmp(ps->p[i].name, name) &&
		    !strncmp(ps->p[i].path, PARAMS_DIR, strlen(PARAMS_DIR)))
			return &ps->p[i];
	return NULL;
}

/* Restore a value; an empty string is written as a lone NUL */
static int restore(const struct param *p)
{
	return p->orig_len ? write_file(p->path, p->orig, p->orig_len) :
			     write_file(p->path, "", 1);
}

FIXTURE_TEARDOWN(params)
{
	int i;

	for (i = 0; i < self->ps.n; i++)
		if (self->ps.p[i].writable && strcmp(self->ps.p[i].name, "run"))
			restore(&self->ps.p[i]);
}

/* A value to write: numbers at their limits and the ranges', words, junk */
static size_t param_value(__u64 *s, char *buf, size_t len)
{
	static const char * const v[] = {
		"0", "1", "-1", "-2", "2", "7", "12", "13", "64", "65", "4096",
		"60000", "60001", "65536", "1000000", "1000001", "67108864",
		"67108865", "2147483647", "2147483648", "-2147483648",
		"-2147483649", "4294967295", "4294967296", "18446744073709551615",
		"99999999999999999999", "0x10", "0X1f", "0x", "010", "08", "-0",
		"+5", "-+5", "1e3", " 12", "12 ", "12abc", "12\n\n", "y", "n", "Y",
		"N", "on", "off", "oX", "true", "false", "abc", "\n", "dma0chan0",
		"dma0chan1", "dma0", "sgdma-swchan", "",
		"0123456789012345678901234567890", /* 31 characters */
		"01234567890123456789012345678901", /* 32 */
		"0123456789012345678901234567890123456789",
	};
	size_t n, i;

	if (below(s, 3)) {
		n = snprintf(buf, len, "%s%s", v[below(s, ARRAY_SIZE(v))],
			     chance(s, 50) ? "\n" : "");
		return n;
	}
	n = 1 + below(s, len - 1);
	for (i = 0; i < n; i++)
		buf[i] = chance(s, 70) ? 32 + below(s, 95) : splitmix(s);
	return n;
}

/* What writing @val to @p may return (MODEL_OK, errno bits); *@run: a run */
static unsigned int param_allowed(const struct param *p, const char *val,
				  size_t len, int *run)
{
	return model_param_file_write(p->rule, p->writable, val, len, run);
}

/* Write @len bytes of @val to @p; an outcome not in @allowed is reported */
static void param_write(struct param_set *ps, unsigned long it,
			const struct param *p, const char *val, size_t len,
			unsigned int allowed, const char *note)
{
	char what[600], outcome[160], shown[70], want[96];
	int err = write_file(p->path, val, len);

	tally(&ps->t, err ? -1 : 0, err);
	if ((err ? bit(err) : MODEL_OK) & allowed)
		return;
	if (++ps->failures > MAX_REPORTS)
		return;
	snprintf(shown, sizeof(shown), "%.*s", (int)len, val);
	snprintf(what, sizeof(what), "parameter write %zu bytes \"%s\" to %s%s",
		 len, shown, p->path, note);
	model_errno_set(want, sizeof(want), allowed);
	snprintf(outcome, sizeof(outcome), "%s, allowed %s", errno_name(err),
		 want);
	reproduce(ps->seed, it, what, outcome);
}

/* Write a number to sgdma_test's parameter @name (if it has it) */
static void set_param(struct param_set *ps, const char *name, long long v)
{
	struct param *p = param(ps, name);
	char buf[32];

	if (p)
		write_file(p->path, buf, snprintf(buf, sizeof(buf), "%lld", v));
}

/* The value of a numeric parameter of sgdma_test, 0 if unreadable */
static long long param_ll(struct param_set *ps, const char *name)
{
	struct param *p = param(ps, name);
	char val[64];

	return p && read_file(p->path, val, sizeof(val)) > 0 ?
		strtoll(val, NULL, 0) : 0;
}

/* Lower parameter @name to a value in its range up to @max, if above it */
static void lower_param(struct param_set *ps, const char *name, long long max,
			__u64 *s)
{
	struct param *p = param(ps, name);
	long long min = p && p->rule ? p->rule->min : 0;

	if (p && param_ll(ps, name) > max)
		set_param(ps, name, min + below(s, max - min + 1));
}

/*
 * Parameters for a run.  Most runs are a few short copies on one channel;
 * one in eight asks for more than SGDMA_MAX_ENTRIES entries per side
 * (E2BIG, nothing runs); one in twenty is one copy of up to SGDMA_MAX_LEN
 * bytes with entries within the limit.
 */
static void set_run_params(struct param_set *ps, __u64 *s)
{
	unsigned int mode = below(s, 40);
	__u64 tbs, lo, pages;

	set_param(ps, "max_channels", 1);
	if (mode < 7) {
		lower_param(ps, "iterations", mode < 5 ? 3 : 1, s);
		lower_param(ps, "threads_per_chan", mode < 5 ? 2 : 1, s);
	}
	if (mode < 5) {
		tbs = log_uniform(s, 1 << 20, SGDMA_MAX_LEN);
		lo = 1 + below(s, 16);
		set_param(ps, "test_buf_size", tbs);
		set_param(ps, "seg_min", lo);
		set_param(ps, "seg_max", lo + below(s, PAGE));
		ps->runs_over++;
	} else if (mode < 7) {
		tbs = log_uniform(s, SMALL_LEN, SGDMA_MAX_LEN);
		pages = (tbs + 2 * PAGE - 2) / PAGE;
		set_param(ps, "test_buf_size", tbs);
		set_param(ps, "timeout", SGDMA_MAX_TIMEOUT_MS);
		if (chance(s, 50)) {
			set_param(ps, "seg_max", 0);
		} else {
			lo = tbs / (SGDMA_MAX_ENTRIES - pages) + 1;
			set_param(ps, "seg_min", lo);
			set_param(ps, "seg_max", lo + below(s, PAGE));
		}
		ps->runs_large++;
		if (tbs > ps->largest_run)
			ps->largest_run = tbs;
	} else {
		lower_param(ps, "iterations", 3, s);
		lower_param(ps, "threads_per_chan", 2, s);
		lower_param(ps, "test_buf_size", 65536, s);
		lower_param(ps, "timeout", 2000, s);
		/* and few scatterlist entries: test_buf_size / seg_min at most 256 */
		lo = param_ll(ps, "seg_min") > 0 ? param_ll(ps, "seg_min") : 1;
		if (param_ll(ps, "seg_max") && param_ll(ps, "test_buf_size") / lo > 256)
			set_param(ps, "test_buf_size", lo > 256 ? 65536 : 256 * lo);
	}
}

/*
 * The parameters a run will snapshot, read back, as model_run() takes
 * them; @note: them as the report of a failed write shows them
 */
static void read_run_params(struct param_set *ps, struct model_run_params *rp,
			    char *note, size_t len)
{
	char chan[64] = "", dev[64] = "";

	rp->test_buf_size = param_ll(ps, "test_buf_size");
	rp->seg_min = param_ll(ps, "seg_min");
	rp->seg_max = param_ll(ps, "seg_max");
	rp->alignment = param_ll(ps, "alignment");
	if (param(ps, "norandom")) {
		char yn[4] = "";

		read_file(param(ps, "norandom")->path, yn, sizeof(yn));
		rp->norandom = yn[0] == 'Y';
	}
	if (param(ps, "channel"))
		read_file(param(ps, "channel")->path, chan, sizeof(chan));
	if (param(ps, "device"))
		read_file(param(ps, "device")->path, dev, sizeof(dev));
	/* the newline param_get_string() adds, then the one the run ignores */
	model_run_name(chan);
	model_run_name(dev);
	rp->have_chan = ps->have_chan;
	rp->chan_any = (!chan[0] || (ps->have_chan && !strcmp(chan, ps->chan))) &&
		       !dev[0];
	snprintf(note, len,
		 " (a run: test_buf_size=%llu seg_min=%llu seg_max=%llu alignment=%d norandom=%d channel=\"%s\" device=\"%s\")",
		 (unsigned long long)rp->test_buf_size,
		 (unsigned long long)rp->seg_min, (unsigned long long)rp->seg_max,
		 rp->alignment, rp->norandom, chan, dev);
}

/* Parameters for a run, and what writing 1 to "run" may then return */
static unsigned int prepare_run(struct param_set *ps, __u64 *s, char *note,
				size_t len)
{
	struct model_run_params rp = { };

	set_run_params(ps, s);
	read_run_params(ps, &rp, note, len);
	return model_run(&rp);
}

/*
 * Parameter iteration @it, from its own stream: a write of a random value
 * to a random parameter, or to "run" (@run) a false value, or a true one
 * after the parameters of a run (prepare_run())
 */
static void params_fuzz_one(struct param_set *ps, const struct param *run,
			    unsigned long it)
{
	static const char * const no_run[] = { "0", "n", "x", "2", "" };
	__u64 st = ~ps->seed ^ (it * 0xd1b54a32d192ed03ULL), *s = &st;
	struct param *p = &ps->p[below(s, ps->n)];
	char buf[64], note[300];
	unsigned int allowed;
	const char *v;
	int starts;

	splitmix(s);
	if (p != run) {
		size_t len = param_value(s, buf, sizeof(buf));

		allowed = param_allowed(p, buf, len, &starts);
		param_write(ps, it, p, buf, len, allowed, "");
		return;
	}
	/* anything but a plain false may start a run: bound it first */
	if (chance(s, 50)) {
		v = no_run[below(s, ARRAY_SIZE(no_run))];
		allowed = param_allowed(p, v, *v ? strlen(v) : 1, &starts);
		param_write(ps, it, p, v, *v ? strlen(v) : 1, allowed, "");
		return;
	}
	if (chance(s, 50)) {
		write_file(param(ps, "channel")->path, "", 1);
		write_file(param(ps, "device")->path, "", 1);
	}
	allowed = prepare_run(ps, s, note, sizeof(note));
	param_write(ps, it, p, "1", 1, allowed, note);
	ps->runs++;
}

/* The iterations, the runs started and reached, the writes' outcomes */
static void params_summary(const struct param_set *ps, unsigned long iters)
{
	ksft_print_msg("parameter iterations: %lu, runs started: %lu\n", iters, ps->runs);
	ksft_print_msg("runs past SGDMA_MAX_ENTRIES: %lu, large: %lu (test_buf_size up to %llu)\n",
		       ps->runs_over, ps->runs_large,
		       (unsigned long long)ps->largest_run);
	print_tally("parameter writes", &ps->t);
}

/* The pools file is read-only: a write gets EACCES (with a pool listed) */
static void pools_file_is_read_only(struct __test_metadata *_metadata)
{
	struct sgdma_ioc_pool pool = { .name = "fzsysfs", .size = 64, .blocks = 1 };
	int fd = open(SGDMA_DEV_PATH, O_RDWR);

	if (fd >= 0 && !ioctl(fd, SGDMA_IOC_POOL_CREATE, &pool)) {
		EXPECT_EQ(EACCES, write_file(SGDMA_POOLS_SYSFS, "x", 1));
		ioctl(fd, SGDMA_IOC_POOL_DESTROY, &pool);
	}
	if (fd >= 0)
		close(fd);
}

/* Every writable value but @run's back as it was: restored, and read so */
static void params_are_restored(struct __test_metadata *_metadata,
				const struct param_set *ps,
				const struct param *run)
{
	char buf[64];
	int i;

	for (i = 0; i < ps->n; i++) {
		const struct param *p = &ps->p[i];

		if (!p->writable || p == run)
			continue;
		EXPECT_EQ(0, restore(p)) {
			TH_LOG("restoring %s", p->path);
		}
		EXPECT_GE(read_file(p->path, buf, sizeof(buf)), 0);
		buf[strcspn(buf, "\n")] = '\0';
		EXPECT_STREQ(p->orig, buf) {
			TH_LOG("%s not restored", p->path);
		}
	}
}

/*
 * Random writes to every parameter of sgdma_test (and of sgdma_swchan) and
 * to the pools file: each gets what the parameter's rule says (its range,
 * the kernel's number and bool parsing: EINVAL, ERANGE; ENOSPC for strings
 * over 31 characters; EACCES for read-only files), none hangs, and runs
 * started through "run" end with 0 or one of the errnos of a run.
 */
TEST_F_TIMEOUT(params, module_parameter_writes_never_hang_and_refuse_cleanly,
	       3600)
{
	struct param_set *ps = &self->ps;
	unsigned long it, iters;
	struct param *run;

	if (self->skipped)
		return;
	ps->seed = env_u64("SGDMA_FUZZ_SEED", DEFAULT_SEED);
	iters = env_u64("SGDMA_FUZZ_ITERS", DEFAULT_ITERS) / 10 + 20;
	ASSERT_GT(ps->n, 0);
	run = param(ps, "run");
	for (it = 0; it < iters; it++)
		params_fuzz_one(ps, run, it);
	params_summary(ps, iters);
	EXPECT_EQ(0, ps->failures);
	pools_file_is_read_only(_metadata);
	params_are_restored(_metadata, ps, run);
}

/* ---- leaks ---- */

FIXTURE(leaks) {
};

FIXTURE_SETUP(leaks)
{
}

FIXTURE_TEARDOWN(leaks)
{
}

/*
 * The leaks kmemleak lists whose allocating task was this program (its
 * ioctls and parameter writes) or a thread of a run it started; the others
 * (KUnit suites at boot, other programs) are only counted.  0 or -errno.
 */
static int our_leaks(char *report, size_t len, int *ours, int *others)
{
	static char buf[1 << 16];
	char *obj, *next, *comm;
	size_t n = 0;
	int got;

	*ours = *others = 0;
	report[0] = '\0';
	got = read_file(KMEMLEAK, buf, sizeof(buf));
	if (got < 0)
		return got;
	for (obj = strstr(buf, "unreferenced object"); obj; obj = next) {
		next = strstr(obj + 1, "unreferenced object");
		if (next)
			next[-1] = '\0';
		comm = strstr(obj, "comm \"");
		if (comm && (!strncmp(comm + 6, "sgdma_fuzz_test\"", 16) ||
			     strstr(comm, "-sg"))) {
			++*ours;
			n += snprintf(report + n, len - n, "%s\n", obj);
			if (n >= len)
				n = len - 1;
		} else {
			++*others;
		}
	}
	return 0;
}

/* kmemleak, where the kernel has it, finds no leak of the fuzzing */
TEST_F_TIMEOUT(leaks, kmemleak_reports_no_leak_after_fuzzing, 120)
{
	static char report[8192];
	int got, i, ours, others;

	if (access(KMEMLEAK, F_OK)) {
		mkdir("/sys/kernel/debug", 0700);
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	}
	if (access(KMEMLEAK, F_OK))
		SKIP(return, "kmemleak is not built into this kernel (no %s)",
		     KMEMLEAK);
	/*
	 * Objects younger than 5 s are not reported, nor those whose
	 * checksum changed since the previous scan: age them, scan twice.
	 */
	sleep(6);
	for (i = 0; i < 2; i++) {
		got = write_file(KMEMLEAK, "scan", 4);
		if (got == EBUSY || got == EPERM)
			SKIP(return, "kmemleak is disabled: %s", strerror(got));
		ASSERT_EQ(0, got);
	}
	ASSERT_EQ(0, our_leaks(report, sizeof(report), &ours, &others));
	ksft_print_msg("kmemleak: %d suspects of this program, %d of others\n",
		       ours, others);
	EXPECT_EQ(0, ours) {
		TH_LOG("kmemleak:\n%s", report);
	}
}

TEST_HARNESS_MAIN

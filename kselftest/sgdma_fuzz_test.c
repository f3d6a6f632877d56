// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded, bounded, reproducible fuzzer of /dev/sgdma_test's ioctls and of
 * the module parameters of sgdma_test.
 *
 * Each iteration picks SGDMA_IOC_COPY, SGDMA_IOC_POOL_CREATE,
 * SGDMA_IOC_POOL_DESTROY or a wrong command number, starts from a valid
 * request and sets some of its fields to edge values (0, 1, all-ones,
 * INT_MAX, the UAPI limits +-1, powers of two +-1, unknown enum and flag
 * values, nonzero reserved fields) or random bits; user pointers are NULL,
 * a valid buffer, one too short, unmapped memory, a read-only mapping, a
 * kernel address or misaligned, and sometimes the ioctl's argument itself is
 * bad.  A model of the documented rules (README's errno table, the UAPI
 * header) says which errnos each request may get: a request that breaks a
 * rule must be refused with the errno of a rule it breaks, a valid one must
 * succeed (or fail for lack of memory).  Anything else, or a call that does
 * not return, prints a reproducer line and fails.
 *
 * SGDMA_FUZZ_SEED and SGDMA_FUZZ_ITERS (environment; the booted kernels of
 * `make kselftest` pass them from their command line) choose the run;
 * every iteration draws from its own stream, so SGDMA_FUZZ_FIRST=N starts
 * at iteration N, and SGDMA_FUZZ_VERBOSE=1 prints each request before it
 * is made (a kernel that loops without yielding stops the watchdog too).
 * Requests that would do work are bounded (64 KiB, few entries), so the run
 * time is bounded too.
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

#define DEFAULT_SEED	0x5eed0d3aULL
#define DEFAULT_ITERS	4000
#define PAGE		4096UL
/* copies the fuzzer lets through are at most this long, with few entries */
#define COPY_LEN_BOUND	(64UL << 10)
#define COPY_ENTRIES	256
/* live pools at most, and the memory their blocks may take */
#define MAX_LIVE_POOLS	8
#define POOL_BYTES	(1024UL * 1024)
/* a call that takes longer has hung (the longest copy timeout is 60 s) */
#define HANG_SECONDS	90
#define MAX_REPORTS	20

#define PARAMS_DIR	"/sys/module/sgdma_test/parameters"
#define SWCHAN_PARAMS	"/sys/module/sgdma_swchan/parameters"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

/* ---- the PRNG: splitmix64, one stream per iteration ---- */

static __u64 splitmix(__u64 *s)
{
	__u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u64 below(__u64 *s, __u64 n)
{
	return n ? splitmix(s) % n : 0;
}

static int chance(__u64 *s, unsigned int percent)
{
	return below(s, 100) < percent;
}

static __u64 env_u64(const char *name, __u64 def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

/* ---- errnos: the documented set, as bits ---- */

static const int errnos[] = { EINVAL, EFAULT, E2BIG, EPROTO, ENODEV, ENOMEM,
			      ENOENT, ENOTTY, EACCES, ERANGE, ENOSPC };
static const char * const errno_names[] = { "EINVAL", "EFAULT", "E2BIG",
					    "EPROTO", "ENODEV", "ENOMEM",
					    "ENOENT", "ENOTTY", "EACCES",
					    "ERANGE", "ENOSPC" };
#define NR_ERRNOS	ARRAY_SIZE(errnos)

/* The name of @err (any errno, not only the documented ones) */
static const char *errno_name(int err)
{
	static char other[64];
	unsigned int i;

	for (i = 0; i < NR_ERRNOS; i++)
		if (errnos[i] == err)
			return errno_names[i];
	snprintf(other, sizeof(other), "errno %d (%s)", err, strerror(err));
	return other;
}

static unsigned int bit(int err)
{
	unsigned int i;

	for (i = 0; i < NR_ERRNOS; i++)
		if (errnos[i] == err)
			return 1U << i;
	return 0;
}

static void errno_set(char *buf, size_t len, unsigned int set)
{
	unsigned int i;
	size_t n = 0;

	buf[0] = '\0';
	for (i = 0; i < NR_ERRNOS && n < len; i++)
		if (set & (1U << i))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      errno_names[i]);
	if (!set)
		snprintf(buf, len, "none");
}

/* refusals counted by errno; the last slot counts any other */
struct tally {
	unsigned long calls, ok, refused[NR_ERRNOS + 1];
};

static void tally(struct tally *t, int ret, int err)
{
	unsigned int i;

	t->calls++;
	if (!ret) {
		t->ok++;
		return;
	}
	for (i = 0; i < NR_ERRNOS && errnos[i] != err; i++)
		;
	t->refused[i]++;
}

static void print_tally(const char *what, const struct tally *t)
{
	char buf[512];
	size_t n = 0;
	unsigned int i;

	for (i = 0; i <= NR_ERRNOS; i++)
		if (t->refused[i])
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s=%lu",
				      n ? ", " : "",
				      i < NR_ERRNOS ? errno_names[i] :
						      "other", t->refused[i]);
	ksft_print_msg("%s%s%lu calls, succeeded: %lu\n", what, *what ? ": " : "",
		       t->calls, t->ok);
	ksft_print_msg("%s%srefusals by errno: %s\n", what, *what ? " " : "",
		       n ? buf : "none");
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

/* ---- user memory: valid, read-only, unmapped, with guards between ---- */

enum {
	PG_RW = 1, RW_PAGES = 16,	/* pages 1..16: read-write buffer */
	PG_RO = 18, RO_PAGES = 2,	/* read-only */
	PG_HOLE = 21, HOLE_PAGES = 2,	/* unmapped */
	PG_ARG = 24,			/* ioctl argument, a guard after it */
	PG_ARG_RO = 26,			/* read-only ioctl argument */
	ARENA_PAGES = 28,		/* every other page: PROT_NONE guard */
};

struct arena {
	unsigned char *base;
	__u64 rw, rw_end, ro, ro_end, hole, arg, arg_ro;
};

static int arena_map(struct arena *a)
{
	unsigned char *b = mmap(NULL, ARENA_PAGES * PAGE, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED)
		return -1;
	a->base = b;
	if (mprotect(b + PG_RW * PAGE, RW_PAGES * PAGE, PROT_READ | PROT_WRITE) ||
	    mprotect(b + PG_RO * PAGE, RO_PAGES * PAGE, PROT_READ) ||
	    mprotect(b + PG_ARG * PAGE, PAGE, PROT_READ | PROT_WRITE) ||
	    munmap(b + PG_HOLE * PAGE, HOLE_PAGES * PAGE))
		return -1;
	a->rw = (uintptr_t)b + PG_RW * PAGE;
	a->rw_end = a->rw + RW_PAGES * PAGE;
	a->ro = (uintptr_t)b + PG_RO * PAGE;
	a->ro_end = a->ro + RO_PAGES * PAGE;
	a->hole = (uintptr_t)b + PG_HOLE * PAGE;
	a->arg = (uintptr_t)b + PG_ARG * PAGE;
	a->arg_ro = (uintptr_t)b + PG_ARG_RO * PAGE;
	return 0;
}

static void arena_unmap(struct arena *a)
{
	if (a->base)
		munmap(a->base, ARENA_PAGES * PAGE);
}

/* [addr, addr + len) can be pinned (and, if @write, written) */
static int arena_ok(const struct arena *a, __u64 addr, __u64 len, int write)
{
	if (!len || addr + len < addr)
		return 0;
	if (addr >= a->rw && addr + len <= a->rw_end)
		return 1;
	return !write && addr >= a->ro && addr + len <= a->ro_end;
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
		P_RANDOM, P_MISALIGNED, NR_PTR_KINDS };

static const char * const ptr_names[] = { "null", "rw", "short", "unmapped",
					  "ro", "kernel", "high-bits",
					  "random", "misaligned" };

/* A user pointer of some kind for a copy of @len bytes */
static __u64 user_pointer(__u64 *s, const struct arena *a, __u64 len,
			  enum ptr_kind k)
{
	__u64 room = RW_PAGES * PAGE - (len < RW_PAGES * PAGE ? len : 0);

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
	default:
		return (a->rw + below(s, room + 1)) | 1;
	}
}

/* ---- edge values ---- */

static __u64 edge_u32(__u64 *s)
{
	static const __u64 v[] = { 0, 1, 2, 3, 7, 8, 63, 64, 65, 255, 256,
				      4095, 4096, 4097, 8191, 8192, 65535, 65536,
				      0x7fffffff, 0x80000000, 0xfffffffe,
				      0xffffffff };

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
				      SGDMA_MAX_LEN + 1, 0x7fffffffULL,
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

/* ---- SGDMA_IOC_COPY ---- */

struct world {
	int fd;
	struct arena a;
	int have_chan;		/* a copy on "any channel" works */
	char chan[SGDMA_NAME_LEN];	/* the channel it used */
	unsigned int live[MAX_LIVE_POOLS];
	int nr_live;
	unsigned int gone;	/* a destroyed pool's id */
	unsigned long copies, copy_bytes, timeouts;
};

struct copy_req {
	struct sgdma_ioc_copy c;
	enum ptr_kind src_kind, dst_kind;
};

static int user_src(__u32 dir)
{
	return dir == SGDMA_DIR_U2K || dir == SGDMA_DIR_U2U;
}

static int user_dst(__u32 dir)
{
	return dir == SGDMA_DIR_K2U || dir == SGDMA_DIR_U2U;
}

static int share_page(__u64 a, __u64 alen, __u64 b, __u64 blen)
{
	return a / PAGE <= (b + blen - 1) / PAGE && b / PAGE <= (a + alen - 1) / PAGE;
}

static int known_channel(const struct world *w, const char *name)
{
	return !name[0] || (w->have_chan && !strcmp(name, w->chan));
}

/*
 * The errnos a copy request must be refused with, one per rule it breaks
 * (README's table); *@checked says whether it passes the checks made before
 * any work (then it gets a channel and pins, and its size must be bounded).
 */
static unsigned int copy_rules(const struct world *w, const struct sgdma_ioc_copy *c,
			       int *checked)
{
	int usrc = user_src(c->dir), udst = user_dst(c->dir);
	int fill = !(c->flags & SGDMA_F_USER_DATA);
	unsigned int v = 0, i;

	if (c->size != sizeof(*c))
		v |= bit(EINVAL);
	if (c->version != SGDMA_UAPI_VERSION)
		v |= bit(EPROTO);
	if (c->reserved0 || (c->flags & ~SGDMA_F_ALL))
		v |= bit(EINVAL);
	for (i = 0; i < 4; i++)
		if (c->reserved[i])
			v |= bit(EINVAL);
	if (c->dir > SGDMA_DIR_U2U || c->mode > SGDMA_MODE_PER_ENTRY)
		v |= bit(EINVAL);
	if (!c->len)
		v |= bit(EINVAL);
	if (c->len > SGDMA_MAX_LEN)
		v |= bit(E2BIG);
	if (c->timeout_ms > SGDMA_MAX_TIMEOUT_MS)
		v |= bit(EINVAL);
	if (!memchr(c->channel, '\0', sizeof(c->channel)))
		v |= bit(EINVAL);
	if ((!usrc && c->src_off >= PAGE) || (!udst && c->dst_off >= PAGE))
		v |= bit(EINVAL);
	if (c->seg_min > c->seg_max)
		v |= bit(EINVAL);
	if ((!usrc && c->src) || (!udst && c->dst))
		v |= bit(EINVAL);
	if (usrc && udst && c->len && share_page(c->src, c->len, c->dst, c->len))
		v |= bit(EINVAL);
	/* a user range that is not all valid user memory: access_ok or pinning */
	if ((usrc && !arena_ok(&w->a, c->src, c->len, fill)) ||
	    (udst && !arena_ok(&w->a, c->dst, c->len, 1)))
		v |= bit(EFAULT);
	*checked = !(v & ~bit(EFAULT));
	if (*checked && (usrc || udst) && (v & bit(EFAULT))) {
		/* refused by access_ok() before any work unless only pinning fails */
		__u64 p[2] = { usrc ? c->src : 0, udst ? c->dst : 0 };

		for (i = 0; i < 2; i++)
			if (p[i] && (p[i] >= 1ULL << 32 || p[i] == 0))
				*checked = 0;
		if ((usrc && !c->src) || (udst && !c->dst))
			*checked = 0;
	}
	if (!known_channel(w, c->channel) && !(v & ~bit(EFAULT)))
		v |= bit(ENODEV);
	return v;
}

static void copy_base(__u64 *s, struct world *w, struct sgdma_ioc_copy *c)
{
	static const __u32 timeouts[] = { 0, 200, 1000, 2000 };

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->version = SGDMA_UAPI_VERSION;
	c->dir = below(s, 4);
	c->mode = below(s, 2);
	c->flags = chance(s, 50) ? SGDMA_F_USER_DATA : 0;
	c->timeout_ms = timeouts[below(s, ARRAY_SIZE(timeouts))];
	if (w->have_chan && chance(s, 30))
		memcpy(c->channel, w->chan, sizeof(c->channel));
	c->len = 1 + below(s, chance(s, 50) ? 64 : 6 * PAGE);
	/* sources in the first half of the buffer, destinations in the second */
	if (user_src(c->dir))
		c->src = w->a.rw + below(s, RW_PAGES / 2 * PAGE - c->len);
	else
		c->src_off = below(s, PAGE);
	if (user_dst(c->dir))
		c->dst = w->a.rw + RW_PAGES / 2 * PAGE +
			 below(s, RW_PAGES / 2 * PAGE - c->len);
	else
		c->dst_off = below(s, PAGE);
	if (chance(s, 60)) {
		c->seg_min = 1 + below(s, 2 * PAGE);
		c->seg_max = c->seg_min + below(s, 2 * PAGE);
	}
	c->seed = splitmix(s);
}

/* Set one field of @r to an edge or random value */
static void copy_mutate(__u64 *s, struct world *w, struct copy_req *r)
{
	struct sgdma_ioc_copy *c = &r->c;
	enum ptr_kind k = below(s, NR_PTR_KINDS);
	unsigned int i;

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

/* Keep a request that will do work small: bounded length and entries */
static void copy_bound(__u64 *s, struct sgdma_ioc_copy *c)
{
	__u64 max = COPY_LEN_BOUND;

	if (c->seg_max) {
		__u64 lo = c->seg_min ? c->seg_min : 1;
		__u64 hi = c->seg_max < PAGE ? c->seg_max : PAGE;

		if (lo > hi)
			lo = hi;
		if ((lo + hi) / 2 * COPY_ENTRIES < max)
			max = (lo + hi) / 2 * COPY_ENTRIES;
	}
	if (c->len > max)
		c->len = 1 + below(s, max);
	/* a short timeout may expire on a slow emulated machine: ask for none */
	if (c->timeout_ms && c->timeout_ms < 100 && chance(s, 90))
		c->timeout_ms = 200 + below(s, 1800);
}

static void describe_copy(char *buf, size_t len, const struct copy_req *r)
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
		 "SGDMA_IOC_COPY size=%u version=%u dir=%u mode=%u flags=%#x timeout_ms=%u channel=\"%s\"%s src=%#llx(%s) dst=%#llx(%s) len=%llu src_off=%u dst_off=%u seg_min=%u seg_max=%u seed=%#x reserved0=%#x reserved=%#llx,%#llx,%#llx,%#llx",
		 c->size, c->version, c->dir, c->mode, c->flags, c->timeout_ms,
		 chan, i == sizeof(c->channel) ? "(unterminated)" : "",
		 (unsigned long long)c->src, ptr_names[r->src_kind],
		 (unsigned long long)c->dst, ptr_names[r->dst_kind],
		 (unsigned long long)c->len, c->src_off, c->dst_off, c->seg_min,
		 c->seg_max, c->seed, c->reserved0,
		 (unsigned long long)c->reserved[0], (unsigned long long)c->reserved[1],
		 (unsigned long long)c->reserved[2], (unsigned long long)c->reserved[3]);
}

/* ---- SGDMA_IOC_POOL_CREATE / _DESTROY ---- */

static int pow2(__u64 v)
{
	return v && !(v & (v - 1));
}

/* The errnos a create request must be refused with; *@may: also allowed */
static unsigned int create_rules(const struct sgdma_ioc_pool *p, unsigned int *may)
{
	__u64 align = p->align ? p->align : 1;
	__u64 block = (((__u64)p->size + align - 1) & ~(align - 1));
	__u64 chunk = p->size > PAGE ? p->size : PAGE;
	unsigned int v = 0;

	*may = bit(ENOMEM);
	if (p->reserved || p->id)
		v |= bit(EINVAL);
	if (!memchr(p->name, '\0', sizeof(p->name)) || !p->name[0])
		v |= bit(EINVAL);
	if (p->blocks > 4096)
		v |= bit(E2BIG);
	/* what dma_pool_create() refuses on every kernel */
	if (!p->size || !pow2(align) ||
	    (p->boundary && (!pow2(p->boundary) || p->boundary < p->size)))
		v |= bit(EINVAL);
	/* a block size rounding past INT_MAX; blocks past a chunk's boundary */
	if (block > INT_MAX || (p->blocks && p->boundary > chunk))
		v |= bit(EINVAL);
	/* the block size as the allocator rounds it may exceed the boundary */
	if (p->boundary && p->boundary < (block > 16 ? block : 16))
		*may |= bit(EINVAL);
	return v;
}

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

static void pool_mutate(__u64 *s, unsigned int iter, struct sgdma_ioc_pool *p)
{
	unsigned int i;

	switch (below(s, 7)) {
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
		p->blocks = chance(s, 50) ? 4096 + below(s, 3) - 1 : edge_u32(s);
		break;
	case 5:
		p->id = edge_u32(s) | 1;
		break;
	default:
		p->reserved = edge_u32(s) | 1;
	}
}

/* Keep the blocks of a pool that will be made within POOL_BYTES */
static void pool_bound(struct sgdma_ioc_pool *p)
{
	__u64 align = p->align ? p->align : 1;
	__u64 block = (((__u64)p->size + align - 1) & ~(align - 1));

	if (block < 16)
		block = 16;
	if (p->blocks && block * p->blocks > POOL_BYTES)
		p->blocks = block >= POOL_BYTES ? 1 : POOL_BYTES / block;
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

FIXTURE(fuzz) {
	struct world w;
	__u64 seed;
	unsigned long first, iters;
	int verbose;
};

/* A 1-byte k2k copy on any channel: which one, if any */
static void probe_channel(struct world *w)
{
	struct sgdma_ioc_copy c = { .size = sizeof(c), .version = SGDMA_UAPI_VERSION,
				    .dir = SGDMA_DIR_K2K, .len = 1 };

	w->have_chan = !ioctl(w->fd, SGDMA_IOC_COPY, &c) && !c.status;
	if (w->have_chan)
		memcpy(w->chan, c.chan_name, sizeof(w->chan));
	w->chan[sizeof(w->chan) - 1] = '\0';
}

FIXTURE_SETUP(fuzz)
{
	memset(&self->w, 0, sizeof(self->w));
	self->w.fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (self->w.fd < 0)
		SKIP(return, "%s: %s (module sgdma_test not loaded?)",
		     SGDMA_DEV_PATH, strerror(errno));
	ASSERT_EQ(0, arena_map(&self->w.a));
	probe_channel(&self->w);
	self->seed = env_u64("SGDMA_FUZZ_SEED", DEFAULT_SEED);
	self->iters = env_u64("SGDMA_FUZZ_ITERS", DEFAULT_ITERS);
	self->first = env_u64("SGDMA_FUZZ_FIRST", 0);
	self->verbose = env_u64("SGDMA_FUZZ_VERBOSE", 0);
	start_watchdog();
}

FIXTURE_TEARDOWN(fuzz)
{
	struct sgdma_ioc_pool p = { };

	while (self->w.nr_live > 0) {
		p.id = self->w.live[--self->w.nr_live];
		ioctl(self->w.fd, SGDMA_IOC_POOL_DESTROY, &p);
	}
	arena_unmap(&self->w.a);
	if (self->w.fd >= 0)
		close(self->w.fd);
}

static void forget_pool(struct world *w, unsigned int id)
{
	int i;

	for (i = 0; i < w->nr_live; i++)
		if (w->live[i] == id) {
			w->live[i] = w->live[--w->nr_live];
			w->gone = id;
			return;
		}
}

static int is_live(const struct world *w, unsigned int id)
{
	int i;

	for (i = 0; i < w->nr_live; i++)
		if (w->live[i] == id)
			return 1;
	return 0;
}

/*
 * Every request either succeeds or is refused with an errno the UAPI
 * documents for what is wrong with it, and no call hangs.
 */
TEST_F_TIMEOUT(fuzz, every_ioctl_succeeds_or_refuses_with_a_documented_errno,
	       86400)
{
	struct tally t[4] = { };
	static const char * const names[] = { "SGDMA_IOC_COPY",
		"SGDMA_IOC_POOL_CREATE", "SGDMA_IOC_POOL_DESTROY", "wrong command" };
	struct world *w = &self->w;
	unsigned long it, failures = 0;
	struct timespec t0, t1;
	unsigned int i;

	ksft_print_msg("seed %#llx, %lu iterations, channel %s\n",
		       (unsigned long long)self->seed, self->iters,
		       w->have_chan ? w->chan : "none");
	ksft_print_msg("reproduce: SGDMA_FUZZ_SEED=%#llx SGDMA_FUZZ_ITERS=%lu\n",
		       (unsigned long long)self->seed, self->iters);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (it = self->first; it < self->iters; it++) {
		__u64 st = self->seed ^ (it * 0xd1b54a32d192ed03ULL), *s = &st;
		unsigned int must = 0, may = 0, which, n;
		enum arg_kind ak = A_OK;
		struct copy_req r = { .src_kind = P_RW, .dst_kind = P_RW };
		struct sgdma_ioc_pool p, out;
		char what[900], want[128];
		unsigned long cmd, arg;
		int ret, err, checked = 1, ok = 1;

		splitmix(s);
		which = below(s, 100);
		which = which < 55 ? 0 : which < 72 ? 1 : which < 90 ? 2 : 3;
		if (which == 1 && w->nr_live >= MAX_LIVE_POOLS)
			which = 2;
		if (chance(s, 10))
			ak = 1 + below(s, 6);
		n = chance(s, 30) ? 0 : 1 + below(s, 3);	/* fields to break */

		if (which == 0) {
			copy_base(s, w, &r.c);
			while (n--)
				copy_mutate(s, w, &r);
			must = copy_rules(w, &r.c, &checked);
			if (checked && !(must & ~bit(EFAULT))) {
				copy_bound(s, &r.c);
				must = copy_rules(w, &r.c, &checked);
			}
			may = bit(ENOMEM);
			cmd = SGDMA_IOC_COPY;
			describe_copy(what, sizeof(what), &r);
			arg = place_arg(s, &w->a, ak, &r.c, sizeof(r.c));
		} else {
			pool_base(s, it, &p);
			if (which == 2) {
				/* a live pool, a destroyed one, or any number */
				/* only the id counts: other fields are ignored */
				if (n)
					pool_mutate(s, it, &p);
				p.id = w->nr_live && chance(s, 60) ?
					w->live[below(s, w->nr_live)] :
					chance(s, 30) ? w->gone : edge_u32(s);
				must = is_live(w, p.id) ? 0 : bit(ENOENT);
				cmd = SGDMA_IOC_POOL_DESTROY;
			} else {
				while (n--)
					pool_mutate(s, it, &p);
				must = create_rules(&p, &may);
				if (!must)
					pool_bound(&p);
				cmd = SGDMA_IOC_POOL_CREATE;
			}
			describe_pool(what, sizeof(what), names[which], &p);
			if (which == 3) {
				cmd = wrong_cmd(s);
				snprintf(what, sizeof(what),
					 "wrong command %#lx (dir %lu magic %#lx nr %lu size %lu)",
					 cmd, (unsigned long)_IOC_DIR(cmd),
					 (unsigned long)_IOC_TYPE(cmd),
					 (unsigned long)_IOC_NR(cmd),
					 (unsigned long)_IOC_SIZE(cmd));
				must = bit(ENOTTY);
				may = 0;
			}
			out = p;
			arg = place_arg(s, &w->a, ak, &out, sizeof(out));
		}
		/* a bad argument is not read; a read-only one is read, not written */
		if (which != 3 && ak != A_OK && ak != A_MISALIGNED) {
			if (ak == A_RO) {
				if (which != 2 && !must)
					must = bit(EFAULT);
				else
					may |= bit(EFAULT);
			} else {
				must = bit(EFAULT);
				may = 0;
			}
		}
		n = strlen(what);
		snprintf(what + n, sizeof(what) - n, " arg=%#lx(%s)", arg, arg_names[ak]);

		if (self->verbose)
			ksft_print_msg("iteration %lu: %s\n", it, what);
		else if (it && !(it % 5000))
			ksft_print_msg("iteration %lu\n", it);
		watch_begin(what);
		ret = ioctl(w->fd, cmd, arg);
		err = ret ? errno : 0;
		watch_end();
		tally(&t[which], ret, err);

		if (ak == A_MISALIGNED)	/* what the kernel wrote back */
			memcpy(which ? (void *)&out : (void *)&r.c,
			       (void *)(uintptr_t)arg, which ? sizeof(out) : sizeof(r.c));
		if (ret && ret != -1)
			ok = 0;
		else if (must)	/* refused, with the errno of a rule it breaks */
			ok = ret && (bit(err) & (must | may));
		else		/* accepted, or short of memory */
			ok = !ret || (bit(err) & may);

		if (ok && !ret && which == 0 && ak != A_RO) {
			/* the outcome of an accepted copy */
			struct sgdma_ioc_copy *c = &r.c;
			int slow = c->timeout_ms && c->timeout_ms < 1000;

			w->copies++;
			if (c->status == -ETIMEDOUT && slow)
				w->timeouts++;
			else if (c->status == 0)
				ok = c->bytes == c->len && c->descs >= 1 &&
				     memchr(c->chan_name, '\0', sizeof(c->chan_name)) &&
				     c->chan_name[0] && c->driver[0] &&
				     (!c->channel[0] || !strcmp(c->channel, c->chan_name));
			else
				ok = c->status == -ENOMEM;
			w->copy_bytes += c->status ? 0 : c->bytes;
			if (!ok) {
				n = strlen(what);
				snprintf(what + n, sizeof(what) - n,
					 ": copy status %d stage %u bytes %llu descs %u mismatches %u on %.32s (%.32s)",
					 c->status, c->stage,
					 (unsigned long long)c->bytes, c->descs,
					 c->mismatches, c->chan_name, c->driver);
			}
		}
		if (!ret && which == 1 && ak != A_RO) {
			if (w->nr_live < MAX_LIVE_POOLS && out.id)
				w->live[w->nr_live++] = out.id;
			else
				ok = 0;	/* no id, or more pools than asked for */
		}
		if (!ret && which == 2)
			forget_pool(w, p.id);

		if (!ok) {
			failures++;
			if (failures <= MAX_REPORTS) {
				char outcome[200];

				errno_set(want, sizeof(want), must | may);
				snprintf(outcome, sizeof(outcome),
					 "got %d (%s), allowed %s%s", ret,
					 ret ? errno_name(err) : "success",
					 want, must ? " (must fail)" : "");
				reproduce(self->seed, it, what, outcome);
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < 4; i++)
		print_tally(names[i], &t[i]);
	{
		struct tally all = { };
		unsigned int j;

		for (i = 0; i < 4; i++) {
			all.calls += t[i].calls;
			all.ok += t[i].ok;
			for (j = 0; j <= NR_ERRNOS; j++)
				all.refused[j] += t[i].refused[j];
		}
		print_tally("", &all);
		ksft_print_msg("iterations: %lu, succeeded: %lu, failed checks: %lu, in %.1f s\n",
			       self->iters - self->first, all.ok, failures,
			       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	ksft_print_msg("copies accepted: %lu (%lu bytes copied), timed out: %lu\n",
		       w->copies, w->copy_bytes, w->timeouts);
	EXPECT_EQ(0, failures);
	if (!w->have_chan)
		ksft_print_msg("no memcpy channel: copies were only refused\n");
}

/* ---- no pool of the fuzzer's left ---- */

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
 * Every pool the fuzzer made is gone once it is done, those of refused
 * requests included (it runs after the fuzzing, in the same fixture)
 */
TEST_F(fuzz, fuzzed_pools_are_all_gone_afterwards)
{
	char buf[1024];

	EXPECT_EQ(0, pools_named("fz", buf, sizeof(buf))) {
		TH_LOG("left in %s: %s", SGDMA_POOLS_SYSFS, buf);
	}
}

/* ---- module parameters and sysfs files ---- */

enum param_kind { K_UINT, K_INT, K_BOOL, K_STRING, K_OTHER };

static const struct {
	const char *name;
	enum param_kind kind;
} param_kinds[] = {
	{ "channel", K_STRING }, { "device", K_STRING },
	{ "iterations", K_UINT }, { "timeout", K_UINT },
	{ "threads_per_chan", K_UINT }, { "max_channels", K_UINT },
	{ "test_buf_size", K_UINT }, { "alignment", K_INT },
	{ "noverify", K_BOOL }, { "norandom", K_BOOL },
	{ "seg_min", K_UINT }, { "seg_max", K_UINT }, { "seed", K_UINT },
	{ "per_entry", K_BOOL }, { "run", K_BOOL },
};

#define MAX_PARAMS	32

struct param {
	char name[64], path[300], orig[64];
	size_t orig_len;
	enum param_kind kind;
	int writable;
};

struct param_set {
	struct param p[MAX_PARAMS];
	int n;
	struct tally t;
	__u64 seed;
	unsigned long failures;
};

FIXTURE(params) {
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
	unsigned int i;
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
		p->kind = K_OTHER;
		for (i = 0; i < ARRAY_SIZE(param_kinds); i++)
			if (!strcmp(dir, PARAMS_DIR) &&
			    !strcmp(p->name, param_kinds[i].name))
				p->kind = param_kinds[i].kind;
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
	int ret;

	memset(ps, 0, sizeof(*ps));
	if (access(PARAMS_DIR, F_OK))
		SKIP(return, "%s: %s (sgdma_test not built in or loaded)",
		     PARAMS_DIR, strerror(errno));
	ret = add_params(ps, PARAMS_DIR);
	if (!ret)
		ret = add_params(ps, SWCHAN_PARAMS);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading parameters: %s", strerror(-ret));
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

/* A value to write: numbers at their limits, words, junk */
static size_t param_value(__u64 *s, char *buf, size_t len)
{
	static const char * const v[] = {
		"0", "1", "-1", "2", "7", "12", "13", "4096", "65536", "2147483647",
		"2147483648", "-2147483648", "-2147483649", "4294967295",
		"4294967296", "18446744073709551615", "99999999999999999999",
		"0x10", "010", "1e3", " 12", "12 ", "12abc", "+5", "y", "n", "Y",
		"N", "on", "off", "true", "false", "abc", "\n", "dma0chan0",
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

/* The errnos writing to a parameter of this kind may get */
static unsigned int param_errnos(const struct param *p)
{
	if (!p->writable)
		return bit(EACCES);
	switch (p->kind) {
	case K_STRING:
		return bit(ENOSPC);
	case K_BOOL:
		return bit(EINVAL);
	case K_UINT:
	case K_INT:
		return bit(EINVAL) | bit(ERANGE);
	default:
		return bit(EINVAL) | bit(ERANGE) | bit(ENOSPC);
	}
}

/* Write @len bytes of @val to @p; a failure with another errno is reported */
static void param_write(struct param_set *ps, unsigned long it,
			const struct param *p, const char *val, size_t len,
			unsigned int allowed)
{
	char what[400], outcome[100], shown[70], want[64];
	int err = write_file(p->path, val, len);

	tally(&ps->t, err ? -1 : 0, err);
	if (!err || (bit(err) & allowed))
		return;
	if (++ps->failures > MAX_REPORTS)
		return;
	snprintf(shown, sizeof(shown), "%.*s", (int)len, val);
	snprintf(what, sizeof(what), "parameter write %zu bytes \"%s\" to %s",
		 len, shown, p->path);
	errno_set(want, sizeof(want), allowed);
	snprintf(outcome, sizeof(outcome), "%s, allowed %s",
		 errno_name(err), want);
	reproduce(ps->seed, it, what, outcome);
}

/* The value of a numeric parameter of sgdma_test, 0 if unreadable */
static unsigned long param_u64(struct param_set *ps, const char *name)
{
	struct param *p = param(ps, name);
	char val[64];

	return p && read_file(p->path, val, sizeof(val)) > 0 ?
		strtoul(val, NULL, 0) : 0;
}

/* A run of the threaded runner: at most a few short copies on one channel */
static void bound_run(struct param_set *ps, __u64 *s)
{
	static const struct {
		const char *name;
		unsigned long max;
	} b[] = {
		{ "iterations", 3 }, { "threads_per_chan", 2 },
		{ "test_buf_size", 65536 }, { "timeout", 2000 },
	};
	char buf[32], val[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(b); i++) {
		struct param *p = param(ps, b[i].name);

		if (!p || read_file(p->path, val, sizeof(val)) < 0)
			continue;
		if (strtoul(val, NULL, 0) > b[i].max)
			write_file(p->path, buf,
				   snprintf(buf, sizeof(buf), "%lu",
					    (unsigned long)below(s, b[i].max + 1)));
	}
	if (param(ps, "max_channels"))
		write_file(param(ps, "max_channels")->path, "1", 1);
	/* and few scatterlist entries: test_buf_size / seg_min at most 256 */
	if (param_u64(ps, "seg_max") && param(ps, "test_buf_size")) {
		unsigned long lo = param_u64(ps, "seg_min") ? : 1;

		if (param_u64(ps, "test_buf_size") / lo > 256)
			write_file(param(ps, "test_buf_size")->path, buf,
				   snprintf(buf, sizeof(buf), "%lu",
					    lo > 256 ? 65536 : 256 * lo));
	}
}

/*
 * Random writes to every parameter of sgdma_test (and of sgdma_swchan) and
 * to the pools file: each succeeds or gets the errno of the kernel's
 * parameter parsing (EINVAL, ERANGE, ENOSPC; EACCES for read-only files),
 * none hangs, and runs started through "run" end.
 */
TEST_F_TIMEOUT(params, module_parameter_writes_never_hang_and_refuse_cleanly,
	       3600)
{
	static const char * const no_run[] = { "0", "n", "x", "2", "" };
	struct sgdma_ioc_pool pool = { .name = "fzsysfs", .size = 64, .blocks = 1 };
	struct param_set *ps = &self->ps;
	unsigned long it, iters, runs = 0;
	struct param *run;
	char buf[64];
	int fd;

	ps->seed = env_u64("SGDMA_FUZZ_SEED", DEFAULT_SEED);
	iters = env_u64("SGDMA_FUZZ_ITERS", DEFAULT_ITERS) / 10 + 20;
	ASSERT_GT(ps->n, 0);
	run = param(ps, "run");
	for (it = 0; it < iters; it++) {
		__u64 st = ~ps->seed ^ (it * 0xd1b54a32d192ed03ULL), *s = &st;
		struct param *p = &ps->p[below(s, ps->n)];
		const char *v;

		splitmix(s);
		if (p != run) {
			size_t len = param_value(s, buf, sizeof(buf));

			if (len)
				param_write(ps, it, p, buf, len, param_errnos(p));
			continue;
		}
		/* anything but a plain false may start a run: bound it first */
		if (chance(s, 50)) {
			v = no_run[below(s, ARRAY_SIZE(no_run))];
			param_write(ps, it, p, v, *v ? strlen(v) : 1, bit(EINVAL));
			continue;
		}
		if (chance(s, 50)) {
			write_file(param(ps, "channel")->path, "", 1);
			write_file(param(ps, "device")->path, "", 1);
		}
		bound_run(ps, s);
		param_write(ps, it, p, "1", 1, 0);
		runs++;
	}
	ksft_print_msg("parameter iterations: %lu, runs started: %lu\n", iters, runs);
	print_tally("parameter writes", &ps->t);
	EXPECT_EQ(0, ps->failures);

	/* the pools file is read-only */
	fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (fd >= 0 && !ioctl(fd, SGDMA_IOC_POOL_CREATE, &pool)) {
		EXPECT_EQ(EACCES, write_file(SGDMA_POOLS_SYSFS, "x", 1));
		ioctl(fd, SGDMA_IOC_POOL_DESTROY, &pool);
	}
	if (fd >= 0)
		close(fd);

	/* every value back as it was */
	for (it = 0; it < (unsigned long)ps->n; it++) {
		struct param *p = &ps->p[it];

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

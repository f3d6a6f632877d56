// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/sgdma_test and sgdma_test's parameters under load from several
 * processes at once.
 *
 * SGDMA_STRESS_PROCS processes (default 4), each with its own open file,
 * copy in all four directions, batched and per entry, with random shapes,
 * and make and destroy pools, for SGDMA_STRESS_SECONDS (default 8).  Their
 * user pages are private (the program checks the bytes of u2u, k2u and
 * u2k copies with SGDMA_F_USER_DATA), private but inherited copy-on-write
 * from the parent (which must never see the children's copies), or
 * SHARED between the processes: a MAP_SHARED region made before fork,
 * where every process's destination starts 8 bytes after the previous
 * one's, in the same page and cacheline.  Meanwhile one process writes
 * "run" (small runs on one channel) and another reads and writes the other
 * parameters, each call timed: none may take a second, also while a run
 * is in progress.  Halfway, one more process that holds live pools is
 * killed with SIGKILL in the middle of a long copy: once it is reaped, the
 * pools file lists none of its pools, and once everyone is done none of
 * the stress pools at all.
 *
 * Every call must return what the contract allows for it: a copy 0 with
 * status 0 and every byte, or ENOMEM, or ENODEV when every channel is
 * taken; a pool ENOSPC only at SGDMA_MAX_POOLS_PER_FD (or SGDMA_MAX_POOLS
 * in all), a foreign or gone id ENOENT; a run 0, ENODEV or ENOMEM.  The
 * totals by errno are printed at the end.
 *
 * Where sgdma_test is a loadable module and its .ko can be found
 * (SGDMA_MODULE_DIR, or /lib/modules/$(uname -r)), a second test does the
 * same while one more process unloads and reloads it in a loop; then
 * open() and the calls may also get ENOENT or ENODEV, and runs ECANCELED
 * or ESHUTDOWN, while it is away.  Where it is built in, that test skips.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sgdma_test.h"
#include "sgdma_ksft.h"
#include "sgdma_fuzz_model.h"

#define PAGE		4096UL
#define DEFAULT_SECONDS	8
#define MAX_SECONDS	240	/* within the hard timeout of each test */
#define HARD_TIMEOUT	360
#define DEFAULT_PROCS	4
#define MAX_PROCS	16
#define DEFAULT_SEED	0x57e55ULL

#define PARAMS_DIR	"/sys/module/sgdma_test/parameters"
#define MODULE_DIR	"/sys/module/sgdma_test"
#define POOL_PREFIX	"stress"

/*
 * Copies: at most MAX_COPY bytes (the fuzzer reaches the large ones): the
 * kernel verifies every byte without yielding, which on one emulated CPU
 * would hold up the timed parameter calls.  The timeout is the longest the
 * UAPI allows: a copy waits behind the runs' copies on its channel, and on
 * the Zynq under TCG beside another boot one copy waited more than 10 s.
 * A lost completion is still caught: the copy fails with ETIMEDOUT.
 */
#define MAX_COPY	(256UL << 10)
#define COPY_TIMEOUT	SGDMA_MAX_TIMEOUT_MS
/*
 * A parameter read or write must return within this: far less than a
 * copy's timeout, which a call held behind a stuck copy would wait out.
 * Not 1 s: on the Zynq under TCG, two boots sharing the host's 2 cores,
 * one write with nothing to wait for took 1268 ms.  Whether calls wait
 * for a run is FAST_NS's rule, below.
 */
#define PARAM_NS	5000000000LL
/*
 * Runs last about RUN_NS (per entry, 1-byte entries: thousands of waits),
 * and most parameter calls begun during one must be back within FAST_NS:
 * were the parameter lock held for the run, they would wait for its end.
 */
#define RUN_NS		300000000LL
#define FAST_NS		50000000LL
#define MAX_REPORTS	10

/* shared pages: destinations in the first SH_DST pages, sources after */
#define SH_DST		72
#define SH_PAGES	208
/* private pages inherited from the parent, copy-on-write */
#define COW_PAGES	32
#define COW_BYTE	0xc5
/* each worker's private pages: source, destination, second destination */
#define PRIV_AREA	(MAX_COPY + 2 * PAGE)
/* the victim's slow copy: per entry, 128-byte entries, 2 MiB: 16384 waits */
#define SLOW_LEN	(2UL << 20)
#define SLOW_SEG	128
#define VICTIM_POOLS	3

#define NR_ERRNOS	MODEL_NR_ERRNOS
#define bit(err)	model_bit(err)

/* ---- state shared by all the processes ---- */

/* what one process did; errno slot NR_ERRNOS counts any other */
struct counts {
	unsigned long ops, copies, bytes, data_checks, data_bad, unexpected;
	unsigned long pools_made, pools_destroyed, reopens;
	unsigned long err[NR_ERRNOS + 1];
	int reports;
};

struct shared {
	int stop;		/* everyone ends after the current call */
	int run_seq;		/* odd while a write of "run" is in progress */
	int quiesce;		/* reload: close your file and wait */
	int closed[MAX_PROCS];	/* reload: this worker has no open file */
	int victim_ready;	/* the victim made its pools */
	int victim_in_copy;	/* the victim is inside its slow copy */
	int reload;		/* the module goes away now and then */
	struct counts w[MAX_PROCS], victim, runner, poker;
	/*
	 * poker: calls; reads [0] and writes [1] begun while a run was in
	 * progress, and those of them back within FAST_NS; calls over
	 * PARAM_NS; the slowest
	 */
	unsigned long poke_calls, poke_in_run[2], poke_in_run_fast[2], poke_slow;
	long long poke_max_ns;
	/* runner: runs written, that took place, and their time */
	unsigned long runs, runs_done;
	long long run_ns;
	/* reloader: cycles, unloads refused as busy, load failures */
	unsigned long reloads, unload_busy, load_failures;
	int load_err;
};

static int get(int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void set(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* About log-uniform in [lo, hi] */
static __u64 log_uniform(__u64 *s, __u64 lo, __u64 hi)
{
	unsigned int lb = 63 - __builtin_clzll(lo), hb = 63 - __builtin_clzll(hi);
	unsigned int b = lb + below(s, hb - lb + 1);
	__u64 p = 1, v;

	p <<= b;
	v = p + below(s, p);
	return v < lo ? lo : v > hi ? hi : v;
}

/* the bytes this program puts in user sources */
static unsigned char pat(__u32 seed, __u64 i)
{
	__u32 v = (__u32)i * 0x9e3779b1u ^ seed;

	v ^= v >> 13;
	v *= 0x85ebca6bu;
	return v >> 24;
}

static __u64 env_u64(const char *name, __u64 def, __u64 lo, __u64 hi)
{
	const char *v = getenv(name);
	__u64 n = v && *v ? strtoull(v, NULL, 0) : def;

	return n < lo ? lo : n > hi ? hi : n;
}

/* ---- outcomes ---- */

/* Count @err (0: success) for @c; 1 if it is in @allowed (MODEL_OK, errnos) */
static int outcome(struct counts *c, int err, unsigned int allowed,
		   const char *who, const char *what)
{
	char want[128];

	c->ops++;
	if (err)
		c->err[model_errno_index(err)]++;
	if ((err ? bit(err) : MODEL_OK) & allowed)
		return 1;
	c->unexpected++;
	if (c->reports++ < MAX_REPORTS) {
		model_errno_set(want, sizeof(want), allowed);
		printf("# %s: %s: got %s, allowed %s\n", who, what,
		       model_errno_name(err), want);
		fflush(stdout);
	}
	return 0;
}

static void add_counts(struct counts *sum, const struct counts *c)
{
	unsigned int i;

	sum->ops += c->ops;
	sum->copies += c->copies;
	sum->bytes += c->bytes;
	sum->data_checks += c->data_checks;
	sum->data_bad += c->data_bad;
	sum->unexpected += c->unexpected;
	sum->pools_made += c->pools_made;
	sum->pools_destroyed += c->pools_destroyed;
	sum->reopens += c->reopens;
	for (i = 0; i <= NR_ERRNOS; i++)
		sum->err[i] += c->err[i];
}

static void print_errnos(const char *what, const struct counts *c)
{
	char buf[512];

	ksft_print_msg("%s: %lu calls, by errno: %s\n", what, c->ops,
		       model_errno_counts(buf, sizeof(buf), c->err));
}

/* ---- files ---- */

/* 0 or the errno of writing @val to parameter @name */
static int param_write(const char *name, const char *val)
{
	char path[128];
	int fd, err = 0;
	ssize_t got;

	snprintf(path, sizeof(path), "%s/%s", PARAMS_DIR, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	got = write(fd, val, strlen(val) ? strlen(val) : 1);
	if (got < 0)
		err = errno;
	close(fd);
	return err;
}

/* 0 or the errno of reading parameter @name into @buf */
static int param_read(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", PARAMS_DIR, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	got = read(fd, buf, len - 1);
	close(fd);
	if (got < 0)
		return errno;
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static const char * const run_params[] = {
	"iterations", "timeout", "threads_per_chan", "max_channels",
	"test_buf_size", "alignment", "noverify", "norandom", "seg_min",
	"seg_max", "seed", "per_entry", "channel", "device",
};

#define NR_RUN_PARAMS	ARRAY_SIZE(run_params)

/* ---- user memory ---- */

struct mem {
	unsigned char *sh, *cow, *priv;
	int k;		/* the worker's number: its shared destination offset */
};

/* [addr, addr + len) is memory of this process the kernel can pin */
static int mem_pinnable(const void *ctx, __u64 addr, __u64 len, int write)
{
	const struct mem *m = ctx;
	__u64 sh = (uintptr_t)m->sh, cow = (uintptr_t)m->cow;
	__u64 priv = (uintptr_t)m->priv;

	if (!len || addr + len < addr)
		return 0;
	return (addr >= sh && addr + len <= sh + SH_PAGES * PAGE) ||
	       (addr >= cow && addr + len <= cow + COW_PAGES * PAGE) ||
	       (m->priv && addr >= priv && addr + len <= priv + 3 * PRIV_AREA);
}

/* nothing here is mapped twice */
static __u64 mem_page_id(const void *ctx, __u64 addr)
{
	return addr & ~(__u64)(PAGE - 1);
}

/* ---- the copy workers ---- */

enum where { W_KERNEL, W_SHARED, W_PRIVATE, W_COW };

static const char * const where_names[] = { "kernel", "shared", "private",
					    "copy-on-write" };

struct worker {
	struct shared *sh;
	struct counts *c;
	struct mem m;
	struct model_mem mm;
	int fd, k, reload;
	__u64 s;
	unsigned int live[SGDMA_MAX_POOLS_PER_FD + 1];
	int nr_live;
	unsigned int made;
	char who[32];
};

/*
 * A valid copy: direction, mode, shape and memory random; user sides in
 * shared pages (the destination 8 bytes after the previous worker's), in
 * private pages, or in the pages inherited copy-on-write.
 */
static enum where draw_copy(struct worker *wk, struct sgdma_ioc_copy *c)
{
	__u64 *s = &wk->s, len, pages, per_entry_max;
	unsigned char *priv = wk->m.priv;
	enum where w;

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->version = SGDMA_UAPI_VERSION;
	c->dir = below(s, 4);
	c->mode = chance(s, 70) ? SGDMA_MODE_BATCHED : SGDMA_MODE_PER_ENTRY;
	c->timeout_ms = COPY_TIMEOUT;
	c->seed = splitmix(s);
	w = c->dir == SGDMA_DIR_K2K ? W_KERNEL : below(s, 10) < 4 ? W_SHARED :
	    below(s, 10) < 7 ? W_PRIVATE : W_COW;
	len = chance(s, 75) ? log_uniform(s, 1, 64 << 10) :
			      log_uniform(s, 64 << 10, MAX_COPY);
	if (w == W_COW && len > COW_PAGES / 2 * PAGE - 1)
		len = 1 + below(s, COW_PAGES / 2 * PAGE - 1);
	c->len = len;
	c->flags = w == W_SHARED && chance(s, 50) ? 0 : SGDMA_F_USER_DATA;
	c->src_off = below(s, PAGE);
	c->dst_off = below(s, PAGE);
	if (model_user_src(c->dir)) {
		c->src_off = 0;
		c->src = w == W_SHARED ?
			 (uintptr_t)(wk->m.sh + SH_DST * PAGE + below(s, 64 * PAGE)) :
			 (uintptr_t)(priv + below(s, PAGE));
	}
	if (model_user_dst(c->dir)) {
		c->dst_off = 0;
		if (w == W_SHARED)	/* the same page and cacheline for all */
			c->dst = (uintptr_t)(wk->m.sh + below(s, 4) * PAGE + 8 * wk->k);
		else if (w == W_COW)
			c->dst = (uintptr_t)(wk->m.cow + 1 +
					     below(s, COW_PAGES / 2 * PAGE - 1));
		else	/* a byte of room before it, for the guard check */
			c->dst = (uintptr_t)(priv + PRIV_AREA + 1 + below(s, PAGE - 1));
	}
	/* entries: within SGDMA_MAX_ENTRIES; per entry, at most 4096 waits */
	if (chance(s, 60)) {
		pages = (len + 2 * PAGE) / PAGE;
		per_entry_max = c->mode == SGDMA_MODE_PER_ENTRY ? 4096 :
				SGDMA_MAX_ENTRIES - pages;
		c->seg_min = log_uniform(s, 1, PAGE);
		if (c->seg_min < len / per_entry_max + 1)
			c->seg_min = len / per_entry_max + 1;
		c->seg_max = c->seg_min + below(s, PAGE);
	}
	return w;
}

static void fill_user(struct sgdma_ioc_copy *c, __u32 seed, unsigned char mark,
		      int mark_dst)
{
	unsigned char *src = (unsigned char *)(uintptr_t)c->src;
	unsigned char *dst = (unsigned char *)(uintptr_t)c->dst;
	__u64 i;

	if (model_user_src(c->dir))
		for (i = 0; i < c->len; i++)
			src[i] = pat(seed, i);
	if (model_user_dst(c->dir) && mark_dst)
		memset(dst - 1, mark, c->len + 2);
}

/*
 * The bytes of a copy with SGDMA_F_USER_DATA on pages only this process
 * writes: the destination holds the source (u2u) or what the kernel's
 * source holds (k2u: a second copy of the same seed, cut otherwise, must
 * give the same), the bytes around it are untouched, the source is
 * unchanged.  1 if right.
 */
static int check_user(struct worker *wk, struct sgdma_ioc_copy *c, __u32 seed,
		      unsigned char mark)
{
	unsigned char *src = (unsigned char *)(uintptr_t)c->src;
	unsigned char *dst = (unsigned char *)(uintptr_t)c->dst;
	unsigned char *dst2 = wk->m.priv + 2 * PRIV_AREA + 1;
	struct sgdma_ioc_copy again;
	__u64 i, bad = 0, same = 0;

	for (i = 0; model_user_src(c->dir) && i < c->len; i++)
		bad += src[i] != pat(seed, i);
	if (model_user_dst(c->dir)) {
		bad += dst[-1] != mark;
		bad += dst[c->len] != mark;
	}
	if (c->dir == SGDMA_DIR_U2U)
		for (i = 0; i < c->len; i++)
			bad += dst[i] != pat(seed, i);
	if (c->dir == SGDMA_DIR_K2U) {
		for (i = 0; i < c->len; i++)
			same += dst[i] == mark;
		/* a byte of the kernel's pattern is the mark 1 time in 256 */
		bad += same > c->len / 16 + 4;
		again = *c;
		again.dst = (uintptr_t)dst2;
		again.mode = SGDMA_MODE_BATCHED;
		again.seg_min = again.seg_max ? 0 : 64;
		again.seg_max = again.seg_max ? 0 : 64;
		memset(dst2, ~mark, c->len);
		if (!ioctl(wk->fd, SGDMA_IOC_COPY, &again) && !again.status)
			bad += !!memcmp(dst, dst2, c->len);
	}
	wk->c->data_checks++;
	if (bad) {
		wk->c->data_bad++;
		if (wk->c->reports++ < MAX_REPORTS)
			printf("# %s: dir %u len %llu src %#llx dst %#llx: %llu bytes wrong\n",
			       wk->who, c->dir, (unsigned long long)c->len,
			       (unsigned long long)c->src,
			       (unsigned long long)c->dst, (unsigned long long)bad);
	}
	return !bad;
}

/* What a call may get besides its own outcomes, while the module may go */
static unsigned int away_errnos(const struct worker *wk)
{
	return wk->reload ? bit(ENOENT) | bit(ENODEV) : 0;
}

static void worker_copy(struct worker *wk)
{
	struct sgdma_ioc_copy c;
	enum where w = draw_copy(wk, &c);
	struct model_copy v;
	unsigned char mark = 0xa0 ^ wk->k;
	__u32 seed = splitmix(&wk->s);
	char what[200];
	int ret, err, check;

	/* the request is valid, as the model sees it */
	model_copy(&c, &wk->mm, 1, &v);
	snprintf(what, sizeof(what), "copy dir %u mode %u flags %u len %llu seg %u..%u %s",
		 c.dir, c.mode, c.flags, (unsigned long long)c.len, c.seg_min,
		 c.seg_max, where_names[w]);
	if (v.must) {	/* a bug of this program */
		wk->c->unexpected++;
		printf("# %s: %s: a request the contract refuses\n", wk->who, what);
		return;
	}
	check = (c.flags & SGDMA_F_USER_DATA) && w != W_SHARED && w != W_KERNEL;
	/*
	 * Pages inherited copy-on-write keep the parent's bytes around the
	 * destination, which this process has not written: the kernel's pin
	 * must break the sharing itself.
	 */
	if (w == W_COW)
		mark = COW_BYTE;
	if (check)
		fill_user(&c, seed, mark, w != W_COW);
	ret = ioctl(wk->fd, SGDMA_IOC_COPY, &c);
	err = ret ? errno : c.status == -ENOMEM ? ENOMEM : 0;
	if (!ret && c.status && c.status != -ENOMEM) {
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
			 ": status %d stage %u", c.status, c.stage);
		err = -c.status > 0 ? -c.status : EIO;
		outcome(wk->c, err, 0, wk->who, what);
		return;
	}
	if (!ret && !c.status && c.bytes != c.len) {
		outcome(wk->c, EIO, 0, wk->who, what);
		return;
	}
	/* ENODEV: every channel is taken (2 software channels, 8 pl330) */
	outcome(wk->c, err, MODEL_OK | bit(ENOMEM) | bit(ENODEV) | away_errnos(wk),
		wk->who, what);
	if (err == ENODEV)
		usleep(500 + below(&wk->s, 2000));
	if (err)
		return;
	wk->c->copies++;
	wk->c->bytes += c.len;
	if (check)
		check_user(wk, &c, seed, mark);
	/* the parent's bytes back around the next copy-on-write destination */
	if (w == W_COW && model_user_dst(c.dir))
		memset((unsigned char *)(uintptr_t)c.dst - 1, COW_BYTE, c.len + 2);
}

static int is_live(const struct worker *wk, unsigned int id)
{
	int i;

	for (i = 0; i < wk->nr_live; i++)
		if (wk->live[i] == id)
			return 1;
	return 0;
}

static void worker_pool(struct worker *wk)
{
	struct sgdma_ioc_pool p = { };
	unsigned int allowed, i;
	char what[80];
	int err;

	if (wk->nr_live && chance(&wk->s, 45)) {	/* one of ours */
		i = below(&wk->s, wk->nr_live);
		p.id = wk->live[i];
		err = ioctl(wk->fd, SGDMA_IOC_POOL_DESTROY, &p) ? errno : 0;
		snprintf(what, sizeof(what), "destroy of live pool %u", p.id);
		outcome(wk->c, err, MODEL_OK | away_errnos(wk), wk->who, what);
		wk->live[i] = wk->live[--wk->nr_live];
		wk->c->pools_destroyed += !err;
		return;
	}
	if (chance(&wk->s, 20)) {	/* not ours: maybe another file's */
		do
			p.id = 1 + below(&wk->s, 2 * SGDMA_MAX_POOLS_PER_FD);
		while (is_live(wk, p.id));
		err = ioctl(wk->fd, SGDMA_IOC_POOL_DESTROY, &p) ? errno : 0;
		snprintf(what, sizeof(what), "destroy of pool %u, not this file's", p.id);
		outcome(wk->c, err, bit(ENOENT) | away_errnos(wk), wk->who, what);
		return;
	}
	snprintf(p.name, sizeof(p.name), POOL_PREFIX "%d.%u", getpid(), wk->made++);
	p.size = log_uniform(&wk->s, 8, PAGE);
	p.align = chance(&wk->s, 50) ? 0 : 1U << below(&wk->s, 7);
	p.blocks = below(&wk->s, 33);
	/* ENOSPC at the file's limit, or sooner at the limit of all files */
	allowed = bit(ENOMEM) | bit(ENOSPC) | away_errnos(wk);
	if (wk->nr_live < SGDMA_MAX_POOLS_PER_FD)
		allowed |= MODEL_OK;
	err = ioctl(wk->fd, SGDMA_IOC_POOL_CREATE, &p) ? errno : 0;
	snprintf(what, sizeof(what), "pool create with %d live", wk->nr_live);
	outcome(wk->c, err, allowed, wk->who, what);
	if (!err && wk->nr_live < (int)ARRAY_SIZE(wk->live)) {
		wk->live[wk->nr_live++] = p.id;
		wk->c->pools_made++;
	}
}

static void worker_setup(struct worker *wk, struct shared *sh, struct mem *m,
			 struct counts *c, int k, __u64 seed, const char *who)
{
	memset(wk, 0, sizeof(*wk));
	wk->sh = sh;
	wk->c = c;
	wk->m = *m;
	wk->m.k = k;
	wk->k = k;
	wk->reload = get(&sh->reload);
	wk->s = seed ^ (0x9e37ULL * (k + 1)) ^ ((__u64)getpid() << 20);
	wk->fd = -1;
	snprintf(wk->who, sizeof(wk->who), "%s %d", who, k);
	wk->mm.pinnable = mem_pinnable;
	wk->mm.page_id = mem_page_id;
	wk->mm.ctx = &wk->m;
}

/* Open the device; where the module may be away, wait for it */
static int worker_open(struct worker *wk)
{
	while (!get(&wk->sh->stop)) {
		wk->fd = open(SGDMA_DEV_PATH, O_RDWR);
		if (wk->fd >= 0) {
			wk->nr_live = 0;
			return 0;
		}
		if (!outcome(wk->c, errno, away_errnos(wk), wk->who, "open"))
			return -1;
		usleep(10000);
	}
	return -1;
}

/* A copy worker: until told to stop; exits with 0 (failures are counted) */
static void copy_worker(struct shared *sh, struct mem *m, int k, __u64 seed)
{
	struct worker wk;
	unsigned long n = 0;

	worker_setup(&wk, sh, m, &sh->w[k], k, seed, "worker");
	wk.m.priv = mmap(NULL, 3 * PRIV_AREA, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (wk.m.priv == MAP_FAILED) {
		outcome(wk.c, errno, 0, wk.who, "mmap");
		_exit(1);
	}
	while (!get(&sh->stop)) {
		/* reload: no open file while the module is to go */
		if (get(&sh->quiesce) || (wk.reload && wk.fd >= 0 && !(++n % 16))) {
			if (wk.fd >= 0)
				close(wk.fd);
			wk.fd = -1;
			wk.c->reopens++;
			set(&sh->closed[k], 1);
			while (get(&sh->quiesce) && !get(&sh->stop))
				usleep(1000);
			set(&sh->closed[k], 0);
		}
		if (wk.fd < 0 && worker_open(&wk))
			break;
		if (chance(&wk.s, 70))
			worker_copy(&wk);
		else
			worker_pool(&wk);
	}
	/* closing the file destroys the pools it still has */
	if (wk.fd >= 0)
		close(wk.fd);
	_exit(0);
}

/*
 * The victim: makes pools, then copies slowly (per entry, 1 KiB entries,
 * 16 MiB) over and over, saying when it is inside the call, until killed.
 */
static void victim(struct shared *sh, struct mem *m, __u64 seed)
{
	struct sgdma_ioc_copy c = { .size = sizeof(c), .version = SGDMA_UAPI_VERSION,
				    .dir = SGDMA_DIR_K2U,
				    .mode = SGDMA_MODE_PER_ENTRY,
				    .timeout_ms = COPY_TIMEOUT, .len = SLOW_LEN,
				    .seg_min = SLOW_SEG, .seg_max = SLOW_SEG };
	struct sgdma_ioc_pool p = { .size = 64, .blocks = 4 };
	unsigned char *buf;
	struct worker wk;
	int i, err;

	worker_setup(&wk, sh, m, &sh->victim, 0, seed, "victim");
	buf = mmap(NULL, SLOW_LEN + PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	wk.fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (buf == MAP_FAILED || wk.fd < 0) {
		outcome(wk.c, errno, 0, wk.who, "setup");
		_exit(1);
	}
	for (i = 0; i < VICTIM_POOLS; i++) {
		snprintf(p.name, sizeof(p.name), POOL_PREFIX "v%d.%d", getpid(), i);
		p.id = 0;
		err = ioctl(wk.fd, SGDMA_IOC_POOL_CREATE, &p) ? errno : 0;
		outcome(wk.c, err, MODEL_OK, wk.who, "pool create");
	}
	set(&sh->victim_ready, 1);
	c.dst = (uintptr_t)(buf + 100);
	while (!get(&sh->stop)) {
		c.seed = splitmix(&wk.s);
		set(&sh->victim_in_copy, 1);
		err = ioctl(wk.fd, SGDMA_IOC_COPY, &c) ? errno : 0;
		set(&sh->victim_in_copy, 0);
		if (!err && c.status)
			err = -c.status;
		outcome(wk.c, err, MODEL_OK | bit(ENOMEM) | bit(ENODEV), wk.who,
			"slow copy");
		/* a channel for the others now and then */
		usleep(err == ENODEV ? 1000 : 50000 + below(&wk.s, 100000));
	}
	_exit(0);
}

/* ---- runs and parameters ---- */

/*
 * Runs on one channel that take a while with few iterations: per entry,
 * with 1-byte entries (each a descriptor and a wait), random lengths up
 * to @size (the entry bound stays far below SGDMA_MAX_ENTRIES)
 */
static void runner_params(unsigned int iterations, unsigned int size)
{
	char buf[16];

	param_write("max_channels", "1");
	param_write("threads_per_chan", "1");
	param_write("per_entry", "1");
	param_write("norandom", "0");
	param_write("seg_min", "1");
	param_write("seg_max", "1");
	snprintf(buf, sizeof(buf), "%u", iterations);
	param_write("iterations", buf);
	snprintf(buf, sizeof(buf), "%u", size);
	param_write("test_buf_size", buf);
}

/*
 * Writes 1 to "run" in a loop, each write returning when the run is done;
 * iterations and buffer size follow the time runs take, towards RUN_NS.
 * Between runs the channel is free a while for the copy workers.
 */
static void runner(struct shared *sh, __u64 seed)
{
	/* a run's own outcomes; while the module goes, those of its going */
	unsigned int allowed = MODEL_OK | bit(ENODEV) | bit(ENOMEM);
	unsigned int iterations = 2, size = 4096;
	struct counts *c = &sh->runner;
	__u64 s = seed ^ 0x7277ULL;
	long long t0, ns;
	char path[128];
	int fd, err;

	if (get(&sh->reload))
		allowed |= bit(ENOENT) | bit(ECANCELED) | bit(ESHUTDOWN);
	snprintf(path, sizeof(path), "%s/run", PARAMS_DIR);
	param_write("timeout", "10000");
	while (!get(&sh->stop)) {
		/* every time: a reload puts the defaults back */
		runner_params(iterations, size);
		__atomic_add_fetch(&sh->run_seq, 1, __ATOMIC_SEQ_CST);
		t0 = now_ns();
		fd = open(path, O_WRONLY);
		err = fd < 0 ? errno : write(fd, "1", 1) == 1 ? 0 : errno;
		if (fd >= 0)
			close(fd);
		ns = now_ns() - t0;
		__atomic_add_fetch(&sh->run_seq, 1, __ATOMIC_SEQ_CST);
		sh->runs++;
		outcome(c, err, allowed, "runner", "write of 1 to run");
		if (!err) {
			sh->runs_done++;
			sh->run_ns += ns;
			if (ns < RUN_NS / 2 && size < 16384)
				size *= 2;
			else if (ns < RUN_NS / 2 && iterations < 20)
				iterations++;
			else if (ns > 2 * RUN_NS && iterations > 1)
				iterations--;
			else if (ns > 2 * RUN_NS && size > 256)
				size /= 2;
		}
		usleep(50000 + below(&s, 200000));
	}
	_exit(0);
}

/*
 * Reads and writes the other parameters in a loop, each call timed: valid
 * values must be taken, out-of-range ones refused with EINVAL or ERANGE,
 * no call may take PARAM_NS, and those begun while a run is in progress
 * are counted, with those back within FAST_NS.
 */
static void poker(struct shared *sh, __u64 seed)
{
	static const struct {
		const char *name, *val;
		int err;
	} bad[] = {
		{ "iterations", "1000001", EINVAL }, { "timeout", "0", EINVAL },
		{ "threads_per_chan", "65", EINVAL }, { "alignment", "13", EINVAL },
		{ "test_buf_size", "0", EINVAL }, { "seed", "4294967296", ERANGE },
		{ "max_channels", "x", EINVAL },
	};
	/* values that do not change how long runs take */
	static const struct {
		const char *name;
		__u64 lo, hi;
	} good[] = {
		{ "seed", 0, 0xffffffff }, { "timeout", 5000, 20000 },
		{ "noverify", 0, 1 }, { "alignment", 0, 0 },
	};
	unsigned int away = get(&sh->reload) ? bit(ENOENT) | bit(ENODEV) : 0;
	struct counts *c = &sh->poker;
	__u64 s = seed ^ 0x90cbULL;
	char val[64], what[160];
	int in_run, err, i, wr;
	long long t0, ns;

	while (!get(&sh->stop)) {
		in_run = get(&sh->run_seq) & 1;
		t0 = now_ns();
		wr = 1;
		switch (below(&s, 4)) {
		case 0:
		case 1:
			wr = 0;
			i = below(&s, NR_RUN_PARAMS);
			snprintf(what, sizeof(what), "read of %s", run_params[i]);
			err = param_read(run_params[i], val, sizeof(val));
			outcome(c, err, MODEL_OK | away, "parameters", what);
			break;
		case 2:
			i = below(&s, ARRAY_SIZE(good));
			snprintf(val, sizeof(val), "%llu", (unsigned long long)
				 (good[i].lo + below(&s, good[i].hi - good[i].lo + 1)));
			snprintf(what, sizeof(what), "write of %s to %s", val,
				 good[i].name);
			err = param_write(good[i].name, val);
			outcome(c, err, MODEL_OK | away, "parameters", what);
			break;
		default:
			i = below(&s, ARRAY_SIZE(bad));
			snprintf(what, sizeof(what), "write of %s to %s", bad[i].val,
				 bad[i].name);
			err = param_write(bad[i].name, bad[i].val);
			outcome(c, err, bit(bad[i].err) | away, "parameters", what);
		}
		ns = now_ns() - t0;
		sh->poke_calls++;
		sh->poke_in_run[wr] += in_run;
		sh->poke_in_run_fast[wr] += in_run && ns < FAST_NS;
		if (ns > sh->poke_max_ns)
			sh->poke_max_ns = ns;
		if (ns > PARAM_NS) {
			sh->poke_slow++;
			if (c->reports++ < MAX_REPORTS)
				printf("# parameters: %s took %lld ms%s\n", what,
				       ns / 1000000, in_run ? ", a run in progress" : "");
		}
		usleep(below(&s, 2000));
	}
	_exit(0);
}

/* ---- the module: unload and reload ---- */

static char ko_path[PATH_MAX];

static int find_ko(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	const char *base = path + f->base;

	if (type == FTW_F && (!strcmp(base, "sgdma_test.ko") ||
			      !strncmp(base, "sgdma_test.ko.", 14))) {
		snprintf(ko_path, sizeof(ko_path), "%s", path);
		return 1;
	}
	return 0;
}

/* Where sgdma_test.ko is: $SGDMA_MODULE_DIR, else /lib/modules/<release> */
static const char *module_file(char *where, size_t len)
{
	const char *dir = getenv("SGDMA_MODULE_DIR");
	struct utsname u;
	char lib[300];

	ko_path[0] = '\0';
	if (!dir || !*dir) {
		uname(&u);
		snprintf(lib, sizeof(lib), "/lib/modules/%s", u.release);
		dir = lib;
	}
	snprintf(where, len, "%s", dir);
	nftw(dir, find_ko, 16, FTW_PHYS);
	return ko_path[0] ? ko_path : NULL;
}

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

static int load_module(int kofd, const char *path)
{
	int flags = strstr(path, ".ko.") ? MODULE_INIT_COMPRESSED_FILE : 0;

	return syscall(SYS_finit_module, kofd, "", flags) ? errno : 0;
}

/*
 * Unloads and reloads sgdma_test in a loop: asks the workers to close
 * their files, unloads (retrying while a file is still open), lets them
 * find it away for a while, loads it again.
 */
static void reloader(struct shared *sh, int nr, int kofd, const char *path,
		     __u64 seed)
{
	__u64 s = seed ^ 0x4e10ULL;
	long long t0;
	int i, err, closed;

	while (!get(&sh->stop)) {
		usleep(100000 + below(&s, 300000));
		set(&sh->quiesce, 1);
		for (t0 = now_ns(); now_ns() - t0 < 2000000000LL; usleep(1000)) {
			for (closed = 0, i = 0; i < nr; i++)
				closed += get(&sh->closed[i]);
			if (closed == nr)
				break;
		}
		for (t0 = now_ns(); ; usleep(5000)) {
			err = syscall(SYS_delete_module, "sgdma_test", O_NONBLOCK) ?
			      errno : 0;
			if (err != EAGAIN && err != EBUSY)
				break;
			if (now_ns() - t0 > 1000000000LL)
				break;
		}
		if (err) {
			sh->unload_busy++;
			set(&sh->quiesce, 0);
			continue;
		}
		set(&sh->quiesce, 0);
		usleep(20000 + below(&s, 100000));
		err = load_module(kofd, path);
		if (err) {
			sh->load_failures++;
			sh->load_err = err;
			usleep(100000);
			err = load_module(kofd, path);
		}
		if (err) {	/* no point going on without it */
			set(&sh->stop, 1);
			break;
		}
		sh->reloads++;
	}
	_exit(0);
}

/* ---- the tests ---- */

/*
 * "skipped": FIXTURE_SETUP skipped.  6.1's kselftest_harness.h runs the
 * test after such a skip; the tests then return at once.
 */
FIXTURE(stress) {
	int skipped;
	struct shared *sh;
	struct mem m;
	int procs, seconds;
	__u64 seed;
	char orig[NR_RUN_PARAMS][64];
	int have_orig[NR_RUN_PARAMS];
	int kofd;
	char ko[PATH_MAX];
};

FIXTURE_SETUP(stress)
{
	unsigned int i;
	int fd;

	self->sh = MAP_FAILED;
	self->m.sh = MAP_FAILED;
	self->m.cow = MAP_FAILED;
	self->kofd = -1;
	fd = open(SGDMA_DEV_PATH, O_RDWR);
	if (fd < 0) {
		self->skipped = 1;
		SKIP(return, "%s: %s (module sgdma_test not loaded?)",
		     SGDMA_DEV_PATH, strerror(errno));
	}
	i = sgdma_any_channel(fd);
	close(fd);
	if (!i) {
		self->skipped = 1;
		SKIP(return, SGDMA_NO_CHANNEL);
	}
	self->seconds = env_u64("SGDMA_STRESS_SECONDS", DEFAULT_SECONDS, 1,
				MAX_SECONDS);
	self->procs = env_u64("SGDMA_STRESS_PROCS", DEFAULT_PROCS, 2, MAX_PROCS);
	self->seed = env_u64("SGDMA_STRESS_SEED", DEFAULT_SEED, 0, ~0ULL);
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->sh != MAP_FAILED);
	memset(self->sh, 0, sizeof(*self->sh));
	/* made before fork: shared by all, or inherited copy-on-write */
	self->m.sh = mmap(NULL, SH_PAGES * PAGE, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	self->m.cow = mmap(NULL, COW_PAGES * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->m.sh != MAP_FAILED);
	ASSERT_TRUE(self->m.cow != MAP_FAILED);
	memset(self->m.cow, COW_BYTE, COW_PAGES * PAGE);
	/* the parameters, put back afterwards */
	for (i = 0; i < NR_RUN_PARAMS; i++)
		self->have_orig[i] = !param_read(run_params[i], self->orig[i],
						 sizeof(self->orig[i]));
	ksft_print_msg("SGDMA_STRESS_PROCS=%d SGDMA_STRESS_SECONDS=%d SGDMA_STRESS_SEED=%#llx\n",
		       self->procs, self->seconds, (unsigned long long)self->seed);
}

/*
 * struct _test_data_stress is FIXTURE_DATA(stress) (kselftest_harness.h
 * names it so in 6.1 and 6.12), spelt out for the helpers below.
 */

/* Put back every parameter as it was (runs and reloads changed them) */
static void restore_params(struct _test_data_stress *self)
{
	unsigned int i;

	for (i = 0; i < NR_RUN_PARAMS; i++)
		if (self->have_orig[i])
			param_write(run_params[i], self->orig[i]);
}

FIXTURE_TEARDOWN(stress)
{
	if (self->skipped)
		return;
	/* the module back where a reload test left it away */
	if (self->kofd >= 0 && access(MODULE_DIR, F_OK))
		load_module(self->kofd, self->ko);
	restore_params(self);
	if (self->kofd >= 0)
		close(self->kofd);
	if (self->sh != MAP_FAILED)
		munmap(self->sh, sizeof(*self->sh));
	if (self->m.sh != MAP_FAILED)
		munmap(self->m.sh, SH_PAGES * PAGE);
	if (self->m.cow != MAP_FAILED)
		munmap(self->m.cow, COW_PAGES * PAGE);
}

struct roles {
	pid_t workers[MAX_PROCS], victim, runner, poker, reloader;
};

static pid_t spawn(void)
{
	fflush(stdout);
	fflush(stderr);
	return fork();
}

/* Start everyone; the victim and the reloader only if asked for */
static void start(struct _test_data_stress *self, struct roles *r, int with_victim,
		  int with_reload)
{
	int k;

	memset(r, 0, sizeof(*r));
	set(&self->sh->reload, with_reload);
	for (k = 0; k < self->procs; k++) {
		r->workers[k] = spawn();
		if (!r->workers[k])
			copy_worker(self->sh, &self->m, k, self->seed);
	}
	if (with_victim) {
		r->victim = spawn();
		if (!r->victim)
			victim(self->sh, &self->m, self->seed);
	}
	r->runner = spawn();
	if (!r->runner)
		runner(self->sh, self->seed);
	r->poker = spawn();
	if (!r->poker)
		poker(self->sh, self->seed);
	if (with_reload) {
		r->reloader = spawn();
		if (!r->reloader)
			reloader(self->sh, self->procs, self->kofd, self->ko,
				 self->seed);
	}
}

/* Wait for @pid until @deadline (ns); 1 if it exited with 0 */
static int reap(pid_t pid, long long deadline, const char *who)
{
	int st;

	if (pid <= 0)
		return 0;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ns() > deadline) {
			ksft_print_msg("%s (pid %d) did not stop: killed\n", who, pid);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return 0;
		}
		usleep(10000);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		ksft_print_msg("%s (pid %d) ended with status %#x\n", who, pid, st);
	return WIFEXITED(st) && !WEXITSTATUS(st);
}

/*
 * Stop everyone (a call in progress ends first); how many did not end well.
 * A copy in progress ends by its timeout at the latest: the wait is longer,
 * so that a lost completion shows as the copy's ETIMEDOUT, not as a worker
 * that did not stop.
 */
static int stop_all(struct _test_data_stress *self, struct roles *r)
{
	long long deadline = now_ns() + (COPY_TIMEOUT + 30000) * 1000000LL;
	int k, bad = 0;

	set(&self->sh->stop, 1);
	set(&self->sh->quiesce, 0);
	for (k = 0; k < self->procs; k++)
		bad += !reap(r->workers[k], deadline, "worker");
	bad += r->victim > 0 && !reap(r->victim, deadline, "victim");
	bad += !reap(r->runner, deadline, "runner");
	bad += !reap(r->poker, deadline, "parameters");
	bad += r->reloader > 0 && !reap(r->reloader, deadline, "reloader");
	return bad;
}

/*
 * Halfway: with the victim's pools listed and its slow copy in flight,
 * SIGKILL it; once reaped, none of its pools is listed.  0 or what failed.
 */
static const char *kill_victim(struct _test_data_stress *self, struct roles *r,
			       int *in_flight, int *listed, int *left)
{
	long long t0, deadline;
	int tries, nap = 20000, st;
	char prefix[32];

	snprintf(prefix, sizeof(prefix), POOL_PREFIX "v%d.", r->victim);
	for (t0 = now_ns(); !get(&self->sh->victim_ready); usleep(1000))
		if (now_ns() - t0 > 10000000000LL)
			return "the victim made no pools in 10 s";
	*listed = pools_listed(prefix);
	*in_flight = 0;
	deadline = now_ns() + 10000000000LL;
	for (tries = 0; !*in_flight && now_ns() < deadline; tries++) {
		while (!get(&self->sh->victim_in_copy) && now_ns() < deadline)
			usleep(200);
		usleep(nap);	/* well inside the call, not at its door */
		*in_flight = get(&self->sh->victim_in_copy);
		if (nap > 1000)
			nap /= 2;
	}
	kill(r->victim, SIGKILL);
	waitpid(r->victim, &st, 0);
	r->victim = 0;
	*left = pools_listed(prefix);
	ksft_print_msg("victim: %d pools listed, killed %s a copy (%d tries), %d listed after\n",
		       *listed, *in_flight ? "in" : "outside", tries, *left);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		return "the victim was not killed by SIGKILL";
	return NULL;
}

/* Everyone's counts and the checks common to both tests */
static void summary(struct __test_metadata *_metadata,
		    struct _test_data_stress *self, int bad_ends)
{
	struct shared *sh = self->sh;
	struct counts all = { };
	unsigned long i;
	int k;

	for (k = 0; k < self->procs; k++) {
		add_counts(&all, &sh->w[k]);
		EXPECT_LT(0, sh->w[k].copies) {
			TH_LOG("worker %d made no copy", k);
		}
	}
	add_counts(&all, &sh->victim);
	ksft_print_msg("copies: %lu (%lu bytes), user data checked: %lu, wrong: %lu\n",
		       all.copies, all.bytes, all.data_checks, all.data_bad);
	ksft_print_msg("pools made: %lu, destroyed: %lu; files reopened: %lu\n",
		       all.pools_made, all.pools_destroyed, all.reopens);
	print_errnos("workers", &all);
	print_errnos("runs", &sh->runner);
	print_errnos("parameters", &sh->poker);
	ksft_print_msg("runs: %lu written, %lu took place, %lld ms each on average\n",
		       sh->runs, sh->runs_done,
		       sh->runs_done ? sh->run_ns / (long long)sh->runs_done / 1000000 : 0);
	ksft_print_msg("parameter calls: %lu, slowest %lld ms\n", sh->poke_calls,
		       sh->poke_max_ns / 1000000);
	ksft_print_msg("begun in a run: %lu reads, %lu back within %lld ms; %lu writes, %lu\n",
		       sh->poke_in_run[0], sh->poke_in_run_fast[0],
		       FAST_NS / 1000000, sh->poke_in_run[1],
		       sh->poke_in_run_fast[1]);
	EXPECT_EQ(0, bad_ends);
	EXPECT_EQ(0, all.unexpected);
	EXPECT_EQ(0, all.data_bad);
	EXPECT_LT(0, all.data_checks);
	EXPECT_EQ(0, sh->runner.unexpected);
	EXPECT_EQ(0, sh->poker.unexpected);
	EXPECT_EQ(0, sh->poke_slow);
	/*
	 * The calls begun during a run did not wait for its end: three in
	 * four at least were back within FAST_NS (with the lock held for the
	 * run, most would wait).  Runs compete with the workers for the
	 * channels, so few may take place; KUnit's
	 * sgdma_parameters_answer_while_a_run_runs holds this rule on its own.
	 */
	EXPECT_LE(3 * sh->poke_in_run[0], 4 * sh->poke_in_run_fast[0]);
	EXPECT_LE(3 * sh->poke_in_run[1], 4 * sh->poke_in_run_fast[1]);
	if (!sh->poke_in_run[0] && !sh->poke_in_run[1])
		ksft_print_msg("no parameter call began during a run (%lu runs took place)\n",
			       sh->runs_done);
	/* every file is closed: none of the stress pools is left */
	EXPECT_EQ(0, pools_listed(POOL_PREFIX));
	/* the children's copies went to their own copies of these pages */
	for (i = 0; i < COW_PAGES * PAGE; i++)
		if (self->m.cow[i] != COW_BYTE)
			break;
	EXPECT_EQ(COW_PAGES * PAGE, i) {
		TH_LOG("the parent's copy-on-write page changed at %lu", i);
	}
}

TEST_F_TIMEOUT(stress, processes_copy_and_make_pools_while_runs_and_a_kill_go_on,
	       HARD_TIMEOUT)
{
	int in_flight = 0, listed = -1, left = -1;
	const char *why;
	struct roles r;

	if (self->skipped)
		return;
	start(self, &r, 1, 0);
	usleep(self->seconds * 500000LL);
	why = kill_victim(self, &r, &in_flight, &listed, &left);
	usleep(self->seconds * 500000LL);
	summary(_metadata, self, stop_all(self, &r));
	EXPECT_TRUE(!why) {
		TH_LOG("%s", why);
	}
	EXPECT_EQ(VICTIM_POOLS, listed);
	EXPECT_TRUE(in_flight) {
		TH_LOG("the victim's copies ended before it could be killed in one");
	}
	EXPECT_EQ(0, left) {
		TH_LOG("pools of the killed process still listed in %s",
		       SGDMA_POOLS_SYSFS);
	}
	EXPECT_EQ(0, self->sh->victim.unexpected);
}

TEST_F_TIMEOUT(stress, module_unload_and_reload_while_processes_copy,
	       HARD_TIMEOUT)
{
	char where[300], holders[300];
	struct dirent *de;
	const char *ko;
	struct roles r;
	DIR *d;

	if (self->skipped)
		return;
	if (access(MODULE_DIR "/initstate", F_OK))
		SKIP(return, "sgdma_test is built in: no unload/reload");
	ko = module_file(where, sizeof(where));
	if (!ko)
		SKIP(return, "no sgdma_test.ko under %s (SGDMA_MODULE_DIR)", where);
	holders[0] = '\0';
	d = opendir(MODULE_DIR "/holders");
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(holders + strlen(holders),
				 sizeof(holders) - strlen(holders), " %s", de->d_name);
	if (d)
		closedir(d);
	if (holders[0])
		SKIP(return, "sgdma_test is used by other modules:%s", holders);
	snprintf(self->ko, sizeof(self->ko), "%s", ko);
	self->kofd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->kofd) {
		TH_LOG("%s: %s", ko, strerror(errno));
	}
	ksft_print_msg("unloading and reloading %s\n", ko);
	start(self, &r, 0, 1);
	usleep(self->seconds * 1000000LL);
	summary(_metadata, self, stop_all(self, &r));
	ksft_print_msg("reloads: %lu, unloads refused while busy: %lu, load failures: %lu\n",
		       self->sh->reloads, self->sh->unload_busy,
		       self->sh->load_failures);
	EXPECT_LT(0, self->sh->reloads);
	EXPECT_EQ(0, self->sh->load_failures) {
		TH_LOG("finit_module: %s", strerror(self->sh->load_err));
	}
	EXPECT_EQ(0, access(SGDMA_DEV_PATH, F_OK));
}

TEST_HARNESS_MAIN

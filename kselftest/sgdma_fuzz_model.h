/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What /dev/sgdma_test and the module parameters of sgdma_test must answer
 * (UAPI version 2, README's errno table), for sgdma_fuzz_test and
 * sgdma_stress_test.  Nothing here makes a call: each function takes a
 * request and what the caller knows of its memory and returns the errnos
 * the request must get (one of them) or may get, as bits of model_bit();
 * model_allows() judges an outcome by them, and model_copy_report() and
 * model_pool_made() what an accepted request reports back.
 *
 * The channels of every target of the suite are byte-granular (copy_align
 * 0), and pages are 4 KiB; the model assumes both.
 */
#ifndef SGDMA_FUZZ_MODEL_H
#define SGDMA_FUZZ_MODEL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "sgdma_test.h"

#define MODEL_PAGE	4096ULL

/* ---- errnos as bits ---- */

static const int model_errnos[] = {
	EINVAL, EFAULT, E2BIG, EPROTO, ENODEV, ENOMEM, ENOENT, ENOTTY, EACCES,
	ERANGE, ENOSPC, EINTR, ECANCELED, ESHUTDOWN, EAGAIN, EBUSY, ETIMEDOUT,
	EIO, EPERM,
};

static const char * const model_errno_names[] = {
	"EINVAL", "EFAULT", "E2BIG", "EPROTO", "ENODEV", "ENOMEM", "ENOENT",
	"ENOTTY", "EACCES", "ERANGE", "ENOSPC", "EINTR", "ECANCELED",
	"ESHUTDOWN", "EAGAIN", "EBUSY", "ETIMEDOUT", "EIO", "EPERM",
};

#define MODEL_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MODEL_NR_ERRNOS		MODEL_ARRAY_SIZE(model_errnos)
/* in an allowed set: success */
#define MODEL_OK		0x80000000U

static inline unsigned int model_bit(int err)
{
	unsigned int i;

	for (i = 0; i < MODEL_NR_ERRNOS; i++)
		if (model_errnos[i] == err)
			return 1U << i;
	return 0;
}

/* The index of @err in model_errnos, MODEL_NR_ERRNOS for any other */
static inline unsigned int model_errno_index(int err)
{
	unsigned int i;

	for (i = 0; i < MODEL_NR_ERRNOS && model_errnos[i] != err; i++)
		;
	return i;
}

/* The name of @err (any errno); the buffer is reused by the next call */
static inline const char *model_errno_name(int err)
{
	static char other[64];
	unsigned int i = model_errno_index(err);

	if (!err)
		return "success";
	if (i < MODEL_NR_ERRNOS)
		return model_errno_names[i];
	snprintf(other, sizeof(other), "errno %d (%s)", err, strerror(err));
	return other;
}

/*
 * "EINVAL=3, E2BIG=1" for counts by model_errno_index() (the last one:
 * "other"), or "none"
 */
static inline const char *model_errno_counts(char *buf, size_t len,
					     const unsigned long *counts)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i <= MODEL_NR_ERRNOS && n < len; i++)
		if (counts[i])
			n += snprintf(buf + n, len - n, "%s%s=%lu", n ? ", " : "",
				      i < MODEL_NR_ERRNOS ? model_errno_names[i] : "other",
				      counts[i]);
	return n ? buf : "none";
}

/* "EINVAL,E2BIG" for a set of bits (MODEL_OK: "success") */
static inline void model_errno_set(char *buf, size_t len, unsigned int set)
{
	unsigned int i;
	size_t n = 0;

	buf[0] = '\0';
	if (set & MODEL_OK)
		n += snprintf(buf, len, "success");
	for (i = 0; i < MODEL_NR_ERRNOS && n < len; i++)
		if (set & (1U << i))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      model_errno_names[i]);
	if (!set)
		snprintf(buf, len, "none");
}

/*
 * Whether an ioctl's outcome is one the model allows: @ret and @err (the
 * errno when @ret is -1) against @must and @may of the request.  ioctl()
 * returns 0 or -1; a request that breaks a rule (@must not 0) is refused
 * with the errno of a rule it breaks or one of @may; a valid one succeeds
 * or fails with one of @may.
 */
static inline int model_allows(unsigned int must, unsigned int may, int ret,
			       int err)
{
	if (ret && ret != -1)
		return 0;
	if (must)
		return ret && (model_bit(err) & (must | may));
	return !ret || (model_bit(err) & may);
}

/* ---- the ioctl argument ---- */

/*
 * What the ioctl argument itself adds to the errnos of @cmd's request
 * (@must, @may).  @readable: the kernel can read all of it; @writable: and
 * write it.  A command the chardev does not know gets ENOTTY before its
 * argument is read.  An argument that cannot be read gets EFAULT and
 * nothing else.  One that can be read but not written: a request that is
 * otherwise valid, of a command that writes its results back (_IOWR),
 * must get EFAULT; any other may.
 */
static inline void model_ioctl_arg(unsigned long cmd, int readable,
				   int writable, unsigned int *must,
				   unsigned int *may)
{
	if (cmd != SGDMA_IOC_COPY && cmd != SGDMA_IOC_POOL_CREATE &&
	    cmd != SGDMA_IOC_POOL_DESTROY)
		return;
	if (!readable) {
		*must = model_bit(EFAULT);
		*may = 0;
	} else if (!writable) {
		if ((_IOC_DIR(cmd) & _IOC_READ) && !*must)
			*must = model_bit(EFAULT);
		else
			*may |= model_bit(EFAULT);
	}
}

/* A command number the chardev does not know: ENOTTY, nothing else */
static inline unsigned int model_wrong_cmd(void)
{
	return model_bit(ENOTTY);
}

/* ---- SGDMA_IOC_COPY ---- */

/*
 * What the caller knows of its user memory: whether a range can be pinned
 * (and written), and which page backs an address (two mappings of one page
 * give the same identity).
 */
struct model_mem {
	int (*pinnable)(const void *ctx, __u64 addr, __u64 len, int write);
	__u64 (*page_id)(const void *ctx, __u64 addr);
	const void *ctx;
};

static inline int model_user_src(__u32 dir)
{
	return dir == SGDMA_DIR_U2K || dir == SGDMA_DIR_U2U;
}

static inline int model_user_dst(__u32 dir)
{
	return dir == SGDMA_DIR_K2U || dir == SGDMA_DIR_U2U;
}

/*
 * Entries one side may need, as the kernel counts them before pinning:
 * the pages its region spans, plus len / seg_min when seg_max is set.
 */
static inline __u64 model_side_entries(__u64 off, __u64 len, __u32 seg_min,
				       __u32 seg_max)
{
	__u64 pages = (off + len + MODEL_PAGE - 1) / MODEL_PAGE;

	return pages + (seg_max ? len / (seg_min ? seg_min : 1) : 0);
}

/* The larger side's entry bound (@c->len at most SGDMA_MAX_LEN) */
static inline __u64 model_copy_entries(const struct sgdma_ioc_copy *c)
{
	__u64 soff = model_user_src(c->dir) ? c->src % MODEL_PAGE : c->src_off;
	__u64 doff = model_user_dst(c->dir) ? c->dst % MODEL_PAGE : c->dst_off;
	__u64 s = model_side_entries(soff, c->len, c->seg_min, c->seg_max);
	__u64 d = model_side_entries(doff, c->len, c->seg_min, c->seg_max);

	return s > d ? s : d;
}

/* [a, a + alen) and [b, b + blen) share a virtual page */
static inline int model_share_page(__u64 a, __u64 alen, __u64 b, __u64 blen)
{
	return a / MODEL_PAGE <= (b + blen - 1) / MODEL_PAGE &&
	       b / MODEL_PAGE <= (a + alen - 1) / MODEL_PAGE;
}

static inline int model_cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* The identities of the pages of [addr, addr + len), sorted; NULL: no memory */
static inline __u64 *model_page_ids(const struct model_mem *m, __u64 addr,
				    __u64 len, size_t *n)
{
	__u64 first = addr / MODEL_PAGE, last = (addr + len - 1) / MODEL_PAGE;
	__u64 *ids;
	size_t i;

	*n = last - first + 1;
	ids = malloc(*n * sizeof(*ids));
	if (!ids)
		return NULL;
	for (i = 0; i < *n; i++)
		ids[i] = m->page_id(m->ctx, (first + i) * MODEL_PAGE);
	qsort(ids, *n, sizeof(*ids), model_cmp_u64);
	return ids;
}

/*
 * The rule found on the pinned pages: a destination page that appears
 * twice in the destination, or that is also a source page.  A source page
 * that appears twice is allowed.  @src_ok, @dst_ok: those sides can be
 * pinned (only pinned pages are compared).
 */
static inline int model_pages_alias(const struct model_mem *m,
				    const struct sgdma_ioc_copy *c, int src_ok,
				    int dst_ok)
{
	__u64 *d, *s;
	size_t dn, sn, i;
	int alias = 0;

	if (!model_user_dst(c->dir) || !dst_ok || !m->page_id)
		return 0;
	d = model_page_ids(m, c->dst, c->len, &dn);
	if (!d)
		return 0;
	for (i = 1; i < dn && !alias; i++)
		alias = d[i] == d[i - 1];
	if (!alias && model_user_src(c->dir) && src_ok) {
		s = model_page_ids(m, c->src, c->len, &sn);
		for (i = 0; s && i < sn && !alias; i++)
			alias = !!bsearch(&s[i], d, dn, sizeof(*d), model_cmp_u64);
		free(s);
	}
	free(d);
	return alias;
}

/*
 * @must: the errnos of the rules the request breaks (it must be refused
 * with one of them; 0: it is valid); @may: also allowed; @work: it gets
 * past the checks made before any work (takes a channel, pins, copies);
 * @entries: the larger side's entry bound; @entries_over: more than
 * SGDMA_MAX_ENTRIES.
 */
struct model_copy {
	unsigned int must, may;
	int work, entries_over;
	__u64 entries;
};

/*
 * The errnos of SGDMA_IOC_COPY @c.  @chan_known: its channel is empty
 * (any) or one that exists and is free.  The kernel checks in this order,
 * answering the first rule broken: the fields; the entry bound (before
 * anything is pinned, maybe after the channel is taken, whose alignment it
 * uses); user ranges outside user space (EFAULT), source and destination
 * sharing a virtual page (EINVAL); the channel (ENODEV); pinning (EFAULT)
 * and pages mapped twice (EINVAL, on the pinned pages).
 */
static inline void model_copy(const struct sgdma_ioc_copy *c,
			      const struct model_mem *m, int chan_known,
			      struct model_copy *v)
{
	int usrc = model_user_src(c->dir), udst = model_user_dst(c->dir);
	int fill = !(c->flags & SGDMA_F_USER_DATA), src_ok = 1, dst_ok = 1;
	unsigned int fields = 0, kptr = 0, shared = 0, late = 0, i;

	memset(v, 0, sizeof(*v));
	v->may = model_bit(ENOMEM);
	if (c->size != sizeof(*c))
		fields |= model_bit(EINVAL);
	if (c->version != SGDMA_UAPI_VERSION)
		fields |= model_bit(EPROTO);
	if (c->reserved0 || (c->flags & ~SGDMA_F_ALL))
		fields |= model_bit(EINVAL);
	for (i = 0; i < 4; i++)
		if (c->reserved[i])
			fields |= model_bit(EINVAL);
	if (c->dir > SGDMA_DIR_U2U || c->mode > SGDMA_MODE_PER_ENTRY)
		fields |= model_bit(EINVAL);
	if (!c->len)
		fields |= model_bit(EINVAL);
	if (c->len > SGDMA_MAX_LEN)
		fields |= model_bit(E2BIG);
	if (c->timeout_ms > SGDMA_MAX_TIMEOUT_MS)
		fields |= model_bit(EINVAL);
	if (!memchr(c->channel, '\0', sizeof(c->channel)))
		fields |= model_bit(EINVAL);
	if ((!usrc && c->src_off >= MODEL_PAGE) ||
	    (!udst && c->dst_off >= MODEL_PAGE))
		fields |= model_bit(EINVAL);
	if (c->seg_min > c->seg_max)
		fields |= model_bit(EINVAL);
	/* a user pointer for a kernel side: before or after the entry bound */
	if ((!usrc && c->src) || (!udst && c->dst))
		kptr = model_bit(EINVAL);
	if (c->len && c->len <= SGDMA_MAX_LEN) {
		v->entries = model_copy_entries(c);
		v->entries_over = v->entries > SGDMA_MAX_ENTRIES;
		if (usrc && udst && model_share_page(c->src, c->len, c->dst, c->len))
			shared = model_bit(EINVAL);
	}
	/* a user range that is not all pinnable user memory: access_ok or pinning */
	if (usrc && !m->pinnable(m->ctx, c->src, c->len, fill))
		src_ok = 0;
	if (udst && !m->pinnable(m->ctx, c->dst, c->len, 1))
		dst_ok = 0;
	if (!src_ok || !dst_ok)
		late |= model_bit(EFAULT);
	if (c->len && c->len <= SGDMA_MAX_LEN &&
	    model_pages_alias(m, c, src_ok, dst_ok))
		late |= model_bit(EINVAL);

	if (fields) {
		v->must = fields | kptr;
	} else if (kptr) {
		v->must = kptr | (v->entries_over ? model_bit(E2BIG) : 0);
	} else if (v->entries_over) {
		/*
		 * The chardev's own checks (user ranges, a shared page) come
		 * before the engine counts entries, and may refuse first.
		 */
		v->must = model_bit(E2BIG) | shared | late |
			  (chan_known ? 0 : model_bit(ENODEV));
	} else {
		v->must = shared | late;
		if (!chan_known && !shared)
			v->must |= model_bit(ENODEV);
	}
	v->work = !fields && !kptr && !v->entries_over && !shared;
}

/* An accepted copy that asked for a timeout under this may time out */
#define MODEL_SHORT_TIMEOUT_MS	1000

enum model_copy_report {
	MODEL_REPORT_WRONG,	/* not a report the UAPI allows */
	MODEL_REPORT_OK,
	MODEL_REPORT_TIMED_OUT,	/* -ETIMEDOUT, under a short timeout */
};

/*
 * What an accepted SGDMA_IOC_COPY @c (the ioctl returned 0) may report:
 * status 0, every byte copied in one descriptor or more, on a named
 * channel of a named driver (the one asked for, if any); status -ENOMEM;
 * or -ETIMEDOUT when it asked for a timeout under MODEL_SHORT_TIMEOUT_MS,
 * which a slow machine may not meet.
 */
static inline enum model_copy_report
model_copy_report(const struct sgdma_ioc_copy *c)
{
	if (c->status == -ETIMEDOUT && c->timeout_ms &&
	    c->timeout_ms < MODEL_SHORT_TIMEOUT_MS)
		return MODEL_REPORT_TIMED_OUT;
	if (c->status)
		return c->status == -ENOMEM ? MODEL_REPORT_OK : MODEL_REPORT_WRONG;
	if (c->bytes == c->len && c->descs >= 1 &&
	    memchr(c->chan_name, '\0', sizeof(c->chan_name)) &&
	    c->chan_name[0] && c->driver[0] &&
	    (!c->channel[0] || !strcmp(c->channel, c->chan_name)))
		return MODEL_REPORT_OK;
	return MODEL_REPORT_WRONG;
}

/* ---- SGDMA_IOC_POOL_CREATE / _DESTROY ---- */

static inline int model_pow2(__u64 v)
{
	return v && !(v & (v - 1));
}

/* 1 to SGDMA_NAME_LEN - 1 characters 0x21..0x7e, NUL-terminated */
static inline int model_pool_name_ok(const char *name)
{
	unsigned int i;

	for (i = 0; i < SGDMA_NAME_LEN && name[i]; i++)
		if ((unsigned char)name[i] < 0x21 || (unsigned char)name[i] > 0x7e)
			return 0;
	return i > 0 && i < SGDMA_NAME_LEN;
}

/* What a pool's blocks take, about: blocks of the rounded size, in pages */
static inline __u64 model_pool_bytes(const struct sgdma_ioc_pool *p)
{
	__u64 align = p->align ? p->align : 1;
	__u64 block = ((__u64)p->size + align - 1) & ~(align - 1);

	if (block < 16)
		block = 16;
	if (block >= MODEL_PAGE)
		block = (block + MODEL_PAGE - 1) & ~(MODEL_PAGE - 1);
	return block * p->blocks;
}

/*
 * The errnos SGDMA_IOC_POOL_CREATE @p must be refused with; *@may: also
 * allowed.  @live: live pools of this open file; @all_may_be_full: the
 * pools of every open file may be SGDMA_MAX_POOLS already.
 */
static inline unsigned int model_pool_create(const struct sgdma_ioc_pool *p,
					     int live, int all_may_be_full,
					     unsigned int *may)
{
	__u64 align = p->align ? p->align : 1;
	__u64 block = ((__u64)p->size + align - 1) & ~(align - 1);
	__u64 chunk = p->size > MODEL_PAGE ? p->size : MODEL_PAGE;
	unsigned int v = 0;

	*may = model_bit(ENOMEM);
	if (p->reserved || p->id)
		v |= model_bit(EINVAL);
	if (!model_pool_name_ok(p->name))
		v |= model_bit(EINVAL);
	if (p->blocks > SGDMA_MAX_POOL_BLOCKS)
		v |= model_bit(E2BIG);
	/* what dma_pool_create() refuses on every kernel */
	if (!p->size || !model_pow2(align) ||
	    (p->boundary && (!model_pow2(p->boundary) || p->boundary < p->size)))
		v |= model_bit(EINVAL);
	/* a block size rounding past INT_MAX; blocks past a chunk's boundary */
	if (block > 0x7fffffffULL || (p->blocks && p->boundary > chunk))
		v |= model_bit(EINVAL);
	/* the block size as the allocator rounds it may exceed the boundary */
	if (p->boundary && p->boundary < (block > 16 ? block : 16))
		*may |= model_bit(EINVAL);
	if (live >= SGDMA_MAX_POOLS_PER_FD)
		v |= model_bit(ENOSPC);
	else if (all_may_be_full)
		*may |= model_bit(ENOSPC);
	return v;
}

/*
 * A pool SGDMA_IOC_POOL_CREATE made (it returned 0): @id is new, not 0
 * and not the id of one of the @live pools of this open file (@id_live),
 * which had fewer than SGDMA_MAX_POOLS_PER_FD.
 */
static inline int model_pool_made(__u32 id, int id_live, int live)
{
	return id && !id_live && live < SGDMA_MAX_POOLS_PER_FD;
}

/*
 * The errnos SGDMA_IOC_POOL_DESTROY must be refused with: ENOENT unless
 * its id is that of a live pool of this open file (@id_live).  The other
 * fields are ignored.
 */
static inline unsigned int model_pool_destroy(int id_live)
{
	return id_live ? 0 : model_bit(ENOENT);
}

/* ---- module parameters ---- */

enum model_param_kind { MP_UINT, MP_INT, MP_BOOL, MP_STRING, MP_RUN };

struct model_param {
	const char *name;
	enum model_param_kind kind;
	long long min, max;	/* numbers: the range; strings: room with NUL */
};

/* The rule of sgdma_test's parameter @name, NULL if it has none */
static inline const struct model_param *model_param_find(const char *name)
{
	static const struct model_param params[] = {
		{ "channel", MP_STRING, 0, 32 },
		{ "device", MP_STRING, 0, 32 },
		{ "iterations", MP_UINT, 0, 1000000 },
		{ "timeout", MP_UINT, 1, 60000 },
		{ "threads_per_chan", MP_UINT, 1, 64 },
		{ "max_channels", MP_UINT, 0, 64 },
		{ "test_buf_size", MP_UINT, 1, 67108864 },
		{ "alignment", MP_INT, -1, 12 },
		{ "noverify", MP_BOOL },
		{ "norandom", MP_BOOL },
		{ "seg_min", MP_UINT, 0, 67108864 },
		{ "seg_max", MP_UINT, 0, 67108864 },
		{ "seed", MP_UINT, 0, 0xffffffffLL },
		{ "per_entry", MP_BOOL },
		{ "run", MP_RUN },
	};
	unsigned int i;

	for (i = 0; i < MODEL_ARRAY_SIZE(params); i++)
		if (!strcmp(name, params[i].name))
			return &params[i];
	return NULL;
}

/* kstrtoull(s, 0, res) as lib/kstrtox.c has it: 0, -EINVAL or -ERANGE */
static inline int model_kstrtoull_nosign(const char *s, unsigned long long *res)
{
	unsigned long long v = 0;
	unsigned int base = 10, digits = 0, d, over = 0;

	if (s[0] == '0') {
		base = 8;
		if ((s[1] | 0x20) == 'x' &&
		    ((s[2] >= '0' && s[2] <= '9') ||
		     ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f'))) {
			base = 16;
			s += 2;
		}
	}
	for (;; s++, digits++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (~0ULL - d) / base)
			over = 1;
		v = v * base + d;
	}
	if (over)
		return -ERANGE;
	if (!digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

static inline int model_kstrtouint(const char *s, long long *res)
{
	unsigned long long v;
	int ret = model_kstrtoull_nosign(s[0] == '+' ? s + 1 : s, &v);

	if (ret)
		return ret;
	if (v > 0xffffffffULL)
		return -ERANGE;
	*res = v;
	return 0;
}

static inline int model_kstrtoint(const char *s, long long *res)
{
	unsigned long long v;
	int neg = s[0] == '-', ret;

	ret = model_kstrtoull_nosign(neg ? s + 1 : s[0] == '+' ? s + 1 : s, &v);
	if (ret)
		return ret;
	if (neg ? v > 0x80000000ULL : v > 0x7fffffffULL)
		return -ERANGE;
	*res = neg ? -(long long)v : (long long)v;
	return 0;
}

/* kstrtobool(): 1 true, 0 false, -EINVAL */
static inline int model_kstrtobool(const char *s)
{
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		return 1;
	case 'n': case 'N': case 'f': case 'F': case '0':
		return 0;
	case 'o': case 'O':
		if ((s[1] | 0x20) == 'n')
			return 1;
		if ((s[1] | 0x20) == 'f')
			return 0;
	}
	return -EINVAL;
}

/*
 * What writing @len bytes of @val to parameter @p may return (MODEL_OK
 * and errno bits).  sysfs hands the parameter the bytes up to the first
 * NUL; a write of no bytes at all reaches no parameter and succeeds.
 * *@run is set when the write is a true value for "run": the run's own
 * outcome is model_run()'s.
 */
static inline unsigned int model_param_write(const struct model_param *p,
					     const char *val, size_t len, int *run)
{
	char s[256];
	long long v;
	int ret;

	*run = 0;
	if (!len)
		return MODEL_OK;
	if (len >= sizeof(s))
		len = sizeof(s) - 1;
	memcpy(s, val, len);
	s[len] = '\0';
	switch (p->kind) {
	case MP_STRING:
		/* param_set_copystring(): the newline is kept */
		if (strlen(s) + 1 > (size_t)p->max) {
			/* without its newline it would fit: either way */
			if (strlen(s) == (size_t)p->max && s[strlen(s) - 1] == '\n')
				return MODEL_OK | model_bit(ENOSPC);
			return model_bit(ENOSPC);
		}
		return MODEL_OK;
	case MP_BOOL:
	case MP_RUN:
		ret = model_kstrtobool(s);
		if (ret < 0)
			return model_bit(EINVAL);
		*run = p->kind == MP_RUN && ret;
		return MODEL_OK;
	case MP_UINT:
	case MP_INT:
		ret = p->kind == MP_UINT ? model_kstrtouint(s, &v) :
					   model_kstrtoint(s, &v);
		if (ret)
			return model_bit(-ret);
		return v < p->min || v > p->max ? model_bit(EINVAL) : MODEL_OK;
	}
	return 0;
}

/*
 * What writing @len bytes of @val to a file of a module's parameters
 * directory may return (MODEL_OK and errno bits): EACCES when it is
 * read-only (@writable 0); for a parameter of sgdma_test (@rule),
 * model_param_write()'s answer; for any other (sgdma_swchan's, @rule
 * NULL), whatever the kernel's parsing says.  *@run: as for
 * model_param_write().
 */
static inline unsigned int model_param_file_write(const struct model_param *rule,
						  int writable, const char *val,
						  size_t len, int *run)
{
	*run = 0;
	if (!writable)
		return model_bit(EACCES);
	if (!rule)
		return MODEL_OK | model_bit(EINVAL) | model_bit(ERANGE) |
		       model_bit(ENOSPC);
	return model_param_write(rule, val, len, run);
}

/* Drop the last newline of @s, if it ends with one */
static inline void model_drop_newline(char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
}

/*
 * The name a run matches for the "channel" or "device" parameter read
 * back as @s: without the newline reading adds, and without one trailing
 * newline of the value (what echo writes), which the run ignores.
 */
static inline void model_run_name(char *s)
{
	model_drop_newline(s);
	model_drop_newline(s);
}

/*
 * A run's parameters as it snapshots them: @chan_any: channel and device
 * match any channel or the one known to exist; @have_chan: a memcpy
 * channel exists and is free.
 */
struct model_run_params {
	__u64 test_buf_size, seg_min, seg_max;
	int alignment, norandom, chan_any, have_chan;
};

/*
 * What writing 1 to "run" may return (MODEL_OK and errno bits): E2BIG
 * when the parameters could need more than SGDMA_MAX_ENTRIES entries per
 * side.  The kernel's count lies between the bound of the shortest
 * offset with the largest entries and that of the longest offset with the
 * smallest: below both it must run, above both it must refuse.  With
 * norandom every copy is test_buf_size at offset 0 in whole pages.
 */
static inline unsigned int model_run(const struct model_run_params *r)
{
	__u64 a = r->alignment >= 0 ? 1ULL << r->alignment : 1;
	__u64 len_hi = r->test_buf_size > a ? r->test_buf_size : a;
	__u64 len_lo = r->test_buf_size / a * a;
	__u64 seg_lo = r->seg_min ? r->seg_min : 1;
	__u64 seg_hi = (seg_lo + a - 1) / a * a;
	__u64 lo, hi;
	unsigned int allowed = model_bit(ENOMEM);

	if (len_lo < a)
		len_lo = a;
	lo = (len_lo + MODEL_PAGE - 1) / MODEL_PAGE +
	     (r->seg_max && !r->norandom ? len_lo / seg_hi : 0);
	hi = (len_hi + (r->norandom ? 1 : 2) * MODEL_PAGE - (r->norandom ? 1 : 2)) /
	     MODEL_PAGE + (r->seg_max && !r->norandom ? len_hi / seg_lo : 0);
	if (hi > SGDMA_MAX_ENTRIES)
		allowed |= model_bit(E2BIG);
	if (lo <= SGDMA_MAX_ENTRIES && r->have_chan)
		allowed |= MODEL_OK;
	if (!r->chan_any || !r->have_chan)
		allowed |= model_bit(ENODEV);
	return allowed;
}

#endif /* SGDMA_FUZZ_MODEL_H */

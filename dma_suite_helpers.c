// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the DMA test suite's KUnit tests.
 *
 * KUnit suites run before user space has mounted /sys, so sysfs is read
 * through a private kernel mount of its own: the same kernfs code paths a
 * read(2) of /sys/... takes, without relying on the caller's namespace.
 * Kernel messages are found in the printk ring buffer through the kmsg_dump
 * iterator, as kfence_test.c finds its reports on the console.  The
 * fault-injection knobs and dma-debug's counters in debugfs are reached
 * through the variables behind them, and a task's fail-nth counter is set
 * directly, as writing /proc/self/fail-nth would.  What a case must undo
 * when it ends, however it ends, is a test-managed resource of KUnit's.
 */

#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kmsg_dump.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>

#include "dma_suite_helpers.h"

static DEFINE_MUTEX(mnt_lock);
static struct vfsmount *sysfs_mnt;

/* A private mount of sysfs, made once */
static struct vfsmount *get_mnt(struct vfsmount **mntp, const char *fstype)
{
	struct file_system_type *type;
	struct vfsmount *mnt;

	mutex_lock(&mnt_lock);
	mnt = *mntp;
	if (!mnt) {
		/* sysfs is built in: no module reference to drop */
		type = get_fs_type(fstype);
		mnt = type ? kern_mount(type) : ERR_PTR(-ENODEV);
		if (!IS_ERR(mnt))
			*mntp = mnt;
	}
	mutex_unlock(&mnt_lock);
	return mnt;
}

/* Read @path on @mnt to the end into @buf (NUL-terminated) */
static ssize_t read_file_at(struct vfsmount *mnt, const char *path, char *buf,
			    size_t size)
{
	struct file *file;
	ssize_t total = 0, n;
	loff_t pos = 0;

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	if (!size)
		return -EINVAL;
	file = file_open_root_mnt(mnt, path, O_RDONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	do {
		if (total == size - 1) {
			total = -EFBIG;
			break;
		}
		n = kernel_read(file, buf + total, size - 1 - total, &pos);
		if (n < 0)
			total = n;
		else
			total += n;
	} while (n > 0 && total >= 0);
	fput(file);
	if (total >= 0)
		buf[total] = '\0';
	return total;
}

/**
 * dma_suite_sysfs_read() - read a sysfs file
 * @path: its path below /sys, without the leading '/' ("module/x/parameters/y")
 * @buf: where the content goes; always NUL-terminated on success
 * @size: size of @buf
 *
 * Return: bytes read, -ENOENT when the file does not exist, -EFBIG when it
 * does not fit in @buf, or another negative errno.
 */
ssize_t dma_suite_sysfs_read(const char *path, char *buf, size_t size)
{
	return read_file_at(get_mnt(&sysfs_mnt, "sysfs"), path, buf, size);
}
EXPORT_SYMBOL_GPL(dma_suite_sysfs_read);

/**
 * dma_suite_sysfs_exists() - is there a file or directory at a sysfs path?
 * @path: its path below /sys, without the leading '/'
 *
 * Return: 0 if there is, -ENOENT if not, or another negative errno.
 */
int dma_suite_sysfs_exists(const char *path)
{
	struct vfsmount *mnt = get_mnt(&sysfs_mnt, "sysfs");
	struct file *file;

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	file = file_open_root_mnt(mnt, path, O_PATH, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fput(file);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_suite_sysfs_exists);

/**
 * dma_suite_sysfs_write() - write a string to a sysfs file, as echo(1) would
 * @path: its path below /sys, without the leading '/'
 * @val: what to write, NUL-terminated
 *
 * One write() of the whole string, as user space makes it: for a module
 * parameter, the value goes to the parameter's set operation under the
 * module's parameter lock.  An empty string is written as one NUL byte,
 * which a string parameter takes as empty (a write of nothing sets nothing).
 *
 * Return: 0, -ENOENT when the file does not exist, -EACCES when it cannot
 * be written, or the errno the write returned.
 */
int dma_suite_sysfs_write(const char *path, const char *val)
{
	struct vfsmount *mnt = get_mnt(&sysfs_mnt, "sysfs");
	size_t len = strlen(val) ?: 1;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	file = file_open_root_mnt(mnt, path, O_WRONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, val, len, &pos);
	fput(file);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}
EXPORT_SYMBOL_GPL(dma_suite_sysfs_write);

/**
 * dma_suite_read_dev_attr() - read a device's sysfs attribute file
 * @dev: a device registered in sysfs
 * @attr: name of the attribute file in the device's directory
 * @buf: where the content goes; always NUL-terminated on success
 * @size: size of @buf
 *
 * Opens /sys/devices/.../@attr on a kernel-internal sysfs mount and reads it
 * with kernel_read() until end of file, as cat(1) would.
 *
 * Return: bytes read, -ENOENT when the file does not exist, -EFBIG when it
 * does not fit in @buf, or another negative errno.
 */
ssize_t dma_suite_read_dev_attr(struct device *dev, const char *attr,
				char *buf, size_t size)
{
	char *kpath, *path;
	ssize_t ret;

	kpath = kobject_get_path(&dev->kobj, GFP_KERNEL);
	if (!kpath)
		return -ENOMEM;
	/* kobject paths start with '/'; file_open_root_mnt() wants it relative */
	path = kasprintf(GFP_KERNEL, "%s/%s", kpath + 1, attr);
	kfree(kpath);
	if (!path)
		return -ENOMEM;
	ret = dma_suite_sysfs_read(path, buf, size);
	kfree(path);
	return ret;
}
EXPORT_SYMBOL_GPL(dma_suite_read_dev_attr);

/* Room for one line of "pools", the newline and a NUL, and more */
#define POOLINFO_LINE_ROOM	96
/* The shortest line: a name of one character, numbers of one digit */
#define POOLINFO_LINE_MIN	(16 + 1 + 4 + 1 + 4 + 1 + 4 + 1 + 2 + 1)

static __printf(3, 4) int poolinfo_refuse(char *why, size_t why_size,
					  const char *fmt, ...)
{
	va_list args;

	if (why && why_size) {
		va_start(args, fmt);
		vsnprintf(why, why_size, fmt, args);
		va_end(args);
	}
	return -EBADMSG;
}

/**
 * dma_suite_poolinfo_parse() - parse a device's sysfs "pools" file, strictly
 * @buf: the file's content, as read
 * @len: its length in bytes
 * @lines: where the pool lines go, in the file's order
 * @max: room in @lines (0 with @lines NULL: only the header may be there)
 * @why: where the reason goes when the content is refused, or NULL
 * @why_size: size of @why; DMA_SUITE_POOLINFO_WHY_SIZE is enough
 *
 * The content must be exactly what mm/dmapool.c prints: the header
 * DMA_SUITE_POOLINFO_HEADER, then lines that each print back byte for byte
 * through DMA_SUITE_POOLINFO_LINE_FMT, the last of them ending the file.
 * Anything else is refused: a missing or altered header, a NUL byte, a line
 * that does not parse, a line with a blank, digit or character more or less
 * than the kernel's columns (a wider column, a leading zero, trailing
 * garbage), a last line without its newline, more lines than @max, and a
 * second line of a name already listed (callers find pools by name).
 *
 * Return: the number of pool lines, 0 when there is only the header; or
 * -EBADMSG when the content is refused, with the reason in @why.
 */
int dma_suite_poolinfo_parse(const char *buf, size_t len,
			     struct dma_suite_poolinfo *lines, unsigned int max,
			     char *why, size_t why_size)
{
	const size_t hlen = strlen(DMA_SUITE_POOLINFO_HEADER);
	char line[POOLINFO_LINE_ROOM], again[POOLINFO_LINE_ROOM];
	const char *p = buf + hlen, *end = buf + len, *nl;
	struct dma_suite_poolinfo pl;
	unsigned int n = 0, i;
	size_t llen;

	if (len < hlen || memcmp(buf, DMA_SUITE_POOLINFO_HEADER, hlen))
		return poolinfo_refuse(why, why_size,
				       "pools file does not start with the header: \"%.*s\"",
				       (int)min_t(size_t, len, 40), buf);
	if (memchr(buf, '\0', len))
		return poolinfo_refuse(why, why_size, "pools file has a NUL byte");
	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			return poolinfo_refuse(why, why_size,
					       "pools file does not end with a newline: \"%.*s\"",
					       (int)min_t(size_t, end - p, 40), p);
		llen = nl + 1 - p;
		if (llen >= sizeof(line))
			return poolinfo_refuse(why, why_size, "pools line too long: \"%.40s...\"",
					       p);
		memcpy(line, p, llen);
		line[llen] = '\0';
		p = nl + 1;
		if (sscanf(line, "%" __stringify(DMA_SUITE_POOL_NAME_MAX) "s %u %u %u %u",
			   pl.name, &pl.in_use, &pl.total, &pl.size, &pl.pages) != 5)
			return poolinfo_refuse(why, why_size, "unparsable pools line \"%.*s\"",
					       (int)llen - 1, line);
		snprintf(again, sizeof(again), DMA_SUITE_POOLINFO_LINE_FMT, pl.name,
			 pl.in_use, pl.total, pl.size, pl.pages);
		if (strcmp(line, again))
			return poolinfo_refuse(why, why_size,
					       "pools line not in the kernel's column format: \"%.*s\"",
					       (int)llen - 1, line);
		if (n >= max)
			return poolinfo_refuse(why, why_size,
					       "more than %u pool lines: \"%.*s\"", max,
					       (int)llen - 1, line);
		for (i = 0; i < n; i++)
			if (!strcmp(lines[i].name, pl.name))
				return poolinfo_refuse(why, why_size, "pool %s listed twice",
						       pl.name);
		lines[n++] = pl;
	}
	return n;
}
EXPORT_SYMBOL_GPL(dma_suite_poolinfo_parse);

/**
 * dma_suite_poolinfo() - one pool's line of a device's sysfs "pools" file
 * @dev: the device the pool was created on
 * @name: the pool's name
 * @pi: the line
 *
 * Reads the whole file and parses it with dma_suite_poolinfo_parse(): a
 * file refused there is an error, whichever line is wrong.
 *
 * Return: 0, -ENOENT when the device has no "pools" file (no pool), -ESRCH
 * when the file has no line for @name, -EBADMSG when the file is not what
 * mm/dmapool.c prints (the reason is logged), or another negative errno.
 */
int dma_suite_poolinfo(struct device *dev, const char *name,
		       struct dma_suite_poolinfo *pi)
{
	/* a page of the shortest lines, after the header */
	const unsigned int max = PAGE_SIZE / POOLINFO_LINE_MIN;
	char why[DMA_SUITE_POOLINFO_WHY_SIZE];
	struct dma_suite_poolinfo *lines;
	int n, i, ret = -ESRCH;
	ssize_t len;
	char *buf;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	lines = kmalloc_array(max, sizeof(*lines), GFP_KERNEL);
	if (!buf || !lines) {
		ret = -ENOMEM;
		goto out;
	}
	len = dma_suite_read_dev_attr(dev, "pools", buf, PAGE_SIZE);
	if (len < 0) {
		ret = len;
		goto out;
	}
	n = dma_suite_poolinfo_parse(buf, len, lines, max, why, sizeof(why));
	if (n < 0) {
		pr_warn("dma_suite: pools file of %s: %s\n", dev_name(dev), why);
		ret = n;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(lines[i].name, name)) {
			*pi = lines[i];
			ret = 0;
			break;
		}
	}
out:
	kfree(lines);
	kfree(buf);
	return ret;
}
EXPORT_SYMBOL_GPL(dma_suite_poolinfo);

/**
 * dma_suite_log_mark() - remember where the kernel log ends now
 *
 * Return: a mark to pass to dma_suite_log_count(), so that only messages
 * printed after this call are searched.
 */
u64 dma_suite_log_mark(void)
{
	struct kmsg_dump_iter iter;

	kmsg_dump_rewind(&iter);
	return iter.next_seq;
}
EXPORT_SYMBOL_GPL(dma_suite_log_mark);

/**
 * dma_suite_log_count() - count kernel log lines that contain some text
 * @since: a mark from dma_suite_log_mark()
 * @what: text a line must contain
 * @also: more text the same line must contain, or NULL
 *
 * Return: how many lines printed since @since contain @what (and @also).
 */
unsigned int dma_suite_log_count(u64 since, const char *what,
				 const char *also)
{
	struct kmsg_dump_iter iter;
	unsigned int count = 0;
	size_t len;
	char *line;

	line = kmalloc(1024, GFP_KERNEL);
	if (!line)
		return 0;
	kmsg_dump_rewind(&iter);
	if (iter.cur_seq < since)
		iter.cur_seq = since;
	while (kmsg_dump_get_line(&iter, false, line, 1023, &len)) {
		line[len] = '\0';
		if (strstr(line, what) && (!also || strstr(line, also)))
			count++;
	}
	kfree(line);
	return count;
}
EXPORT_SYMBOL_GPL(dma_suite_log_count);

/*
 * The variable behind a debugfs file made by debugfs_create_bool(), _u32()
 * or _ul(): debugfs keeps its address as the inode's private data.  Those
 * files have no read_iter/write_iter, so kernel_read() and kernel_write()
 * cannot use them; the variable is what reading or writing the file would
 * read or set.  NULL when the file does not exist (the feature is off).
 */
static void *debugfs_var(const char *dir, const char *name)
{
	struct dentry *d, *f;
	void *var = NULL;

	if (!IS_ENABLED(CONFIG_DEBUG_FS))
		return NULL;
	d = debugfs_lookup(dir, NULL);
	if (IS_ERR_OR_NULL(d))
		return NULL;
	f = debugfs_lookup(name, d);
	if (!IS_ERR_OR_NULL(f)) {
		var = d_inode(f)->i_private;
		dput(f);
	}
	dput(d);
	return var;
}

/**
 * dma_suite_debugfs_u32() - read a debugfs file made by debugfs_create_u32()
 * @dir: its directory below the debugfs root, e.g. "dma-api"
 * @name: its name, e.g. "num_free_entries"
 * @val: the value
 *
 * Return: 0, or -ENOENT when there is no such file.
 */
int dma_suite_debugfs_u32(const char *dir, const char *name, u32 *val)
{
	u32 *var = debugfs_var(dir, name);

	if (!var)
		return -ENOENT;
	*val = READ_ONCE(*var);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_suite_debugfs_u32);

/*
 * Counted failure points.  Setting a task's fail_nth to N (what writing N
 * to /proc/self/fail-nth does) makes the N-th should_fail() site that task
 * reaches fail, whatever the fault_attr's probability: failslab and
 * fail_page_alloc sites, and the sgdma engine's own.  By default both
 * allocator sites ignore allocations that may sleep, and fail_page_alloc
 * single pages.  The knobs below, as "echo N > ignore-gfp-wait" etc. would
 * set them, make every allocation a failure point (DMA_SUITE_FAULT_ALLOCS),
 * or none (DMA_SUITE_FAULT_OTHERS: failslab only fails caches marked for it,
 * and none is; fail_page_alloc only orders no allocation has), so that only
 * the other sites count.  Each injected failure prints one line, no stack.
 */
enum knob_type { KNOB_BOOL, KNOB_U32, KNOB_UL };

static const struct fault_knob {
	const char *dir, *name;
	enum knob_type type;
	unsigned long val[2];	/* for DMA_SUITE_FAULT_ALLOCS, _OTHERS */
} fault_knobs[] = {
	{ "failslab", "ignore-gfp-wait", KNOB_BOOL, { 0, 1 } },
	{ "failslab", "cache-filter", KNOB_BOOL, { 0, 1 } },
	{ "fail_page_alloc", "ignore-gfp-wait", KNOB_BOOL, { 0, 1 } },
	{ "fail_page_alloc", "min-order", KNOB_U32, { 0, U32_MAX } },
	{ "failslab", "verbose", KNOB_UL, { 1, 1 } },
	{ "fail_page_alloc", "verbose", KNOB_UL, { 1, 1 } },
};

static unsigned long fault_saved[ARRAY_SIZE(fault_knobs)];
static bool fault_armed;

static unsigned long knob_swap(const struct fault_knob *k, void *var,
			       unsigned long val)
{
	unsigned long old;

	switch (k->type) {
	case KNOB_BOOL:
		old = READ_ONCE(*(bool *)var);
		WRITE_ONCE(*(bool *)var, val);
		break;
	case KNOB_U32:
		old = READ_ONCE(*(u32 *)var);
		WRITE_ONCE(*(u32 *)var, val);
		break;
	default:
		old = READ_ONCE(*(unsigned long *)var);
		WRITE_ONCE(*(unsigned long *)var, val);
		break;
	}
	return old;
}

/**
 * dma_suite_fault_begin() - choose which sites this task's fail-nth counts
 * @scope: DMA_SUITE_FAULT_ALLOCS: every allocation, and the other sites;
 *	DMA_SUITE_FAULT_OTHERS: only the sites that are not allocations
 *
 * Saves and sets the failslab and fail_page_alloc knobs.  Pair with
 * dma_suite_fault_end().  Not for concurrent use.
 *
 * Return: 0, or -EOPNOTSUPP when the kernel lacks CONFIG_FAULT_INJECTION,
 * CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC or CONFIG_FAULT_INJECTION_DEBUG_FS.
 */
int dma_suite_fault_begin(enum dma_suite_fault_scope scope)
{
	void *vars[ARRAY_SIZE(fault_knobs)];
	unsigned int i;

	if (!IS_ENABLED(CONFIG_FAULT_INJECTION) || !IS_ENABLED(CONFIG_FAILSLAB) ||
	    !IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC) ||
	    !IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		return -EOPNOTSUPP;
	for (i = 0; i < ARRAY_SIZE(fault_knobs); i++) {
		vars[i] = debugfs_var(fault_knobs[i].dir, fault_knobs[i].name);
		if (!vars[i])
			return -EOPNOTSUPP;
	}
	if (fault_armed)
		dma_suite_fault_end();
	for (i = 0; i < ARRAY_SIZE(fault_knobs); i++)
		fault_saved[i] = knob_swap(&fault_knobs[i], vars[i],
					   fault_knobs[i].val[scope]);
	fault_armed = true;
	return 0;
}
EXPORT_SYMBOL_GPL(dma_suite_fault_begin);

/**
 * dma_suite_fault_end() - disarm, and put the knobs back as they were
 */
void dma_suite_fault_end(void)
{
	unsigned int i;
	void *var;

	dma_suite_fail_nth(0);
	if (!fault_armed)
		return;
	for (i = 0; i < ARRAY_SIZE(fault_knobs); i++) {
		var = debugfs_var(fault_knobs[i].dir, fault_knobs[i].name);
		if (var)
			knob_swap(&fault_knobs[i], var, fault_saved[i]);
	}
	fault_armed = false;
}
EXPORT_SYMBOL_GPL(dma_suite_fault_end);

/**
 * dma_suite_fail_nth() - arm (or disarm) this task's failure counter
 * @n: the failure point to fail, counting from 1; 0 disarms
 *
 * Return: the counter as it was: 0 when the point armed before was reached
 * (and failed), otherwise how many points short of it the task stopped.
 */
unsigned int dma_suite_fail_nth(unsigned int n)
{
#ifdef CONFIG_FAULT_INJECTION
	unsigned int left = READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, n);
	return left;
#else
	return 0;
#endif
}
EXPORT_SYMBOL_GPL(dma_suite_fail_nth);

/**
 * dma_suite_register_dma_device() - a platform device to make pools on
 * @name: its name (an id is added)
 *
 * The device has a 32-bit DMA mask and no driver.
 *
 * Return: the device, or an ERR_PTR(); release it with
 * platform_device_unregister().
 */
struct platform_device *dma_suite_register_dma_device(const char *name)
{
	struct platform_device_info info = {
		.name = name,
		.id = PLATFORM_DEVID_AUTO,
		.dma_mask = DMA_BIT_MASK(32),
	};

	return platform_device_register_full(&info);
}
EXPORT_SYMBOL_GPL(dma_suite_register_dma_device);

/*
 * KUnit defers calls to the end of a case with kunit_add_action_or_reset()
 * since 6.5; Kbuild defines DMA_SUITE_HAVE_KUNIT_ACTIONS where
 * include/kunit/resource.h declares it.  Before (6.1), a test-managed
 * resource whose free function makes the call does the same: this is the
 * one place that knows.
 */
#ifndef DMA_SUITE_HAVE_KUNIT_ACTIONS
struct deferred_call {
	void (*fn)(void *data);
	void *data;
};

static int deferred_call_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void deferred_call_free(struct kunit_resource *res)
{
	struct deferred_call *call = res->data;

	call->fn(call->data);
	kfree(call);
}
#endif

/**
 * dma_suite_kunit_defer() - call a function when the case ends
 * @test: the case
 * @fn: the function, called with @data
 * @data: its argument
 *
 * kunit_add_action_or_reset() on every kernel the suite runs on: @fn runs
 * when the case ends, however it ends (a failed assertion, a skip), after
 * the suite's exit function, in the reverse order of the calls deferred
 * and the memory allocated with kunit_kzalloc() and the like.
 *
 * Context: process context, in the case's thread.
 * Return: 0, or -ENOMEM when the call could not be deferred; then
 * @fn(@data) has been called already.
 */
int dma_suite_kunit_defer(struct kunit *test, void (*fn)(void *data), void *data)
{
#ifdef DMA_SUITE_HAVE_KUNIT_ACTIONS
	return kunit_add_action_or_reset(test, fn, data);
#else
	struct deferred_call *call = kmalloc(sizeof(*call), GFP_KERNEL);

	if (call) {
		call->fn = fn;
		call->data = data;
		if (kunit_alloc_resource(test, deferred_call_init,
					 deferred_call_free, GFP_KERNEL, call))
			return 0;
		kfree(call);
	}
	fn(data);
	return -ENOMEM;
#endif
}
EXPORT_SYMBOL_GPL(dma_suite_kunit_defer);

static void unregister_device(void *pdev)
{
	platform_device_unregister(pdev);
}

/**
 * dma_suite_kunit_dma_device() - a platform device to make pools on, for a case
 * @test: the case; the device is unregistered when it ends
 * @name: its name (an id is added)
 *
 * dma_suite_register_dma_device(), test-managed: the device is
 * unregistered when the case ends, also after a failed assertion, and
 * must not be unregistered before.  The case fails, and ends, when the
 * device cannot be registered.
 *
 * Context: process context, in the case's thread.
 * Return: the device.
 */
struct platform_device *dma_suite_kunit_dma_device(struct kunit *test,
						   const char *name)
{
	struct platform_device *pdev = dma_suite_register_dma_device(name);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pdev), "no device %s: %ld", name,
			       PTR_ERR(pdev));
	KUNIT_ASSERT_EQ(test, dma_suite_kunit_defer(test, unregister_device, pdev), 0);
	return pdev;
}
EXPORT_SYMBOL_GPL(dma_suite_kunit_dma_device);

static void __exit dma_suite_helpers_exit(void)
{
	if (sysfs_mnt)
		kern_unmount(sysfs_mnt);
}
module_exit(dma_suite_helpers_exit);

MODULE_DESCRIPTION("Shared helpers of the DMA test suite's KUnit tests");
MODULE_LICENSE("GPL");

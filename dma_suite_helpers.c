// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the DMA test suite's KUnit tests.
 *
 * KUnit suites run before user space has mounted /sys, so sysfs is read
 * through a private kernel mount of its own: the same kernfs code paths a
 * read(2) of /sys/... takes, without relying on the caller's namespace.
 * Kernel messages are found in the printk ring buffer through the kmsg_dump
 * iterator, as kfence_test.c finds its reports on the console.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kmsg_dump.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "include/dma_suite_helpers.h"

static DEFINE_MUTEX(sysfs_mnt_lock);
static struct vfsmount *sysfs_mnt;

static struct vfsmount *get_sysfs_mnt(void)
{
	struct file_system_type *type;
	struct vfsmount *mnt;

	mutex_lock(&sysfs_mnt_lock);
	if (!sysfs_mnt) {
		/* sysfs is built in: no module reference to drop later */
		type = get_fs_type("sysfs");
		mnt = type ? kern_mount(type) : ERR_PTR(-ENODEV);
		if (!IS_ERR(mnt))
			sysfs_mnt = mnt;
		mutex_unlock(&sysfs_mnt_lock);
		return mnt;
	}
	mutex_unlock(&sysfs_mnt_lock);
	return sysfs_mnt;
}

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
	struct vfsmount *mnt = get_sysfs_mnt();
	char *kpath, *path;
	struct file *file;
	ssize_t total = 0, n;
	loff_t pos = 0;

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	if (!size)
		return -EINVAL;
	kpath = kobject_get_path(&dev->kobj, GFP_KERNEL);
	if (!kpath)
		return -ENOMEM;
	/* kobject paths start with '/'; file_open_root_mnt() wants it relative */
	path = kasprintf(GFP_KERNEL, "%s/%s", kpath + 1, attr);
	kfree(kpath);
	if (!path)
		return -ENOMEM;
	file = file_open_root_mnt(mnt, path, O_RDONLY, 0);
	kfree(path);
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
EXPORT_SYMBOL_GPL(dma_suite_read_dev_attr);

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

static void __exit dma_suite_helpers_exit(void)
{
	if (sysfs_mnt)
		kern_unmount(sysfs_mnt);
}
module_exit(dma_suite_helpers_exit);

MODULE_DESCRIPTION("Shared helpers of the DMA test suite's KUnit tests");
MODULE_LICENSE("GPL");

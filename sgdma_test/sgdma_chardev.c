// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/sgdma_test: the sgdma engine and DMA pools for user space (kselftest).
 *
 * SGDMA_IOC_COPY runs one scatter-gather copy on a named (or any) memcpy
 * channel with the caller's buffers; SGDMA_IOC_POOL_CREATE/_DESTROY make DMA
 * pools, with blocks in use, on the platform device "sgdma-test-pools", so
 * that its sysfs "pools" file can be read from user space.  A pool belongs
 * to the open file that made it and goes when the file is closed; there
 * are at most SGDMA_MAX_POOLS_PER_FD of them per file and SGDMA_MAX_POOLS
 * in all.
 *
 * Every field is checked before anything is pinned or mapped; a refused
 * request gets its errno and a (rate-limited) log line saying why.  The
 * engine pins exactly the user ranges it copies and unpins on every path.
 */

#include <linux/capability.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/dmapool.h>
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sgdma.h"
#include "sgdma_test.h"

struct user_pool {
	struct dma_pool *pool;
	unsigned int nr;
	void **vaddr;
	dma_addr_t *dma;
};

/* An open /dev/sgdma_test: the pools it made, by id */
struct sgdma_file {
	struct mutex lock;	/* the pools: one create or destroy at a time */
	struct idr pools;
	unsigned int nr_pools;
};

static struct platform_device *pools_pdev;
/* pools of all open files */
static atomic_t pools_total = ATOMIC_INIT(0);
/* failed copies are reported in full, but a caller cannot flood the log */
static DEFINE_RATELIMIT_STATE(report_rs, 5 * HZ, 10);

/* Log why a request is refused, and return @err */
static __printf(2, 3) int refuse(int err, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info_ratelimited("sgdma_test: request refused (%d): %pV\n", err, &vaf);
	va_end(args);
	return err;
}

/* [a, a + alen) and [b, b + blen) share a page */
static bool share_page(u64 a, u64 alen, u64 b, u64 blen)
{
	return (a >> PAGE_SHIFT) <= ((b + blen - 1) >> PAGE_SHIFT) &&
	       (b >> PAGE_SHIFT) <= ((a + alen - 1) >> PAGE_SHIFT);
}

static int check_copy(const struct sgdma_ioc_copy *c)
{
	bool usrc = c->dir == SGDMA_DIR_U2K || c->dir == SGDMA_DIR_U2U;
	bool udst = c->dir == SGDMA_DIR_K2U || c->dir == SGDMA_DIR_U2U;
	unsigned int i;

	if (c->size != sizeof(*c))
		return refuse(-EINVAL, "size %u, expected %zu", c->size, sizeof(*c));
	if (c->version != SGDMA_UAPI_VERSION)
		return refuse(-EPROTO, "UAPI version %u, this is %u", c->version,
			      SGDMA_UAPI_VERSION);
	if (c->reserved0)
		return refuse(-EINVAL, "reserved field set");
	for (i = 0; i < ARRAY_SIZE(c->reserved); i++)
		if (c->reserved[i])
			return refuse(-EINVAL, "reserved field set");
	if (c->flags & ~SGDMA_F_ALL)
		return refuse(-EINVAL, "unknown flags %#x", c->flags);
	if (c->dir > SGDMA_DIR_U2U || c->mode > SGDMA_MODE_PER_ENTRY)
		return refuse(-EINVAL, "direction %u or mode %u unknown", c->dir, c->mode);
	if (!c->len)
		return refuse(-EINVAL, "zero length");
	if (c->len > SGDMA_MAX_LEN)
		return refuse(-E2BIG, "length %llu over %llu", c->len, SGDMA_MAX_LEN);
	if (c->timeout_ms > SGDMA_MAX_TIMEOUT_MS)
		return refuse(-EINVAL, "timeout %u ms", c->timeout_ms);
	if (!memchr(c->channel, '\0', sizeof(c->channel)))
		return refuse(-EINVAL, "channel name not terminated");
	if ((!usrc && c->src_off >= PAGE_SIZE) || (!udst && c->dst_off >= PAGE_SIZE))
		return refuse(-EINVAL, "kernel buffer offset past a page");
	if (c->seg_min > c->seg_max)
		return refuse(-EINVAL, "seg_min %u > seg_max %u", c->seg_min, c->seg_max);
	if ((!usrc && c->src) || (!udst && c->dst))
		return refuse(-EINVAL, "user pointer given for a kernel side");
	/* on 32-bit, high bits would be cut off: not a user address either */
	if ((usrc && (!c->src || c->src != (unsigned long)c->src ||
		      !access_ok(u64_to_user_ptr(c->src), c->len))) ||
	    (udst && (!c->dst || c->dst != (unsigned long)c->dst ||
		      !access_ok(u64_to_user_ptr(c->dst), c->len))))
		return refuse(-EFAULT, "user range not in user space");
	if (usrc && udst && share_page(c->src, c->len, c->dst, c->len))
		return refuse(-EINVAL, "source and destination share a page");
	return 0;
}

static long ioc_copy(void __user *arg)
{
	struct sgdma_ioc_copy c;
	struct sgdma_params p = { };
	struct sgdma_result r;
	struct dma_chan *chan;
	int ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	ret = check_copy(&c);
	if (ret)
		return ret;

	if (!sgdma_request_channels(&chan, 1, c.channel, NULL))
		return refuse(-ENODEV, "no free memcpy channel '%s'", c.channel);

	p.dir = (enum sgdma_dir)c.dir;
	p.mode = (enum sgdma_mode)c.mode;
	p.len = c.len;
	p.src_off = c.src_off;
	p.dst_off = c.dst_off;
	p.seg_min = c.seg_max ? max(c.seg_min, 1U) : 0;
	p.seg_max = c.seg_max;
	p.align = 1U << chan->device->copy_align;
	p.seed = c.seed;
	p.timeout_ms = c.timeout_ms ? c.timeout_ms : 3000;
	p.usrc = c.src;
	p.udst = c.dst;
	p.user_data = c.flags & SGDMA_F_USER_DATA;

	sgdma_copy(chan, &p, &r);
	c.status = r.status;
	c.stage = r.stage;
	/* a failed copy is reported in full; bad input only by refuse() below */
	if (r.status && c.stage != SGDMA_STAGE_PIN &&
	    c.stage != SGDMA_STAGE_PARAMS && __ratelimit(&report_rs))
		sgdma_report(chan, &p, &r);
	c.bytes = r.bytes;
	c.ns = r.ns;
	c.descs = r.descs;
	c.mismatches = min_t(unsigned long, r.nr_mismatches, U32_MAX);
	strscpy(c.chan_name, dma_chan_name(chan), sizeof(c.chan_name));
	strscpy(c.driver, dev_driver_string(chan->device->dev), sizeof(c.driver));
	sgdma_release_channels(&chan, 1);

	if (copy_to_user(arg, &c, sizeof(c)))
		return -EFAULT;
	/*
	 * What the engine refuses before copying is bad input: user memory
	 * that cannot be pinned (unmapped, read-only), too many entries,
	 * aliased pages; or the wait for pages in flight was killed.
	 */
	if (c.stage == SGDMA_STAGE_PIN || c.stage == SGDMA_STAGE_PARAMS)
		return refuse(r.status, "copy refused at stage %s",
			      sgdma_stage_name(r.stage));
	return 0;
}

static void free_user_pool(struct user_pool *up)
{
	while (up->nr--)
		dma_pool_free(up->pool, up->vaddr[up->nr], up->dma[up->nr]);
	dma_pool_destroy(up->pool);
	kvfree(up->vaddr);
	kvfree(up->dma);
	kfree(up);
}

/*
 * A name the pools file prints as one word: 1 to SGDMA_NAME_LEN - 1
 * printable characters other than space (a space or a newline would let a
 * name forge fields or lines of the file).
 */
static bool pool_name_ok(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size && name[i]; i++)
		if (name[i] < 0x21 || name[i] > 0x7e)
			return false;
	return i > 0 && i < size;
}

/* Count a new pool of @f against the limits, or -ENOSPC */
static int pool_count(struct sgdma_file *f)
{
	if (f->nr_pools >= SGDMA_MAX_POOLS_PER_FD)
		return refuse(-ENOSPC, "pool: this file has %u pools already",
			      f->nr_pools);
	if (atomic_inc_return(&pools_total) > SGDMA_MAX_POOLS) {
		atomic_dec(&pools_total);
		return refuse(-ENOSPC, "pool: %u pools in all already",
			      SGDMA_MAX_POOLS);
	}
	f->nr_pools++;
	return 0;
}

static void pool_uncount(struct sgdma_file *f)
{
	f->nr_pools--;
	atomic_dec(&pools_total);
}

static long ioc_pool_create(struct sgdma_file *f, void __user *arg)
{
	struct sgdma_ioc_pool c;
	struct user_pool *up;
	u64 block;
	long ret;
	int id;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.reserved || c.id)
		return refuse(-EINVAL, "pool: reserved or id field set");
	if (!pool_name_ok(c.name, sizeof(c.name)))
		return refuse(-EINVAL, "pool: name empty, unterminated, or not one word");
	if (c.blocks > SGDMA_MAX_POOL_BLOCKS)
		return refuse(-E2BIG, "pool: %u blocks, at most %d", c.blocks,
			      SGDMA_MAX_POOL_BLOCKS);
	/*
	 * Up to 6.3, a block size rounded up to the alignment wraps to 0 on
	 * 32-bit (the pools line then divides by it, a chunk never fills);
	 * 6.4+ refuses sizes over INT_MAX.  Refuse both everywhere.
	 */
	block = c.align ? ALIGN((u64)c.size, (u64)c.align) : c.size;
	if (block > INT_MAX)
		return refuse(-EINVAL, "pool: block size %u aligned to %u over INT_MAX",
			      c.size, c.align);
	/*
	 * Up to 6.3, a boundary larger than the chunk (a page, or the block
	 * if larger) hands out blocks that run past the chunk: such a pool
	 * may be made, but not allocated from.
	 */
	if (c.blocks && c.boundary > max_t(u32, c.size, PAGE_SIZE))
		return refuse(-EINVAL, "pool: boundary %u past the chunk, with blocks",
			      c.boundary);
	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	up->vaddr = kvcalloc(max(c.blocks, 1U), sizeof(*up->vaddr), GFP_KERNEL);
	up->dma = kvcalloc(max(c.blocks, 1U), sizeof(*up->dma), GFP_KERNEL);
	if (!up->vaddr || !up->dma) {
		free_user_pool(up);
		return -ENOMEM;
	}
	/* the whole create under the file's lock: its destroy waits for it */
	mutex_lock(&f->lock);
	ret = pool_count(f);
	if (ret)
		goto out_free;
	up->pool = dma_pool_create(c.name, &pools_pdev->dev, c.size, c.align,
				   c.boundary);
	if (!up->pool) {
		ret = refuse(-EINVAL, "pool: dma_pool_create(%u, %u, %u) refused",
			     c.size, c.align, c.boundary);
		goto out_uncount;
	}
	for (; up->nr < c.blocks; up->nr++) {
		/* the size is the caller's: a failure is ENOMEM, not a warning */
		up->vaddr[up->nr] = dma_pool_alloc(up->pool,
						   GFP_KERNEL | __GFP_NOWARN,
						   &up->dma[up->nr]);
		if (!up->vaddr[up->nr]) {
			ret = -ENOMEM;
			goto out_uncount;
		}
	}
	id = idr_alloc(&f->pools, up, 1, SGDMA_MAX_POOLS_PER_FD + 1, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto out_uncount;
	}
	c.id = id;
	if (copy_to_user(arg, &c, sizeof(c))) {
		/* the caller cannot know the id: nothing may outlive the call */
		idr_remove(&f->pools, id);
		ret = -EFAULT;
		goto out_uncount;
	}
	mutex_unlock(&f->lock);
	return 0;

out_uncount:
	pool_uncount(f);
out_free:
	mutex_unlock(&f->lock);
	free_user_pool(up);
	return ret;
}

static long ioc_pool_destroy(struct sgdma_file *f, void __user *arg)
{
	struct sgdma_ioc_pool c;
	struct user_pool *up;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	mutex_lock(&f->lock);
	up = idr_remove(&f->pools, c.id);
	if (up)
		pool_uncount(f);
	mutex_unlock(&f->lock);
	if (!up)
		return refuse(-ENOENT, "pool: no pool %u in this file", c.id);
	free_user_pool(up);
	return 0;
}

static long sgdma_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case SGDMA_IOC_COPY:
		return ioc_copy(uarg);
	case SGDMA_IOC_POOL_CREATE:
		return ioc_pool_create(file->private_data, uarg);
	case SGDMA_IOC_POOL_DESTROY:
		return ioc_pool_destroy(file->private_data, uarg);
	default:
		return -ENOTTY;
	}
}

static int sgdma_open(struct inode *inode, struct file *file)
{
	struct sgdma_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	idr_init(&f->pools);
	file->private_data = f;
	return 0;
}

/* The last close: the pools the file still has go with it */
static int sgdma_release(struct inode *inode, struct file *file)
{
	struct sgdma_file *f = file->private_data;
	struct user_pool *up;
	int id;

	idr_for_each_entry(&f->pools, up, id) {
		free_user_pool(up);
		pool_uncount(f);
	}
	idr_destroy(&f->pools);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static const struct file_operations sgdma_fops = {
	.owner = THIS_MODULE,
	.open = sgdma_open,
	.release = sgdma_release,
	.unlocked_ioctl = sgdma_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice sgdma_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sgdma_test",
	.fops = &sgdma_fops,
	.mode = 0600,
};

/**
 * sgdma_chardev_init() - register /dev/sgdma_test and the pools device
 *
 * Return: 0 or a negative errno.
 */
int sgdma_chardev_init(void)
{
	struct platform_device_info info = {
		.name = "sgdma-test-pools",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(32),
	};
	int ret;

	pools_pdev = platform_device_register_full(&info);
	if (IS_ERR(pools_pdev))
		return PTR_ERR(pools_pdev);
	ret = misc_register(&sgdma_misc);
	if (ret)
		platform_device_unregister(pools_pdev);
	return ret;
}

/**
 * sgdma_chardev_exit() - unregister them
 *
 * Every open file holds the module, so no pool is left by then.
 */
void sgdma_chardev_exit(void)
{
	misc_deregister(&sgdma_misc);
	platform_device_unregister(pools_pdev);
}

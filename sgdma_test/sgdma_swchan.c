// SPDX-License-Identifier: GPL-2.0
/*
 * sgdma-swchan: a SOFTWARE dmaengine memcpy provider.  Not a DMA controller.
 *
 * For machines without a memcpy-capable DMA controller (UML, most VMs), so
 * that the sgdma_test engine and its KUnit suite exercise the real dmaengine
 * and DMA-mapping paths end to end.  Each channel copies with the CPU, from
 * a workqueue, between the DMA addresses it was given: it turns them back
 * into physical pages as a device would reach memory (through the device's
 * IOMMU domain where there is one, else dma_to_phys()), and fails a
 * descriptor whose addresses reach no memory with an error result.  Data
 * bounced by swiotlb is therefore copied between the bounce slots, and only
 * reaches the caller's pages at dma_unmap_*(), exactly as with hardware.
 *
 * It uses only the public dmaengine interface (linux/dmaengine.h), so it
 * builds against a kernel's headers alone: its own descriptor lists and
 * cookies, callbacks with a result from the worker, tx_status,
 * terminate_all and synchronize.
 *
 * Fault injection, for testing the timeout and error paths of users:
 * sgdma_swchan_ctl_set_fault() makes a channel drop its descriptors (they
 * never complete), complete them (or only the next one) with an error and
 * without copying, or copy slowly, in bursts with pauses, so that a user
 * that looks at the data before the completion sees it unfinished.  The
 * suites reach these controls through sgdma.h, by symbol_get(): they load
 * without this module.
 */

#include <linux/delay.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "sgdma.h"

#define DRV_NAME	"sgdma-swchan"
#define MAX_CHANNELS	32
#define ERR_COOKIES	64
#define SLOW_BURST	64	/* bytes copied between pauses in SLOW mode */

static unsigned int channels = 2;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels, "Number of software memcpy channels (1-32, default 2)");

struct swchan_desc {
	struct dma_async_tx_descriptor tx;
	struct list_head node;		/* on one of the channel's lists */
	dma_addr_t src, dst;
	size_t len;
};

/*
 * One channel.  A descriptor is on exactly one list, or is the worker's:
 * prepared (@allocated), submitted (@submitted), issued (@issued), then
 * taken by the worker (@cur), copied, completed and freed.  terminate_all
 * frees everything on the lists at once, but the descriptor the worker is
 * copying stays the worker's: it is only marked (@cur_terminated), not
 * completed, and the worker frees it when it is done with it.
 * device_synchronize waits for the worker, and so for that free and for
 * every callback.
 */
struct swchan {
	struct dma_chan chan;
	spinlock_t lock;		/* everything below */
	struct list_head allocated, submitted, issued;
	struct swchan_desc *cur;
	bool cur_terminated;
	struct work_struct work;
	enum sgdma_swchan_fault fault;
	/* cookies that completed with an error, for tx_status */
	dma_cookie_t err[ERR_COOKIES];
	unsigned int nr_err;
};

struct swchan_dev {
	struct dma_device dma;
	struct swchan chan[MAX_CHANNELS];
	unsigned int nr;
};

static struct platform_device *swchan_pdev;
/* the channels sit on QEMU's PCI test function, behind its IOMMU if any */
static bool swchan_on_pci;

static struct swchan *to_swchan(struct dma_chan *c)
{
	return container_of(c, struct swchan, chan);
}

static struct swchan_desc *to_swdesc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct swchan_desc, tx);
}

/*
 * The CPU address behind a DMA address of @dev, as the device would reach
 * memory: through its IOMMU domain where it has a translating one, else
 * the direct mapping.  False where that is no memory with a struct page
 * (an IOVA that does not translate, MMIO, a hole): a device would fault.
 */
static bool swchan_dma_to_phys(struct device *dev, dma_addr_t addr,
			       phys_addr_t *phys)
{
	struct iommu_domain *dom = sgdma_translating_domain(dev);

	if (dom)
		*phys = iommu_iova_to_phys(dom, addr);
	else
		*phys = dma_to_phys(dev, addr);
	return (!dom || *phys) && pfn_valid(PHYS_PFN(*phys));
}

/*
 * Copy @d between DMA addresses of this device, page by page.  An address
 * that reaches no memory fails the transfer, as a bus error would: the
 * result says which side.  A terminate stops the copy where it is, as it
 * stops a controller.
 */
static enum dmaengine_tx_result swchan_copy(struct swchan *sc,
					    const struct swchan_desc *d, bool slow)
{
	struct device *dev = sc->chan.device->dev;
	dma_addr_t src = d->src, dst = d->dst;
	size_t len = d->len;

	while (len && !READ_ONCE(sc->cur_terminated)) {
		phys_addr_t ps, pd;
		size_t n;
		void *s, *d;

		if (!swchan_dma_to_phys(dev, src, &ps))
			return DMA_TRANS_READ_FAILED;
		if (!swchan_dma_to_phys(dev, dst, &pd))
			return DMA_TRANS_WRITE_FAILED;
		n = min3(len, PAGE_SIZE - offset_in_page(ps),
			 PAGE_SIZE - offset_in_page(pd));
		if (slow) {
			n = min_t(size_t, n, SLOW_BURST);
			usleep_range(20, 40);
		}
		s = kmap_local_page(pfn_to_page(PHYS_PFN(ps)));
		d = kmap_local_page(pfn_to_page(PHYS_PFN(pd)));
		memcpy(d + offset_in_page(pd), s + offset_in_page(ps), n);
		kunmap_local(d);
		kunmap_local(s);
		src += n;
		dst += n;
		len -= n;
		/* a device runs beside the CPU: let the submitter run meanwhile */
		cond_resched();
	}
	return DMA_TRANS_NOERROR;
}

/* Call the descriptor's callback as a completion interrupt would */
static void swchan_callback(struct swchan_desc *d, enum dmaengine_tx_result res)
{
	struct dmaengine_result r = {
		.result = res,
		.residue = res == DMA_TRANS_NOERROR ? 0 : d->len,
	};

	local_bh_disable();
	if (d->tx.callback_result)
		d->tx.callback_result(d->tx.callback_param, &r);
	else if (d->tx.callback)
		d->tx.callback(d->tx.callback_param);
	local_bh_enable();
}

static void swchan_work(struct work_struct *work)
{
	struct swchan *sc = container_of(work, struct swchan, work);
	enum dmaengine_tx_result res;
	struct swchan_desc *d;
	bool error, slow, terminated;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&sc->lock, flags);
		d = sc->fault == SGDMA_SWCHAN_DROP ? NULL :
		    list_first_entry_or_null(&sc->issued, struct swchan_desc, node);
		if (!d) {
			spin_unlock_irqrestore(&sc->lock, flags);
			return;
		}
		list_del_init(&d->node);
		sc->cur = d;
		sc->cur_terminated = false;
		error = sc->fault == SGDMA_SWCHAN_ERROR ||
			sc->fault == SGDMA_SWCHAN_ERROR_ONCE;
		slow = sc->fault == SGDMA_SWCHAN_SLOW;
		if (sc->fault == SGDMA_SWCHAN_ERROR_ONCE)
			sc->fault = SGDMA_SWCHAN_OK;
		spin_unlock_irqrestore(&sc->lock, flags);

		res = error ? DMA_TRANS_WRITE_FAILED : swchan_copy(sc, d, slow);

		spin_lock_irqsave(&sc->lock, flags);
		terminated = sc->cur_terminated;
		sc->cur = NULL;
		if (!terminated) {
			sc->chan.completed_cookie = d->tx.cookie;
			if (res != DMA_TRANS_NOERROR)
				sc->err[sc->nr_err++ % ERR_COOKIES] = d->tx.cookie;
		}
		spin_unlock_irqrestore(&sc->lock, flags);
		/* a terminated descriptor completes nothing: no callback */
		if (!terminated)
			swchan_callback(d, res);
		kfree(d);
	}
}

static dma_cookie_t swchan_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct swchan *sc = to_swchan(tx->chan);
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&sc->lock, flags);
	cookie = sc->chan.cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	sc->chan.cookie = cookie;
	tx->cookie = cookie;
	list_move_tail(&to_swdesc(tx)->node, &sc->submitted);
	spin_unlock_irqrestore(&sc->lock, flags);
	return cookie;
}

/*
 * SGDMA_SWCHAN_SMALL_POOL: is every one of the SGDMA_SWCHAN_POOL
 * descriptors in use (prepared, submitted, issued or being copied)?  As a
 * driver with a fixed pool (zynqmp_dma) does, prep then returns NULL.
 */
static bool swchan_pool_empty(struct swchan *sc)
{
	unsigned int used = 0;
	unsigned long flags;
	struct swchan_desc *d;

	spin_lock_irqsave(&sc->lock, flags);
	if (sc->fault == SGDMA_SWCHAN_SMALL_POOL) {
		list_for_each_entry(d, &sc->allocated, node)
			used++;
		list_for_each_entry(d, &sc->submitted, node)
			used++;
		list_for_each_entry(d, &sc->issued, node)
			used++;
		used += !!sc->cur;
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	return used >= SGDMA_SWCHAN_POOL;
}

static struct dma_async_tx_descriptor *
swchan_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src,
		   size_t len, unsigned long flags)
{
	struct swchan *sc = to_swchan(c);
	struct swchan_desc *d;
	unsigned long irqflags;

	if (!len || swchan_pool_empty(sc))
		return NULL;
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	dma_async_tx_descriptor_init(&d->tx, c);
	d->tx.flags = flags;
	d->tx.tx_submit = swchan_tx_submit;
	d->src = src;
	d->dst = dst;
	d->len = len;
	spin_lock_irqsave(&sc->lock, irqflags);
	list_add_tail(&d->node, &sc->allocated);
	spin_unlock_irqrestore(&sc->lock, irqflags);
	return &d->tx;
}

static void swchan_issue_pending(struct dma_chan *c)
{
	struct swchan *sc = to_swchan(c);
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&sc->lock, flags);
	list_splice_tail_init(&sc->submitted, &sc->issued);
	any = !list_empty(&sc->issued);
	spin_unlock_irqrestore(&sc->lock, flags);
	if (any)
		queue_work(system_unbound_wq, &sc->work);
}

static enum dma_status swchan_tx_status(struct dma_chan *c, dma_cookie_t cookie,
					struct dma_tx_state *state)
{
	struct swchan *sc = to_swchan(c);
	enum dma_status st;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&sc->lock, flags);
	st = dma_async_is_complete(cookie, c->completed_cookie, c->cookie);
	if (state) {
		state->last = c->completed_cookie;
		state->used = c->cookie;
		state->residue = 0;
	}
	for (i = 0; st == DMA_COMPLETE &&
	     i < min_t(unsigned int, sc->nr_err, ERR_COOKIES); i++)
		if (sc->err[i] == cookie)
			st = DMA_ERROR;
	spin_unlock_irqrestore(&sc->lock, flags);
	return st;
}

static int swchan_terminate_all(struct dma_chan *c)
{
	struct swchan *sc = to_swchan(c);
	struct swchan_desc *d, *next;
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&sc->lock, flags);
	list_splice_tail_init(&sc->allocated, &head);
	list_splice_tail_init(&sc->submitted, &head);
	list_splice_tail_init(&sc->issued, &head);
	/* the worker's own: freed by the worker, once it is done with it */
	if (sc->cur)
		WRITE_ONCE(sc->cur_terminated, true);
	spin_unlock_irqrestore(&sc->lock, flags);
	list_for_each_entry_safe(d, next, &head, node)
		kfree(d);
	return 0;
}

static void swchan_synchronize(struct dma_chan *c)
{
	flush_work(&to_swchan(c)->work);
}

static void swchan_free_chan_resources(struct dma_chan *c)
{
	struct swchan *sc = to_swchan(c);

	swchan_terminate_all(c);
	swchan_synchronize(c);
	sc->fault = SGDMA_SWCHAN_OK;
	sc->nr_err = 0;
}

/**
 * sgdma_swchan_ctl_owns() - is this a channel of the software memcpy provider?
 * @chan: any dmaengine channel
 *
 * Return: true for channels of sgdma-swchan, false for real hardware.
 */
bool sgdma_swchan_ctl_owns(struct dma_chan *chan)
{
	return chan->device->device_prep_dma_memcpy == swchan_prep_memcpy;
}
EXPORT_SYMBOL_GPL(sgdma_swchan_ctl_owns);

/**
 * sgdma_swchan_ctl_set_fault() - make a software channel misbehave
 * @chan: a channel of sgdma-swchan
 * @fault: SGDMA_SWCHAN_OK; _DROP (never complete); _ERROR (complete with
 *	an error result and DMA_ERROR status, copying nothing); _ERROR_ONCE
 *	(the same for the next descriptor only); _SLOW (copy in bursts of
 *	SLOW_BURST bytes with a pause before each); _SMALL_POOL (prep returns
 *	NULL while SGDMA_SWCHAN_POOL descriptors are in use, as a driver with
 *	a fixed pool does)
 *
 * Applies to descriptors the channel starts after this call.  Freeing the
 * channel's resources resets it to SGDMA_SWCHAN_OK.
 *
 * Return: 0, or -EINVAL if @chan is not a software channel.
 */
int sgdma_swchan_ctl_set_fault(struct dma_chan *chan, enum sgdma_swchan_fault fault)
{
	struct swchan *sc;
	unsigned long flags;

	if (!sgdma_swchan_ctl_owns(chan) || fault >= SGDMA_SWCHAN_NR_FAULTS)
		return -EINVAL;
	sc = to_swchan(chan);
	spin_lock_irqsave(&sc->lock, flags);
	sc->fault = fault;
	spin_unlock_irqrestore(&sc->lock, flags);
	/* back to normal: pick up what a drop left issued */
	if (fault == SGDMA_SWCHAN_OK)
		queue_work(system_unbound_wq, &sc->work);
	return 0;
}
EXPORT_SYMBOL_GPL(sgdma_swchan_ctl_set_fault);

/* devres: runs after the dma_device is unregistered */
static void swchan_stop(void *data)
{
	struct swchan_dev *sd = data;
	unsigned int i;

	for (i = 0; i < sd->nr; i++)
		cancel_work_sync(&sd->chan[i].work);
}

/**
 * sgdma_swchan_ctl_pending() - descriptors a software channel still holds
 * @chan: a channel of sgdma-swchan
 *
 * Return: how many descriptors are submitted or issued and not completed
 * (0 after a terminate), or 0 if @chan is not a software channel.
 */
unsigned int sgdma_swchan_ctl_pending(struct dma_chan *chan)
{
	struct swchan_desc *d;
	unsigned int n = 0;
	unsigned long flags;
	struct swchan *sc;

	if (!sgdma_swchan_ctl_owns(chan))
		return 0;
	sc = to_swchan(chan);
	spin_lock_irqsave(&sc->lock, flags);
	list_for_each_entry(d, &sc->submitted, node)
		n++;
	list_for_each_entry(d, &sc->issued, node)
		n++;
	n += sc->cur && !sc->cur_terminated;
	spin_unlock_irqrestore(&sc->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(sgdma_swchan_ctl_pending);

/**
 * sgdma_swchan_ctl_errors() - descriptors a software channel failed
 * @chan: a channel of sgdma-swchan
 *
 * Return: how many descriptors completed with an error result since the
 * channel was last requested (injected errors, addresses that reach no
 * memory), or 0 if @chan is not a software channel.
 */
unsigned int sgdma_swchan_ctl_errors(struct dma_chan *chan)
{
	unsigned long flags;
	struct swchan *sc;
	unsigned int n;

	if (!sgdma_swchan_ctl_owns(chan))
		return 0;
	sc = to_swchan(chan);
	spin_lock_irqsave(&sc->lock, flags);
	n = sc->nr_err;
	spin_unlock_irqrestore(&sc->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(sgdma_swchan_ctl_errors);

/*
 * What translates this device's DMA addresses, for the log: "IOMMU dmar0
 * (group 3)", or the direct mapping (which may bounce through swiotlb).
 */
static void swchan_say_translation(struct device *dev, unsigned int nr)
{
	const char *iommu = "an IOMMU";

	if (!sgdma_translating_domain(dev)) {
		dev_info(dev,
			 "%u SOFTWARE memcpy channels: CPU copies, not a DMA controller; DMA addresses are %s\n",
			 nr, iommu_get_domain_for_dev(dev) ? "identity-mapped by the IOMMU" :
			 "direct (dma_to_phys), no IOMMU");
		return;
	}
#ifdef CONFIG_IOMMU_API
	if (dev->iommu && dev->iommu->iommu_dev && dev->iommu->iommu_dev->dev)
		iommu = dev_name(dev->iommu->iommu_dev->dev);
#endif
	dev_info(dev,
		 "%u SOFTWARE memcpy channels: CPU copies, not a DMA controller; DMA addresses are IOVAs, translated by %s (iommu_iova_to_phys)\n",
		 nr, iommu);
}

/* Register the channels on @dev (devres: they go when @dev unbinds) */
static int swchan_setup(struct device *dev)
{
	struct swchan_dev *sd;
	unsigned int i;
	int ret;

	if (!channels || channels > MAX_CHANNELS)
		return dev_err_probe(dev, -EINVAL,
				     "channels=%u: must be 1-%d\n", channels,
				     MAX_CHANNELS);
	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	sd = devm_kzalloc(dev, sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;

	dma_cap_set(DMA_MEMCPY, sd->dma.cap_mask);
	INIT_LIST_HEAD(&sd->dma.channels);
	sd->dma.dev = dev;
	sd->dma.device_prep_dma_memcpy = swchan_prep_memcpy;
	sd->dma.device_issue_pending = swchan_issue_pending;
	sd->dma.device_tx_status = swchan_tx_status;
	sd->dma.device_terminate_all = swchan_terminate_all;
	sd->dma.device_synchronize = swchan_synchronize;
	sd->dma.device_free_chan_resources = swchan_free_chan_resources;
	sd->dma.src_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_1_BYTE);
	sd->dma.dst_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_1_BYTE);
	sd->dma.directions = BIT(DMA_MEM_TO_MEM);
	sd->dma.residue_granularity = DMA_RESIDUE_GRANULARITY_DESCRIPTOR;
	sd->nr = channels;
	for (i = 0; i < sd->nr; i++) {
		struct swchan *sc = &sd->chan[i];

		spin_lock_init(&sc->lock);
		INIT_LIST_HEAD(&sc->allocated);
		INIT_LIST_HEAD(&sc->submitted);
		INIT_LIST_HEAD(&sc->issued);
		INIT_WORK(&sc->work, swchan_work);
		sc->chan.device = &sd->dma;
		list_add_tail(&sc->chan.device_node, &sd->dma.channels);
	}
	/* teardown is all devres: the stop action runs after unregistering */
	ret = devm_add_action_or_reset(dev, swchan_stop, sd);
	if (ret)
		return ret;
	ret = dmaenginem_async_device_register(&sd->dma);
	if (ret)
		return ret;
	swchan_say_translation(dev, sd->nr);
	return 0;
}

static int swchan_probe(struct platform_device *pdev)
{
	return swchan_setup(&pdev->dev);
}

static struct platform_driver swchan_driver = {
	.probe = swchan_probe,
	/*
	 * Unbinding would unregister the channels under their users
	 * (dmaengine only warns) and free them: not through sysfs.
	 */
	.driver = { .name = DRV_NAME, .suppress_bind_attrs = true },
};

/*
 * QEMU's PCI test function (-device pci-testdev), where a machine has one:
 * a device behind the machine's IOMMU, so that the channels' DMA addresses
 * are IOVAs that the copy must translate.  Its registers are not used.
 */
static int swchan_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret = pcim_enable_device(pdev);

	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = swchan_setup(&pdev->dev);
	if (!ret)
		swchan_on_pci = true;
	return ret;
}

static const struct pci_device_id swchan_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT, 0x0005) },	/* QEMU pci-testdev */
	{ }
};

static struct pci_driver swchan_pci_driver = {
	.name = DRV_NAME,
	.id_table = swchan_pci_ids,
	.probe = swchan_pci_probe,
	.driver = { .suppress_bind_attrs = true },
};

/*
 * The channels go on QEMU's PCI test function if the machine has one (its
 * probe runs within pci_register_driver()), else on a platform device of
 * their own.
 */
static int __init swchan_init(void)
{
	int ret = pci_register_driver(&swchan_pci_driver);

	if (ret)
		return ret;
	if (swchan_on_pci)
		return 0;
	ret = platform_driver_register(&swchan_driver);
	if (ret)
		goto err_pci;
	swchan_pdev = platform_device_register_simple(DRV_NAME, -1, NULL, 0);
	if (!IS_ERR(swchan_pdev))
		return 0;
	ret = PTR_ERR(swchan_pdev);
	swchan_pdev = NULL;
	platform_driver_unregister(&swchan_driver);
err_pci:
	pci_unregister_driver(&swchan_pci_driver);
	return ret;
}
module_init(swchan_init);

static void __exit swchan_exit(void)
{
	if (swchan_pdev) {
		platform_device_unregister(swchan_pdev);
		platform_driver_unregister(&swchan_driver);
	}
	pci_unregister_driver(&swchan_pci_driver);
}
module_exit(swchan_exit);

MODULE_DESCRIPTION("Software dmaengine memcpy channels (CPU copies) for sgdma_test");
MODULE_LICENSE("GPL");

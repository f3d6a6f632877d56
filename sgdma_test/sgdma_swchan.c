// SPDX-License-Identifier: GPL-2.0
/*
 * sgdma-swchan: a SOFTWARE dmaengine memcpy provider.  Not a DMA controller.
 *
 * For machines without a memcpy-capable DMA controller (UML, most VMs), so
 * that the sgdma_test engine and its KUnit suite exercise the real dmaengine
 * and DMA-mapping paths end to end.  Each channel copies with the CPU, from
 * a workqueue, between the DMA addresses it was given: it turns them back
 * into physical pages (dma_to_phys()), as a device would see memory.  Data
 * bounced by swiotlb is therefore copied between the bounce slots, and only
 * reaches the caller's pages at dma_unmap_*(), exactly as with hardware.
 *
 * Completion goes through virt-dma: cookies, the tasklet that runs the
 * callbacks (with a result), tx_status, terminate_all and synchronize.
 *
 * Fault injection, for testing the timeout and error paths of users:
 * sgdma_swchan_set_fault() makes a channel drop its descriptors (they never
 * complete), complete them (or only the next one) with an error and without
 * copying, or copy slowly, in bursts with pauses, so that a user that looks
 * at the data before the completion sees it unfinished.
 */

#include <linux/delay.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "dmaengine.h"
#include "virt-dma.h"
#include "sgdma.h"

#define DRV_NAME	"sgdma-swchan"
#define MAX_CHANNELS	32
#define ERR_COOKIES	64
#define SLOW_BURST	64	/* bytes copied between pauses in SLOW mode */

static unsigned int channels = 2;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels, "Number of software memcpy channels (1-32, default 2)");

struct swchan_desc {
	struct virt_dma_desc vd;
	dma_addr_t src, dst;
	size_t len;
};

struct swchan {
	struct virt_dma_chan vc;
	struct work_struct work;
	struct swchan_desc *cur;	/* being copied, under vc.lock */
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

static struct swchan *to_swchan(struct dma_chan *c)
{
	return container_of(to_virt_chan(c), struct swchan, vc);
}

static struct swchan_desc *to_swdesc(struct virt_dma_desc *vd)
{
	return container_of(vd, struct swchan_desc, vd);
}

static void swchan_desc_free(struct virt_dma_desc *vd)
{
	kfree(to_swdesc(vd));
}

/* Copy @len bytes between DMA addresses of this device, page by page */
static void swchan_copy(struct device *dev, dma_addr_t dst, dma_addr_t src,
			size_t len, bool slow)
{
	while (len) {
		phys_addr_t ps = dma_to_phys(dev, src), pd = dma_to_phys(dev, dst);
		size_t n = min3(len, PAGE_SIZE - offset_in_page(ps),
				PAGE_SIZE - offset_in_page(pd));

		if (slow) {
			n = min_t(size_t, n, SLOW_BURST);
			usleep_range(20, 40);
		}
		void *s = kmap_local_page(pfn_to_page(PHYS_PFN(ps)));
		void *d = kmap_local_page(pfn_to_page(PHYS_PFN(pd)));

		memcpy(d + offset_in_page(pd), s + offset_in_page(ps), n);
		kunmap_local(d);
		kunmap_local(s);
		src += n;
		dst += n;
		len -= n;
		/* a device runs beside the CPU: let the submitter run meanwhile */
		cond_resched();
	}
}

static void swchan_work(struct work_struct *work)
{
	struct swchan *sc = container_of(work, struct swchan, work);
	struct device *dev = sc->vc.chan.device->dev;
	struct virt_dma_desc *vd;
	struct swchan_desc *d;
	unsigned long flags;
	bool error, slow;

	for (;;) {
		spin_lock_irqsave(&sc->vc.lock, flags);
		vd = sc->fault == SGDMA_SWCHAN_DROP ? NULL : vchan_next_desc(&sc->vc);
		if (!vd) {
			spin_unlock_irqrestore(&sc->vc.lock, flags);
			return;
		}
		list_del(&vd->node);
		d = to_swdesc(vd);
		sc->cur = d;
		error = sc->fault == SGDMA_SWCHAN_ERROR ||
			sc->fault == SGDMA_SWCHAN_ERROR_ONCE;
		slow = sc->fault == SGDMA_SWCHAN_SLOW;
		if (sc->fault == SGDMA_SWCHAN_ERROR_ONCE)
			sc->fault = SGDMA_SWCHAN_OK;
		spin_unlock_irqrestore(&sc->vc.lock, flags);

		if (!error)
			swchan_copy(dev, d->dst, d->src, d->len, slow);

		spin_lock_irqsave(&sc->vc.lock, flags);
		/* terminate_all may have taken it meanwhile */
		if (sc->cur == d) {
			sc->cur = NULL;
			if (error) {
				vd->tx_result.result = DMA_TRANS_WRITE_FAILED;
				vd->tx_result.residue = d->len;
				sc->err[sc->nr_err++ % ERR_COOKIES] = vd->tx.cookie;
			}
			vchan_cookie_complete(vd);
		}
		spin_unlock_irqrestore(&sc->vc.lock, flags);
	}
}

static struct dma_async_tx_descriptor *
swchan_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src,
		   size_t len, unsigned long flags)
{
	struct swchan *sc = to_swchan(c);
	struct swchan_desc *d;

	if (!len)
		return NULL;
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	d->src = src;
	d->dst = dst;
	d->len = len;
	return vchan_tx_prep(&sc->vc, &d->vd, flags);
}

static void swchan_issue_pending(struct dma_chan *c)
{
	struct swchan *sc = to_swchan(c);
	unsigned long flags;

	spin_lock_irqsave(&sc->vc.lock, flags);
	if (vchan_issue_pending(&sc->vc))
		queue_work(system_unbound_wq, &sc->work);
	spin_unlock_irqrestore(&sc->vc.lock, flags);
}

static enum dma_status swchan_tx_status(struct dma_chan *c, dma_cookie_t cookie,
					struct dma_tx_state *state)
{
	struct swchan *sc = to_swchan(c);
	enum dma_status st = dma_cookie_status(c, cookie, state);
	unsigned long flags;
	unsigned int i;

	if (st != DMA_COMPLETE)
		return st;
	spin_lock_irqsave(&sc->vc.lock, flags);
	for (i = 0; i < min_t(unsigned int, sc->nr_err, ERR_COOKIES); i++)
		if (sc->err[i] == cookie)
			st = DMA_ERROR;
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	return st;
}

static int swchan_terminate_all(struct dma_chan *c)
{
	struct swchan *sc = to_swchan(c);
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&sc->vc.lock, flags);
	if (sc->cur) {
		/* freed at synchronize, once the worker is done with it */
		vchan_terminate_vdesc(&sc->cur->vd);
		sc->cur = NULL;
	}
	vchan_get_all_descriptors(&sc->vc, &head);
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	vchan_dma_desc_free_list(&sc->vc, &head);
	return 0;
}

static void swchan_synchronize(struct dma_chan *c)
{
	struct swchan *sc = to_swchan(c);

	flush_work(&sc->work);
	vchan_synchronize(&sc->vc);
}

static void swchan_free_chan_resources(struct dma_chan *c)
{
	struct swchan *sc = to_swchan(c);

	swchan_terminate_all(c);
	swchan_synchronize(c);
	vchan_free_chan_resources(&sc->vc);
	sc->fault = SGDMA_SWCHAN_OK;
	sc->nr_err = 0;
}

/**
 * sgdma_swchan_owns() - is this a channel of the software memcpy provider?
 * @chan: any dmaengine channel
 *
 * Return: true for channels of sgdma-swchan, false for real hardware.
 */
bool sgdma_swchan_owns(struct dma_chan *chan)
{
	return swchan_pdev && chan->device->dev == &swchan_pdev->dev;
}
EXPORT_SYMBOL_GPL(sgdma_swchan_owns);

/**
 * sgdma_swchan_set_fault() - make a software channel misbehave
 * @chan: a channel of sgdma-swchan
 * @fault: SGDMA_SWCHAN_OK; _DROP (never complete); _ERROR (complete with
 *	an error result and DMA_ERROR status, copying nothing); _ERROR_ONCE
 *	(the same for the next descriptor only); _SLOW (copy in bursts of
 *	SLOW_BURST bytes with a pause before each)
 *
 * Applies to descriptors the channel starts after this call.  Freeing the
 * channel's resources resets it to SGDMA_SWCHAN_OK.
 *
 * Return: 0, or -EINVAL if @chan is not a software channel.
 */
int sgdma_swchan_set_fault(struct dma_chan *chan, enum sgdma_swchan_fault fault)
{
	struct swchan *sc;
	unsigned long flags;

	if (!sgdma_swchan_owns(chan) || fault >= SGDMA_SWCHAN_NR_FAULTS)
		return -EINVAL;
	sc = to_swchan(chan);
	spin_lock_irqsave(&sc->vc.lock, flags);
	sc->fault = fault;
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	/* back to normal: pick up what a drop left issued */
	if (fault == SGDMA_SWCHAN_OK)
		queue_work(system_unbound_wq, &sc->work);
	return 0;
}
EXPORT_SYMBOL_GPL(sgdma_swchan_set_fault);

/* devres: runs after the dma_device is unregistered */
static void swchan_stop(void *data)
{
	struct swchan_dev *sd = data;
	unsigned int i;

	for (i = 0; i < sd->nr; i++) {
		cancel_work_sync(&sd->chan[i].work);
		tasklet_kill(&sd->chan[i].vc.task);
	}
}

/**
 * sgdma_swchan_pending() - descriptors a software channel still holds
 * @chan: a channel of sgdma-swchan
 *
 * Return: how many descriptors are submitted or issued and not completed
 * (0 after a terminate), or 0 if @chan is not a software channel.
 */
unsigned int sgdma_swchan_pending(struct dma_chan *chan)
{
	struct virt_dma_desc *vd;
	unsigned int n = 0;
	unsigned long flags;
	struct swchan *sc;

	if (!sgdma_swchan_owns(chan))
		return 0;
	sc = to_swchan(chan);
	spin_lock_irqsave(&sc->vc.lock, flags);
	list_for_each_entry(vd, &sc->vc.desc_submitted, node)
		n++;
	list_for_each_entry(vd, &sc->vc.desc_issued, node)
		n++;
	n += !!sc->cur;
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(sgdma_swchan_pending);

static int swchan_probe(struct platform_device *pdev)
{
	struct swchan_dev *sd;
	unsigned int i;
	int ret;

	if (!channels || channels > MAX_CHANNELS)
		return dev_err_probe(&pdev->dev, -EINVAL,
				     "channels=%u: must be 1-%d\n", channels,
				     MAX_CHANNELS);
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	sd = devm_kzalloc(&pdev->dev, sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;

	dma_cap_set(DMA_MEMCPY, sd->dma.cap_mask);
	INIT_LIST_HEAD(&sd->dma.channels);
	sd->dma.dev = &pdev->dev;
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
		sd->chan[i].vc.desc_free = swchan_desc_free;
		vchan_init(&sd->chan[i].vc, &sd->dma);
		INIT_WORK(&sd->chan[i].work, swchan_work);
	}
	/* teardown is all devres: the stop action runs after unregistering */
	ret = devm_add_action_or_reset(&pdev->dev, swchan_stop, sd);
	if (ret)
		return ret;
	ret = dmaenginem_async_device_register(&sd->dma);
	if (ret)
		return ret;
	dev_info(&pdev->dev,
		 "%u SOFTWARE memcpy channels: CPU copies, not a DMA controller\n",
		 sd->nr);
	return 0;
}

static struct platform_driver swchan_driver = {
	.probe = swchan_probe,
	.driver = { .name = DRV_NAME },
};

static int __init swchan_init(void)
{
	int ret = platform_driver_register(&swchan_driver);

	if (ret)
		return ret;
	swchan_pdev = platform_device_register_simple(DRV_NAME, -1, NULL, 0);
	if (IS_ERR(swchan_pdev)) {
		ret = PTR_ERR(swchan_pdev);
		swchan_pdev = NULL;
		platform_driver_unregister(&swchan_driver);
	}
	return ret;
}
module_init(swchan_init);

static void __exit swchan_exit(void)
{
	platform_device_unregister(swchan_pdev);
	platform_driver_unregister(&swchan_driver);
}
module_exit(swchan_exit);

MODULE_DESCRIPTION("Software dmaengine memcpy channels (CPU copies) for sgdma_test");
MODULE_LICENSE("GPL");

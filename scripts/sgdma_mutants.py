# SPDX-License-Identifier: GPL-2.0
"""Mutants of the sgdma engine and the software channel.

Broken copies the sgdma suite must catch: a byte short, a byte long, an
offset slip, a completion signalled before the copy, a verify done before
unmap, errors and timeouts handled carelessly.  Same format as
dmapool_mutants.py, with the file (in the managed tree) and the suite.
"""

SW = 'lib/dma_suite/sgdma_test/sgdma_swchan.c'
ENG = 'lib/dma_suite/sgdma_test/sgdma_engine.c'
BOTH = ('old', 'new')

MUTANTS = [
    dict(id='swchan-byte-short', gens=BOTH, file=SW, suite='sgdma',
         rule='every byte of a run is copied',
         find='swchan_copy(dev, d->dst, d->src, d->len, slow);',
         replace='swchan_copy(dev, d->dst, d->src, d->len - 1, slow);'),
    dict(id='swchan-byte-long', gens=BOTH, file=SW, suite='sgdma',
         rule='nothing past a run is written',
         find='swchan_copy(dev, d->dst, d->src, d->len, slow);',
         replace='swchan_copy(dev, d->dst, d->src, d->len + 1, slow);'),
    dict(id='swchan-offset-slip', gens=BOTH, file=SW, suite='sgdma',
         rule='each byte lands at its own offset',
         find='swchan_copy(dev, d->dst, d->src, d->len, slow);',
         replace='swchan_copy(dev, d->dst, d->src + 1, d->len, slow);'),
    dict(id='swchan-complete-before-copy', gens=BOTH, file=SW, suite='sgdma',
         rule='a completion comes after the data',
         find='\t\tif (!error)\n\t\t\tswchan_copy(dev, d->dst, d->src, d->len, slow);\n\n'
              '\t\tspin_lock_irqsave(&sc->vc.lock, flags);\n',
         replace='\t\tspin_lock_irqsave(&sc->vc.lock, flags);\n'
                 '\t\tif (sc->cur == d) {\n\t\t\tsc->cur = NULL;\n'
                 '\t\t\tvchan_cookie_complete(vd);\n\t\t}\n'
                 '\t\tspin_unlock_irqrestore(&sc->vc.lock, flags);\n'
                 '\t\tif (!error)\n\t\t\tswchan_copy(dev, d->dst, d->src, d->len, slow);\n\n'
                 '\t\tspin_lock_irqsave(&sc->vc.lock, flags);\n'),
    dict(id='swchan-error-result-lost', gens=BOTH, file=SW, suite='sgdma',
         rule='an error completion carries an error result',
         find='\t\t\t\tvd->tx_result.result = DMA_TRANS_WRITE_FAILED;\n',
         replace=''),
    dict(id='swchan-terminate-keeps-descs', gens=BOTH, file=SW, suite='sgdma',
         rule='terminate_all takes every pending descriptor back',
         find='\tvchan_get_all_descriptors(&sc->vc, &head);\n\tspin_unlock_irqrestore',
         replace='\tspin_unlock_irqrestore'),
    dict(id='engine-verify-before-unmap', gens=BOTH, file=ENG, suite='sgdma',
         rule='data are verified only after dma_unmap_sgtable()',
         find='\tbuf_unmap(dev, &dst);\n\tbuf_unmap(dev, &src);\n'
              '\tif (!ret && p->corrupt)\n\t\tsgdma_corrupt(&src, &dst, p->corrupt);\n'
              '\tif (!ret && !p->noverify) {\n\t\tret = sgdma_verify(&src, &dst, r);\n'
              '\t\tif (ret)\n\t\t\tr->stage = "verify";\n\t}\n',
         replace='\tif (!ret && p->corrupt)\n\t\tsgdma_corrupt(&src, &dst, p->corrupt);\n'
                 '\tif (!ret && !p->noverify) {\n\t\tret = sgdma_verify(&src, &dst, r);\n'
                 '\t\tif (ret)\n\t\t\tr->stage = "verify";\n\t}\n'
                 '\tbuf_unmap(dev, &dst);\n\tbuf_unmap(dev, &src);\n'),
    dict(id='engine-status-unchecked', gens=BOTH, file=ENG, suite='sgdma',
         rule="every descriptor's status is checked, not only the last",
         find='\t\tif (dma_async_is_tx_complete(chan, cookies[i], NULL, NULL) !=\n'
              '\t\t    DMA_COMPLETE) {',
         replace='\t\tif (dma_async_is_tx_complete(chan, cookies[i], NULL, NULL) ==\n'
                 '\t\t    DMA_IN_PROGRESS) {'),
    dict(id='engine-no-terminate', gens=BOTH, file=ENG, suite='sgdma',
         rule='a failed transfer is terminated before its buffers go',
         find='\t/* nothing may still write to the buffers once we unmap them */\n'
              '\tdmaengine_terminate_sync(chan);\n',
         replace=''),
    dict(id='engine-dst-starts-as-src', gens=BOTH, file=ENG, suite='sgdma',
         rule='source and destination start with different patterns',
         find='buf_alloc_kernel(&dst, p->dst_off, p->len, ~p->seed)',
         replace='buf_alloc_kernel(&dst, p->dst_off, p->len, p->seed)'),
    dict(id='engine-guards-unchecked', gens=BOTH, file=ENG, suite='sgdma',
         rule='bytes around the destination region stay untouched',
         find='\t\tif (off < 0) {\n\t\t\twhere = "guard-before";\n\t\t\twant = dst->snap[pos];',
         replace='\t\tif (off < 0) {\n\t\t\twhere = "guard-before";\n\t\t\twant = *buf_byte(dst, pos, &map);\n\t\t\tkunmap_local(map);'),

    # ---- unwinding at failure points: the sgdma_fault suite, debug kernel ----
    dict(id='engine-partial-pin-kept', gens=('new',), file=ENG, suite='sgdma_fault',
         variant='debug',
         rule='user pages pinned before a failure are unpinned (6.12: KUnit user memory)',
         find='\t\tunpin_user_pages_dirty_lock(b->pages, b->pinned, b->is_dst);',
         replace='\t\tif (b->pinned == b->npages)\n'
                 '\t\t\tunpin_user_pages_dirty_lock(b->pages, b->pinned, b->is_dst);'),
    dict(id='engine-dst-map-failure-keeps-src', gens=BOTH, file=ENG, suite='sgdma_fault',
         variant='debug',
         rule='when the destination cannot be mapped, the source is unmapped',
         find='\tret = sgdma_map(dev, &dst.sgt, DMA_FROM_DEVICE);\n\tif (ret)\n\t\tgoto unmap;',
         replace='\tret = sgdma_map(dev, &dst.sgt, DMA_FROM_DEVICE);\n\tif (ret)\n\t\tgoto release;'),
    dict(id='engine-refused-submit-not-terminated', gens=BOTH, file=ENG,
         suite='sgdma_fault', variant='debug',
         rule='a refused submission terminates what was already queued',
         find='\t\t\tr->stage = "submit";\n\t\t\tret = -EIO;\n\t\t\tgoto terminate;',
         replace='\t\t\tr->stage = "submit";\n\t\t\tkfree(cookies);\n\t\t\treturn -EIO;'),
]

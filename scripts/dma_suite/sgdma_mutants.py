# SPDX-License-Identifier: GPL-2.0
"""Mutants of the sgdma engine and the software channel.

Broken copies the sgdma suite must catch: a byte short, a byte long, an
offset slip, a completion signalled before the copy, a verify done before
unmap, errors and timeouts handled carelessly.  Same format as
dmapool_mutants.py, with the file (in the managed tree) and the suite.
"""

SW = 'lib/dma_suite/sgdma_test/sgdma_swchan.c'
ENG = 'lib/dma_suite/sgdma_test/sgdma_engine.c'
MAIN = 'lib/dma_suite/sgdma_test/sgdma_main.c'
BOTH = ('old', 'new')

MUTANTS = [
    dict(id='swchan-byte-short', gens=BOTH, file=SW, suite='sgdma',
         rule='every byte of a run is copied',
         find='\tsize_t len = d->len;\n', replace='\tsize_t len = d->len - 1;\n'),
    dict(id='swchan-byte-long', gens=BOTH, file=SW, suite='sgdma',
         rule='nothing past a run is written',
         find='\tsize_t len = d->len;\n', replace='\tsize_t len = d->len + 1;\n'),
    dict(id='swchan-offset-slip', gens=BOTH, file=SW, suite='sgdma',
         rule='each byte lands at its own offset',
         find='\tdma_addr_t src = d->src, dst = d->dst;\n',
         replace='\tdma_addr_t src = d->src + 1, dst = d->dst;\n'),
    dict(id='swchan-complete-before-copy', gens=BOTH, file=SW, suite='sgdma',
         rule='a completion comes after the data',
         find='\t\tres = error ? DMA_TRANS_WRITE_FAILED : swchan_copy(sc, d, slow);\n',
         replace='\t\tsc->chan.completed_cookie = d->tx.cookie;\n'
                 '\t\tswchan_callback(d, DMA_TRANS_NOERROR);\n'
                 '\t\tres = error ? DMA_TRANS_WRITE_FAILED : swchan_copy(sc, d, slow);\n'
                 '\t\tWRITE_ONCE(sc->cur_terminated, true);\n'),
    dict(id='swchan-error-result-lost', gens=BOTH, file=SW, suite='sgdma',
         rule='an error completion carries an error result',
         find='\t\t\tswchan_callback(d, res);\n',
         replace='\t\t\tswchan_callback(d, DMA_TRANS_NOERROR);\n'),
    dict(id='swchan-terminate-keeps-descs', gens=BOTH, file=SW, suite='sgdma',
         rule='terminate_all takes every pending descriptor back',
         find='\tlist_splice_tail_init(&sc->submitted, &head);\n'
              '\tlist_splice_tail_init(&sc->issued, &head);\n',
         replace=''),
    dict(id='engine-verify-before-unmap', gens=BOTH, file=ENG, suite='sgdma',
         rule='data are verified only after dma_unmap_sgtable()',
         find='\tbuf_unmap(dev, &dst);\n\tbuf_unmap(dev, &src);\n'
              '\tif (!ret)\n\t\tret = copy_verify(&src, &dst, p, r);\n',
         replace='\tif (!ret)\n\t\tret = copy_verify(&src, &dst, p, r);\n'
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
         find='buf_alloc_kernel(dst, p->dst_off, p->len, ~p->seed)',
         replace='buf_alloc_kernel(dst, p->dst_off, p->len, p->seed)'),
    dict(id='engine-guards-unchecked', gens=BOTH, file=ENG, suite='sgdma',
         rule='bytes around the destination region stay untouched',
         find='\t\tif (off < 0) {\n\t\t\twhere = "guard-before";\n\t\t\twant = dst->snap[pos];',
         replace='\t\tif (off < 0) {\n\t\t\twhere = "guard-before";\n\t\t\twant = *buf_byte(dst, pos, &map);\n\t\t\tkunmap_local(map);'),

    # a driver with a fixed descriptor pool (zynqmp_dma; the software
    # channel's SGDMA_SWCHAN_SMALL_POOL)
    dict(id='engine-pool-exhaustion-fails', gens=BOTH, file=ENG, suite='sgdma',
         rule='a batch the driver runs out of descriptors for goes on in smaller batches',
         find='\t\t\tret = i ? -ENOSPC : -ENOMEM;\n', replace='\t\t\tret = -ENOMEM;\n'),

    # ---- the module never breaks the kernel it tests: sgdma_hardening ----
    dict(id='engine-entry-limit-loose', gens=BOTH, file=ENG, suite='sgdma_hardening',
         rule='a copy needing more than SGDMA_MAX_ENTRIES entries is refused (E2BIG)',
         find='\tif (entries > SGDMA_MAX_ENTRIES)\n',
         replace='\tif (entries > SGDMA_MAX_ENTRIES * 64)\n'),
    dict(id='engine-user-copy-without-mm', gens=BOTH, file=ENG, suite='sgdma_hardening',
         rule='user memory of a thread without an mm is refused, not followed',
         find='\tif (!current->mm)\n\t\treturn -EFAULT;\t/* a kernel thread has no user memory */\n',
         replace='\tif (!current->mm)\n\t\treturn -EINVAL;\n'),
    dict(id='runner-shared-channel-unlocked', gens=BOTH, file=MAIN, suite='sgdma_hardening',
         rule="threads sharing a channel take turns: one's terminate ends only its own descriptors",
         find='\t\t\tt->chan_lock = &run->chan_locks[c];\n',
         replace='\t\t\tt->chan_lock = NULL;\n'),
    dict(id='runner-run-holds-param-lock', gens=BOTH, file=MAIN, suite='sgdma_hardening',
         rule='a write of run does not hold the parameter lock while it runs',
         find='\t\tkernel_param_unlock(THIS_MODULE);\n\t\tret = run_now(&cfg);\n'
              '\t\tkernel_param_lock(THIS_MODULE);\n',
         replace='\t\tret = run_now(&cfg);\n'),
    dict(id='runner-params-unbounded', gens=BOTH, file=MAIN, suite='sgdma_hardening',
         rule='numeric parameters refuse values outside their ranges',
         find='\t\t\treturn param_set_uint_minmax(val, kp, uint_ranges[i].lo,\n'
              '\t\t\t\t\t\t     uint_ranges[i].hi);\n',
         replace='\t\t\treturn param_set_uint(val, kp);\n'),
    dict(id='runner-names-keep-newline', gens=BOTH, file=MAIN, suite='sgdma_hardening',
         rule="a run's channel and device names drop the newline echo writes",
         find='\tdrop_trailing_newline(cfg->channel);\n\tdrop_trailing_newline(cfg->device);\n',
         replace=''),
    dict(id='runner-worst-case-unchecked', gens=BOTH, file=MAIN, suite='sgdma_hardening',
         rule='a run whose largest copy needs too many entries is refused as a whole',
         find='\t\tret = run_check_worst_case(cfg, run->chans[c]);\n',
         replace='\t\tret = 0;\n'),
    dict(id='swchan-unbindable', gens=BOTH, file=SW, suite='sgdma_hardening',
         rule='the software channel cannot be unbound under its users',
         find='.driver = { .name = DRV_NAME, .suppress_bind_attrs = true },',
         replace='.driver = { .name = DRV_NAME, .suppress_bind_attrs = false },'),
    dict(id='swchan-pci-unbindable', gens=BOTH, file=SW, suite='sgdma_hardening',
         target='x86_64-iommu',
         rule='the software channel cannot be unbound under its users, on PCI too',
         find='\t.driver = { .suppress_bind_attrs = true },\n',
         replace='\t.driver = { .suppress_bind_attrs = false },\n'),
    dict(id='swchan-address-unchecked', gens=BOTH, file=SW, suite='sgdma_hardening',
         rule='a DMA address that reaches no memory fails the descriptor',
         find='\treturn (!dom || *phys) && pfn_valid(PHYS_PFN(*phys));\n',
         replace='\treturn !dom || *phys;\n'),
    dict(id='swchan-terminated-completes', gens=BOTH, file=SW, suite='sgdma_hardening',
         rule='a descriptor terminated mid-copy completes nothing',
         find='\t\tif (!terminated)\n\t\t\tswchan_callback(d, res);\n',
         replace='\t\tswchan_callback(d, res);\n'),

    dict(id='runner-run-freed-while-current', gens=BOTH, file=MAIN,
         suite='sgdma_hardening', variant='debug',
         rule='a run is freed only once it is no longer the run in progress (KASAN)',
         find='\tmutex_lock(&sgdma_run_lock);\n\tsgdma_run_free(run);\n',
         replace='\tsgdma_run_free(run);\n\tmutex_lock(&sgdma_run_lock);\n',
         equivalent='not observable where the debug kernels run: UML is one CPU '
                    'with PREEMPT_NONE, so no thread can take sgdma_run_lock '
                    'between the free and the reaper taking the lock; the race '
                    'needs SMP or kernel preemption (sgdma_racing_stops_find_the_'
                    'run_whole races it there)'),
    dict(id='swchan-terminate-frees-current', gens=BOTH, file=SW,
         suite='sgdma_hardening', variant='debug',
         rule='terminate_all leaves the descriptor being copied to the worker (KASAN)',
         find='\tif (sc->cur)\n\t\tWRITE_ONCE(sc->cur_terminated, true);\n',
         replace='\tif (sc->cur) {\n\t\tWRITE_ONCE(sc->cur_terminated, true);\n'
                 '\t\tlist_add_tail(&sc->cur->node, &head);\n\t}\n'),

    # ---- unwinding at failure points: the sgdma_fault suite, debug kernel ----
    dict(id='engine-partial-pin-kept', gens=('new',), file=ENG, suite='sgdma_fault',
         variant='debug',
         rule='user pages pinned before a failure are unpinned (6.12: KUnit user memory)',
         find='\t\tunpin_user_pages_dirty_lock(b->pages, b->pinned, b->dirty);',
         replace='\t\tif (b->pinned == b->npages)\n'
                 '\t\t\tunpin_user_pages_dirty_lock(b->pages, b->pinned, b->dirty);'),
    dict(id='engine-dst-map-failure-keeps-src', gens=BOTH, file=ENG, suite='sgdma_fault',
         variant='debug',
         rule='when the destination cannot be mapped, the source is unmapped',
         find='\tret = sgdma_map(dev, &dst->sgt, DMA_FROM_DEVICE);\n\tif (ret)\n\t\treturn ret;',
         replace='\tret = sgdma_map(dev, &dst->sgt, DMA_FROM_DEVICE);\n\tif (ret) {\n'
                 '\t\tsrc->mapped = false;\t/* never unmapped */\n\t\treturn ret;\n\t}'),
    dict(id='engine-refused-submit-not-terminated', gens=BOTH, file=ENG,
         suite='sgdma_fault', variant='debug',
         rule='a refused submission terminates what was already queued',
         find='\t\t\tr->stage = SGDMA_STAGE_SUBMIT;\n\t\t\tret = -EIO;\n\t\t\tgoto terminate;',
         replace='\t\t\tr->stage = SGDMA_STAGE_SUBMIT;\n\t\t\tkfree(cookies);\n\t\t\treturn -EIO;'),
]

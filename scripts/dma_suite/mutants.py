# SPDX-License-Identifier: GPL-2.0
"""make mutants: break the kernel (mm/dmapool.c) and the suite's own kernel
code on purpose, one mutant at a time, and see the suite catch each.

The catalogues are data: dmapool_mutants.py, sgdma_mutants.py,
iommu_mutants.py and zynqmp_dma_mutants.py.  A mutant with
variant='debug' is caught by the suites that need the debug kernel of make
kunit-debug (DMAPOOL_DEBUG, fault injection, KASAN); one with a target
runs there (x86_64-iommu: through QEMU's Intel IOMMU; arm64: on the
zynqmp_dma channels of QEMU's Versal model), the others on KARCH's (UML by
default)."""

import os
import re
import time
from dataclasses import dataclass

from . import dmapool_mutants, iommu_mutants, sgdma_mutants, zynqmp_dma_mutants
from .kernel_log import bad_lines_in
from .kunit_run import generation, invoke, kernel_home, only_known_bugs_failed, run_kunit
from .results import failed_cases
from .targets import target
from .tree import kernel_version, prepare
from .util import die, locked, log, write_if_changed

CATALOGUE = dmapool_mutants.MUTANTS + sgdma_mutants.MUTANTS + iommu_mutants.MUTANTS + \
    zynqmp_dma_mutants.MUTANTS
DEFAULT_FILE = 'mm/dmapool.c'


@dataclass
class Verdict:
    mutant: dict
    verdict: str        # caught, SURVIVED, NOBUILD, STALE
    took: float = 0.0
    by: str = ''

    @property
    def right(self):
        return self.verdict == ('SURVIVED' if self.mutant.get('equivalent') else 'caught')


def _where(m):
    """(variant, target) of the kernel mutant @m runs in; None: the default."""
    return m.get('variant'), m.get('target')


def _groups():
    return [(None, None)] + sorted({_where(m) for m in CATALOGUE} - {(None, None)},
                                   key=lambda w: (w[0] or '', w[1] or ''))


def _select(where, gen, pattern):
    return [m for m in CATALOGUE if _where(m) == where and
            (gen is None or gen in m['gens']) and
            (not pattern or re.search(pattern, m['id']))]


def _try(m, run_, target_, tree, pristine):
    """Apply @m, run its suite, put the file back; the verdict."""
    f = m.get('file', DEFAULT_FILE)
    path = os.path.join(tree.src, f)
    if pristine[f].count(m['find']) != 1:
        return Verdict(m, 'STALE')
    write_if_changed(path, pristine[f].replace(m['find'], m['replace']))
    t = time.time()
    log(f'mutant {m["id"]}: {m["rule"]}')
    try:
        rc = invoke(run_.replace(filter=m.get('suite', 'dmapool')), target_, tree,
                    force_build=True, quiet=True).rc
    finally:
        write_if_changed(path, pristine[f])
    if rc and only_known_bugs_failed(tree, run_.arch):
        rc = 0      # the kernel's own bug, met as without the mutant
    tlog = os.path.join(tree.build, 'test.log')
    if not (os.path.exists(tlog) and os.path.getmtime(tlog) >= t):
        v = Verdict(m, 'NOBUILD')
    else:
        log_bad = bad_lines_in(tlog)
        by = failed_cases(os.path.join(tree.build, 'results.json'), t)
        if rc or log_bad:
            v = Verdict(m, 'caught', by=by or 'crash or kernel warning')
        else:
            v = Verdict(m, 'SURVIVED')
    v.took = time.time() - t
    log(f'  -> {v.verdict} ({v.took:.0f}s) {v.by}')
    return v


def run_one_kernel(settings, kver, where, pattern):
    """Every mutant of one kernel (and variant, and target): (label, gen,
    verdicts), or None if none applies."""
    from .config import Run
    variant, on = where
    run_ = Run.from_settings(settings, kver=kver or settings.kver, variant=variant,
                             arch=on or ('um' if variant else settings.arch),
                             filter=None, raw_output=None, json=None,
                             timeout=min(settings.timeout, 300))
    t = target(run_.arch)
    tree = prepare(settings.cache, run_, t)
    run_ = run_.replace(sync=False)
    home = kernel_home(run_, t, tree)[2]
    if not _select(where, generation(home), pattern):
        return None
    # the unmutated kernel must pass first, or nothing below means anything
    if not run_kunit(run_, t, tree).ok:
        die(f'the suite fails on unmutated {kernel_version(tree.src)}'
            f'{" (" + variant + ")" if variant else ""}')
    gen = generation(home)
    mine = _select(where, gen, pattern)
    pristine = {}
    for m in mine:
        f = m.get('file', DEFAULT_FILE)
        if f not in pristine:
            with open(os.path.join(tree.src, f)) as fh:
                pristine[f] = fh.read()
    label = kernel_version(tree.src) + (f' {variant}' if variant else '') + \
        (f' on {on}' if on else '')
    log(f'{len(mine)} mutants for {label} ({gen} allocator)')
    # no sync of this tree may put a file back while a mutant is in it
    with locked(tree.top):
        try:
            verdicts = [_try(m, run_, t, tree, pristine) for m in mine]
        finally:
            for f, text in pristine.items():
                write_if_changed(os.path.join(tree.src, f), text)
    return label, gen, verdicts


def report(summary):
    bad = 0
    print()
    for ver, gen, verdicts in summary:
        killable = [v for v in verdicts if not v.mutant.get('equivalent')]
        equiv = [v for v in verdicts if v.mutant.get('equivalent')]
        caught = sum(1 for v in verdicts if v.verdict == 'caught')
        log(f'kernel {ver} ({gen} allocator): {caught}/{len(killable)} '
            f'non-equivalent mutants caught, {len(equiv)} equivalent')
        for v in verdicts:
            log(f'  {v.verdict:8} {v.mutant["id"]:30} {v.mutant["rule"]}')
            if v.by:
                log(f'  {"":8} {"":30} caught by: {v.by}')
        for v in equiv:
            log(f'  equivalent {v.mutant["id"]}: {v.mutant["equivalent"]} '
                f'(it {v.verdict.lower()})')
        bad += sum(1 for v in verdicts if not v.right)
    log(f'mutants: {"all non-equivalent caught" if not bad else f"{bad} wrong verdicts"}')
    return bad


def run_mutants(settings):
    """Each mutant in turn on each kernel (6.12, 6.1; or KDIR) and variant."""
    kvers = [None] if settings.kdir else list(settings.kvers())
    summary = []
    for kver in kvers:
        for where in _groups():
            r = run_one_kernel(settings, kver, where, settings.filter)
            if r:
                summary.append(r)
    return 1 if report(summary) else 0

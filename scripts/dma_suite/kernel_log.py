# SPDX-License-Identifier: GPL-2.0
"""What a kernel printed: the lines that fail a run (DMA-API debug, warnings,
oopses, checkers), the known issues of the kernels under test that are
listed instead, kmemleak's verdict, and the channels the suite tested."""

import re

from .util import log, read_text

# Kernel log lines that fail a run: DMA-API debug reports, and any warning,
# oops or checker report.  Lines the kernel always prints at boot are fine.
BAD = re.compile(r'DMA-API: |\bWARNING:|\bBUG:|kernel BUG at|Oops|KASAN'
                 r'|UBSAN|general protection|Kernel panic|INFO: .*lock')
FINE = re.compile(r'DMA-API: (preallocated \d+ debug entries|debugging enabled'
                  r' by kernel config|debugging disabled on kernel command line)')

# Reports of known bugs in the kernels under test, outside this suite: a
# report whose next lines (up to KNOWN_WINDOW) match is listed, not failed.
KNOWN_KERNEL_ISSUES = [
    (re.compile(r'WARNING: suspicious RCU usage'), re.compile(r'force_flush_all'),
     'UML up to 6.1: force_flush_all() walks the maple tree without RCU '
     '(arch/um/kernel/tlb.c, at fork; lockdep only)'),
]
KNOWN_WINDOW = 80


def lines_of(path):
    text = read_text(path)
    return None if text is None else text.splitlines()


def bad_lines(lines):
    """The kernel log lines that fail a run; the known kernel issues seen
    are logged (each once)."""
    bad, known = [], []
    for i, line in enumerate(lines):
        if not BAD.search(line) or FINE.search(line):
            continue
        after = lines[i + 1:i + 1 + KNOWN_WINDOW]
        why = next((w for head, sig, w in KNOWN_KERNEL_ISSUES
                    if head.search(line) and any(sig.search(a) for a in after)), None)
        if why:
            if why not in known:
                known.append(why)
        else:
            bad.append(line.rstrip())
    for why in known:
        log(f'  known kernel issue, not failed: {why}')
    return bad


def bad_lines_in(path):
    lines = lines_of(path)
    if lines is None:
        return [f'no kernel log ({path}) was written']
    return bad_lines(lines)


CHAN_LINE = re.compile(r'sgdma: testing (\S+) of \S+ \(driver (\S+)\)')


def channels_tested(lines):
    """'8 of dma-pl330: dma0chan0 ... dma0chan7' from the sgdma suite's lines."""
    by_driver = {}
    for line in lines or []:
        m = CHAN_LINE.search(line)
        if m and m.group(1) not in by_driver.setdefault(m.group(2), []):
            by_driver[m.group(2)].append(m.group(1))
    return '; '.join(f'{len(c)} of {d}: {" ".join(c)}' for d, c in by_driver.items())


# what a mapping did, as the sgdma_iommu cases print it
MAPPING_LINE = re.compile(r'# (sgdma_iommu_\w+): (.* mapped to .*)')
# what translates the software channel's DMA addresses (sgdma_swchan.c)
TRANSLATION_LINE = re.compile(r'sgdma-swchan \S+: .*; DMA addresses are (.*)')


def mapping_facts(lines):
    """The software channel's translation and what each mapping of the
    sgdma_iommu cases did (entries merged, segments), as lines to print."""
    out = [f'software channel: DMA addresses are {m.group(1)}'
           for m in map(TRANSLATION_LINE.search, lines or []) if m][:1]
    return out + [f'{m.group(1)}: {m.group(2)}'
                  for m in map(MAPPING_LINE.search, lines or []) if m]


# /init's kmemleak scan after everything ran (kernels with DEBUG_KMEMLEAK)
KMEMLEAK_LINE = re.compile(r'ksft-init: kmemleak: (\d+) suspected')
KMEMLEAK_OBJECT = re.compile(r'ksft-init: kmemleak: \|\s+unreferenced object (0x[0-9a-f]+)')
# The mm KUnit attaches for kunit_vm_mmap(), which 6.12 UML never frees;
# the sgdma suites print its address (sgdma_kunit_user.h).
KUNIT_MM = re.compile(r'sgdma: KUnit user memory in mm (0x[0-9a-f]+)')


def kmemleak_scanned(lines):
    return any(KMEMLEAK_LINE.search(line) for line in lines)


def kmemleak_suspects(lines):
    """The objects /init's kmemleak scan lists, but KUnit's own user-memory
    mms (a known leak outside this suite, matched by address); and how many
    of those were left out."""
    kunit_mms = {int(m.group(1), 16) for m in map(KUNIT_MM.search, lines) if m}
    out, kunit = [], 0
    for line in lines:
        m = KMEMLEAK_OBJECT.search(line)
        if not m:
            continue
        if int(m.group(1), 16) in kunit_mms:
            kunit += 1
        else:
            out.append(line.split('|', 1)[1].strip())
    return out, kunit

# SPDX-License-Identifier: GPL-2.0
"""The kselftest programs (kselftest/), booted: built for the target, packed
with the suite's /init (boot/dma_suite_init.c, built by kselftest/Makefile
as ksft_init) into an initramfs, run in the suite's
kernel, and judged from the console.

A debug kernel runs its KUnit suites in the same boot, before /init, so
that the kmemleak scan at the end covers them too; that part of the
console is judged as a kunit.py run is (`kunit.py parse`), and the boot is
the debug kernel's one run of both."""

import os
import re
import time

from . import boot
from .config import REPO
from .kernel_log import bad_lines, kmemleak_scanned, kmemleak_suspects
from .kunit_run import build as build_kernel, kernel_home, parse_console, variant_config
from .results import Counts, Outcome
from .tree import kernel_version
from .util import die, locked, log, run as sh

TOTALS = re.compile(r'# Totals: pass:(\d+) fail:(\d+) xfail:\d+ xpass:\d+ '
                    r'skip:(\d+) error:(\d+)')
END = re.compile(r'ksft-init: end (\S+) status (-?\d+)')
INIT_STARTS = 'Run /init as init process'
KSFT_SKIP = 4


def programs():
    """The programs of kselftest/Makefile's TEST_GEN_PROGS, in order."""
    with open(os.path.join(REPO, 'kselftest', 'Makefile')) as f:
        text = f.read().replace('\\\n', ' ')
    m = re.search(r'^TEST_GEN_PROGS\s*:?=(.*)$', text, re.M)
    progs = m.group(1).split('#')[0].split() if m else []
    if not progs:
        die('kselftest/Makefile: no TEST_GEN_PROGS')
    return progs


def ksft_dir(tree):
    return os.path.join(tree.src, 'tools/testing/selftests')


def build(cc, ksft, out):
    """Build the programs and /init with the compiler @cc, against the
    selftests tree @ksft, into @out; None or the build's output on failure."""
    os.makedirs(out, exist_ok=True)
    r = sh(['make', '-C', os.path.join(REPO, 'kselftest'), f'CC={cc}', 'STATIC=1',
            f'OUTPUT={out}', f'KSFT_DIR={ksft}'],
           check=False, capture_output=True, text=True)
    return (r.stdout[-3000:] + r.stderr[-3000:]) if r.returncode else None


def initramfs(out):
    entries = [('tests', 0o40755, None), boot.file_entry('init', os.path.join(out, 'ksft_init'))]
    entries += [boot.file_entry(f'tests/{p}', os.path.join(out, p)) for p in programs()]
    return boot.write_initramfs(os.path.join(out, 'initramfs.cpio'), entries)


def env_params(ksft_env):
    """The sampling programs' environment (Run.ksft_env) as kernel
    arguments: the kernel hands unknown name=value arguments to /init."""
    return [f'{k}={v}' for k, v in ksft_env]


def kernel_params(run_, with_kunit):
    """/init's environment and the kernel's arguments.  A debug kernel runs
    the KUnit suites at boot too, so that the kmemleak scan /init makes at
    the end covers them and the kselftest programs; so does a target whose
    one boot is both its KUnit and its kselftest run.  The kernel hands
    unknown name=value arguments to /init as environment."""
    return ['kunit.enable=1' if with_kunit else 'kunit.enable=0'] + list(run_.kernel_args) + \
        env_params(run_.ksft_env)


def judge(lines, debug, init=0):
    """Counts and failures from a boot's console @lines, /init's part from
    line @init on (the kernel log before it judged apart, if not 0; the
    kmemleak scan at the end covers the whole boot)."""
    totals = [0, 0, 0, 0]
    ends = {}
    for line in lines:
        m = TOTALS.search(line)
        if m:
            totals = [a + int(b) for a, b in zip(totals, m.groups())]
        m = END.search(line)
        if m:
            ends[m.group(1)] = int(m.group(2))
    failures = []
    leaks, kunit_mms = kmemleak_suspects(lines)
    if kunit_mms:
        log(f'  kmemleak: {kunit_mms} objects are the mm KUnit attached for '
            'user memory (known, outside this suite), not failed')
    if leaks:
        failures.append(f'kmemleak suspects {len(leaks)} objects:\n  ' + '\n  '.join(leaks[:10]))
    if debug and not kmemleak_scanned(lines):
        failures.append('no kmemleak scan at the end (is DEBUG_KMEMLEAK on?)')
    for prog in programs():
        if prog not in ends:
            failures.append(f'{prog} did not finish')
        elif ends[prog] not in (0, KSFT_SKIP):
            failures.append(f'{prog} exited {ends[prog]}')
    if totals[1] or totals[3]:
        failures.append(f'{totals[1]} failed, {totals[3]} errors')
    bad = bad_lines(lines[init:])
    if bad:
        failures.append('kernel warnings:\n  ' + '\n  '.join(bad[:20]))
    counts = Counts(PASS=totals[0], FAIL=totals[1], SKIP=totals[2], ERROR=totals[3])
    return counts, failures


def _init_starts(lines):
    """The index of the first line /init's part of a console, or its end."""
    return next((i for i, line in enumerate(lines) if INIT_STARTS in line), len(lines))


def run_kselftest(run_, target_, tree, with_kunit=False):
    """Boot the suite's kernel with an initramfs of the kselftest programs
    (a debug kernel, or @with_kunit: and its KUnit suites, judged apart)."""
    out = os.path.join(tree.build, 'kselftest')
    rc, _ = build_kernel(run_.whole(), target_, tree)
    if rc:
        return Outcome(ok=False, failures=[f'kunit.py build exited {rc}'])
    err = build(target_.cc(), ksft_dir(tree), out)
    if err:
        print(err)
        log('FAIL: kselftest programs did not build')
        return Outcome(ok=False, failures=['kselftest programs did not build'])
    debug = run_.variant == 'debug'
    with_kunit = with_kunit or debug
    _, kargs = variant_config(run_)
    home = kernel_home(run_, target_, tree)[2]
    cmd = boot.command(target_, tree, initramfs(out),
                       kernel_params(run_.replace(kernel_args=run_.kernel_args + tuple(kargs)),
                                     with_kunit),
                       kernel=os.path.join(home.build, target_.kernel))
    t0 = time.time()
    with locked(home.build, shared=True):
        lines = boot.boot_and_collect(cmd, run_.timeout, os.path.join(out, 'console.log'),
                                      done_line='ksft-init: done')
    took = time.time() - t0
    init = _init_starts(lines) if with_kunit else 0
    kunit = parse_console(run_, tree, lines[:init], os.path.join(out, 'kunit-console.log')) \
        if with_kunit else None
    counts, failures = judge(lines, debug, init)
    log(f'kselftest {kernel_version(tree.src)} {run_.arch}: pass {counts.PASS} '
        f'fail {counts.FAIL} skip {counts.SKIP} error {counts.ERROR} '
        f'in {took:.0f}s (console: {out}/console.log)')
    for f in failures:
        log(f'  {f}')
    o = Outcome(ok=not failures, counts=counts, failures=failures, run_s=took)
    if kunit:
        log(f'KUnit in the same boot: {"PASS" if kunit.ok else "FAIL"}, {kunit.counts}')
        for f in kunit.failures:
            log(f'  KUnit: {f}')
        o = kunit.merge(o)
    return o

# SPDX-License-Identifier: GPL-2.0
"""make bench: measurements of the DMA pool allocator and of SG copies.

For each kernel (6.12 and 6.1 unless KDIR is given) and each target (UML;
the Zynq-7000 under QEMU with BENCH_ARCHS=arm) this boots the test kernel
(built if it is not current; every test kernel has configs/bench.config)
with dma_debug=off and kunit.enable=0, and an initramfs whose /init
(boot/dma_suite_init.c, dma_suite_init=bench) runs the dma_suite_bench
module, upstream dmatest on the same channel and upstream map_benchmark,
then powers off.
The console is parsed (bench_parse.py) into a table on stdout, a JSON file
with every figure and its conditions, and PNG plots (bench_report.py).

Timings from UML or QEMU's TCG only compare within one run: one machine,
one emulator, one boot per kernel.  The smoke mode (SMOKE=1) is the
gate's: every figure, few repetitions; it fails if one is missing.
"""

import json
import os
import platform
import subprocess
import time

from . import boot
from .bench_parse import (DMATEST_SIZES, MAP_GRANULES, SMOKE_DMATEST_SIZES, SWIOTLB_MAX,
                          missing_figures, parse)
from .bench_report import headline, plots, table
from .config import REPO, Run
from .deps import ensure
from .kernel_log import bad_lines
from .kunit_run import build, generation
from .targets import BENCH_FRAGMENT, fragment, target
from .tree import kernel_version, prepare
from .util import die, locked, log, run as sh

# the suite's one /init, in its benchmark mode (dma_suite_init=bench)
INIT_SRC = 'boot/dma_suite_init.c'


def build_init(t, tree):
    """/init, and upstream's pool test module where the kernel built it, as
    the boot's initramfs."""
    out = os.path.join(tree.build, 'bench', 'bench_init')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    sh([t.cc(), '-Wall', '-O2', '-static', '-o', out, os.path.join(REPO, INIT_SRC)])
    entries = [boot.file_entry('init', out)]
    # upstream's pool test, built as a module: /init loads it around ours
    ko = os.path.join(tree.build, 'mm', 'dmapool_test.ko')
    if os.path.exists(ko):
        entries.append(boot.file_entry('dmapool_test.ko', ko, 0o100644))
    return boot.write_initramfs(os.path.join(tree.build, 'bench', 'initramfs.cpio'), entries)


def host_cpu():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def emulator_version(t):
    if t.is_uml:
        return f'UML on host Linux {platform.release()}'
    try:
        r = subprocess.run([t.qemu, '--version'], capture_output=True, text=True)
        return r.stdout.splitlines()[0]
    except (OSError, IndexError):
        return 'unknown'


def run_one(settings, kver, arch):
    """Build, boot and parse one kernel on one target."""
    s = settings
    run_ = Run.from_settings(s, kver=kver, arch=arch, variant=None, filter=None,
                             raw_output=None, json=None, timeout=s.bench_timeout)
    t = target(arch)
    tree = prepare(s.cache, run_, t)
    kconfig, absent = fragment(BENCH_FRAGMENT, tree.src)
    rc, build_s = build(run_, t, tree)
    if rc:
        die(f'the test kernel did not build in {tree.build}', 1)
    cpio = build_init(t, tree)
    reps = s.bench_reps or (5 if s.bench_smoke else 25)
    chan = s.bench_channel
    dmatest_sizes = SMOKE_DMATEST_SIZES if s.bench_smoke else DMATEST_SIZES
    granules = MAP_GRANULES
    notes = []
    if t.bounces:
        dmatest_sizes = [min(b, SWIOTLB_MAX) for b in dmatest_sizes]
        granules = [g for g in granules if g * 4096 <= SWIOTLB_MAX]
        notes.append('swiotlb=force: dmatest buffers and map_benchmark granules at most '
                     f'{SWIOTLB_MAX >> 10} KiB, the largest mapping swiotlb makes in one piece')
    iterations = 5 if s.bench_smoke else 50
    # the test kernel without its checkers: dma-debug off, no KUnit suites
    params = ['dma_suite_init=bench', 'kunit.enable=0', 'dma_debug=off',
              f'dma_suite_bench.reps={reps}',
              f'dma_suite_bench.smoke={int(s.bench_smoke)}',
              f'dma_suite_bench.channel={chan}', f'bench_channel={chan}',
              'bench_dmatest_sizes=' + ','.join(map(str, dmatest_sizes)),
              f'bench_dmatest_iterations={iterations}',
              'bench_map_granules=' + ','.join(map(str, granules))]
    console = os.path.join(tree.build, 'bench', 'console.log')
    log(f'booting the test kernel {kernel_version(tree.src)} ({arch}) for the benchmarks; '
        f'console in {console}')
    t0 = time.time()
    # the console as it comes, for a look during a long boot
    with open(console + '.live', 'w') as live, locked(tree.build, shared=True):
        lines = boot.boot_and_collect(boot.command(t, tree, cpio, params), s.bench_timeout,
                                      console, done_line='bench-init: done',
                                      echo=lambda line: print(line, file=live, flush=True))
    boot_s = time.time() - t0
    res = parse(lines)
    res['notes'] = notes + res['notes']
    run = dict(kernel=kernel_version(tree.src), generation=generation(tree), kdir=tree.kdir,
               arch=arch, emulator=t.emulator, emulator_version=emulator_version(t),
               host_cpu=host_cpu(), host_cores=os.cpu_count(), channel=chan,
               drivers=sorted({r['driver'] for r in res['sg']}),
               reps=reps, sg_reps=max(reps, 3), smoke=s.bench_smoke,
               dmatest_iterations=iterations, dmatest_sizes=dmatest_sizes,
               map_granules=granules, kconfig=kconfig, kconfig_absent=absent,
               build_s=round(build_s or 0, 1), boot_s=round(boot_s, 1), console=console,
               bad_log=bad_lines(lines)[:20], results=res)
    run['missing'] = missing_figures(run)
    log(f'{run["kernel"]} {arch}: ' +
        (f'build {build_s:.0f}s, ' if build_s is not None else 'no build needed, ') +
        f'boot+measure {boot_s:.0f}s, '
        f'{sum(len(v) for k, v in res.items() if isinstance(v, list))} figures, '
        f'{len(run["missing"])} missing')
    return run


def run_bench(settings):
    """Every kernel on every target; print, write JSON and plots.  False if
    a figure is missing or a boot went wrong."""
    t0 = time.time()
    ensure(packages=['gnuplot-nox'])
    kvers = [None] if settings.kdir else list(settings.bench_kvers)
    runs = [run_one(settings, kver or settings.kver, arch)
            for arch in settings.bench_archs for kver in kvers]
    heads = headline(runs)
    table(runs, heads)
    out = settings.bench_json or os.path.join(REPO, 'bench-results', 'bench.json')
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    pngs = plots(runs, os.path.dirname(os.path.abspath(out)))
    with open(out, 'w') as f:
        json.dump(dict(date=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
                       note='UML and TCG timings compare only within one run',
                       wall_s=round(time.time() - t0, 1), headline=heads,
                       plots=pngs, runs=runs), f, indent=1)
    bad = [(r['kernel'], r['arch'], r['missing'], r['bad_log']) for r in runs
           if r['missing'] or r['bad_log']]
    want = len(runs) + len({r['arch'] for r in runs})
    if len(pngs) < want:
        bad.append(('-', '-', [f'{want - len(pngs)} plots not drawn'], []))
    log(f'bench: {len(runs)} boots in {time.time() - t0:.0f}s; JSON {out}; '
        f'plots {" ".join(pngs) or "none"}')
    for kernel, arch, miss, blog in bad:
        log(f'  {kernel} {arch}: missing {"; ".join(miss) or "nothing"}; '
            f'kernel warnings: {len(blog)}')
        for line in blog:
            log(f'    {line}')
    return not bad

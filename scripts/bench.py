#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: measurements of the DMA pool allocator and of SG copies.

For each kernel (6.12 and 6.1 unless KDIR is given) and each target (UML;
the Zynq-7000 under QEMU with BENCH_ARCHS=arm) this builds a benchmark
kernel in a build directory of its own (build-<arch>-bench: the suite's
.kunitconfig plus configs/bench.config), boots it with an initramfs whose
/init (boot/dma_suite_init.c, with dma_suite_init=bench) runs the
dma_suite_bench module, upstream dmatest on the same channel and upstream
map_benchmark, then powers off.
The console lines are parsed into a table on stdout, a JSON file with every
figure and its conditions, and PNG plots drawn with gnuplot.

Timings from UML or QEMU's TCG only compare within one run: one machine,
one emulator, one boot per kernel.  The smoke mode (--smoke, SMOKE=1) is
the gate's: every figure, few repetitions; it fails if one is missing.
"""

import argparse
import contextlib
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite as S  # noqa: E402  (the runner's helpers, not copied)

BENCH_CONFIG = 'configs/bench.config'
INIT_SRC = 'boot/dma_suite_init.c'
# the shapes of dmapool_bench.c; (size, align, boundary)
POOL_SHAPES = [(4, 4, 0), (8, 8, 0), (16, 16, 0), (64, 64, 0), (256, 256, 0),
               (1024, 1024, 0), (4096, 4096, 0), (68, 32, 4096)]
UPSTREAM_SHAPES = POOL_SHAPES[2:]       # mm/dmapool_test.c's table
GROWTH_PAGES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]
SMOKE_GROWTH_PAGES = [1, 32, 1000]
SG_SIZES = [4096 << (2 * i) for i in range(6)]      # 4 KiB .. 4 MiB
SMOKE_SG_SIZES = [4096, 65536]
DMATEST_SIZES = [4096, 65536, 1 << 20]
SMOKE_DMATEST_SIZES = [4096]
MAP_ENTRIES = [1, 16, 256]
MAP_GRANULES = [1, 16, 256]
# swiotlb maps at most IO_TLB_SEGSIZE (128) slots of 2 KiB in one piece:
# with every mapping bounced, one contiguous buffer stays within 256 KiB
SWIOTLB_MAX = 256 << 10
EMULATOR = {'um': 'UML (user-mode Linux, a host process)',
            'arm': 'qemu-system-arm TCG, xilinx-zynq-a9 (Zynq-7000 ZC702)',
            'x86_64': 'qemu-system-x86_64 TCG'}

LINE = re.compile(r'dma_suite_bench: (pool|growth|sg|memcpy|map) (.*)$')
START = re.compile(r'dma_suite_bench: start .*clock_step_ns=(\d+) clock_read_ns=([\d.]+)')
STATUS = re.compile(r'dma_suite_bench: done part=(\w+) status=(-?\d+)')
UPSTREAM_POOL = re.compile(r'dmapool test: size:(\d+)\s+align:(\d+)\s+blocks:(\d+)\s+time:(\d+)')
DMATEST_START = re.compile(r'bench-init: dmatest channel=(\S+) bytes=(\d+) iterations=(\d+)')
DMATEST_SUM = re.compile(r'dmatest: (\S+): summary (\d+) tests, (\d+) failures '
                         r'([\d.]+) iops (\d+) KB/s \((-?\d+)\)')
# its figures are in units of 100 ns
MAP_UPSTREAM = re.compile(r'bench-init: map_benchmark granule=(\d+) map=(\d+) sd=(\d+) '
                          r'unmap=(\d+) unmap_sd=(\d+)')


def defined_symbols(src, wanted):
    """Which of the Kconfig symbols @wanted the tree at @src defines."""
    r = subprocess.run(['grep', '-rhoE', '--include=Kconfig*',
                        r'^(menu)?config [A-Z0-9_]+', src],
                       capture_output=True, text=True)
    have = {l.split()[-1] for l in r.stdout.splitlines()}
    return {w for w in wanted if w in have}


def bench_kconfig(src):
    """configs/bench.config without the symbols this kernel does not have."""
    lines = S.config_lines(BENCH_CONFIG)
    syms = [l.split('=')[0][len('CONFIG_'):] for l in lines]
    have = defined_symbols(src, syms)
    keep = [l for l, s in zip(lines, syms) if s in have]
    return keep, [s for s in syms if s not in have]


def build_kernel(a, src, build):
    """kunit.py build (not run) of the bench configuration."""
    cmd = S.kunit_cmd(a, src, build)
    cmd[cmd.index('run')] = 'build'
    cmd = [c for c in cmd if not c.startswith(('--timeout=', '--json=', '--raw_output='))]
    S.log(f'building the bench kernel in {build}')
    t0 = time.time()
    r = subprocess.run(cmd, cwd=src, env=S.qemu_env(a.arch, build),
                       capture_output=True, text=True)
    if r.returncode:
        print(r.stdout[-4000:], r.stderr[-4000:])
        S.die(f'the bench kernel did not build in {build}', 1)
    return time.time() - t0


def build_init(arch, build):
    cc = (S.QEMU_TARGETS.get(arch, {}).get('cross') or '') + 'gcc'
    out = os.path.join(build, 'bench', 'bench_init')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    S.run([cc, '-Wall', '-O2', '-static', '-o', out, os.path.join(S.REPO, INIT_SRC)])
    entries = []
    with open(out, 'rb') as f:
        entries.append(('init', 0o100755, f.read()))
    # upstream's pool test, built as a module: /init loads it around ours
    ko = os.path.join(build, 'mm', 'dmapool_test.ko')
    if os.path.exists(ko):
        with open(ko, 'rb') as f:
            entries.append(('dmapool_test.ko', 0o100644, f.read()))
    cpio = os.path.join(build, 'bench', 'initramfs.cpio')
    with open(cpio, 'wb') as c:
        c.write(S.newc_cpio(entries))
    return cpio


def boot_cmd(arch, build, cpio, params):
    t = S.QEMU_TARGETS.get(arch, {})
    kernel = os.path.join(build, t.get('kernel', 'linux'))
    if arch == 'um':
        return [kernel, 'mem=1G', f'initrd={cpio}', 'console=tty'] + params
    dtb = [d for d in t['dtbs'] if os.path.exists(os.path.join(build, d))]
    return [f'qemu-system-{arch}', '-nodefaults', '-m', '1024',
            '-kernel', kernel, '-initrd', cpio,
            '-append', ' '.join([t['cmdline'], 'rdinit=/init'] + params),
            '-no-reboot', '-nographic'] + t['machine'] + \
        (['-dtb', os.path.join(build, dtb[0])] if dtb else []) + \
        ['-serial', 'null'] * t.get('serial_shift', 0) + ['-serial', 'stdio']


def kv(text):
    """{'k': 'v'} from 'k=v k2=v2'; numbers as numbers."""
    out = {}
    for tok in text.split():
        k, _, v = tok.partition('=')
        try:
            out[k] = float(v) if '.' in v else int(v)
        except ValueError:
            out[k] = v
    return out


def parse(lines):
    """Every figure of one boot's console."""
    res = {'pool': [], 'growth': [], 'sg': [], 'memcpy': [], 'map': [],
           'upstream_dmapool': [], 'dmatest': [], 'upstream_map': [], 'status': {},
           'notes': [], 'clock_step_ns': None, 'clock_read_ns': None}
    dmatest_bytes = None
    upstream_load = 0
    for line in lines:
        m = LINE.search(line)
        if m:
            res[m.group(1)].append(kv(m.group(2)))
            continue
        m = START.search(line)
        if m:
            res['clock_step_ns'] = int(m.group(1))
            res['clock_read_ns'] = float(m.group(2))
            continue
        if 'bench-init: dmapool_test' in line:
            upstream_load += 1
            continue
        m = STATUS.search(line)
        if m:
            res['status'][m.group(1)] = int(m.group(2))
            continue
        m = UPSTREAM_POOL.search(line)
        if m:
            size, align, blocks, us = map(int, m.groups())
            # 100 rounds of alloc-all, free-all (NR_TESTS in mm/dmapool_test.c)
            res['upstream_dmapool'].append(dict(
                size=size, align=align, blocks=blocks, time_us=us, load=upstream_load,
                pair_ns=us * 1000.0 / (100 * blocks)))
            continue
        m = DMATEST_START.search(line)
        if m:
            dmatest_bytes = int(m.group(2))
            continue
        m = DMATEST_SUM.search(line)
        if m and dmatest_bytes:
            thread, tests, fails, iops, kbs, err = m.groups()
            res['dmatest'].append(dict(thread=thread, bytes=dmatest_bytes,
                                       tests=int(tests), failures=int(fails),
                                       iops=float(iops), kb_s=int(kbs), err=int(err),
                                       mb_s=int(kbs) * 1024 / 1e6))
            continue
        m = MAP_UPSTREAM.search(line)
        if m:
            g, am, sm, au, su = map(int, m.groups())
            res['upstream_map'].append(dict(granule=g, map_ns=am * 100, map_stddev_ns=sm * 100,
                                            unmap_ns=au * 100, unmap_stddev_ns=su * 100))
            continue
        if 'skipped' in line and 'dma_suite_bench' in line or \
                re.search(r'bench-init: (no |write |map_benchmark: )', line):
            res['notes'].append(line.strip())
    for r in res['sg']:
        ns = r['median_ns']
        r['mb_s'] = r['bytes'] / ns * 1e3 if ns else 0
        r['mb_s_min'] = r['bytes'] / r['max_ns'] * 1e3 if r['max_ns'] else 0
        r['mb_s_max'] = r['bytes'] / r['min_ns'] * 1e3 if r['min_ns'] else 0
        r['descs_per_s'] = r['descs'] / ns * 1e9 if ns else 0
    for r in res['memcpy']:
        ns = r['median_ns']
        r['mb_s'] = r['bytes'] / ns * 1e3 if ns else 0
        r['mb_s_min'] = r['bytes'] / r['max_ns'] * 1e3 if r['max_ns'] else 0
        r['mb_s_max'] = r['bytes'] / r['min_ns'] * 1e3 if r['min_ns'] else 0
    return res


def find(rows, **keys):
    for r in rows:
        if all(r.get(k) == v for k, v in keys.items()):
            return r
    return None


def missing_figures(run):
    """What a complete run must have printed, and did not."""
    res, smoke = run['results'], run['smoke']
    miss = []
    for part in ('pool', 'growth', 'sg', 'map'):
        st = res['status'].get(part)
        if st != 0:
            miss.append(f'part {part}: status {st}')
    for size, align, boundary in POOL_SHAPES:
        for kind in ('dmapool', 'kmem_cache'):
            for op in ('alloc', 'free', 'pair'):
                if not find(res['pool'], kind=kind, size=size, align=align,
                            boundary=boundary, op=op):
                    miss.append(f'pool {kind} size={size} align={align} op={op}')
        if not find(res['pool'], kind='dmapool', size=size, align=align, op='upstream'):
            miss.append(f'pool dmapool size={size} align={align} op=upstream')
    for pages in (SMOKE_GROWTH_PAGES if smoke else GROWTH_PAGES):
        for kind in ('dmapool', 'kmem_cache'):
            if not find(res['growth'], kind=kind, pages=pages, op='pair'):
                miss.append(f'growth {kind} pages={pages}')
    for size in (SMOKE_SG_SIZES if smoke else SG_SIZES):
        if not find(res['memcpy'], bytes=size):
            miss.append(f'memcpy bytes={size}')
        for mode in ('batched', 'per-entry'):
            if not find(res['sg'], bytes=size, mode=mode):
                miss.append(f'sg {mode} bytes={size}')
    for n in MAP_ENTRIES:
        if not find(res['map'], entries=n, op='map'):
            miss.append(f'map entries={n}')
    if any(l.startswith('CONFIG_DMAPOOL_TEST=') for l in run['kconfig']):
        for size, align, _ in UPSTREAM_SHAPES:
            if not find(res['upstream_dmapool'], size=size, align=align):
                miss.append(f'upstream dmapool_test size={size}')
    for size in run['dmatest_sizes']:
        r = find(res['dmatest'], bytes=size)
        if not r or r['failures'] or not r['tests']:
            miss.append(f'dmatest bytes={size}')
    for g in run['map_granules']:
        if not find(res['upstream_map'], granule=g):
            miss.append(f'upstream map_benchmark granule={g}')
    return miss


def host_cpu():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def emulator_version(arch):
    if arch == 'um':
        return f'UML on host Linux {platform.release()}'
    try:
        r = subprocess.run([f'qemu-system-{arch}', '--version'], capture_output=True, text=True)
        return r.stdout.splitlines()[0]
    except (OSError, IndexError):
        return 'unknown'


def run_one(args, kver, arch):
    """Build, boot and parse one kernel on one target."""
    a = S.run_args(args, kver=kver, arch=arch, variant='bench', no_sync=False,
                   timeout=args.timeout)
    kdir, src, build = S.prepare(a)
    kconfig, absent = bench_kconfig(src)
    a.kconfig_add = list(args.kconfig_add) + kconfig
    build_s = build_kernel(a, src, build)
    cpio = build_init(arch, build)
    reps = args.reps or (5 if args.smoke else 25)
    chan = args.channel
    dmatest_sizes = SMOKE_DMATEST_SIZES if args.smoke else DMATEST_SIZES
    granules = MAP_GRANULES
    notes = []
    if 'swiotlb=force' in S.QEMU_TARGETS.get(arch, {}).get('cmdline', ''):
        dmatest_sizes = [min(b, SWIOTLB_MAX) for b in dmatest_sizes]
        granules = [g for g in granules if g * 4096 <= SWIOTLB_MAX]
        notes.append('swiotlb=force: dmatest buffers and map_benchmark granules at most '
                     f'{SWIOTLB_MAX >> 10} KiB, the largest mapping swiotlb makes in one piece')
    params = ['kunit.enable=0', 'dma_suite_init=bench', f'dma_suite_bench.reps={reps}',
              f'dma_suite_bench.smoke={int(args.smoke)}',
              f'dma_suite_bench.channel={chan}', f'bench_channel={chan}',
              'bench_dmatest_sizes=' + ','.join(map(str, dmatest_sizes)),
              f'bench_dmatest_iterations={5 if args.smoke else 50}',
              'bench_map_granules=' + ','.join(map(str, granules))]
    cmd = boot_cmd(arch, build, cpio, params)
    console = os.path.join(build, 'bench', 'console.log')
    S.log(f'booting the bench kernel {S.kernel_version(src)} ({arch}); console in {console}')
    t0 = time.time()
    # the console as it comes, for a look during a long boot
    os.makedirs(os.path.dirname(console), exist_ok=True)
    with open(console + '.live', 'w') as live, contextlib.redirect_stdout(live):
        lines = S.boot_and_collect(cmd, dict(os.environ), args.timeout, console,
                                   done_line='bench-init: done')
    boot_s = time.time() - t0
    res = parse(lines)
    res['notes'] = notes + res['notes']
    drivers = sorted({r['driver'] for r in res['sg']})
    run = dict(kernel=S.kernel_version(src), generation=S.generation(build), kdir=kdir,
               arch=arch,
               emulator=EMULATOR.get(arch, arch), emulator_version=emulator_version(arch),
               host_cpu=host_cpu(),
               host_cores=os.cpu_count(), channel=chan, drivers=drivers,
               reps=reps, sg_reps=max(reps, 3), smoke=args.smoke,
               dmatest_iterations=5 if args.smoke else 50, dmatest_sizes=dmatest_sizes,
               map_granules=granules,
               kconfig=kconfig, kconfig_absent=absent, build_s=round(build_s, 1),
               boot_s=round(boot_s, 1), console=console,
               bad_log=S.bad_log_lines(lines)[:20],
               results=res)
    run['missing'] = missing_figures(run)
    S.log(f'{run["kernel"]} {arch}: build {build_s:.0f}s, boot+measure {boot_s:.0f}s, '
          f'{sum(len(v) for k, v in res.items() if isinstance(v, list))} figures, '
          f'{len(run["missing"])} missing')
    return run


# ---- the report ----

def gmean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt(x, nd=1):
    return '-' if x is None else f'{x:.{nd}f}'


def headline(runs):
    """The issue's ratios, each from figures of one boot."""
    out = {}
    for run in runs:
        res, key = run['results'], f'{run["kernel"]} {run["arch"]}'
        h = {}
        ratios = []
        for size, align, boundary in POOL_SHAPES:
            p = find(res['pool'], kind='dmapool', size=size, align=align, op='pair')
            k = find(res['pool'], kind='kmem_cache', size=size, align=align, op='pair')
            if p and k and k['median_ns']:
                ratios.append(p['median_ns'] / k['median_ns'])
        h['pool_vs_kmem_cache_pair_gmean'] = gmean(ratios)
        p = find(res['growth'], kind='dmapool', pages=1000, op='pair')
        h['pool_pair_ns_at_1000_pages'] = p and p['median_ns']
        p1 = find(res['growth'], kind='dmapool', pages=1, op='pair')
        h['pool_pair_ns_at_1_page'] = p1 and p1['median_ns']
        sg = res['sg']
        pairs = []
        for b in sg:
            if b['mode'] != 'batched':
                continue
            e = find(sg, mode='per-entry', bytes=b['bytes'], entries=b['entries'])
            if e and b['mb_s'] and e['mb_s']:
                pairs.append((b, e))
        h['batched_vs_per_entry_gmean'] = gmean([b['mb_s'] / e['mb_s'] for b, e in pairs])
        most = max(pairs, key=lambda be: (be[0]['descs'], -be[0]['bytes']), default=None)
        if most:
            h['batched_vs_per_entry_most_descs'] = dict(
                bytes=most[0]['bytes'], descs=most[0]['descs'],
                ratio=most[0]['mb_s'] / most[1]['mb_s'])
        big = max((b['bytes'] for b in sg), default=None)
        if big:
            b = max((r for r in sg if r['bytes'] == big and r['mode'] == 'batched'),
                    key=lambda r: r['mb_s'], default=None)
            c = find(res['memcpy'], bytes=big)
            if b and c and c['mb_s']:
                h['engine_vs_memcpy'] = dict(bytes=big, engine_mb_s=b['mb_s'],
                                             memcpy_mb_s=c['mb_s'],
                                             ratio=b['mb_s'] / c['mb_s'])
        agree = []
        shapes = []
        for u in res['upstream_dmapool']:
            if (u['size'], u['align']) not in shapes:
                shapes.append((u['size'], u['align']))
        for size, align in shapes:
            # its load before ours and after: the one after finds memory
            # already touched, as ours does (the first fresh pages cost more
            # under UML, a host page fault each)
            ups = [u['pair_ns'] for u in res['upstream_dmapool']
                   if (u['size'], u['align']) == (size, align)]
            u = dict(size=size, align=align, pair_ns=ups[-1])
            p = find(res['pool'], kind='dmapool', size=size, align=align, op='upstream')
            if p:
                agree.append(dict(size=size, align=align, upstream_ns=u['pair_ns'],
                                  upstream_each_ns=ups,
                                  ours_median_ns=p['median_ns'], ours_min_ns=p['min_ns'],
                                  ours_max_ns=p['max_ns'],
                                  ratio=p['median_ns'] / u['pair_ns'] if u['pair_ns'] else None,
                                  in_spread=p['min_ns'] * 0.9 <= u['pair_ns'] <= p['max_ns'] * 1.1))
        h['upstream_dmapool_test'] = agree
        out[key] = h
    by_arch = {}
    for run in runs:
        by_arch.setdefault(run['arch'], {})[run['kernel'].rsplit('.', 1)[0]] = run
    for arch, kernels in by_arch.items():
        # which kernel has which allocator: Kbuild's decision (generation())
        old = next((r for r in kernels.values() if r['generation'] == 'old'), None)
        new = next((r for r in kernels.values() if r['generation'] == 'new'), None)
        if old and new:
            o = find(old['results']['growth'], kind='dmapool', pages=1000, op='pair')
            n = find(new['results']['growth'], kind='dmapool', pages=1000, op='pair')
            if o and n and n['median_ns']:
                out[f'{old["kernel"]} vs {new["kernel"]} {arch}'] = dict(
                    pages=1000, old_ns=o['median_ns'], new_ns=n['median_ns'],
                    ratio=o['median_ns'] / n['median_ns'],
                    note='two boots of the same machine in one make bench run')
    return out


def table(runs, heads):
    for run in runs:
        res = run['results']
        print(f'\n=== {run["kernel"]} on {run["emulator"]}; host {run["host_cpu"]} '
              f'({run["host_cores"]} cores); reps {run["reps"]} (SG {run["sg_reps"]})'
              f'{"; SMOKE" if run["smoke"] else ""}')
        if run['kconfig_absent']:
            print(f'    not in this kernel: {", ".join(run["kconfig_absent"])}')
        print(f'\n  clock: step {res["clock_step_ns"]} ns, a ktime_get_ns() read costs '
              f'{res["clock_read_ns"]} ns')
        print('\n  pool: ns per block, median [min..max] of rounds of mm/dmapool_test.c\'s pattern;'
              '\n  its way: fresh pool, 100 rounds timed whole (median); upstream: '
              'mm/dmapool_test.ko, loaded just after ours')
        print(f'  {"size":>5} {"align":>5} {"bound":>5} {"blocks":>6} | '
              f'{"dmapool alloc":>14} {"free":>7} {"pair":>18} | {"kmem_cache pair":>18} | '
              f'{"ratio":>5} | {"its way":>7} {"upstream":>8}')
        for size, align, boundary in POOL_SHAPES:
            g = {(k, op): find(res['pool'], kind=k, size=size, align=align, op=op)
                 for k in ('dmapool', 'kmem_cache') for op in ('alloc', 'free', 'pair')}
            if not g[('dmapool', 'pair')]:
                continue
            p, k = g[('dmapool', 'pair')], g[('kmem_cache', 'pair')]
            ups = [r for r in res['upstream_dmapool'] if (r['size'], r['align']) == (size, align)]
            u = ups[-1] if ups else None
            w = find(res['pool'], kind='dmapool', size=size, align=align, op='upstream')

            def spread(r):
                return f'{r["median_ns"]:.1f} [{r["min_ns"]:.0f}..{r["max_ns"]:.0f}]' if r else '-'
            print(f'  {size:5} {align:5} {boundary:5} {p["blocks"]:6} | '
                  f'{g[("dmapool", "alloc")]["median_ns"]:14.1f} '
                  f'{g[("dmapool", "free")]["median_ns"]:7.1f} {spread(p):>18} | '
                  f'{spread(k):>18} | '
                  f'{fmt(p["median_ns"] / k["median_ns"] if k and k["median_ns"] else None, 2):>5} | '
                  f'{fmt(w and w["median_ns"]):>7} {fmt(u and u["pair_ns"]):>8}')
        print('\n  growth: ns per op with N pages of 48-byte blocks live (random free, then alloc);'
              '\n  pair timed over 256 pairs, alloc and free each timed (one clock read more each)')
        print(f'  {"pages":>5} {"live":>6} | {"pool alloc":>10} {"free":>8} {"pair":>8} | '
              f'{"kmem_cache pair":>15}')
        for pages in sorted({r['pages'] for r in res['growth']}):
            a = find(res['growth'], kind='dmapool', pages=pages, op='alloc')
            f = find(res['growth'], kind='dmapool', pages=pages, op='free')
            p = find(res['growth'], kind='dmapool', pages=pages, op='pair')
            k = find(res['growth'], kind='kmem_cache', pages=pages, op='pair')
            print(f'  {pages:5} {p["live"] if p else 0:6} | {fmt(a and a["median_ns"]):>10} '
                  f'{fmt(f and f["median_ns"]):>8} {fmt(p and p["median_ns"]):>8} | '
                  f'{fmt(k and k["median_ns"]):>15}')
        if res['sg'] or res['memcpy']:
            drv = ', '.join(run['drivers']) or '-'
            print(f'\n  SG copies on {run["channel"]} ({drv}): MB/s median [min..max], '
                  f'descriptors/s; CPU memcpy of the same bytes')
            print(f'  {"bytes":>8} {"entries":>7} {"descs":>5} | {"batched MB/s":>22} '
                  f'{"desc/s":>9} | {"per-entry MB/s":>22} {"desc/s":>9} | {"memcpy MB/s":>11}')
            for size in sorted({r['bytes'] for r in res['sg']}):
                c = find(res['memcpy'], bytes=size)
                for ent in sorted({r['entries'] for r in res['sg'] if r['bytes'] == size}):
                    b = find(res['sg'], bytes=size, entries=ent, mode='batched')
                    e = find(res['sg'], bytes=size, entries=ent, mode='per-entry')

                    def tp(r):
                        return (f'{r["mb_s"]:.1f} [{r["mb_s_min"]:.0f}..{r["mb_s_max"]:.0f}]'
                                if r else '-')
                    print(f'  {size:8} {ent:7} {b["descs"] if b else 0:5} | {tp(b):>22} '
                          f'{fmt(b and b["descs_per_s"], 0):>9} | {tp(e):>22} '
                          f'{fmt(e and e["descs_per_s"], 0):>9} | {fmt(c and c["mb_s"]):>11}')
        if res['dmatest']:
            print('\n  upstream dmatest, same channel (one contiguous buffer, noverify; '
                  'its time includes map, prep and submit)')
            for d in res['dmatest']:
                print(f'  {d["bytes"]:8} bytes: {d["mb_s"]:.1f} MB/s, {d["iops"]:.1f} copies/s '
                      f'({d["tests"]} tests, {d["failures"]} failures) {d["thread"]}')
        if res['map'] or res['upstream_map']:
            print('\n  mapping cost, ns per entry (page): dma_map_sg/dma_unmap_sg, median '
                  '[min..max]; upstream map_benchmark (dma_map_single, mean +- stddev)')
            for n in MAP_ENTRIES:
                m = find(res['map'], entries=n, op='map')
                u = find(res['map'], entries=n, op='unmap')
                if m:
                    print(f'  {n:4} entries x {m["lists"]} lists on {m["dev"]}, bounce={m["bounce"]}: '
                          f'map {m["median_ns"]:.1f} [{m["min_ns"]:.0f}..{m["max_ns"]:.0f}], '
                          f'unmap {u["median_ns"]:.1f} [{u["min_ns"]:.0f}..{u["max_ns"]:.0f}]')
            for u in res['upstream_map']:
                print(f'  map_benchmark granule {u["granule"]:3} pages: map {u["map_ns"]} '
                      f'+- {u["map_stddev_ns"]} ns, unmap {u["unmap_ns"]} +- '
                      f'{u["unmap_stddev_ns"]} ns (100 ns resolution)')
        for n in res['notes']:
            print(f'  note: {n}')
        if run['missing']:
            print(f'  MISSING: {"; ".join(run["missing"])}')
    print('\n=== headline ratios (each from one boot, or two boots of one run)')
    for key, h in heads.items():
        if ' vs ' in key:
            print(f'  {key}: pool free+alloc at {h["pages"]} pages: '
                  f'{h["old_ns"]:.1f} ns vs {h["new_ns"]:.1f} ns = {h["ratio"]:.1f}x')
            continue
        print(f'  {key}: DMA pool vs kmem_cache (pair, geomean over shapes): '
              f'{fmt(h["pool_vs_kmem_cache_pair_gmean"], 2)}x')
        if h.get('batched_vs_per_entry_most_descs'):
            m = h['batched_vs_per_entry_most_descs']
            print(f'  {key}: batched vs per-entry throughput: {m["ratio"]:.2f}x at '
                  f'{m["bytes"]} bytes, {m["descs"]} descriptors; geomean over points '
                  f'{fmt(h["batched_vs_per_entry_gmean"], 2)}x')
        if h.get('engine_vs_memcpy'):
            e = h['engine_vs_memcpy']
            print(f'  {key}: engine (batched) vs CPU memcpy at {e["bytes"]} bytes: '
                  f'{e["engine_mb_s"]:.0f} vs {e["memcpy_mb_s"]:.0f} MB/s = {e["ratio"]:.2f}')
        for u in h['upstream_dmapool_test']:
            if u['ratio'] and abs(u['ratio'] - 1) <= 0.10:
                flag = '  (within 10%)'
            elif u['in_spread']:
                flag = '  (outside 10% of our median, inside our min..max +-10%)'
            else:
                flag = '  (outside 10%, and outside our min..max)'
            print(f'  {key}: dmapool_test size {u["size"]}: ours (its method) '
                  f'{u["ours_median_ns"]:.1f} [{u["ours_min_ns"]:.1f}..{u["ours_max_ns"]:.1f}] ns '
                  f'vs upstream\'s {u["upstream_ns"]:.1f} ns (loaded after ours; before: '
                  f'{", ".join(f"{x:.1f}" for x in u["upstream_each_ns"][:-1]) or "-"}) = '
                  f'{fmt(u["ratio"], 2)}{flag}')


def plots(runs, outdir):
    """PNGs with gnuplot: SG throughput against size per mode (one per
    kernel and target), pool cost against live pages (both kernels)."""
    if not shutil.which('gnuplot'):
        S.ensure_tools(extra=['gnuplot-nox'])
    made = []
    os.makedirs(outdir, exist_ok=True)
    for run in runs:
        res = run['results']
        if not res['sg']:
            continue
        tag = f'{run["kernel"]}-{run["arch"]}'
        dat = os.path.join(outdir, f'sg-{tag}.dat')
        series = []
        with open(dat, 'w') as f:
            for mode in ('batched', 'per-entry'):
                for ent_rank in ('fewest', 'most'):
                    rows = []
                    for size in sorted({r['bytes'] for r in res['sg']}):
                        cands = [r for r in res['sg'] if r['bytes'] == size and r['mode'] == mode]
                        if cands:
                            pick = (min if ent_rank == 'fewest' else max)(cands, key=lambda r: r['entries'])
                            rows.append((size, pick['mb_s'], pick['mb_s_min'], pick['mb_s_max']))
                    series.append(f'{mode}, {ent_rank} entries')
                    f.write(f'# {series[-1]}\n' + ''.join(f'{s} {m} {lo} {hi}\n' for s, m, lo, hi in rows) + '\n\n')
            series.append('CPU memcpy')
            f.write('# memcpy\n' + ''.join(f'{r["bytes"]} {r["mb_s"]} {r["mb_s_min"]} {r["mb_s_max"]}\n'
                                           for r in sorted(res['memcpy'], key=lambda r: r['bytes'])) + '\n\n')
            if res['dmatest']:
                series.append('upstream dmatest')
                f.write('# dmatest\n' + ''.join(f'{d["bytes"]} {d["mb_s"]} {d["mb_s"]} {d["mb_s"]}\n'
                                                for d in res['dmatest']) + '\n\n')
        png = os.path.join(outdir, f'sg-throughput-{tag}.png')
        drv = ', '.join(run['drivers'])
        plot = ', '.join(f'"{dat}" index {i} using 1:2:3:4 with yerrorlines title "{t}"'
                         for i, t in enumerate(series))
        gp = (f'set terminal pngcairo size 900,600 noenhanced\nset output "{png}"\n'
              f'set title "SG copy throughput, {run["kernel"]} on {run["emulator"]} ({drv})"\n'
              'set logscale x 2\nset logscale y 10\nset xlabel "bytes per copy"\n'
              'set format x "%.0b %BB"\n'
              'set ylabel "MB/s (median, min..max)"\nset key right bottom\nset grid\n'
              f'plot {plot}\n')
        if subprocess.run(['gnuplot'], input=gp, text=True).returncode == 0:
            made.append(png)
    by_arch = {}
    for run in runs:
        by_arch.setdefault(run['arch'], []).append(run)
    for arch, rs in by_arch.items():
        dat = os.path.join(outdir, f'pool-growth-{arch}.dat')
        series = []
        with open(dat, 'w') as f:
            for run in rs:
                for kind in ('dmapool', 'kmem_cache'):
                    rows = sorted((r for r in run['results']['growth']
                                   if r['kind'] == kind and r['op'] == 'pair'),
                                  key=lambda r: r['pages'])
                    if rows:
                        series.append(f'{run["kernel"]} {kind}')
                        f.write(f'# {series[-1]}\n' + ''.join(
                            f'{r["pages"]} {r["median_ns"]} {r["min_ns"]} {r["max_ns"]}\n'
                            for r in rows) + '\n\n')
        if not series:
            continue
        png = os.path.join(outdir, f'pool-growth-{arch}.png')
        plot = ', '.join(f'"{dat}" index {i} using 1:2:3:4 with yerrorlines title "{t}"'
                         for i, t in enumerate(series))
        gp = (f'set terminal pngcairo size 900,600 noenhanced\nset output "{png}"\n'
              f'set title "free+alloc of a random live 48-byte block, {EMULATOR.get(arch, arch)}"\n'
              'set logscale x 2\nset logscale y 10\nset xlabel "pages of live blocks"\n'
              'set ylabel "ns per free+alloc (median, min..max)"\nset key left top\nset grid\n'
              f'plot {plot}\n')
        if subprocess.run(['gnuplot'], input=gp, text=True).returncode == 0:
            made.append(png)
    return made


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--kdir', default=os.environ.get('KDIR') or None)
    p.add_argument('--kvers', default=os.environ.get('BENCH_KVERS') or '6.12,6.1',
                   help='kernels, comma-separated (default: 6.12,6.1)')
    p.add_argument('--archs', default=os.environ.get('BENCH_ARCHS') or 'um',
                   help='targets, comma-separated: um, arm (default: um)')
    p.add_argument('--reps', type=int, default=int(os.environ.get('REPS') or 0),
                   help='samples per figure (default 25; smoke 5)')
    p.add_argument('--smoke', action='store_true',
                   default=os.environ.get('SMOKE', '') not in ('', '0'))
    p.add_argument('--channel', default=os.environ.get('BENCH_CHANNEL') or 'dma0chan0')
    p.add_argument('--json', default=os.environ.get('BENCH_JSON') or None,
                   help='default: bench-results/bench.json')
    p.add_argument('--timeout', type=int, default=int(os.environ.get('BENCH_TIMEOUT') or 1200))
    args = p.parse_args()
    return bench(args)


def bench(args):
    """Run every kernel on every target; print, write JSON and plots.
    Return non-zero if a figure is missing or a boot went wrong."""
    args.kconfig_add = getattr(args, 'kconfig_add', None) or []
    args.filter = None
    args.raw_output = None
    t0 = time.time()
    S.ensure_tools(extra=['gnuplot-nox'])
    runs = []
    kvers = [None] if args.kdir else args.kvers.split(',')
    for arch in args.archs.split(','):
        for kver in kvers:
            runs.append(run_one(args, kver or '6.12', arch))
    heads = headline(runs)
    table(runs, heads)
    out = args.json or os.path.join(S.REPO, 'bench-results', 'bench.json')
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
    S.log(f'bench: {len(runs)} boots in {time.time() - t0:.0f}s; JSON {out}; '
          f'plots {" ".join(pngs) or "none"}')
    for kernel, arch, miss, log in bad:
        S.log(f'  {kernel} {arch}: missing {"; ".join(miss) or "nothing"}; '
              f'kernel warnings: {len(log)}')
        for l in log:
            S.log(f'    {l}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

# SPDX-License-Identifier: GPL-2.0
"""make bench's report: the headline ratios, the table on stdout, and PNG
plots drawn with gnuplot, from the runs bench.py measured."""

import math
import os
import shutil
import subprocess

from .bench_parse import POOL_SHAPES, MAP_ENTRIES, find
from .deps import ensure
from .targets import TARGETS


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
    """Every run's figures, section by section, then the headline ratios."""
    for run in runs:
        _run_header(run)
        _pool_section(run['results'])
        _growth_section(run['results'])
        _sg_section(run)
        _dmatest_section(run['results'])
        _map_section(run['results'])
        for n in run['results']['notes']:
            print(f'  note: {n}')
        if run['missing']:
            print(f'  MISSING: {"; ".join(run["missing"])}')
    _headline_section(heads)


def _run_header(run):
    res = run['results']
    print(f'\n=== {run["kernel"]} on {run["emulator"]}; host {run["host_cpu"]} '
          f'({run["host_cores"]} cores); reps {run["reps"]} (SG {run["sg_reps"]})'
          f'{"; SMOKE" if run["smoke"] else ""}')
    if run['kconfig_absent']:
        print(f'    not in this kernel: {", ".join(run["kconfig_absent"])}')
    print(f'\n  clock: step {res["clock_step_ns"]} ns, a ktime_get_ns() read costs '
          f'{res["clock_read_ns"]} ns')


def _pool_section(res):
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


def _growth_section(res):
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


def _sg_section(run):
    res = run['results']
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


def _dmatest_section(res):
    if res['dmatest']:
        print('\n  upstream dmatest, same channel (one contiguous buffer, noverify; '
              'its time includes map, prep and submit)')
        for d in res['dmatest']:
            print(f'  {d["bytes"]:8} bytes: {d["mb_s"]:.1f} MB/s, {d["iops"]:.1f} copies/s '
                  f'({d["tests"]} tests, {d["failures"]} failures) {d["thread"]}')


def _map_section(res):
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


def _headline_section(heads):
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
        ensure(packages=['gnuplot-nox'])
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
        drv = ', '.join(run['drivers'])
        made += _gnuplot(os.path.join(outdir, f'sg-throughput-{tag}.png'), dat, series,
                         f'SG copy throughput, {run["kernel"]} on {run["emulator"]} ({drv})',
                         'set xlabel "bytes per copy"\nset format x "%.0b %BB"\n'
                         'set ylabel "MB/s (median, min..max)"\nset key right bottom\n')
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
        emulator = TARGETS[arch].emulator if arch in TARGETS else arch
        made += _gnuplot(os.path.join(outdir, f'pool-growth-{arch}.png'), dat, series,
                         f'free+alloc of a random live 48-byte block, {emulator}',
                         'set xlabel "pages of live blocks"\n'
                         'set ylabel "ns per free+alloc (median, min..max)"\n'
                         'set key left top\n')
    return made


def _gnuplot(png, dat, series, title, axes):
    """One log-log PNG of @series (median with min..max bars, one data
    block each in @dat); [png] if gnuplot drew it, else []."""
    plot = ', '.join(f'"{dat}" index {i} using 1:2:3:4 with yerrorlines title "{t}"'
                     for i, t in enumerate(series))
    gp = (f'set terminal pngcairo size 900,600 noenhanced\nset output "{png}"\n'
          f'set title "{title}"\nset logscale x 2\nset logscale y 10\n{axes}set grid\n'
          f'plot {plot}\n')
    return [png] if subprocess.run(['gnuplot'], input=gp, text=True).returncode == 0 else []



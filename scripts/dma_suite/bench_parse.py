# SPDX-License-Identifier: GPL-2.0
"""make bench's figures: what one boot's console says, and what a complete
run must have printed.  The shapes and sizes measured are here, the one
place the runner (bench.py), the report and the checks read them from."""

import re

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

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runner for the DMA test suite: kernel trees, grafting, KUnit, the gate.

The suite lives in this repository; the kernel it runs in does not.  For each
kernel source tree (KDIR, or a Debian linux-source-X.Y package unpacked into
the cache) we keep a *managed copy* in the cache, graft the suite into it as
lib/dma_suite/, and build out of tree into a per-kernel build directory.  The
tree at KDIR is only ever read.

Cache layout ($DMA_SUITE_CACHE, default ~/.cache/dma-suite):
  src/linux-source-X.Y/        Debian's tarball, unpacked once
  trees/<name>-<hash>/src/     managed copy of KDIR plus the graft
  trees/<name>-<hash>/build-um/  kunit.py build directory (O=)
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get('DMA_SUITE_CACHE') or os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'),
    'dma-suite')
GRAFT_DIR = 'lib/dma_suite'
# What the graft adds to the managed copy, beyond the suite's own files.
GRAFT_LINES = {
    'lib/Kconfig.debug': 'source "lib/dma_suite/Kconfig"\n',
    'lib/Makefile': 'obj-y += dma_suite/\n',
}
# Files and folders of this repository that make up the suite in a tree.
SUITE_FILES = ['Kconfig', 'Kbuild', '.kunitconfig']
SUITE_GLOBS = ('.c', '.h')
SUITE_SUBDIRS = ['sgdma_test', 'include']
# Every KUnit suite this repository provides: a run without a filter must
# report each of them, or it fails ("missing suite").
EXPECTED_SUITES = ['dmapool', 'sgdma']
# Build outputs a user's KDIR may hold in-tree; never copied.
RSYNC_EXCLUDES = ['.git', '/.config', '/.config.old', '*.o', '*.ko', '*.a',
                  '.*.cmd', '*.mod', '*.mod.c', '/include/config/',
                  '/include/generated/', '/arch/*/include/generated/',
                  '/vmlinux*', '/.tmp*', '/modules.*', '/System.map',
                  '/linux', '*.so', '/.version']
TOOLS = {'flex': 'flex', 'bison': 'bison', 'bc': 'bc', 'rsync': 'rsync',
         'perl': 'perl', 'xz': 'xz-utils', 'gcc': 'gcc', 'make': 'make'}
# Targets besides UML: kunit.py boots them under QEMU (its --qemu_config).
# Kconfig lines of .kunitconfig that only make sense under UML (its PCI and
# DMA emulation, and the software DMA channel: a board has real ones).
UML_ONLY = re.compile(r'^CONFIG_(UML_|VIRTIO_UML|SGDMA_SWCHAN)')
QEMU_TARGETS = {
    'arm': dict(
        tools={'arm-linux-gnueabihf-gcc': 'gcc-arm-linux-gnueabihf',
               'qemu-system-arm': 'qemu-system-arm'},
        cross='arm-linux-gnueabihf-',
        config='qemu/zynq-zc702.config',
        kernel='arch/arm/boot/zImage',
        cmdline='console=ttyPS0,115200',
        # the dtb moved to a vendor directory in 6.5
        dtbs=['arch/arm/boot/dts/xilinx/zynq-zc702.dtb',
              'arch/arm/boot/dts/zynq-zc702.dtb'],
        machine=['-M', 'xilinx-zynq-a9'],
    ),
}


def log(msg):
    print(f'[dma-suite] {msg}', flush=True)


def die(msg, code=2):
    print(f'[dma-suite] error: {msg}', file=sys.stderr, flush=True)
    sys.exit(code)


def run(cmd, **kw):
    return subprocess.run(cmd, check=kw.pop('check', True), **kw)


def apt_install(pkgs):
    """Install Debian packages; the project's own way, never by hand."""
    if os.geteuid() != 0:
        die(f'need packages {" ".join(pkgs)}: run as root or install them')
    log(f'apt-get install {" ".join(pkgs)}')
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    cmd = ['apt-get', 'install', '-y', '--no-install-recommends'] + pkgs
    if run(cmd, env=env, check=False, stdout=subprocess.DEVNULL).returncode:
        run(['apt-get', 'update'], env=env, stdout=subprocess.DEVNULL)
        run(cmd, env=env, stdout=subprocess.DEVNULL)


def ensure_tools(extra=(), arch='um'):
    tools = dict(TOOLS)
    tools.update(QEMU_TARGETS.get(arch, {}).get('tools', {}))
    missing = sorted({pkg for tool, pkg in tools.items()
                      if not shutil.which(tool)} | set(extra))
    if missing:
        apt_install(missing)


def debian_source(kver):
    """Unpack Debian's linux-source-KVER once; return the tree's path."""
    dest = os.path.join(CACHE, 'src', f'linux-source-{kver}')
    stamp = dest + '.unpacked'
    if os.path.exists(stamp):
        return dest
    tarball = f'/usr/src/linux-source-{kver}.tar.xz'
    if not os.path.exists(tarball):
        apt_install([f'linux-source-{kver}'])
    log(f'unpacking {tarball} into {dest}')
    tmp = dest + '.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(tmp)
    run(['tar', '-xJf', tarball, '-C', tmp])
    inner = os.listdir(tmp)
    if len(inner) != 1:
        die(f'{tarball}: expected one top directory, found {inner}')
    os.rename(os.path.join(tmp, inner[0]), dest)
    os.rmdir(tmp)
    open(stamp, 'w').close()
    return dest


def kernel_version(tree):
    vals = {}
    with open(os.path.join(tree, 'Makefile')) as f:
        for line in f:
            m = re.match(r'(VERSION|PATCHLEVEL|SUBLEVEL) = (\d+)', line)
            if m:
                vals[m.group(1)] = m.group(2)
            if len(vals) == 3:
                break
    return '{VERSION}.{PATCHLEVEL}.{SUBLEVEL}'.format(**vals)


def resolve_kdir(args):
    if args.kdir:
        kdir = os.path.realpath(args.kdir)
        if not os.path.exists(os.path.join(kdir, 'mm', 'dmapool.c')):
            die(f'KDIR={args.kdir} is not a kernel source tree')
        return kdir
    return debian_source(args.kver)


def tree_dirs(kdir, arch):
    h = hashlib.sha1(kdir.encode()).hexdigest()[:8]
    top = os.path.join(CACHE, 'trees', f'{os.path.basename(kdir)}-{h}')
    return os.path.join(top, 'src'), os.path.join(top, f'build-{arch}')


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    with open(path, 'w') as f:
        f.write(text)
    return True


def sync_tree(kdir, src):
    """Make src a copy of kdir plus the graft, touching only what changed.

    rsync compares by content (--checksum) and does not copy modification
    times, so a file whose content changed gets a fresh mtime and make
    rebuilds exactly what depends on it, even when the new content is older
    (a reverted edit, or a mutant taken back).
    """
    os.makedirs(src, exist_ok=True)
    t0 = time.time()
    excludes = [f'--exclude={e}' for e in RSYNC_EXCLUDES]
    excludes += [f'--exclude=/{p}' for p in GRAFT_LINES]
    excludes += [f'--exclude=/{GRAFT_DIR}/']
    run(['rsync', '-rlpD', '--checksum', '--delete'] + excludes +
        [kdir + '/', src + '/'])
    for rel, line in GRAFT_LINES.items():
        with open(os.path.join(kdir, rel)) as f:
            text = f.read()
        write_if_changed(os.path.join(src, rel), text + line)
    graft = os.path.join(src, GRAFT_DIR)
    os.makedirs(graft, exist_ok=True)
    items = [f for f in SUITE_FILES if os.path.exists(os.path.join(REPO, f))]
    items += [f for f in os.listdir(REPO) if f.endswith(SUITE_GLOBS)]
    items += [d for d in SUITE_SUBDIRS if os.path.isdir(os.path.join(REPO, d))]
    run(['rsync', '-rlpD', '--checksum', '--delete', '--relative'] +
        [os.path.join(REPO, '.', i) for i in sorted(items)] + [graft + '/'])
    log(f'managed tree {src} in sync with {kdir} ({time.time() - t0:.1f}s)')


def prepare(args):
    if args.arch != 'um' and args.arch not in QEMU_TARGETS:
        die(f'KARCH={args.arch}: known targets are um, {", ".join(QEMU_TARGETS)}')
    ensure_tools(arch=args.arch)
    kdir = resolve_kdir(args)
    src, build = tree_dirs(kdir, args.arch)
    if not args.no_sync:
        sync_tree(kdir, src)
    os.makedirs(build, exist_ok=True)
    return kdir, src, build


def qemu_target_args(arch, src, build):
    """kunit.py arguments for a QEMU target: a generated --qemu_config
    (machine, dtb, console) and the suite's .kunitconfig without its
    UML-only lines."""
    t = QEMU_TARGETS[arch]
    dtb = next((d for d in t['dtbs']
                if os.path.exists(os.path.join(src, d[:-1] + 's'))), t['dtbs'][0])
    with open(os.path.join(REPO, t['config'])) as f:
        kconfig = f.read()
    qemu_cfg = os.path.join(build, 'qemu_config.py')
    write_if_changed(qemu_cfg, (
        'from ..qemu_config import QemuArchParams\n'
        f'QEMU_ARCH = QemuArchParams(linux_arch={arch!r}, kconfig={kconfig!r},\n'
        f'    qemu_arch={arch!r}, kernel_path={t["kernel"]!r},\n'
        f'    kernel_command_line={t["cmdline"]!r},\n'
        f'    extra_qemu_params={t["machine"] + ["-dtb", os.path.join(build, dtb)]!r})\n'))
    with open(os.path.join(REPO, '.kunitconfig')) as f:
        lines = [l for l in f if not UML_ONLY.match(l)]
    kunitconfig = os.path.join(build, 'kunitconfig')
    write_if_changed(kunitconfig, ''.join(lines))
    return [f'--qemu_config={qemu_cfg}', f'--cross_compile={t["cross"]}',
            f'--kunitconfig={kunitconfig}']


def kunit_cmd(args, src, build):
    cmd = [sys.executable, os.path.join(src, 'tools/testing/kunit/kunit.py'),
           'run', f'--build_dir={build}', f'--jobs={os.cpu_count()}',
           f'--timeout={args.timeout}']
    if args.arch == 'um':
        cmd += ['--arch=um', f'--kunitconfig={GRAFT_DIR}']
    else:
        cmd += qemu_target_args(args.arch, src, build)
    cmd += [f'--kconfig_add={k}' for k in args.kconfig_add]
    if args.raw_output:
        cmd.append(f'--raw_output={args.raw_output}')
    else:
        cmd.append(f'--json={os.path.join(build, "results.json")}')
    if args.filter:
        cmd.append(args.filter)
    return cmd


# Kernel log lines that fail a run: DMA-API debug reports, and any warning,
# oops or checker report.  Lines the kernel always prints at boot are fine.
LOG_BAD = re.compile(r'DMA-API: |WARNING:|BUG:|Oops|KASAN|kmemleak: .*new suspected'
                     r'|UBSAN|general protection|Kernel panic|INFO: .*lock')
LOG_FINE = re.compile(r'DMA-API: (preallocated \d+ debug entries|debugging enabled'
                      r' by kernel config)')
# The dmapool suite makes the kernel print these on purpose (a busy pool).
LOG_EXPECTED = re.compile(r'dma_pool_destroy \S+.* busy')


def check_log(build, expected=LOG_EXPECTED):
    """Return the kernel log lines that fail the gate."""
    bad = []
    try:
        with open(os.path.join(build, 'test.log'), errors='replace') as f:
            for line in f:
                if LOG_BAD.search(line) and not LOG_FINE.search(line) \
                        and not expected.search(line):
                    bad.append(line.rstrip())
    except FileNotFoundError:
        bad.append('no kernel log (test.log) was written')
    return bad


def suites_in(results):
    names = set()

    def walk(node, depth):
        if depth == 1:
            names.add(node.get('name'))
        for sub in node.get('sub_groups', []) or []:
            walk(sub, depth + 1)
    walk(results, 0)
    return names


def count_cases(node):
    """Counts of leaf test cases by status in kunit.py's JSON."""
    counts = {'PASS': 0, 'FAIL': 0, 'SKIP': 0, 'ERROR': 0}

    def walk(n):
        subs = (n.get('sub_groups') or []) + (n.get('test_cases') or [])
        if subs:
            for sub in subs:
                walk(sub)
        elif 'status' in n:
            st = n['status']
            counts[st if st in counts else 'ERROR'] += 1
    walk(node)
    return counts


def cmd_kunit(args):
    kdir, src, build = prepare(args)
    ver = kernel_version(src)
    log(f'kernel {ver} from {kdir}, arch {args.arch}, build {build}')
    results = os.path.join(build, 'results.json')
    if os.path.exists(results):
        os.unlink(results)
    t0 = time.time()
    rc = run(kunit_cmd(args, src, build), cwd=src, check=False).returncode
    took = time.time() - t0
    failures = []
    if rc:
        failures.append(f'kunit.py exited {rc}')
    if not args.raw_output:
        try:
            with open(results) as f:
                data = json.load(f)
            seen = suites_in(data)
            counts = count_cases(data)
            args.counts = counts
            log('cases: ' + ', '.join(f'{k} {v}' for k, v in counts.items()))
            if args.json:
                shutil.copyfile(results, args.json)
            if not args.filter:
                missing = [s for s in EXPECTED_SUITES if s not in seen]
                if missing:
                    failures.append(f'missing suites: {", ".join(missing)}')
        except (OSError, ValueError) as e:
            failures.append(f'no parsable results ({e})')
    bad = check_log(build)
    if bad:
        failures.append('warnings in the kernel log (DMA-API debug, WARN, BUG):\n  ' +
                        '\n  '.join(bad[:20]))
    status = 'FAIL' if failures else 'PASS'
    log(f'{status}: kernel {ver} arch {args.arch} in {took:.0f}s')
    for f in failures:
        log(f'  {f}')
    return 1 if failures else 0


def cmd_sync(args):
    kdir, src, build = prepare(args)
    print(src)
    return 0


def suite_sources():
    out = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if not d.startswith('.') and d != 'scripts']
        for f in files:
            if f.endswith(('.c', '.h')) or f == 'Kconfig':
                out.append(os.path.relpath(os.path.join(root, f), REPO))
    return sorted(out)


def cmd_checkpatch(args):
    """checkpatch.pl --strict on every source file of the suite."""
    kdir, src, build = prepare(args)
    files = suite_sources()
    r = run(['perl', os.path.join(src, 'scripts/checkpatch.pl'), '--strict',
             '--no-tree', '--terse', '--show-types', '--no-summary', '-f'] + files,
            cwd=REPO, check=False, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    # kernel-doc on everything documented (all exported functions are)
    srcs = [f for f in files if f.endswith(('.c', '.h'))]
    k = run(['perl', os.path.join(src, 'scripts/kernel-doc'), '-none', '-Wall'] + srcs,
            cwd=REPO, check=False, capture_output=True, text=True)
    kout = (k.stdout + k.stderr).strip()
    for text in (out, kout):
        if text:
            print(text)
    log(f'checkpatch --strict ({kernel_version(src)}): {len(files)} files, '
        f'{"clean" if not out else "NOT clean"}; kernel-doc -Wall: '
        f'{"clean" if not kout else "NOT clean"}')
    return 1 if out or kout else 0


def cmd_w1(args):
    """Build the suite's objects with W=1: no warning may come from them."""
    kdir, src, build = prepare(args)
    if not os.path.exists(os.path.join(build, '.config')):
        run([sys.executable, os.path.join(src, 'tools/testing/kunit/kunit.py'),
             'config', f'--build_dir={build}', f'--arch={args.arch}',
             f'--kunitconfig={GRAFT_DIR}'] +
            [f'--kconfig_add={k}' for k in args.kconfig_add], cwd=src)
    objdir = os.path.join(build, GRAFT_DIR)
    if os.path.isdir(objdir):
        for root, _, files in os.walk(objdir):
            for f in files:
                if f.endswith('.o'):
                    os.unlink(os.path.join(root, f))
    r = run(['make', f'ARCH={args.arch}', f'O={build}', 'W=1',
             f'-j{os.cpu_count()}', f'{GRAFT_DIR}/'],
            cwd=src, check=False, capture_output=True, text=True)
    mine = [l for l in (r.stdout + r.stderr).splitlines()
            if GRAFT_DIR in l and re.search(r'warning:|error:', l)]
    for line in mine:
        print(line.replace(os.path.join(src, GRAFT_DIR) + '/', ''))
    ok = r.returncode == 0 and not mine
    if r.returncode and not mine:
        print(r.stdout[-3000:], r.stderr[-3000:])
    log(f'W=1 build of {GRAFT_DIR} on {kernel_version(src)}: '
        f'{"clean" if ok else "NOT clean"}')
    return 0 if ok else 1


GATE_KVERS = ['6.12', '6.1']


def cmd_check(args):
    """The gate: checkpatch, W=1 and KUnit on both kernel generations."""
    t0 = time.time()
    steps = []
    kvers = [None] if args.kdir else GATE_KVERS

    cases = []

    def step(name, fn, a):
        t = time.time()
        a.counts = None
        rc = fn(a)
        steps.append((name, rc, time.time() - t))
        cases.append(a.counts)
        return rc

    for kver in kvers:
        a = argparse.Namespace(**vars(args))
        a.kver = kver or args.kver
        a.filter = None
        a.raw_output = None
        label = kver or os.path.basename(args.kdir)
        if kver == kvers[0]:
            step('checkpatch, kernel-doc', cmd_checkpatch, a)
        step(f'kunit {label}', cmd_kunit, a)
        a.no_sync = True
        step(f'W=1 {label}', cmd_w1, a)
    print()
    log('gate summary:')
    for name, rc, took in steps:
        log(f'  {"PASS" if rc == 0 else "FAIL"}  {name:24} {took:6.0f}s')
    failed = sum(1 for _, rc, _ in steps if rc)
    log(f'gate steps: {len(steps) - failed} of {len(steps)} passed '
        f'in {time.time() - t0:.0f}s')
    # KUnit cases over all kernels.  A failed step none of whose cases
    # failed (checkpatch, W=1, a crash, a log warning) counts as one failure.
    total = {'PASS': 0, 'FAIL': 0, 'SKIP': 0, 'ERROR': 0}
    extra = 0
    for (name, rc, _), c in zip(steps, cases):
        bad_cases = 0
        for k in total:
            total[k] += (c or {}).get(k, 0)
        if c:
            bad_cases = c['FAIL'] + c['ERROR']
        if rc and not bad_cases:
            extra += 1
    print(f'check: {total["PASS"]} passed, '
          f'{total["FAIL"] + total["ERROR"] + extra} failed, '
          f'{total["SKIP"]} skipped', flush=True)
    return 1 if failed else 0


def generation(src):
    major, minor = (int(x) for x in kernel_version(src).split('.')[:2])
    return 'new' if (major, minor) >= (6, 4) else 'old'


def failed_cases(results, since):
    """Names of the failed leaf cases in a kunit.py JSON newer than since."""
    try:
        if os.path.getmtime(results) < since:
            return ''
        with open(results) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return ''
    seen = []

    def failed(n):
        subs = (n.get('sub_groups') or []) + (n.get('test_cases') or [])
        if subs:
            return any(failed(sub) for sub in subs)
        return n.get('status') in ('FAIL', 'ERROR')

    # root -> suites -> cases (a parameterised case is a group of params)
    for suite in data.get('sub_groups') or []:
        for case in (suite.get('sub_groups') or []) + (suite.get('test_cases') or []):
            if failed(case) and case.get('name'):
                seen.append(case['name'])
    if not seen and failed(data):
        # the kernel died mid-suite: kunit.py names what it could not parse ''
        seen.append('a crash (see test.log)')
    return ', '.join(seen[:3]) + (f' (+{len(seen) - 3} more)' if len(seen) > 3 else '')


def cmd_mutants(args):
    """Apply each mutant of mm/dmapool.c in turn and rerun the suite."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import dmapool_mutants
    import sgdma_mutants
    catalogue = dmapool_mutants.MUTANTS + sgdma_mutants.MUTANTS
    kvers = [None] if args.kdir else GATE_KVERS
    summary, bad = [], 0
    for kver in kvers:
        a = argparse.Namespace(**vars(args))
        a.kver = kver or args.kver
        a.filter = None
        a.raw_output = None
        a.json = None
        a.timeout = min(args.timeout, 300)
        kdir, src, build = prepare(a)
        a.no_sync = True
        gen = generation(src)
        mine = [m for m in catalogue if gen in m['gens']]
        if args.filter:
            mine = [m for m in mine if re.search(args.filter, m['id'])]
        pristine = {}
        for m in mine:
            f = m.get('file', 'mm/dmapool.c')
            if f not in pristine:
                with open(os.path.join(src, f)) as fh:
                    pristine[f] = fh.read()
        log(f'{len(mine)} mutants for {kernel_version(src)} ({gen} allocator)')
        rows = []
        try:
            # the unmutated kernel must pass first, or nothing below means anything
            if cmd_kunit(a):
                die(f'the suite fails on unmutated {kernel_version(src)}')
            for m in mine:
                f = m.get('file', 'mm/dmapool.c')
                target = os.path.join(src, f)
                if pristine[f].count(m['find']) != 1:
                    rows.append((m, 'STALE', 0, ''))
                    continue
                write_if_changed(target, pristine[f].replace(m['find'], m['replace']))
                t = time.time()
                log(f'mutant {m["id"]}: {m["rule"]}')
                a.filter = m.get('suite', 'dmapool')
                rc = subprocess.run(kunit_cmd(a, src, build), cwd=src,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL).returncode
                write_if_changed(target, pristine[f])
                log_bad = check_log(build)
                tlog = os.path.join(build, 'test.log')
                built = os.path.exists(tlog) and os.path.getmtime(tlog) >= t
                by = failed_cases(os.path.join(build, 'results.json'), t)
                if not built:
                    verdict = 'NOBUILD'
                elif rc or log_bad:
                    verdict = 'caught'
                    if not by:
                        by = 'crash or kernel warning' if log_bad or rc else ''
                else:
                    verdict = 'SURVIVED'
                rows.append((m, verdict, time.time() - t, by))
                log(f'  -> {verdict} ({time.time() - t:.0f}s) {by}')
        finally:
            for f, text in pristine.items():
                write_if_changed(os.path.join(src, f), text)
        caught = sum(1 for _, v, _, _ in rows if v == 'caught')
        equiv = [(m, v) for m, v, _, _ in rows if m.get('equivalent')]
        for m, v, took, _ in rows:
            if m.get('equivalent'):
                ok = v == 'SURVIVED'
            else:
                ok = v == 'caught'
            bad += not ok
        summary.append((kernel_version(src), gen, rows, caught, equiv))
    print()
    for ver, gen, rows, caught, equiv in summary:
        killable = [r for r in rows if not r[0].get('equivalent')]
        log(f'kernel {ver} ({gen} allocator): {caught}/{len(killable)} '
            f'non-equivalent mutants caught, {len(equiv)} equivalent')
        for m, v, took, by in rows:
            log(f'  {v:8} {m["id"]:30} {m["rule"]}')
            if by:
                log(f'  {"":8} {"":30} caught by: {by}')
        for m, v in equiv:
            log(f'  equivalent {m["id"]}: {m["equivalent"]} (it {v.lower()})')
    log(f'mutants: {"all non-equivalent caught" if not bad else f"{bad} wrong verdicts"}')
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('command', choices=['kunit', 'sync', 'check', 'w1',
                                        'checkpatch', 'mutants'])
    p.add_argument('--kdir', default=os.environ.get('KDIR') or None,
                   help='kernel source tree (read only); default: Debian linux-source-KVER')
    p.add_argument('--kver', default=os.environ.get('KVER') or '6.12')
    p.add_argument('--arch', default=os.environ.get('KARCH') or 'um')
    p.add_argument('--filter', default=os.environ.get('FILTER') or None,
                   help='kunit.py filter glob, e.g. "dmapool.*reuse*"')
    p.add_argument('--raw-output', dest='raw_output',
                   default=os.environ.get('RAW') or None)
    p.add_argument('--kconfig-add', dest='kconfig_add', action='append',
                   default=(os.environ.get('KCONFIG_ADD') or '').split())
    p.add_argument('--json', default=os.environ.get('JSON') or None,
                   help='also write kunit.py\'s JSON results to this file')
    p.add_argument('--timeout', type=int,
                   default=int(os.environ.get('KUNIT_TIMEOUT') or 600))
    p.add_argument('--no-sync', dest='no_sync', action='store_true')
    args = p.parse_args()
    return {'kunit': cmd_kunit, 'sync': cmd_sync, 'check': cmd_check,
            'w1': cmd_w1, 'checkpatch': cmd_checkpatch,
            'mutants': cmd_mutants}[args.command](args)


if __name__ == '__main__':
    sys.exit(main())

# SPDX-License-Identifier: GPL-2.0
"""make check, the gate: its steps as data, run two at a time, and the
summary (each step's verdict, time and build/run split, the cases, the known
kernel bugs met, and one closing line of counts).

Before any step, every package the gate needs is installed and every kernel
tree synced, once: no two steps run apt-get or sync a tree at once.  Then
each step runs as a process of its own with its output kept aside, and
printed whole when it ends.  A heavy step (a kernel build, a W=1 build:
make -j<cores>) runs alone, and first when one is ready, since the boots
wait for it; otherwise two steps run at once, each a kernel booted under
UML or QEMU's TCG on a core of its own.  A boot beside a build would share
its core with make and slow the emulated controller past the timeouts the
cases keep (measured: a pl330 copy of 32263 descriptors took over 10 s).
A build whose kernel is current, or a W=1 build whose clean result is
stamped for the same inputs, is not heavy: it does nothing.
A step starts when the steps it needs have passed; of the steps ready, the
one that took longest in the last gate first (the longest first is what
keeps two lanes evenly busy to the end).

The kernels, and why each: the Zynq-7000 (the real pl330 driver),
arm64 on QEMU's Versal model (a second real driver, zynqmp_dma: 64-bit
addresses, a fixed pool of 32 descriptors a channel) and x86_64
(swiotlb=force: every streaming mapping bounces) on both generations; the
x86_64 kernel booted again on q35 behind QEMU's Intel IOMMU (no build of
its own: dma-iommu merges lists, addresses are IOVAs); and UML with the
kernel's checkers (debug: KASAN, lockdep, kmemleak, DMAPOOL_DEBUG, DMA-API
debug, fault injection), on both.  The plain UML kernel of `make kunit` is
not one of them: the debug kernel runs the same cases (measured: every
case the plain kernel passes, it passes, 192 of 192 on each generation),
with the checkers on; the cases without DMAPOOL_DEBUG run on the boards
and x86_64.  The benchmark smoke boots the x86_64 test kernels.  Debian's
shipped kernels (distro.py) boot the installed test set, built against
their headers packages; the x86_64 and arm64 6.12 kernels are built once
more as a distro builds one (KUNIT=m, modules signed), and boot the test
set with the KUnit suites as modules."""

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Callable, Tuple

from . import checks, commands, deps, distro
from .bench import run_bench
from .config import GATE_KVERS, Run
from .kunit_run import build_step
from .results import Counts, Outcome
from .targets import TARGETS
from .tree import source_dir, sync, tree_for
from .util import locked, log

# targets of the gate besides UML debug: the Zynq board, x86_64 bouncing,
# the arm64 Versal board
GATE_ARCHS = ('arm', 'x86_64', 'arm64')
# targets that boot a kernel of GATE_ARCHS another way: one boot each, of
# the built-in KUnit suites and then the kselftest programs
GATE_REBOOTS = ('x86_64-iommu',)
BENCH_ARCH = 'x86_64'
LANES = 2
# each step's time in the last gate, for the order of the next
TIMES = 'gate-times.json'


@dataclass
class Step:
    name: str
    run: Callable[[], Outcome]
    needs: Tuple[str, ...] = ()
    heavy: bool = False
    # asked once the step is ready (a build: is its kernel current?  W=1:
    # is a clean build of these inputs stamped?); replaces heavy
    heavy_if: Callable[[], bool] = None


def _build_step(s, run_):
    return Step(f'build {run_.label()}', lambda: build_step(s.cache, run_),
                heavy_if=lambda: commands.needs_build(s, run_))


def _target_steps(s, run_):
    label = run_.label()
    b = _build_step(s, run_)
    after = run_.replace(sync=False, timeout=min(s.timeout, 300))
    return [b,
            Step(f'kunit {label}', lambda: commands.kunit(s, run_), needs=(b.name,)),
            Step(f'kselftest {label}', lambda: commands.kselftest(s, after), needs=(b.name,)),
            Step(f'W=1 {label}', lambda: commands.w1_build(s, after), needs=(b.name,),
                 heavy_if=lambda: commands.needs_w1(s, after))]


def _reboot_step(s, run_):
    """A target that boots another's kernel: after that one is built."""
    home = run_.replace(arch=TARGETS[run_.arch].kernel_of)
    return Step(f'kunit+kselftest {run_.label()}',
                lambda: commands.kunit_kselftest(s, run_.replace(timeout=min(s.timeout, 300))),
                needs=(f'build {home.label()}',))


def _debug_steps(s, kver):
    r = commands.debug_run(s, kver).replace(sync=False)
    b = _build_step(s, r)
    # one boot: the KUnit suites, then the kselftest programs, then the
    # kmemleak scan that covers both
    return [b,
            Step(f'kunit+kselftest {r.label()}',
                 lambda: commands.kunit_debug(s, kver, sync=False), needs=(b.name,)),
            Step(f'W=1 {r.label()}', lambda: commands.w1_build(s, r), needs=(b.name,),
                 heavy_if=lambda: commands.needs_w1(s, r))]


def _bench_settings(s):
    return s.replace(sync=False, bench_kvers=GATE_KVERS, bench_archs=(BENCH_ARCH,), bench_reps=3,
                     bench_smoke=True, bench_channel='dma0chan0', kconfig_add=(),
                     bench_json=os.path.join(s.cache, 'bench-smoke', 'bench.json'),
                     bench_timeout=min(s.timeout, 600))


def _bench_step(s, kvers):
    """make bench in smoke mode, in the test kernels: every figure is
    printed and parses, and no kernel warned."""
    bs = _bench_settings(s)
    label = '+'.join(k or os.path.basename(s.kdir) for k in kvers)
    builds = tuple(f'build {Run.from_settings(s, kver=k or s.kver, arch=BENCH_ARCH).label()}'
                   for k in kvers)
    return Step(f'bench smoke {BENCH_ARCH} {label}', lambda: Outcome(ok=run_bench(bs)),
                needs=builds)


# Each boot of the gate bounds its sampling programs in time (make
# kselftest keeps their own bounds: 4000 iterations, 8 s of stress): the
# fuzzer stops after GATE_FUZZ_SECONDS or its 4000 iterations, the stress
# test runs GATE_STRESS_SECONDS.  Both still draw from the whole accepted
# space; fewer draws a boot are made up for across runs by the fuzzer's
# seed, the day's date: a rerun on the same day replays the same requests,
# the next day's samples others.  FUZZ_SEED=, FUZZ_SECONDS=, STRESS_SECONDS=
# given to make override these.
GATE_FUZZ_SECONDS = 15
GATE_STRESS_SECONDS = 4


def day_seed(now=None):
    """The fuzzer's seed in the gate: the date, as 0xYYYYMMDD."""
    return int(time.strftime('%Y%m%d', time.gmtime(now)), 16)


def gate_sampling(ksft_env, now=None):
    """The gate's sampling environment: its bounds and seed, then what the
    user gave (which wins)."""
    env = {'SGDMA_FUZZ_SEED': f'{day_seed(now):#x}',
           'SGDMA_FUZZ_SECONDS': str(GATE_FUZZ_SECONDS),
           'SGDMA_STRESS_SECONDS': str(GATE_STRESS_SECONDS)}
    env.update(dict(ksft_env))
    return tuple(env.items())


def gate_settings(settings):
    return settings.replace(filter=None, raw_output=None, json=None, variant=None,
                            kver_given=False, ksft_env=gate_sampling(settings.ksft_env))


def steps(settings):
    """The gate's steps for @settings (KDIR: that tree alone), in the order
    they are started when they may."""
    s = gate_settings(settings)
    kvers = s.kvers()
    out = [Step('runner unit tests', lambda: commands.runner_tests(s)),
           Step('checkpatch, kernel-doc',
                lambda: commands.check_sources(s, Run.from_settings(s, sync=False)))]
    for arch in GATE_ARCHS:
        for kver in kvers:
            out += _target_steps(s, Run.from_settings(s, kver=kver or s.kver, arch=arch,
                                                      sync=False))
    for arch in GATE_REBOOTS:
        for kver in kvers:
            out.append(_reboot_step(s, Run.from_settings(s, kver=kver or s.kver, arch=arch,
                                                         sync=False)))
    for kver in kvers:
        out += _debug_steps(s, kver)
    out.append(_bench_step(s, kvers))
    if not s.kdir:
        # Debian's own kernels, with the test set built against their headers
        out += [Step(f'distro Debian {k}', lambda k=k: distro.run_distro(s, k)) for k in kvers]
        if distro.MODULAR_KVER in kvers:
            # the suite's kernels as a distro builds one (KUNIT=m): the test
            # set against each build, KUnit compared with the built-in run
            for arch in distro.MODULAR_ARCHS:
                r = distro.modular_run(s, arch).replace(sync=False)
                b = _build_step(s, r)
                out += [b, Step(f'distro KUNIT=m {r.label()}',
                                lambda r=r: distro.run_modular(s, r),
                                needs=(b.name, f'kunit {arch} {distro.MODULAR_KVER}'))]
    return out


def prepare_all(settings):
    """Install what any step needs and sync every tree, once."""
    deps.ensure(checks.SHELLCHECK, packages=['gnuplot-nox'])
    for a in GATE_ARCHS + GATE_REBOOTS:
        deps.ensure(TARGETS[a].tools, TARGETS[a].packages)
    s = gate_settings(settings)
    if not s.kdir:
        distro.prepare(s.cache, [k or s.kver for k in s.kvers()], distro.MODULAR_ARCHS)
    for kver in s.kvers():
        tree = tree_for(s.cache, source_dir(s.cache, s.kdir, kver or s.kver), 'um')
        with locked(tree.top):
            sync(tree)


def _split(o):
    if o.build_s is None and o.run_s is None:
        return ''
    b = f'build {o.build_s:4.0f}s' if o.build_s is not None else 'no build  '
    return f'{b}, run {o.run_s or 0:4.0f}s'


def summary(done, took, prepared):
    print()
    log('gate summary:')
    for step, o, t in done:
        log(f'  {"PASS" if o.ok else "FAIL"}  {step.name:28} {t:6.0f}s  {_split(o):22}' +
            (f'  {o.counts}' if o.counts else ''))
    bugs = {}
    for step, o, _ in done:
        for leaf, status, b in o.known:
            bugs.setdefault(b['name'], (b, []))[1].append(
                f'{step.name}: {leaf} (kunit.py: {status})')
    for bname, (b, seen) in bugs.items():
        log(f'  known kernel bug: {bname}; fix to pick: {b["fix"]}')
        for where in seen:
            log(f'    {where}')
    failed = sum(1 for _, o, _ in done if not o.ok)
    builds = sum(o.build_s or 0 for _, o, _ in done)
    busy = sum(t for _, _, t in done)
    log(f'gate steps: {len(done) - failed} of {len(done)} passed in {took:.0f}s wall '
        f'({busy:.0f}s of steps on {LANES} lanes; kernel builds {builds:.0f}s; before '
        f'the steps {prepared:.0f}s: packages, Debian kernel downloads, tree syncs)')
    # a failed step none of whose cases failed (checkpatch, W=1, a crash, a
    # log warning) counts as one failure
    total = sum((o.counts for _, o, _ in done if o.counts), Counts())
    extra = sum(1 for _, o, _ in done if not o.ok and not (o.counts and o.counts.bad()))
    print(f'check: {total.PASS} passed, {total.bad() + extra} failed, '
          f'{total.SKIP} skipped, {total.KNOWN} known kernel bugs', flush=True)
    return 1 if failed else 0


def run_step(settings, index, out_path):
    """In a step's own process: run step @index, write its Outcome."""
    o = steps(settings)[index].run()
    with open(out_path, 'w') as f:
        json.dump(o.to_json(), f)
    return 0


class _Running:
    def __init__(self, index, step, settings, workdir):
        self.index, self.step, self.t0 = index, step, time.time()
        self.log = os.path.join(workdir, f'{index:02d}.log')
        self.out = os.path.join(workdir, f'{index:02d}.json')
        env = dict(os.environ, DMA_SUITE_SETTINGS=json.dumps(settings.to_json()))
        with open(self.log, 'w') as f:
            self.proc = subprocess.Popen(
                [sys.executable, os.path.join(os.path.dirname(os.path.dirname(
                    os.path.abspath(__file__))), 'suite.py'), 'gate-step', str(index), self.out],
                stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)

    def outcome(self):
        try:
            with open(self.out) as f:
                return Outcome.from_json(json.load(f))
        except (OSError, ValueError):
            return Outcome(ok=False, failures=[f'the step exited {self.proc.returncode} '
                                               'without an outcome'])


def _last_times(cache):
    try:
        with open(os.path.join(cache, TIMES)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _keep_times(cache, done):
    times = _last_times(cache)
    times.update({st.name: round(t, 1) for st, o, t in done if o.ok})
    with open(os.path.join(cache, TIMES), 'w') as f:
        json.dump(times, f, indent=1, sort_keys=True)


def run_gate(settings):
    t0 = time.time()
    prepare_all(settings)
    prepared = time.time() - t0
    todo = list(enumerate(steps(settings)))
    last = _last_times(settings.cache)
    needed = {n for _, st in todo for n in st.needs}
    done, running, passed = [], [], set()
    workdir = tempfile.mkdtemp(prefix='gate-', dir=os.path.join(settings.cache))
    while todo or running:
        # a step whose needs failed is not run: it fails, saying why
        for i, st in list(todo):
            gone = [n for n in st.needs if n in {d[0].name for d in done} and n not in passed]
            if gone:
                todo.remove((i, st))
                done.append((st, Outcome(ok=False, failures=[f'not run: {", ".join(gone)} '
                                                             'failed']), 0.0))
                log(f'gate: {st.name}: not run ({", ".join(gone)} failed)')
        while len(running) < LANES:
            # what other steps wait for first, then the longest; a step
            # never timed counts as long
            ready = sorted(((i, st) for i, st in todo if all(n in passed for n in st.needs)),
                           key=lambda x: (x[1].name not in needed,
                                          -last.get(x[1].name, 1e9)))
            for _, st in ready:
                if st.heavy_if is not None:
                    st.heavy, st.heavy_if = st.heavy_if(), None
            heavy = [x for x in ready if x[1].heavy]
            if any(r.step.heavy for r in running) or (heavy and running):
                break       # a heavy step runs alone
            if not ready:
                break
            # a kernel build first: it is what the steps after it wait for
            i, st = heavy[0] if heavy else ready[0]
            todo.remove((i, st))
            log(f'gate: start {st.name}' + (' (heavy)' if st.heavy else ''))
            running.append(_Running(i, st, settings, workdir))
        if not running:
            break
        time.sleep(0.5)
        for r in [r for r in running if r.proc.poll() is not None]:
            running.remove(r)
            o, took = r.outcome(), time.time() - r.t0
            with open(r.log, errors='replace') as f:
                sys.stdout.write(f'\n===== {r.step.name} =====\n' + f.read())
            log(f'gate: {"PASS" if o.ok else "FAIL"} {r.step.name} in {took:.0f}s')
            for fl in o.failures:
                log(f'  {fl}')
            sys.stdout.flush()
            done.append((r.step, o, took))
            if o.ok:
                passed.add(r.step.name)
    _keep_times(settings.cache, done)
    order = {st.name: i for i, st in enumerate(steps(settings))}
    done.sort(key=lambda d: order.get(d[0].name, 0))
    return summary(done, time.time() - t0, prepared)

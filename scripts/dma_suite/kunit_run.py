# SPDX-License-Identifier: GPL-2.0
"""kunit.py, run on a managed tree: its command line, and whether the kernel
must be built at all.

A build directory keeps a stamp of what its kernel was built from: the
tree's generation (tree.py) and a digest of every build input outside the
tree (kunit.py's configuration arguments, the generated .kunitconfig and
QEMU configuration).  When both still hold, the kernel is run with
`kunit.py exec` alone: no configuration, no make over the whole tree.
Otherwise `kunit.py build` runs first, and the stamp is written when it
succeeds; a build that fails, is interrupted or is a mutant's leaves none.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

from . import known_bugs
from .config import REPO, VARIANTS, config_lines
from .kernel_log import bad_lines, channels_tested, lines_of, mapping_facts
from .results import Outcome, count_cases, expected_suites, load, suites_in
from .targets import TARGETS, kunit_args, kunit_env, target
from .tree import GRAFT_DIR, kernel_version, prepare
from .util import die, locked, log, run as sh

STAMP = '.dma-suite-built.json'
# kunit.py arguments that change what runs, not what is built
RUN_ONLY = ('--timeout=', '--json=', '--raw_output=', '--kernel_args=', '--jobs=')


def variant_config(run_):
    """(kconfig lines, kernel arguments) that @run_'s variant adds: its
    fragment, and the target's part of it (configs/<variant>.<arch>.config)
    where there is one."""
    v = VARIANTS.get(run_.variant)
    if not v:
        return [], []
    mine = v.fragment[:-len('.config')] + f'.{run_.arch}.config'
    lines = config_lines(v.fragment)
    if os.path.exists(os.path.join(REPO, mine)):
        lines += config_lines(mine)
    return lines, list(v.kernel_args)


def kernel_home(run_, target_, tree):
    """(run, target, tree) that build @target_'s kernel: its own, or, for a
    target that boots another's kernel (kernel_of), that target's."""
    if not target_.kernel_of:
        return run_, target_, tree
    t = TARGETS[target_.kernel_of]
    return run_.replace(arch=t.name), t, tree.sibling(t.name, run_.variant)


def command(run_, target_, tree, sub='run'):
    """kunit.py's command line for @run_ (sub: run, build or exec; a target
    that boots another's kernel only execs)."""
    extra, kargs = variant_config(run_)
    kernel = None
    if target_.kernel_of:
        if sub != 'exec':
            die(f'{target_.name} boots the kernel of {target_.kernel_of}: exec only')
        kernel = os.path.join(kernel_home(run_, target_, tree)[2].build, target_.kernel)
    cmd = [sys.executable, os.path.join(tree.src, 'tools/testing/kunit/kunit.py'),
           sub, f'--build_dir={tree.build}']
    if sub != 'exec':
        cmd.append(f'--jobs={os.cpu_count()}')
    if sub != 'build':
        cmd.append(f'--timeout={run_.timeout}')
    cmd += kunit_args(target_, tree.src, tree.build, kernel)
    cmd += [f'--kconfig_add={k}' for k in list(run_.kconfig_add) + extra]
    if sub == 'build':
        return cmd
    cmd += [f'--kernel_args={k}' for k in list(run_.kernel_args) + kargs]
    if run_.raw_output:
        cmd.append(f'--raw_output={run_.raw_output}')
    else:
        cmd.append(f'--json={os.path.join(tree.build, "results.json")}')
    if run_.filter:
        cmd.append(run_.filter)
    return cmd


def _digest(cmd):
    """What the kernel built by @cmd depends on outside the managed tree."""
    h = hashlib.sha256()
    for arg in cmd[2:]:
        if arg.startswith(RUN_ONLY) or not arg.startswith('--'):
            continue
        h.update(arg.encode() + b'\0')
        if arg.startswith(('--kunitconfig=', '--qemu_config=')):
            path = arg.split('=', 1)[1]
            if os.path.isfile(path):
                with open(path, 'rb') as f:
                    h.update(f.read())
    return h.hexdigest()


def _stamp(tree, cmd):
    return {'generation': tree.generation(), 'digest': _digest(cmd)}


def _read_stamp(tree):
    try:
        with open(os.path.join(tree.build, STAMP)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def invalidate(tree):
    """Forget that the build directory's kernel matches its tree."""
    try:
        os.unlink(os.path.join(tree.build, STAMP))
    except FileNotFoundError:
        pass


def is_current(tree, target_, cmd):
    return (os.path.exists(os.path.join(tree.build, target_.kernel)) and
            _read_stamp(tree) == _stamp(tree, cmd))


@dataclass
class Invocation:
    rc: int                 # kunit.py's exit code (build's, if that failed)
    build_s: float = None   # None: the kernel was current, not rebuilt
    run_s: float = 0.0


def build(run_, target_, tree, force=False, quiet=False):
    """`kunit.py build` unless the kernel is current (or with @force);
    (exit code, seconds or None if not built).  A build made with @force
    (a mutant's) leaves no stamp.  A target that boots another's kernel
    builds that one."""
    run_, target_, tree = kernel_home(run_, target_, tree)
    cmd = command(run_, target_, tree, 'build')

    def current():
        if force or not is_current(tree, target_, cmd):
            return False
        log(f'kernel in {tree.build} is current (tree generation '
            f'{tree.generation()}): no build')
        return True
    # asked first without the lock, which a boot of this kernel holds
    # shared: a build in progress has taken the stamp away
    if current():
        return 0, None
    with locked(tree.build):
        if current():
            return 0, None
        invalidate(tree)
        t0 = time.time()
        out = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if quiet else {}
        rc = sh(cmd, cwd=tree.src, check=False, env=kunit_env(target_, tree.build),
                **out).returncode
        if rc == 0 and not force:
            with open(os.path.join(tree.build, STAMP), 'w') as f:
                json.dump(_stamp(tree, cmd), f)
        return rc, time.time() - t0


def build_step(cache, run_):
    """@run_'s kernel built if it is not current (its tree synced unless
    @run_ says not to), as a step's Outcome."""
    t = target(run_.arch)
    rc, took = build(run_, t, prepare(cache, run_, t))
    return Outcome(ok=rc == 0, build_s=took,
                   failures=[f'kunit.py build exited {rc}'] if rc else [])


def invoke(run_, target_, tree, force_build=False, quiet=False):
    """The kernel of @run_ built if it is not current, then run with
    `kunit.py exec`."""
    rc, build_s = build(run_, target_, tree, force=force_build, quiet=quiet)
    if rc:
        return Invocation(rc, build_s)
    t0 = time.time()
    out = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if quiet else {}
    with locked(kernel_home(run_, target_, tree)[2].build, shared=True):
        rc = sh(command(run_, target_, tree, 'exec'), cwd=tree.src, check=False,
                env=kunit_env(target_, tree.build), **out).returncode
    return Invocation(rc, build_s, time.time() - t0)


def known_kernel_bugs(data, tree, arch, lines=None):
    """The cases of kunit.py's JSON that met a known kernel bug (@lines: the
    kernel log, by default the build's test.log)."""
    if lines is None:
        lines = lines_of(os.path.join(tree.build, 'test.log')) or []
    return known_bugs.classify(data, lines, kernel_version(tree.src), arch)


def only_known_bugs_failed(tree, arch):
    """Whether every failed case of the build's last results is a known
    kernel bug (and at least one case failed)."""
    try:
        data = load(os.path.join(tree.build, 'results.json'))
    except (OSError, ValueError):
        return False
    failed = [n for n, st in known_bugs.leaves(data) if st in ('FAIL', 'ERROR')]
    known = {n for n, st, _ in known_kernel_bugs(data, tree, arch) if st == 'FAIL'}
    return bool(failed) and set(failed) <= known


def judge(run_, tree, rc, results, lines, tool='kunit.py'):
    """The Outcome of a KUnit run: @rc, @tool's exit code; @results, its
    JSON file; @lines, the kernel log (None: none was written).  The cases
    (those that met a named bug of this kernel apart, not passed), the
    suites the sources define that did not run, and the warnings the
    kernel printed."""
    out = Outcome(ok=False)
    if rc:
        out.failures.append(f'{tool} exited {rc}')
    if not run_.raw_output:
        try:
            data = load(results)
            counts = count_cases(data)
            known = known_kernel_bugs(data, tree, run_.arch, lines or [])
            for _, status, _ in known:
                setattr(counts, status, getattr(counts, status) - 1)
            counts.KNOWN = len(known)
            out.counts, out.known = counts, known
            log(f'cases: {counts}')
            if known:
                known_bugs.report(known, log)
            # kunit.py fails the run for a failed case: not for a known bug
            if rc and not counts.bad() and any(st == 'FAIL' for _, st, _ in known):
                out.failures.remove(f'{tool} exited {rc}')
            if run_.json:
                shutil.copyfile(results, run_.json)
            if not run_.filter:
                seen = suites_in(data)
                missing = [s for s in expected_suites() if s not in seen]
                if missing:
                    out.failures.append(f'missing suites: {", ".join(missing)}')
        except (OSError, ValueError) as e:
            out.failures.append(f'no parsable results ({e})')
    chans = channels_tested(lines or [])
    if chans:
        log(f'channels tested: {chans}')
    for fact in mapping_facts(lines):
        log(f'  {fact}')
    bad = bad_lines(lines) if lines is not None else ['no kernel log (test.log) was written']
    if bad:
        out.failures.append('warnings in the kernel log (DMA-API debug, WARN, BUG):\n  ' +
                            '\n  '.join(bad[:20]))
    out.ok = not out.failures
    return out


def parse_console(run_, tree, lines, path):
    """`kunit.py parse` on the KUnit part of a boot's console @lines (kept
    in @path); the Outcome, judged as a kunit.py run is."""
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    results = path + '.json'
    if os.path.exists(results):
        os.unlink(results)
    rc = sh([sys.executable, os.path.join(tree.src, 'tools/testing/kunit/kunit.py'), 'parse',
             f'--json={results}', path], cwd=tree.src, check=False).returncode
    return judge(run_, tree, rc, results, lines, tool='kunit.py parse')


def run_kunit(run_, target_, tree):
    """kunit.py on @tree's build directory; the step's Outcome."""
    ver = kernel_version(tree.src)
    log(f'kernel {ver} from {tree.kdir}, arch {run_.arch}, build {tree.build}')
    results = os.path.join(tree.build, 'results.json')
    if os.path.exists(results):
        os.unlink(results)
    inv = invoke(run_, target_, tree)
    out = judge(run_, tree, inv.rc, results, lines_of(os.path.join(tree.build, 'test.log')))
    out.build_s, out.run_s = inv.build_s, inv.run_s
    log(f'{"PASS" if out.ok else "FAIL"}: kernel {ver} arch {run_.arch}: ' +
        (f'built in {inv.build_s:.0f}s, ' if inv.build_s is not None else 'no build needed, ') +
        f'ran in {inv.run_s:.0f}s')
    for f in out.failures:
        log(f'  {f}')
    return out


def generation(tree):
    """The dmapool allocator generation Kbuild compiled the suite for
    ('old' or 'new'), or None if the suite was not built.

    Kbuild is the one place that maps kernel versions to generations
    (DMAPOOL_GENERATION, on every object of the suite); read its decision
    from an object's command line rather than knowing the version here too."""
    import re
    for obj in ('.dmapool_kunit.o.cmd', 'bench/.dmapool_bench.o.cmd'):
        text = lines_of(os.path.join(tree.build, GRAFT_DIR, obj))
        m = text and re.search(r'-DDMAPOOL_GENERATION=(\d+)', '\n'.join(text))
        if m:
            return 'new' if int(m.group(1)) >= 2 else 'old'
    return None

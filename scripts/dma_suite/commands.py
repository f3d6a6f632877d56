# SPDX-License-Identifier: GPL-2.0
"""The user's commands (make kunit, kselftest, w1, ...), each a function of
the Settings that returns the step's Outcome."""

import os

from .checks import checkpatch, w1
from .config import Run
from .kselftest import run_kselftest
from .kunit_run import run_kunit
from .results import Outcome
from .targets import target
from .tree import prepare


def _setup(settings, run_):
    t = target(run_.arch)
    return t, prepare(settings.cache, run_, t)


def kunit(settings, run_=None):
    run_ = run_ or Run.from_settings(settings)
    t, tree = _setup(settings, run_)
    return run_kunit(run_, t, tree)


def kselftest(settings, run_=None):
    run_ = run_ or Run.from_settings(settings)
    t, tree = _setup(settings, run_)
    return run_kselftest(run_, t, tree)


def w1_build(settings, run_=None):
    run_ = run_ or Run.from_settings(settings)
    t, tree = _setup(settings, run_)
    return w1(t, tree)


def check_sources(settings, run_=None):
    run_ = run_ or Run.from_settings(settings)
    _, tree = _setup(settings, run_)
    return checkpatch(tree)


def sync(settings):
    _, tree = _setup(settings, Run.from_settings(settings))
    print(tree.src)
    return Outcome(ok=True)


def debug_run(settings, kver):
    return Run.from_settings(settings, kver=kver or settings.kver, arch='um',
                             variant='debug')


def kunit_debug(settings):
    """Every KUnit suite on both kernel generations under UML with KASAN,
    lockdep, kmemleak, SLUB_DEBUG_ON (DMAPOOL_DEBUG), DMA_API_DEBUG and
    fault injection, in build directories of their own (build-um-debug);
    then the kselftest programs (the UAPI fuzzer among them) in the same
    kernel, which scan for leaks at the end.  KVER=... narrows it to one
    kernel."""
    total = Outcome(ok=True)
    for kver in settings.kvers():
        r = debug_run(settings, kver)
        steps = [kunit(settings, r)]
        if not settings.filter:
            steps.append(kselftest(settings, r.whole(sync=False,
                                                    timeout=min(settings.timeout, 600))))
        for o in steps:
            total = total.merge(o)
    return total


def build_kernel(settings, run_):
    """Build @run_'s kernel if it is not current (kunit_run.build)."""
    from .kunit_run import build
    t, tree = _setup(settings, run_)
    rc, took = build(run_, t, tree)
    return Outcome(ok=rc == 0, build_s=took, failures=[f'kunit.py build exited {rc}'] if rc else [])


def needs_build(settings, run_):
    """Whether @run_'s kernel would be built (without syncing)."""
    from .kunit_run import command, is_current
    from .tree import source_dir, tree_for
    t = target(run_.arch)
    tree = tree_for(settings.cache, source_dir(settings.cache, run_.kdir, run_.kver),
                    run_.arch, run_.variant)
    if not os.path.exists(os.path.join(tree.build, t.kernel)):
        return True
    return not is_current(tree, t, command(run_, t, tree, 'build'))


def runner_tests(settings):
    """The runner's own unit tests (scripts/dma_suite/test_*.py)."""
    import unittest
    from .util import log
    here = os.path.dirname(os.path.abspath(__file__))
    suite = unittest.defaultTestLoader.discover(here, pattern='test_*.py',
                                                top_level_dir=os.path.dirname(here))
    r = unittest.TextTestRunner(verbosity=1).run(suite)
    bad = len(r.failures) + len(r.errors)
    log(f'runner unit tests: {r.testsRun - bad} passed, {bad} failed')
    return Outcome(ok=r.wasSuccessful() and r.testsRun > 0,
                   failures=[f'{bad} runner unit tests failed'] if bad else [])

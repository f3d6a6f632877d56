# SPDX-License-Identifier: GPL-2.0
"""The user's commands (make kunit, kselftest, w1, ...), each a function of
the Settings that returns the step's Outcome."""

import os

from .checks import checkpatch, w1
from .config import Run
from .kselftest import run_kselftest
from .kunit_run import build_step, run_kunit
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


def kunit_kselftest(settings, run_=None):
    """The built-in KUnit suites and the kselftest programs in one boot."""
    run_ = run_ or Run.from_settings(settings)
    t, tree = _setup(settings, run_)
    return run_kselftest(run_, t, tree, with_kunit=True)


def w1_build(settings, run_=None):
    """W=1 of the kernel @run_'s target boots (another target's, for one
    that boots another's kernel)."""
    from .kunit_run import kernel_home
    run_ = run_ or Run.from_settings(settings)
    t, tree = _setup(settings, run_)
    _, t, tree = kernel_home(run_, t, tree)
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


def kunit_debug(settings, kver=None, sync=True):
    """Every KUnit suite on both kernel generations under UML with KASAN,
    lockdep, kmemleak, SLUB_DEBUG_ON (DMAPOOL_DEBUG), DMA_API_DEBUG and
    fault injection, in build directories of their own (build-um-debug),
    in one boot per kernel with the kselftest programs (the UAPI fuzzer
    among them): the KUnit suites run first, the programs after them, and
    the kmemleak scan at the end covers both.  KVER=... (or @kver) narrows
    it to one kernel; a FILTER runs the suites it names with kunit.py, and
    no programs."""
    total = Outcome(ok=True)
    for k in ([kver] if kver else settings.kvers()):
        r = debug_run(settings, k).replace(sync=sync)
        if settings.filter:
            o = kunit(settings, r)
        else:
            o = build_step(settings.cache, r)
            if o.ok:
                o = o.merge(kselftest(settings, r.whole(sync=False,
                                                        timeout=min(settings.timeout, 600))))
        total = total.merge(o)
    return total


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


def needs_w1(settings, run_):
    """Whether @run_'s W=1 step would compile (no clean build stamped)."""
    from .checks import w1_is_current
    from .tree import source_dir, tree_for
    tree = tree_for(settings.cache, source_dir(settings.cache, run_.kdir, run_.kver),
                    run_.arch, run_.variant)
    return not w1_is_current(target(run_.arch), tree)


def _built_modules(settings):
    """The suite's modules built against KDIR (a built kernel or a headers
    tree) for KARCH's architecture and cross compiler."""
    from . import modules
    from .util import die
    if not settings.kdir:
        die('make modules/install-tests need KDIR=<a configured, built kernel tree, '
            'or a headers tree such as /usr/src/linux-headers-$(uname -r)>')
    t = target(settings.arch) if settings.arch != 'um' else None
    return t, modules.build(settings.cache, settings.kdir, t and t.linux_arch, t and t.cross)


def build_modules(settings):
    """make modules KDIR=... [KARCH=arm|arm64|x86_64]."""
    _, built = _built_modules(settings)
    if built.error:
        print(built.error)
    else:
        print(built.out)
    return Outcome(ok=not built.error)


def install_tests(settings):
    """make install-tests KDIR=... INSTALL_PATH=dir [KARCH=...]: the test
    set for that kernel in dir, and dir.tar.gz."""
    from . import testset
    from .tree import source_dir
    t, built = _built_modules(settings)
    if built.error:
        print(built.error)
        return Outcome(ok=False, failures=['modules did not build'])
    dest = os.path.abspath(settings.install_path or 'dma_suite_install')
    # the kernel's runner (run_kselftest.sh): KDIR's if it is a source
    # tree, else the one of the Debian source of KVER
    ksft = os.path.join(settings.kdir, 'tools/testing/selftests')
    if not os.path.exists(os.path.join(ksft, 'run_kselftest.sh')):
        ksft = os.path.join(source_dir(settings.cache, None, settings.kver),
                            'tools/testing/selftests')
    cc = t.cc() if t else 'gcc'
    return Outcome(ok=bool(testset.install(dest, built, cc, ksft)))


def distro(settings):
    """make distro: Debian's shipped 6.1 and 6.12 amd64 kernels boot the
    installed test set, plain and with swiotlb=force; and the suite's
    x86_64 and arm64 6.12 kernels built as a distro would (KUNIT=m) boot it
    with the KUnit suites as modules (KVER=... narrows)."""
    from .distro import MODULAR_ARCHS, MODULAR_KVER, modular_run, run_distro, run_modular
    total = Outcome(ok=True)
    kvers = [k or settings.kver for k in settings.kvers()]
    for kver in kvers:
        total = total.merge(run_distro(settings, kver))
    if MODULAR_KVER in kvers:
        for arch in MODULAR_ARCHS:
            # the built-in run to compare with, of this kernel and whole (the
            # last results may be a filtered run's, or a mutant's)
            total = total.merge(kunit(settings, Run.from_settings(settings, kver=MODULAR_KVER,
                                                                  arch=arch)))
            total = total.merge(run_modular(settings, modular_run(settings, arch)))
    return total


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

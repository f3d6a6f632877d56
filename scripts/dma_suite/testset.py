# SPDX-License-Identifier: GPL-2.0
"""The installable test set (make install-tests INSTALL_PATH=dir): what a
machine under test needs, laid out as kselftest's own install lays out a
collection, plus the suite's modules and its one entry script.

    dir/run_dma_suite.sh      the entry script (testset/run_dma_suite.sh)
    dir/run_kselftest.sh      the kernel's runner, and kselftest/ beside it
    dir/kselftest-list.txt    dma_suite:<program>, one a line
    dir/dma_suite/            the programs, static, and settings (timeout)
    dir/modules/              the .ko files; kunit-modules.txt

and dir.tar.gz, the same as one archive (what kselftest's gen_tar makes)."""

import os
import shutil
import tarfile

from . import kselftest
from .modules import HELPERS
from .config import REPO
from .util import log

ENTRY = 'testset/run_dma_suite.sh'
# the kernel's runner: run_kselftest.sh sources these
RUNNER_FILES = ('run_kselftest.sh', 'kselftest/runner.sh', 'kselftest/prefix.pl',
                'kselftest/module.sh', 'kselftest/ktap_helpers.sh')


def install(dest, built, cc, ksft_dir):
    """Lay out the test set in @dest for the modules @built (modules.Built),
    the programs built with @cc, the runner of the selftests tree
    @ksft_dir; the tarball's path, or None if the programs did not build."""
    shutil.rmtree(dest, ignore_errors=True)
    progs = os.path.join(dest, 'dma_suite')
    err = kselftest.build(cc, ksft_dir, progs)
    if err:
        print(err)
        log('the kselftest programs did not build')
        return None
    os.unlink(os.path.join(progs, 'ksft_init'))
    shutil.copyfile(os.path.join(REPO, 'kselftest', 'settings'), os.path.join(progs, 'settings'))
    with open(os.path.join(dest, 'kselftest-list.txt'), 'w') as f:
        f.writelines(f'dma_suite:{p}\n' for p in kselftest.programs())
    for rel in RUNNER_FILES:
        src = os.path.join(ksft_dir, rel)
        if os.path.exists(src):
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, rel))
    shutil.copy2(os.path.join(REPO, ENTRY), os.path.join(dest, 'run_dma_suite.sh'))
    mods = os.path.join(dest, 'modules')
    os.makedirs(mods)
    for m in built.modules + built.kunit_modules + [HELPERS]:
        if os.path.exists(built.path(m)):
            shutil.copyfile(built.path(m), os.path.join(mods, f'{m}.ko'))
    with open(os.path.join(mods, 'kunit-modules.txt'), 'w') as f:
        f.writelines(f'{m}\n' for m in built.kunit_modules)
    tarball = dest.rstrip('/') + '.tar.gz'
    with tarfile.open(tarball, 'w:gz') as t:
        t.add(dest, arcname=os.path.basename(dest.rstrip('/')))
    log(f'test set for {built.release} in {dest} ({len(kselftest.programs())} programs, '
        f'{len(built.modules)} modules, {len(built.kunit_modules)} KUnit modules); '
        f'tarball {tarball}; run: {os.path.basename(dest.rstrip("/"))}/run_dma_suite.sh')
    return tarball

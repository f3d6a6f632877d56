# SPDX-License-Identifier: GPL-2.0
"""The kernel's own checkers on the suite's sources: checkpatch.pl --strict,
kernel-doc -Wall, and a W=1 build of the suite's objects."""

import os
import re

from .config import REPO
from .results import Outcome, suite_sources
from .tree import GRAFT_DIR, kernel_version
from .util import locked, log, run as sh


def checkpatch(tree):
    """checkpatch.pl --strict on every source file of the suite, and
    kernel-doc on everything documented (all exported functions are)."""
    files = suite_sources()
    r = sh(['perl', os.path.join(tree.src, 'scripts/checkpatch.pl'), '--strict',
            '--no-tree', '--terse', '--show-types', '--no-summary', '-f'] + files,
           cwd=REPO, check=False, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    srcs = [f for f in files if f.endswith(('.c', '.h'))]
    k = sh(['perl', os.path.join(tree.src, 'scripts/kernel-doc'), '-none', '-Wall'] + srcs,
           cwd=REPO, check=False, capture_output=True, text=True)
    kout = (k.stdout + k.stderr).strip()
    for text in (out, kout):
        if text:
            print(text)
    log(f'checkpatch --strict ({kernel_version(tree.src)}): {len(files)} files, '
        f'{"clean" if not out else "NOT clean"}; kernel-doc -Wall: '
        f'{"clean" if not kout else "NOT clean"}')
    failures = (['checkpatch'] if out else []) + (['kernel-doc'] if kout else [])
    return Outcome(ok=not failures, failures=failures)


def w1(target_, tree):
    """Build the suite's objects with W=1: no warning may come from them."""
    if not os.path.exists(os.path.join(tree.build, '.config')):
        log(f'no configured kernel in {tree.build}: run make kunit first')
        return Outcome(ok=False, failures=['no configured kernel'])
    with locked(tree.build):
        r = _w1_build(target_, tree)
    mine = [line for line in (r.stdout + r.stderr).splitlines()
            if GRAFT_DIR in line and re.search(r'warning:|error:', line)]
    for line in mine:
        print(line.replace(os.path.join(tree.src, GRAFT_DIR) + '/', ''))
    ok = r.returncode == 0 and not mine
    if r.returncode and not mine:
        print(r.stdout[-3000:], r.stderr[-3000:])
    log(f'W=1 build of {GRAFT_DIR} on {kernel_version(tree.src)}: '
        f'{"clean" if ok else "NOT clean"}')
    return Outcome(ok=ok, failures=[] if ok else ['W=1'])


def _w1_build(target_, tree):
    """The suite's objects, removed and built again with W=1."""
    objdir = os.path.join(tree.build, GRAFT_DIR)
    for root, _, files in os.walk(objdir):
        for f in files:
            if f.endswith('.o'):
                os.unlink(os.path.join(root, f))
    cross = [f'CROSS_COMPILE={target_.cross}'] if target_.cross else []
    return sh(['make', f'ARCH={target_.linux_arch}', f'O={tree.build}', 'W=1',
               f'-j{os.cpu_count()}'] + cross + [f'{GRAFT_DIR}/'],
              cwd=tree.src, check=False, capture_output=True, text=True)

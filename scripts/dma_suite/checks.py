# SPDX-License-Identifier: GPL-2.0
"""The kernel's own checkers on the suite's sources: checkpatch.pl --strict,
kernel-doc -Wall, and a W=1 build of the suite's objects; and shellcheck on
the shell scripts that run on a machine under test (POSIX sh, busybox).

A clean W=1 build leaves a stamp of what it compiled: the managed tree's
generation (every source, the suite's among them), the kernel's .config and
the compiler.  While all three hold, the build would compile the same
objects with the same flags and print the same nothing: it is not run
again, and the step says so."""

import glob
import hashlib
import json
import os
import re
import shutil

from . import deps
from .config import REPO
from .results import Outcome, suite_sources
from .tree import GRAFT_DIR, kernel_version
from .util import locked, log, run as sh


SHELLCHECK = {'shellcheck': 'shellcheck'}


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
    deps.ensure(SHELLCHECK)
    scripts = sorted(glob.glob(os.path.join(REPO, 'testset', '*.sh')))
    s = sh(['shellcheck', '-s', 'sh'] + scripts, cwd=REPO, check=False,
           capture_output=True, text=True)
    sout = (s.stdout + s.stderr).strip()
    for text in (out, kout, sout):
        if text:
            print(text)
    log(f'checkpatch --strict ({kernel_version(tree.src)}): {len(files)} files, '
        f'{"clean" if not out else "NOT clean"}; kernel-doc -Wall: '
        f'{"clean" if not kout else "NOT clean"}; shellcheck -s sh: {len(scripts)} '
        f'scripts, {"clean" if not sout and not s.returncode else "NOT clean"}')
    failures = (['checkpatch'] if out else []) + (['kernel-doc'] if kout else []) + \
        (['shellcheck'] if sout or s.returncode else [])
    return Outcome(ok=not failures, failures=failures)


W1_STAMP = '.dma-suite-w1-clean.json'


def _w1_inputs(target_, tree):
    """What a W=1 build of the suite's objects depends on."""
    h = hashlib.sha256()
    with open(os.path.join(tree.build, '.config'), 'rb') as f:
        h.update(f.read())
    cc = shutil.which(target_.cc()) or target_.cc()
    st = os.stat(cc) if os.path.exists(cc) else None
    return {'generation': tree.generation(), 'config': h.hexdigest(),
            'cc': [cc, st.st_size if st else None, st.st_mtime if st else None]}


def _w1_stamp(tree, inputs=None):
    path = os.path.join(tree.build, W1_STAMP)
    if inputs is not None:
        with open(path, 'w') as f:
            json.dump(inputs, f)
        return inputs
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def w1_is_current(target_, tree):
    return (os.path.exists(os.path.join(tree.build, '.config')) and
            _w1_stamp(tree) == _w1_inputs(target_, tree))


def w1(target_, tree):
    """Build the suite's objects with W=1: no warning may come from them.
    Not rebuilt when a clean build of the same inputs is stamped."""
    if not os.path.exists(os.path.join(tree.build, '.config')):
        log(f'no configured kernel in {tree.build}: run make kunit first')
        return Outcome(ok=False, failures=['no configured kernel'])
    with locked(tree.build):
        inputs = _w1_inputs(target_, tree)
        if _w1_stamp(tree) == inputs:
            log(f'W=1 build of {GRAFT_DIR} on {kernel_version(tree.src)}: clean '
                f'(stamped at tree generation {inputs["generation"]}, same .config '
                'and compiler: not rebuilt)')
            return Outcome(ok=True)
        try:
            os.unlink(os.path.join(tree.build, W1_STAMP))
        except FileNotFoundError:
            pass
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
    if ok:
        _w1_stamp(tree, inputs)
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

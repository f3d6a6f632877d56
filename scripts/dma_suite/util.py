# SPDX-License-Identifier: GPL-2.0
"""Logging, subprocesses, files written only when their text changes, and
locks on cache directories."""

import contextlib
import fcntl
import os
import subprocess
import sys


def log(msg):
    print(f'[dma-suite] {msg}', flush=True)


def die(msg, code=2):
    print(f'[dma-suite] error: {msg}', file=sys.stderr, flush=True)
    sys.exit(code)


def run(cmd, **kw):
    return subprocess.run(cmd, check=kw.pop('check', True), **kw)


def read_text(path, default=None):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except FileNotFoundError:
        return default


def write_if_changed(path, text):
    """Write @text to @path unless it holds it already; True if written."""
    if read_text(path) == text:
        return False
    with open(path, 'w') as f:
        f.write(text)
    return True


@contextlib.contextmanager
def locked(path, shared=False):
    """Hold a lock on @path (a tree or build directory) for a with-block:
    exclusive for what writes it (a sync, a kernel or W=1 build), shared for
    what only reads it (booting its kernel), so that two runs never build
    the same directory at once, and kernels boot side by side."""
    os.makedirs(path, exist_ok=True)
    fd = os.open(os.path.join(path, '.dma-suite.lock'), os.O_CREAT | os.O_RDWR)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f'waiting for another run to release {path}')
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)

# SPDX-License-Identifier: GPL-2.0
"""The host tools and Debian packages a step needs, installed with apt-get:
the project's own way, never by hand."""

import os
import shutil
import subprocess

from .util import die, log, run

# a tool on PATH -> the package that has it
TOOLS = {'flex': 'flex', 'bison': 'bison', 'bc': 'bc', 'rsync': 'rsync',
         'perl': 'perl', 'xz': 'xz-utils', 'gcc': 'gcc', 'make': 'make'}
# the host C library, static too: kselftest programs for UML and x86_64
PACKAGES = ('libc6-dev',)


def apt_install(pkgs):
    if os.geteuid() != 0:
        die(f'need packages {" ".join(pkgs)}: run as root or install them')
    log(f'apt-get install {" ".join(pkgs)}')
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    cmd = ['apt-get', 'install', '-y', '--no-install-recommends'] + list(pkgs)
    if run(cmd, env=env, check=False, stdout=subprocess.DEVNULL).returncode:
        run(['apt-get', 'update'], env=env, stdout=subprocess.DEVNULL)
        run(cmd, env=env, stdout=subprocess.DEVNULL)


def pkg_missing(pkg):
    return run(['dpkg', '-s', pkg], check=False, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL).returncode != 0


def ensure(tools=None, packages=()):
    """Install what is missing of the base tools, @tools (tool -> package)
    and @packages."""
    want = dict(TOOLS, **(tools or {}))
    missing = sorted({pkg for tool, pkg in want.items() if not shutil.which(tool)} |
                     {pkg for pkg in list(PACKAGES) + list(packages) if pkg_missing(pkg)})
    if missing:
        apt_install(missing)

# SPDX-License-Identifier: GPL-2.0
"""The suite's modules built against a kernel someone else built (make
modules KDIR=...): a configured and built kernel tree, or a headers tree
such as Debian's /usr/src/linux-headers-<release>.

An external build (make -C KDIR M=dir) writes its objects beside the
sources, so the suite's kernel-side files are copied, by content, into a
directory of their own per kernel in the cache, and built there; Kbuild
decides which modules that kernel's configuration allows (the KUnit suites
only where it has KUnit).  Where the kernel build has its module signing
key, the modules are signed with it, as modules_install would."""

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from typing import List, Optional

from .config import REPO
from .tree import suite_files
from .util import log, read_text, run as sh, write_if_changed

# The load order of the modules that run the suite (the chardev and engine
# first); the KUnit modules after dma_suite_helpers, which they link to.
BASE_MODULES = ('sgdma_test', 'sgdma_swchan', 'dma_suite_bench')
HELPERS = 'dma_suite_helpers'


@dataclass
class Built:
    kdir: str
    release: str
    out: str                        # where the .ko files are
    modules: List[str] = field(default_factory=list)     # names, load order
    kunit_modules: List[str] = field(default_factory=list)
    has_kunit: bool = False
    signed: bool = False
    error: Optional[str] = None     # the build's output when it failed

    def path(self, name):
        return os.path.join(self.out, f'{name}.ko')


# the suite's own options (Kconfig): =y in a kernel means the suite is in it
SUITE_OPTIONS = ('CONFIG_DMA_SUITE_KUNIT_HELPERS', 'CONFIG_DMAPOOL_KUNIT_TEST',
                 'CONFIG_SGDMA_TEST', 'CONFIG_SGDMA_SWCHAN', 'CONFIG_SGDMA_KUNIT_TEST',
                 'CONFIG_DMA_SUITE_BENCH')


def kernel_config(kdir):
    """{CONFIG_X: value} of the kernel build in @kdir."""
    conf = {}
    for name in ('include/config/auto.conf', '.config'):
        p = os.path.join(kdir, name)
        if os.path.exists(p):
            with open(p) as f:
                for line in f:
                    m = re.match(r'(CONFIG_\w+)=(.*)', line)
                    if m:
                        conf[m.group(1)] = m.group(2).strip('"')
            break
    return conf


def kernel_release(kdir):
    """The release the modules' vermagic will carry: UTS_RELEASE (Debian's
    headers override the tree's own kernel.release, 6.1.192, with theirs,
    6.1.0-NN-amd64)."""
    text = read_text(os.path.join(kdir, 'include/generated/utsrelease.h'), '')
    m = re.search(r'UTS_RELEASE "([^"]+)"', text)
    if m:
        return m.group(1)
    return (read_text(os.path.join(kdir, 'include/config/kernel.release')) or 'unknown').strip()


def _copy_sources(dest):
    """The suite's files into @dest, written only where they differ (make
    then rebuilds what changed and nothing else)."""
    want = set(suite_files())
    for rel in want:
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        write_if_changed(os.path.join(dest, rel), read_text(os.path.join(REPO, rel)))
    for root, _, files in os.walk(dest):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), dest)
            if f.endswith(('.c', '.h')) and rel not in want:
                os.unlink(os.path.join(root, f))


def _sign(kdir, conf, kos):
    """Sign @kos with the kernel build's own key, if it has one."""
    key, cert = (os.path.join(kdir, 'certs', n) for n in ('signing_key.pem', 'signing_key.x509'))
    tool = os.path.join(kdir, 'scripts', 'sign-file')
    if conf.get('CONFIG_MODULE_SIG') != 'y' or not all(map(os.path.exists, (key, cert, tool))):
        return False
    algo = conf.get('CONFIG_MODULE_SIG_HASH', 'sha256')
    for ko in kos:
        sh([tool, algo, key, cert, ko])
    return True


def build(cache, kdir, arch=None, cross=None):
    """Build the suite's modules against @kdir; a Built."""
    kdir = os.path.abspath(kdir)
    release = kernel_release(kdir)
    conf = kernel_config(kdir)
    key = hashlib.sha1(kdir.encode()).hexdigest()[:8]
    out = os.path.join(cache, 'modules', f'{release}-{key}')
    os.makedirs(out, exist_ok=True)
    _copy_sources(out)
    b = Built(kdir=kdir, release=release, out=out,
              has_kunit=conf.get('CONFIG_KUNIT') in ('y', 'm'))
    inside = sorted(o for o in SUITE_OPTIONS if conf.get(o) == 'y')
    if inside:
        # its modules would export what vmlinux exports: modpost refuses
        b.error = (f'{release} has the suite built in ({", ".join(inside)}=y): its '
                   'modules are not for this kernel; build them against one without '
                   'the suite (as a distro builds its kernel), or use the built-in suite')
        return b
    cmd = ['make', '-C', kdir, f'M={out}', f'-j{os.cpu_count()}', 'modules']
    cmd += [f'ARCH={arch}'] if arch else []
    cmd += [f'CROSS_COMPILE={cross}'] if cross else []
    r = sh(cmd, check=False, capture_output=True, text=True)
    # a module that needs a symbol the kernel does not export builds, and
    # then does not load: modpost says so, and that fails the build here
    undefined = [line for line in (r.stdout + r.stderr).splitlines() if 'undefined!' in line]
    if r.returncode or undefined:
        b.error = '\n'.join(undefined) or (r.stdout[-4000:] + r.stderr[-4000:]).strip()
        log(f'modules for {release}: the build failed')
        return b
    kos = {}
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if d != 'ko']    # the copies below
        for f in files:
            if f.endswith('.ko'):
                kos[f[:-3]] = os.path.join(root, f)
    flat = os.path.join(out, 'ko')
    shutil.rmtree(flat, ignore_errors=True)
    os.makedirs(flat)
    for name, p in kos.items():
        shutil.copyfile(p, os.path.join(flat, f'{name}.ko'))
    b.out = flat
    b.modules = [m for m in BASE_MODULES if m in kos]
    b.kunit_modules = sorted(m for m in kos if m.endswith('_kunit'))
    b.signed = _sign(kdir, conf, [b.path(m) for m in kos])
    names = b.modules + ([HELPERS] if HELPERS in kos else []) + b.kunit_modules
    log(f'modules for {release} from {kdir}: {", ".join(names)}' +
        ('' if b.has_kunit else '; no KUnit modules: this kernel has no CONFIG_KUNIT') +
        ('; signed with its key' if b.signed else
         '; not signed (no signing key in the kernel build)'))
    return b

# SPDX-License-Identifier: GPL-2.0
"""make distro: the suite on Debian 12's shipped amd64 kernels, as a distro
gate would run it.

For each of Debian's kernel generations (6.1, the release's own kernel;
6.12, the newer bookworm kernel) the newest image, its headers and kbuild
packages are fetched with `apt-get download` (never installed on the
host) and unpacked into the cache; the suite's modules are built against
the headers (modules.py), installed as a test set (testset.py) into an
initramfs with busybox-static, and the Debian kernel boots it under
qemu-system-x86_64, once plain and once with swiotlb=force.  The entry
script runs; its KTAP and the kernel's console are judged."""

import glob
import os
import re
import subprocess

from . import boot, deps, modules, testset
from .config import REPO
from .kernel_log import bad_lines
from .kselftest import TOTALS as KSFT_TOTALS
from .results import Counts, Outcome
from .targets import target
from .tree import source_dir
from .util import log, run as sh

# Debian's generations: the metapackage that names the release's own
# kernel, or a pattern of package names (apt-cache's, then the release in
# it) of which the newest wins
GENERATIONS = {'6.1': ('linux-image-amd64', None),
               '6.12': (None, r'^linux-image-6\.12\.[0-9]+\+deb12-amd64$')}
BOOTS = (('plain', ()), ('swiotlb=force', ('swiotlb=force',)))
DONE = 'dma-suite-init: exit'
# the entry script's own count of the cases, its document's last line
TOTALS = re.compile(r'^# Totals: pass:(\d+) fail:(\d+) skip:(\d+)$')


def release_of(kver):
    """The Debian kernel release (e.g. 6.1.0-57-amd64) of generation @kver."""
    meta, pattern = GENERATIONS[kver]
    if meta:
        r = sh(['apt-cache', 'depends', meta], capture_output=True, text=True)
        m = re.search(r'Depends: linux-image-(\S+)', r.stdout)
        return m.group(1) if m else None
    r = sh(['apt-cache', 'search', '--names-only', pattern], capture_output=True, text=True)
    names = [line.split(' - ')[0][len('linux-image-'):] for line in r.stdout.splitlines()]
    if not names:
        return None
    return sorted(names, key=lambda n: [int(x) for x in re.findall(r'\d+', n)])[-1]


def _packages(release):
    common = release.rsplit('-', 1)[0]
    kb = 'linux-kbuild-' + (common.split('-')[0].rsplit('.', 1)[0] if '+' not in common
                            else common)
    return [f'linux-image-{release}', f'linux-headers-{release}',
            f'linux-headers-{common}-common', kb]


def fetch(cache, release):
    """Download and unpack @release's image and headers; the unpacked root."""
    top = os.path.join(cache, 'distro', release)
    root = os.path.join(top, 'root')
    stamp = os.path.join(top, '.unpacked')
    if os.path.exists(stamp):
        return root
    debs = os.path.join(top, 'debs')
    os.makedirs(debs, exist_ok=True)
    pkgs = _packages(release)
    log(f'apt-get download {" ".join(pkgs)}')
    sh(['apt-get', 'download'] + pkgs, cwd=debs, stdout=subprocess.DEVNULL)
    for deb in glob.glob(os.path.join(debs, '*.deb')):
        sh(['dpkg-deb', '-x', deb, root])
    # the headers' Makefile includes the common headers by absolute path
    mk = os.path.join(root, 'usr/src', f'linux-headers-{release}', 'Makefile')
    with open(mk) as f:
        text = f.read()
    with open(mk, 'w') as f:
        f.write(text.replace('include /usr/src/', f'include {root}/usr/src/'))
    open(stamp, 'w').close()
    return root


def busybox(cache):
    """busybox-static's binary, unpacked from the package into the cache."""
    top = os.path.join(cache, 'distro', 'busybox')
    bb = os.path.join(top, 'root', 'bin', 'busybox')
    if not os.path.exists(bb):
        os.makedirs(top, exist_ok=True)
        sh(['apt-get', 'download', 'busybox-static'], cwd=top, stdout=subprocess.DEVNULL)
        sh(['dpkg-deb', '-x', glob.glob(os.path.join(top, 'busybox-static_*.deb'))[0],
            os.path.join(top, 'root')])
    return bb


def initramfs(path, bb, testdir):
    entries = [(d, 0o40755, None) for d in ('bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin',
                                            'proc', 'sys', 'dev', 'tmp', 'dma_suite')]
    entries.append(boot.file_entry('bin/busybox', bb))
    entries.append(boot.file_entry('init', os.path.join(REPO, 'testset', 'busybox_init.sh')))
    for root, dirs, files in os.walk(testdir):
        rel = os.path.relpath(root, testdir)
        for d in sorted(dirs):
            entries.append((os.path.normpath(f'dma_suite/{rel}/{d}'), 0o40755, None))
        for f in sorted(files):
            p = os.path.join(root, f)
            entries.append(boot.file_entry(os.path.normpath(f'dma_suite/{rel}/{f}'), p,
                                           0o100755 if os.access(p, os.X_OK) else 0o100644))
    return boot.write_initramfs(path, entries)


def judge(lines, release):
    """The Outcome of one boot of the entry script."""
    failures = []
    if not any(release in line for line in lines):
        failures.append(f'the console does not name {release}')
    end = [line for line in lines if DONE in line]
    if not end:
        failures.append('the entry script did not finish')
    elif not end[-1].rstrip().endswith(' 0'):
        failures.append(f'the entry script failed ({end[-1].strip()})')
    counts = Counts()
    for line in lines:
        m = KSFT_TOTALS.search(line)
        if m:
            p, f, s, e = map(int, m.groups())
            counts += Counts(PASS=p, FAIL=f, SKIP=s, ERROR=e)
    if not counts.PASS:
        failures.append('no kselftest case passed')
    # the entry script's count is what a lab reads: it must be the programs'
    said = [tuple(map(int, m.groups())) for m in map(TOTALS.match, lines) if m]
    mine = (counts.PASS, counts.FAIL + counts.ERROR, counts.SKIP)
    if said and said[-1] != mine:
        failures.append(f'the entry script counted pass/fail/skip {said[-1]}, '
                        f'its programs reported {mine}')
    elif not said:
        failures.append('the entry script printed no # Totals line')
    bad = bad_lines(lines)
    if bad:
        failures.append('kernel warnings:\n  ' + '\n  '.join(bad[:20]))
    return Outcome(ok=not failures, counts=counts, failures=failures)


def prepare(cache, kvers):
    """What the distro runs of @kvers need from outside: the host's tools,
    busybox, each kernel's packages (once, before steps run side by side)."""
    t = target('x86_64')
    deps.ensure(t.tools, ('dwarves',))      # pahole: BTF of the 6.12 modules
    busybox(cache)
    for kver in kvers:
        release = release_of(kver)
        if release:
            fetch(cache, release)


def run_distro(settings, kver):
    """Debian's @kver kernel: modules, test set, two boots; the Outcome."""
    t = target('x86_64')
    prepare(settings.cache, [kver])
    release = release_of(kver)
    if not release:
        return Outcome(ok=False, failures=[f'no Debian {kver} amd64 kernel in the archive'])
    root = fetch(settings.cache, release)
    kdir = os.path.join(root, 'usr/src', f'linux-headers-{release}')
    built = modules.build(settings.cache, kdir)
    if built.error:
        print(built.error)
        return Outcome(ok=False, failures=[f'modules did not build against {release}'])
    top = os.path.join(settings.cache, 'distro', release)
    testdir = os.path.join(top, 'testset')
    ksft = os.path.join(source_dir(settings.cache, None, kver), 'tools/testing/selftests')
    if not testset.install(testdir, built, t.cc(), ksft):
        return Outcome(ok=False, failures=['the kselftest programs did not build'])
    cpio = initramfs(os.path.join(top, 'initramfs.cpio'), busybox(settings.cache), testdir)
    kernel = os.path.join(root, 'boot', f'vmlinuz-{release}')
    total = Outcome(ok=True)
    for name, args in BOOTS:
        log(f'booting Debian {release} ({name}) with the test set')
        # the target's console, not its swiotlb=force: that is one boot's
        console = ' '.join(a for a in t.cmdline.split() if a.startswith('console='))
        cmd = boot.command(t, None, cpio, ['panic=-1'] + list(args), kernel=kernel,
                           cmdline=console)
        lines = boot.boot_and_collect(cmd, min(settings.timeout, 900),
                                      os.path.join(top, f'console-{name.replace("=", "-")}.log'),
                                      done_line=DONE)
        o = judge(lines, release)
        log(f'Debian {release} ({name}): {"PASS" if o.ok else "FAIL"}, kselftest {o.counts}')
        for f in o.failures:
            log(f'  {f}')
        total = total.merge(o)
    return total

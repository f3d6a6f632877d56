# SPDX-License-Identifier: GPL-2.0
"""make distro: the suite on kernels it did not build itself into, as a
distro gate would run it: Debian 12's shipped amd64 kernels, and one of
the suite's own kernels built as a distro builds one (modules, KUnit a
module, the suite out of the tree: the 'modular' variant).

For each of Debian's kernel generations (6.1, the release's own kernel;
6.12, the newer bookworm kernel) the newest image, its headers and kbuild
packages are fetched with `apt-get download` (never installed on the
host) and unpacked into the cache; the suite's modules are built against
the headers (modules.py), installed as a test set (testset.py) into an
initramfs with busybox-static, and the Debian kernel boots it under
qemu-system-x86_64, once plain and once with swiotlb=force.  The entry
script runs; its KTAP and the kernel's console are judged.

The modular kernel (x86_64, 6.12) gets the same test set, built against
its build directory and signed with its key, and boots as the x86_64
target does (swiotlb=force) with module signatures enforced; there the
KUnit suites load as modules, and each suite's counts must be those of the
built-in run of the same target and kernel."""

import glob
import os
import re
import shutil
import subprocess
import sys

from . import boot, deps, known_bugs, modules, testset
from .config import REPO, Run
from .kernel_log import bad_lines
from .kselftest import TOTALS as KSFT_TOTALS
from .kselftest import env_params, ksft_dir
from .kunit_run import build_step
from .results import Counts, Outcome, load
from .targets import target
from .tree import kernel_version, source_dir, tree_for
from .util import log, run as sh

# Debian's generations: the metapackage that names the release's own
# kernel, or a pattern of package names (apt-cache's, then the release in
# it) of which the newest wins
GENERATIONS = {'6.1': ('linux-image-amd64', None),
               '6.12': (None, r'^linux-image-6\.12\.[0-9]+\+deb12-amd64$')}
BOOTS = (('plain', ()), ('swiotlb=force', ('swiotlb=force',)))
DONE = 'dma-suite-init: exit'
# the entry script's output, whole, between these (testset/busybox_init.sh)
DOC_BEGIN, DOC_END = 'dma-suite-ktap: begin', 'dma-suite-ktap: end'
# the entry script's own count of the cases, its document's last line
TOTALS = re.compile(r'^# Totals: pass:(\d+) fail:(\d+) skip:(\d+)$')
STAGE = re.compile(r'^(not )?ok (\d+) (\w+)')
MODULAR_KVER = '6.12'
# the targets whose kernel is built a second time as a distro builds one:
# x86_64 (the software channel, loaded by the entry script) and a board,
# arm64 (its own controller; the test set cross-built)
MODULAR_ARCHS = ('x86_64', 'arm64')
# the modular kernel's test boot: a module without a valid signature is
# refused (as under Secure Boot's lockdown)
SIG_ENFORCE = 'module.sig_enforce=1'


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


def _foreign_apt(cache, deb_arch):
    """apt-get's options for the archive's packages of another architecture
    (@deb_arch), its indexes fetched into the cache: the host's apt and dpkg
    are left as they are (no dpkg --add-architecture)."""
    top = os.path.join(cache, 'distro', f'apt-{deb_arch}')
    opts = ['-o', f'APT::Architecture={deb_arch}', '-o', f'APT::Architectures={deb_arch}',
            '-o', f'Dir::State::Lists={top}/lists', '-o', f'Dir::Cache={top}/cache',
            '-o', f'Dir::State::status={top}/status']
    for d in ('lists/partial', 'cache/archives/partial'):
        os.makedirs(os.path.join(top, d), exist_ok=True)
    open(os.path.join(top, 'status'), 'a').close()
    log(f'apt-get update of the archive\'s {deb_arch} indexes (into {top})')
    sh(['apt-get', '-q'] + opts + ['update'], stdout=subprocess.DEVNULL)
    return opts


def busybox(cache, deb_arch='amd64'):
    """busybox-static's binary for @deb_arch (Debian's name of the
    architecture), unpacked from the archive's package into the cache."""
    top = os.path.join(cache, 'distro', 'busybox' + ('' if deb_arch == 'amd64' else
                                                      f'-{deb_arch}'))
    bb = os.path.join(top, 'root', 'bin', 'busybox')
    if not os.path.exists(bb):
        os.makedirs(top, exist_ok=True)
        opts = [] if deb_arch == 'amd64' else _foreign_apt(cache, deb_arch)
        sh(['apt-get'] + opts + ['download', 'busybox-static'], cwd=top,
           stdout=subprocess.DEVNULL)
        sh(['dpkg-deb', '-x', glob.glob(os.path.join(top, 'busybox-static_*.deb'))[0],
            os.path.join(top, 'root')])
    return bb


def _tree_entries(top, under):
    """initramfs entries for the files under @top, placed under @under."""
    out = []
    for root, dirs, files in os.walk(top):
        rel = os.path.relpath(root, top)
        for d in sorted(dirs):
            out.append((os.path.normpath(f'{under}/{rel}/{d}'), 0o40755, None))
        for f in sorted(files):
            p = os.path.join(root, f)
            if os.path.islink(p):
                continue        # modules_install's build/source links
            out.append(boot.file_entry(os.path.normpath(f'{under}/{rel}/{f}'), p,
                                       0o100755 if os.access(p, os.X_OK) else 0o100644))
    return out


def initramfs(path, bb, testdir, modules_root=None):
    """busybox, its /init, the test set in /dma_suite, and @modules_root's
    lib/modules (the kernel's own modules, kunit.ko among them) if given."""
    entries = [(d, 0o40755, None) for d in ('bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin',
                                            'proc', 'sys', 'dev', 'tmp', 'dma_suite', 'lib')]
    entries.append(boot.file_entry('bin/busybox', bb))
    entries.append(boot.file_entry('init', os.path.join(REPO, 'testset', 'busybox_init.sh')))
    entries += _tree_entries(testdir, 'dma_suite')
    if modules_root:
        entries += _tree_entries(os.path.join(modules_root, 'lib'), 'lib')
    return boot.write_initramfs(path, entries)


def document(lines):
    """The entry script's output, read alone (no kernel message among it)."""
    if DOC_BEGIN not in lines or DOC_END not in lines[lines.index(DOC_BEGIN):]:
        return []
    i = lines.index(DOC_BEGIN)
    return lines[i + 1:lines.index(DOC_END, i)]


def kunit_results(doc, kunit_py, workdir):
    """({suite: Counts}, [kunit.py's JSON of each module]) of the KUnit
    stage of @doc: each module's results (a KTAP document as debugfs gives
    it, nested 8 deep) parsed by kunit.py."""
    stage, blocks = False, []
    for line in doc:
        m = STAGE.match(line)
        if m:
            stage = m.group(2) == '2'       # the KUnit stage follows kselftest's
            continue
        if stage and line.startswith(' ' * 8):
            if line[8:] == 'KTAP version 1':
                blocks.append([])
            if blocks:
                blocks[-1].append(line[8:])
    out, datas = {}, []
    for k, block in enumerate(blocks):
        path = os.path.join(workdir, f'kunit-module-{k}.ktap')
        with open(path, 'w') as f:
            f.write('\n'.join(block) + '\n')
        sh([sys.executable, kunit_py, 'parse', f'--json={path}.json', path],
           check=False, stdout=subprocess.DEVNULL)
        for suite, c in suite_counts(f'{path}.json').items():
            out[suite] = out.get(suite, Counts()) + c
        try:
            datas.append(load(f'{path}.json'))
        except (OSError, ValueError):
            pass
    return out, datas


def suite_counts(results):
    """{suite: Counts} of kunit.py's JSON file @results: its leaves, suite
    by suite."""
    try:
        return suite_counts_of(load(results))
    except (OSError, ValueError):
        return {}


def suite_counts_of(data):
    """{suite: Counts} of kunit.py's JSON @data."""
    out = {}
    for name, status in known_bugs.leaves(data):
        c = out.setdefault(name.split('.')[0], Counts())
        st = status if status in ('PASS', 'FAIL', 'SKIP') else 'FAIL'
        setattr(c, st, getattr(c, st) + 1)
    return out


def judge(lines, release, kunit=None, expected=None, known=()):
    """The Outcome of one boot of the entry script (@lines: the console).
    @kunit: {suite: Counts} its KUnit stage reported (kunit_results), which
    must be @expected's, suite by suite, if given.  @known: the KUnit cases
    that met a known bug of this kernel (known_bugs.classify): their
    failures, and the entry script's for them, are that bug's."""
    failures = []
    doc = document(lines)
    known_failed = {name for name, status, _ in known if status == 'FAIL'}
    if not any(release in line for line in lines):
        failures.append(f'the console does not name {release}')
    end = [line for line in lines if DONE in line]
    if not end or not doc:
        failures.append('the entry script did not finish')
    counts = Counts()
    for m in filter(None, map(KSFT_TOTALS.search, doc)):
        p, f, s, e = map(int, m.groups())
        counts += Counts(PASS=p, FAIL=f, SKIP=s, ERROR=e)
    if not counts.PASS:
        failures.append('no kselftest case passed')
    for c in (kunit or {}).values():
        counts += c
    if expected is not None:
        for name in sorted(set(expected) | set(kunit or {})):
            want, got = expected.get(name), (kunit or {}).get(name)
            if (want and (want.PASS, want.FAIL, want.SKIP)) != \
                    (got and (got.PASS, got.FAIL, got.SKIP)):
                failures.append(f'KUnit suite {name}: as modules {got}, built in {want}')
    # the entry script's count is what a lab reads: it must be the programs'
    # and the suites'
    said = [tuple(map(int, m.groups())) for m in map(TOTALS.match, doc) if m]
    mine = (counts.PASS, counts.FAIL + counts.ERROR, counts.SKIP)
    if said and said[-1] != mine:
        failures.append(f'the entry script counted pass/fail/skip {said[-1]}, '
                        f'its programs and suites reported {mine}')
    elif not said:
        failures.append('the entry script printed no # Totals line')
    # a failure that is a known kernel bug is counted as one, and is the
    # only failure the entry script's exit status may stand for
    counts.FAIL -= len(known_failed)
    counts.KNOWN += len(known_failed)
    if end and doc and not end[-1].rstrip().endswith(' 0') and \
            (counts.FAIL or counts.ERROR or not known_failed):
        failures.append(f'the entry script failed ({end[-1].strip()})')
    bad = bad_lines(lines)
    if bad:
        failures.append('kernel warnings:\n  ' + '\n  '.join(bad[:20]))
    return Outcome(ok=not failures, counts=counts, failures=failures)


def prepare(cache, kvers, modular_archs=()):
    """What the distro runs of @kvers and the modular kernels of
    @modular_archs need from outside: the host's tools, busybox for each,
    each kernel's packages (once, before steps run side by side)."""
    t = target('x86_64')
    # pahole: BTF of the 6.12 modules; depmod: modules_install of the
    # modular kernel (modprobe kunit in the test boot); openssl and
    # libssl's headers: its signing key, scripts/sign-file
    deps.ensure(dict(t.tools, depmod='kmod', openssl='openssl'), ('dwarves', 'libssl-dev'))
    busybox(cache)
    for a in modular_archs:
        deps.ensure(target(a).tools, target(a).packages)
        busybox(cache, target(a).deb_arch)
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
        cmd = boot.command(t, None, cpio,
                           ['panic=-1'] + list(args) + env_params(settings.ksft_env),
                           kernel=kernel,
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


def modular_run(settings, arch):
    return Run.from_settings(settings, kver=MODULAR_KVER, arch=arch, variant='modular')


def run_modular(settings, r):
    """The suite's kernel for @r's target built as a distro would build it
    (KUNIT=m, the suite out of the tree; @r: modular_run's): the test set
    built against it (cross-built for a board) and booted; the KUnit
    suites' counts compared with the built-in run's."""
    t = target(r.arch)
    prepare(settings.cache, [], (r.arch,))
    o = build_step(settings.cache, r)
    if not o.ok:
        return o
    tree = tree_for(settings.cache, source_dir(settings.cache, None, r.kver), r.arch, r.variant)
    results = os.path.join(tree_for(settings.cache, source_dir(settings.cache, None, r.kver),
                                    r.arch).build, 'results.json')
    if not os.path.exists(results):
        return Outcome(ok=False, failures=[f'no built-in run to compare with ({results}): '
                                           f'make kunit KARCH={r.arch} KVER={r.kver} first'])
    expected = suite_counts(results)
    built = modules.build(settings.cache, tree.build, t.linux_arch, t.cross)
    if built.error or not built.kunit_modules:
        print(built.error or '')
        return Outcome(ok=False, failures=['modules (KUnit among them) did not build'])
    if not built.signed:
        return Outcome(ok=False, failures=['the modules are not signed: the modular kernel '
                                           'build has no signing key (CONFIG_MODULE_SIG)'])
    testdir = os.path.join(tree.build, 'testset')
    if not testset.install(testdir, built, t.cc(), ksft_dir(tree)):
        return Outcome(ok=False, failures=['the kselftest programs did not build'])
    # the kernel's own modules, as a distro installs them: kunit.ko for one
    staging = os.path.join(tree.build, 'modules-staging')
    shutil.rmtree(staging, ignore_errors=True)
    sh(['make', '-C', tree.build, f'ARCH={t.linux_arch}', f'CROSS_COMPILE={t.cross or ""}',
        f'INSTALL_MOD_PATH={staging}', 'modules_install'], stdout=subprocess.DEVNULL)
    cpio = initramfs(os.path.join(tree.build, 'testset.cpio'),
                     busybox(settings.cache, t.deb_arch), testdir, staging)
    # only signed modules load: the suite's (signed by make modules) and
    # the kernel's own (kunit.ko)
    log(f'booting the modular kernel {built.release} (KUNIT=m) with the test set, '
        f'module signatures enforced')
    params = ['panic=-1', SIG_ENFORCE] + env_params(settings.ksft_env)
    lines = boot.boot_and_collect(boot.command(t, tree, cpio, params),
                                  min(settings.timeout, 900),
                                  os.path.join(tree.build, 'testset-console.log'),
                                  done_line=DONE)
    kunit, datas = kunit_results(document(lines),
                                 os.path.join(tree.src, 'tools/testing/kunit/kunit.py'), testdir)
    known = [k for d in datas for k in known_bugs.classify(d, lines, kernel_version(tree.src),
                                                            r.arch)]
    o = judge(lines, built.release, kunit, expected, known)
    log(f'modular kernel {built.release} ({r.arch}): {"PASS" if o.ok else "FAIL"}, kselftest '
        f'and KUnit {o.counts}; KUnit as modules {sum(kunit.values(), Counts())} in '
        f'{len(kunit)} suites, built in {sum(expected.values(), Counts())} in {len(expected)}')
    known_bugs.report(known, log)
    for f in o.failures:
        log(f'  {f}')
    return o

# SPDX-License-Identifier: GPL-2.0
"""The cache: Debian's kernel sources, the managed kernel trees and the graft.

The suite lives in this repository; the kernel it runs in does not.  For each
kernel source tree (KDIR, or a Debian linux-source-X.Y package unpacked into
the cache) a *managed copy* is kept in the cache, the suite grafted into it
as lib/dma_suite/, and kernels built out of tree in build directories beside
it.  The tree at KDIR is only ever read.

Cache layout ($DMA_SUITE_CACHE, default ~/.cache/dma-suite):
  src/linux-source-X.Y/            Debian's tarball, unpacked once
  trees/<name>-<hash>/src/         the managed copy of KDIR plus the graft
  trees/<name>-<hash>/manifest.json  what the copy was made from (below)
  trees/<name>-<hash>/build-<arch>[-<variant>]/  kunit.py's build directory

The sync never reads the whole tree on a warm run.  The manifest records,
for every file of the copy, its source's kind, size, modification time and
mode, and the copy's own modification time.  A file whose source and copy
both still match their record is not opened.  Any other is compared by
content and rewritten only if it differs, so the copy gets a fresh mtime and
make rebuilds exactly what depends on it, even when the new content is older
(a reverted edit).  A copy changed behind the sync's back (a mutant, a hand
edit) is put back the same way.  Every sync that changed anything, or found
a copy touched, bumps the tree's generation: a kernel built from an older
generation is rebuilt (kunit_run.py).
"""

import filecmp
import fnmatch
import dataclasses
import hashlib
import json
import os
import re
import shutil
import stat
import time
from dataclasses import dataclass

from .config import REPO
from .deps import apt_install
from .util import die, locked, log, run

GRAFT_DIR = 'lib/dma_suite'
# What the graft adds to the managed copy, beyond the suite's own files.
GRAFT_LINES = {
    'lib/Kconfig.debug': 'source "lib/dma_suite/Kconfig"\n',
    'lib/Makefile': 'obj-y += dma_suite/\n',
}
# Files and folders of this repository that make up the suite in a tree.
SUITE_FILES = ('Kconfig', 'Kbuild', '.kunitconfig')
SUITE_GLOBS = ('.c', '.h')
SUITE_SUBDIRS = ('sgdma_test', 'include', 'bench')
# Build outputs a user's KDIR may hold in-tree, never copied (rsync's
# pattern rules: a leading / anchors at the top, a trailing / means a folder)
EXCLUDES = ('.git', '/.config', '/.config.old', '*.o', '*.ko', '*.a', '.*.cmd',
            '*.mod', '*.mod.c', '/include/config/', '/include/generated/',
            '/arch/*/include/generated/', '/vmlinux*', '/.tmp*', '/modules.*',
            '/System.map', '/linux', '*.so', '/.version', '/.dma-suite.lock',
            '__pycache__/')
MANIFEST_VERSION = 1


def kernel_version(tree):
    vals = {}
    with open(os.path.join(tree, 'Makefile')) as f:
        for line in f:
            m = re.match(r'(VERSION|PATCHLEVEL|SUBLEVEL) = (\d+)', line)
            if m:
                vals[m.group(1)] = m.group(2)
            if len(vals) == 3:
                break
    return '{VERSION}.{PATCHLEVEL}.{SUBLEVEL}'.format(**vals)


def debian_source(cache, kver):
    """Unpack Debian's linux-source-KVER once; return the tree's path."""
    dest = os.path.join(cache, 'src', f'linux-source-{kver}')
    stamp = dest + '.unpacked'
    if os.path.exists(stamp):
        return dest
    tarball = f'/usr/src/linux-source-{kver}.tar.xz'
    if not os.path.exists(tarball):
        apt_install([f'linux-source-{kver}'])
    log(f'unpacking {tarball} into {dest}')
    tmp = dest + '.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(tmp)
    run(['tar', '-xJf', tarball, '-C', tmp])
    inner = os.listdir(tmp)
    if len(inner) != 1:
        die(f'{tarball}: expected one top directory, found {inner}')
    os.rename(os.path.join(tmp, inner[0]), dest)
    os.rmdir(tmp)
    open(stamp, 'w').close()
    return dest


def source_dir(cache, kdir, kver):
    """The kernel source tree of a run: KDIR, or Debian's for KVER."""
    if kdir:
        kdir = os.path.realpath(kdir)
        if not os.path.exists(os.path.join(kdir, 'mm', 'dmapool.c')):
            die(f'KDIR={kdir} is not a kernel source tree')
        return kdir
    return debian_source(cache, kver)


@dataclass(frozen=True)
class Tree:
    """A managed tree of one kernel source, and one build directory of it."""
    kdir: str       # the source, only read
    top: str        # trees/<name>-<hash>
    build: str      # build-<arch>[-<variant>]

    @property
    def src(self):
        return os.path.join(self.top, 'src')

    @property
    def manifest(self):
        return os.path.join(self.top, 'manifest.json')

    def version(self):
        return kernel_version(self.src if os.path.exists(self.src) else self.kdir)

    def generation(self):
        """How many syncs changed the tree: a build stamps the one it saw."""
        return _load_manifest(self.manifest).get('generation', 0)

    def sibling(self, arch, variant=None):
        """Another build directory of the same tree."""
        return dataclasses.replace(self, build=os.path.join(self.top, build_name(arch, variant)))


def build_name(arch, variant=None):
    return f'build-{arch}' + (f'-{variant}' if variant else '')


def tree_for(cache, kdir, arch, variant=None):
    h = hashlib.sha1(kdir.encode()).hexdigest()[:8]
    top = os.path.join(cache, 'trees', f'{os.path.basename(kdir)}-{h}')
    return Tree(kdir=kdir, top=top, build=os.path.join(top, build_name(arch, variant)))


# ---- the walk of a source tree ----

def _compile(patterns):
    """Two regexes per kind (file, folder): patterns on the name, and
    patterns anchored at the top on the relative path."""
    rules = {}
    for is_dir in (False, True):
        by = {True: [], False: []}
        for p in patterns:
            if p.endswith('/') and not is_dir:
                continue
            by[p.startswith('/')].append(fnmatch.translate(p.strip('/')))
        rules[is_dir] = tuple(re.compile('|'.join(by[k])) if by[k] else None
                              for k in (False, True))
    return rules


def _excluded(rules, rel, name, is_dir):
    on_name, on_path = rules[is_dir]
    return bool(on_name and on_name.match(name) or on_path and on_path.match(rel))


def walk(root, excludes=EXCLUDES):
    """{relative path: key} of the files and symlinks below @root, but
    @excludes; a key is ('f', size, mtime_ns, mode) or ('l', target)."""
    rules = _compile(excludes)
    out = {}
    stack = ['']
    while stack:
        rel_dir = stack.pop()
        with os.scandir(f'{root}/{rel_dir}' if rel_dir else root) as it:
            for e in it:
                rel = f'{rel_dir}/{e.name}' if rel_dir else e.name
                if e.is_symlink():
                    if not _excluded(rules, rel, e.name, False):
                        out[rel] = ('l', os.readlink(e.path))
                elif e.is_dir():
                    if not _excluded(rules, rel, e.name, True):
                        stack.append(rel)
                elif e.is_file() and not _excluded(rules, rel, e.name, False):
                    st = e.stat(follow_symlinks=False)
                    out[rel] = ('f', st.st_size, st.st_mtime_ns, stat.S_IMODE(st.st_mode))
    return out


# ---- placing one file of the copy ----

def _lstat_mtime(path):
    try:
        return os.lstat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def _clear(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def _place(key, source, dest):
    """Make @dest hold what @source holds (a file, a symlink, or generated
    text when @source is a str and key[0] == 'g'); True if it was written."""
    kind = key[0]
    if kind == 'l':
        if os.path.islink(dest) and os.readlink(dest) == key[1]:
            return False
        _clear(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.symlink(key[1], dest)
        return True
    if kind == 'g':
        try:
            with open(dest) as f:
                if not os.path.islink(dest) and f.read() == source:
                    return False
        except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
            pass
        _clear(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'w') as f:
            f.write(source)
        return True
    if os.path.isfile(dest) and not os.path.islink(dest) and \
            os.path.getsize(dest) == key[1] and filecmp.cmp(source, dest, shallow=False):
        if stat.S_IMODE(os.lstat(dest).st_mode) != key[3]:
            os.chmod(dest, key[3])
        return False
    _clear(dest)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(source, dest)
    os.chmod(dest, key[3])
    return True


def _load_manifest(path):
    try:
        with open(path) as f:
            m = json.load(f)
        return m if m.get('version') == MANIFEST_VERSION else {}
    except (OSError, ValueError):
        return {}


def suite_files():
    """The suite's kernel-side files, relative to the repository: what the
    graft puts under GRAFT_DIR, and what an out-of-tree build compiles."""
    items = [f for f in SUITE_FILES if os.path.exists(os.path.join(REPO, f))]
    items += [f for f in os.listdir(REPO) if f.endswith(SUITE_GLOBS)]
    for d in SUITE_SUBDIRS:
        if os.path.isdir(os.path.join(REPO, d)):
            items += [f'{d}/{rel}' for rel in walk(os.path.join(REPO, d))]
    return sorted(items)


def grafted_files():
    """{path in the tree: path in the repository} of the suite's files the
    graft puts under GRAFT_DIR."""
    return {f'{GRAFT_DIR}/{f}': f for f in suite_files()}


def _graft_entries(kdir):
    """{path in the tree: (key, source)} of the graft: the suite's files
    under GRAFT_DIR and the two kernel files that include it."""
    entries = {}
    for rel, repo_rel in grafted_files().items():
        path = os.path.join(REPO, repo_rel)
        st = os.lstat(path)
        key = ('l', os.readlink(path)) if stat.S_ISLNK(st.st_mode) else \
            ('f', st.st_size, st.st_mtime_ns, stat.S_IMODE(st.st_mode))
        entries[rel] = (key, path)
    for rel, line in GRAFT_LINES.items():
        with open(os.path.join(kdir, rel)) as f:
            text = f.read() + line
        entries[rel] = (('g', hashlib.sha1(text.encode()).hexdigest()), text)
    return entries


def sync(tree):
    """Make the managed copy equal to KDIR plus the graft; return how many
    of its files changed (written, removed, or found touched)."""
    t0 = time.time()
    src = tree.src
    old_m = _load_manifest(tree.manifest)
    old = old_m.get('files', {})
    graft_excludes = [f'/{p}' for p in GRAFT_LINES] + [f'/{GRAFT_DIR}/']
    entries = walk(tree.kdir, EXCLUDES + tuple(graft_excludes))
    graft = _graft_entries(tree.kdir)
    entries.update({rel: key for rel, (key, _) in graft.items()})
    if not old and not (os.path.isdir(src) and os.listdir(src)):
        # a first copy: in bulk, then recorded as it is
        os.makedirs(src, exist_ok=True)
        run(['rsync', '-rlpD'] + [f'--exclude={e}' for e in EXCLUDES + tuple(graft_excludes)] +
            [tree.kdir + '/', src + '/'])
        old = {rel: list(key) + [_lstat_mtime(f'{src}/{rel}')]
               for rel, key in entries.items() if rel not in graft}
    new, changed, written = {}, len(old) if not old_m else 0, 0
    for rel, key in entries.items():
        dest = f'{src}/{rel}'
        rec = old.get(rel)
        if rec and rec[-1] == _lstat_mtime(dest) and tuple(rec[:-1]) == key:
            new[rel] = rec
            continue
        source = graft[rel][1] if rel in graft else f'{tree.kdir}/{rel}'
        w = _place(key, source, dest)
        written += w
        mtime = _lstat_mtime(dest)
        if w or not rec or mtime != rec[-1]:
            changed += 1
        new[rel] = list(key) + [mtime]
    removed = [rel for rel in old if rel not in entries]
    for rel in removed:
        _clear(os.path.join(src, rel))
    changed += len(removed)
    gen = old_m.get('generation', 0) + (1 if changed else 0)
    if changed or old_m.get('generation') is None:
        tmp = tree.manifest + '.tmp'
        with open(tmp, 'w') as f:
            json.dump({'version': MANIFEST_VERSION, 'kdir': tree.kdir,
                       'generation': gen, 'files': new}, f, separators=(',', ':'))
        os.replace(tmp, tree.manifest)
    log(f'managed tree {src} in sync with {tree.kdir}: {len(entries)} files, '
        f'{written} written, {len(removed)} removed, {changed} changed '
        f'({time.time() - t0:.1f}s)')
    return changed


def prepare(cache, run_, target_):
    """The tree and build directory of @run_, synced unless it says not to."""
    from .deps import ensure
    ensure(target_.tools, target_.packages)
    kdir = source_dir(cache, run_.kdir, run_.kver)
    tree = tree_for(cache, kdir, run_.arch, run_.variant)
    if run_.sync:
        # the tree is shared by every build directory of this kernel
        with locked(tree.top):
            sync(tree)
    os.makedirs(tree.build, exist_ok=True)
    return tree

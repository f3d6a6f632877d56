# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the manifest-driven sync (tree.py), on a toy kernel tree:
what reaches the managed copy, what is rebuilt, and the generation.
Run: python3 -m unittest discover -s scripts/dma_suite -p 'test_*.py'"""

import os
import shutil
import tempfile
import unittest

from . import tree as T


def write(path, text, mtime_ns=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def read(path):
    with open(path) as f:
        return f.read()


class SyncTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='dma-suite-test-')
        self.kdir = os.path.join(self.dir, 'linux')
        k = self.kdir
        write(f'{k}/Makefile', 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 1\n')
        write(f'{k}/mm/dmapool.c', 'pool\n')
        write(f'{k}/lib/Kconfig.debug', 'kconfig\n')
        write(f'{k}/lib/Makefile', 'obj-y += x.o\n')
        write(f'{k}/mm/dmapool.o', 'an in-tree build output\n')
        write(f'{k}/arch/x86/include/generated/asm/x.h', 'generated\n')
        write(f'{k}/.config', 'CONFIG_X=y\n')
        os.makedirs(f'{k}/scripts/dtc')
        os.symlink('../../mm/dmapool.c', f'{k}/scripts/dtc/link')
        self.tree = T.tree_for(os.path.join(self.dir, 'cache'), k, 'um')
        self.assertGreater(T.sync(self.tree), 0)
        self.gen = self.tree.generation()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def copy(self, rel):
        return os.path.join(self.tree.src, rel)

    def test_first_copy_is_the_tree_with_the_graft_and_no_build_outputs(self):
        self.assertEqual(read(self.copy('mm/dmapool.c')), 'pool\n')
        self.assertEqual(read(self.copy('lib/Makefile')), 'obj-y += x.o\nobj-y += dma_suite/\n')
        self.assertIn('source "lib/dma_suite/Kconfig"', read(self.copy('lib/Kconfig.debug')))
        self.assertTrue(os.path.exists(self.copy('lib/dma_suite/Kbuild')))
        self.assertEqual(os.readlink(self.copy('scripts/dtc/link')), '../../mm/dmapool.c')
        for out in ('mm/dmapool.o', 'arch/x86/include/generated/asm/x.h', '.config'):
            self.assertFalse(os.path.exists(self.copy(out)), out)

    def test_nothing_changed_keeps_the_generation(self):
        self.assertEqual(T.sync(self.tree), 0)
        self.assertEqual(self.tree.generation(), self.gen)

    def test_an_edit_reaches_the_copy_with_a_fresh_mtime(self):
        before = os.stat(self.copy('mm/dmapool.c')).st_mtime_ns
        write(f'{self.kdir}/mm/dmapool.c', 'edited\n')
        self.assertEqual(T.sync(self.tree), 1)
        self.assertEqual(read(self.copy('mm/dmapool.c')), 'edited\n')
        self.assertGreater(os.stat(self.copy('mm/dmapool.c')).st_mtime_ns, before)
        self.assertEqual(self.tree.generation(), self.gen + 1)

    def test_a_reverted_edit_with_its_old_mtime_is_rebuilt(self):
        old = os.stat(f'{self.kdir}/mm/dmapool.c').st_mtime_ns
        write(f'{self.kdir}/mm/dmapool.c', 'edited\n')
        T.sync(self.tree)
        edited = os.stat(self.copy('mm/dmapool.c')).st_mtime_ns
        write(f'{self.kdir}/mm/dmapool.c', 'pool\n', mtime_ns=old)
        self.assertEqual(T.sync(self.tree), 1)
        self.assertEqual(read(self.copy('mm/dmapool.c')), 'pool\n')
        self.assertGreaterEqual(os.stat(self.copy('mm/dmapool.c')).st_mtime_ns, edited)

    def test_a_touched_source_with_the_same_content_is_not_rewritten(self):
        before = os.stat(self.copy('mm/dmapool.c')).st_mtime_ns
        os.utime(f'{self.kdir}/mm/dmapool.c')
        self.assertEqual(T.sync(self.tree), 0)
        self.assertEqual(os.stat(self.copy('mm/dmapool.c')).st_mtime_ns, before)

    def test_a_copy_changed_behind_the_sync_is_put_back_and_counts(self):
        write(self.copy('mm/dmapool.c'), 'mutant\n')
        self.assertEqual(T.sync(self.tree), 1)
        self.assertEqual(read(self.copy('mm/dmapool.c')), 'pool\n')

    def test_a_copy_rewritten_with_its_own_content_still_counts(self):
        # a mutant applied and taken back: the kernel may hold the mutant
        write(self.copy('mm/dmapool.c'), 'pool\n', mtime_ns=1)
        self.assertEqual(T.sync(self.tree), 1)
        self.assertEqual(self.tree.generation(), self.gen + 1)

    def test_a_removed_file_leaves_the_copy(self):
        os.unlink(f'{self.kdir}/scripts/dtc/link')
        self.assertEqual(T.sync(self.tree), 1)
        self.assertFalse(os.path.lexists(self.copy('scripts/dtc/link')))

    def test_a_grafted_kernel_file_follows_its_source(self):
        write(f'{self.kdir}/lib/Makefile', 'obj-y += y.o\n')
        self.assertEqual(T.sync(self.tree), 1)
        self.assertEqual(read(self.copy('lib/Makefile')), 'obj-y += y.o\nobj-y += dma_suite/\n')


if __name__ == '__main__':
    unittest.main()

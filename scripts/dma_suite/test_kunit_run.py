# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the build stamp (kunit_run.py): when a kernel counts as
current and kunit.py build is skipped."""

import json
import os
import shutil
import tempfile
import unittest

from . import kunit_run as K
from . import tree as T
from .config import Run
from .targets import target


class StampTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='dma-suite-test-')
        k = os.path.join(self.dir, 'linux')
        for rel, text in (('Makefile', 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 1\n'),
                          ('mm/dmapool.c', 'pool\n'), ('lib/Kconfig.debug', ''),
                          ('lib/Makefile', '')):
            os.makedirs(os.path.dirname(os.path.join(k, rel)), exist_ok=True)
            with open(os.path.join(k, rel), 'w') as f:
                f.write(text)
        self.kdir = k
        self.tree = T.tree_for(os.path.join(self.dir, 'cache'), k, 'um')
        T.sync(self.tree)
        os.makedirs(self.tree.build)
        self.t = target('um')
        self.run_ = Run(kver='6.12', kdir=k)
        with open(os.path.join(self.tree.build, self.t.kernel), 'w') as f:
            f.write('a kernel')

    def tearDown(self):
        shutil.rmtree(self.dir)

    def stamp(self, run_=None):
        """What a successful build of @run_ leaves."""
        cmd = K.command(run_ or self.run_, self.t, self.tree, 'build')
        with open(os.path.join(self.tree.build, K.STAMP), 'w') as f:
            json.dump(K._stamp(self.tree, cmd), f)

    def current(self, run_=None):
        return K.is_current(self.tree, self.t,
                            K.command(run_ or self.run_, self.t, self.tree, 'build'))

    def test_no_stamp_is_not_current(self):
        self.assertFalse(self.current())

    def test_a_stamp_of_this_tree_and_config_is_current(self):
        self.stamp()
        self.assertTrue(self.current())

    def test_what_only_changes_the_run_keeps_it_current(self):
        self.stamp()
        self.assertTrue(self.current(self.run_.replace(
            filter='dmapool*', timeout=5, kernel_args=('dma_debug=off',), json='x')))

    def test_a_tree_change_makes_it_stale(self):
        self.stamp()
        with open(os.path.join(self.kdir, 'mm/dmapool.c'), 'w') as f:
            f.write('edited\n')
        T.sync(self.tree)
        self.assertFalse(self.current())

    def test_a_config_change_makes_it_stale(self):
        self.stamp()
        self.assertFalse(self.current(self.run_.replace(kconfig_add=('CONFIG_KASAN=y',))))

    def test_a_variant_makes_it_stale(self):
        self.stamp()
        self.assertFalse(self.current(self.run_.replace(variant='debug')))

    def test_no_kernel_image_is_not_current(self):
        self.stamp()
        os.unlink(os.path.join(self.tree.build, self.t.kernel))
        self.assertFalse(self.current())

    def test_invalidate_removes_the_stamp(self):
        self.stamp()
        K.invalidate(self.tree)
        self.assertFalse(self.current())


class KernelOfTest(unittest.TestCase):
    """A target that boots another target's kernel builds that one, and
    runs it from its own build directory."""
    def setUp(self):
        self.tree = T.tree_for('/cache', '/src/linux', 'x86_64-iommu')
        self.run_ = Run(kver='6.12', arch='x86_64-iommu')

    def test_the_kernel_is_built_in_the_other_targets_directory(self):
        run_, t, home = K.kernel_home(self.run_, target('x86_64-iommu'), self.tree)
        self.assertEqual((run_.arch, t.name), ('x86_64', 'x86_64'))
        self.assertEqual(home.build, T.tree_for('/cache', '/src/linux', 'x86_64').build)
        self.assertEqual(home.top, self.tree.top)

    def test_a_target_with_its_own_kernel_is_its_own_home(self):
        x86 = T.tree_for('/cache', '/src/linux', 'x86_64')
        run_ = self.run_.replace(arch='x86_64')
        self.assertEqual(K.kernel_home(run_, target('x86_64'), x86), (run_, target('x86_64'), x86))

    def test_it_only_execs_the_other_kernel(self):
        with self.assertRaises(SystemExit):
            K.command(self.run_, target('x86_64-iommu'), self.tree, 'build')


if __name__ == '__main__':
    unittest.main()

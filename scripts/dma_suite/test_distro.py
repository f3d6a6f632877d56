# SPDX-License-Identifier: GPL-2.0
"""Unit tests of how a boot of the installed test set is judged
(distro.judge): a failure that is a known kernel bug of that kernel is
counted as one, and nothing else may fail; and of the modular variant's
per-target fragment (kunit_run.variant_config)."""

import unittest

from . import distro, known_bugs
from .config import Run
from .kunit_run import variant_config

RELEASE = '6.12.118'
CASE = 'sgdma.sgdma_client_setting_only_callback_gets_exactly_its_own'


def console(ksft_fail=0, kunit_fail=1, status=1):
    """A console of the entry script: one program, one KUnit module."""
    doc = ['ok 1 kselftest',
           f'# Totals: pass:5 fail:{ksft_fail} xfail:0 xpass:0 skip:1 error:0',
           f'{"not " if status else ""}ok 2 kunit',
           f'# Totals: pass:{5 + 1} fail:{ksft_fail + kunit_fail} skip:1']
    return ([f'Linux version {RELEASE}', 'xilinx-zynqmp-dma stale callback_result',
             distro.DOC_BEGIN] + doc + [distro.DOC_END, f'{distro.DONE} {status}'])


def kunit_data(status):
    return {'sub_groups': [{'name': 'sgdma', 'test_cases': [
        {'name': 'sgdma_client_setting_only_callback_gets_exactly_its_own', 'status': status},
        {'name': 'sgdma_other', 'status': 'PASS'}]}]}


class JudgeTest(unittest.TestCase):
    def judge(self, lines, data):
        known = known_bugs.classify(data, lines, RELEASE, 'arm64')
        kunit = distro.suite_counts_of(data)
        return distro.judge(lines, RELEASE, kunit, None, known)

    def test_a_known_bug_alone_passes_and_is_counted(self):
        lines = console()
        o = self.judge(lines[:], kunit_data('FAIL'))
        self.assertTrue(o.ok, o.failures)
        self.assertEqual((o.counts.FAIL, o.counts.KNOWN), (0, 1))

    def test_another_failure_beside_it_fails(self):
        o = self.judge(console(ksft_fail=1), kunit_data('FAIL'))
        self.assertFalse(o.ok)

    def test_the_bug_needs_its_kernel_line(self):
        lines = [line for line in console() if 'stale' not in line]
        self.assertFalse(self.judge(lines, kunit_data('FAIL')).ok)

    def test_a_failed_script_with_nothing_known_fails(self):
        o = self.judge(console(kunit_fail=0), kunit_data('PASS'))
        self.assertFalse(o.ok)
        self.assertTrue(any('entry script failed' in f for f in o.failures))


class VariantTest(unittest.TestCase):
    def test_the_target_part_of_the_modular_fragment(self):
        x86, _ = variant_config(Run(arch='x86_64', variant='modular'))
        arm64, _ = variant_config(Run(arch='arm64', variant='modular'))
        self.assertIn('CONFIG_INTEL_IOATDMA=y', x86)
        self.assertNotIn('CONFIG_INTEL_IOATDMA=y', arm64)
        self.assertIn('CONFIG_KUNIT=m', arm64)


if __name__ == '__main__':
    unittest.main()

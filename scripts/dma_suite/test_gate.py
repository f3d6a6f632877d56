# SPDX-License-Identifier: GPL-2.0
"""Unit tests of what the gate gives each boot's sampling programs
(gate.py): their time bounds, the day's fuzzer seed, and the user's
values winning over both."""

import unittest

from . import gate


class SamplingTest(unittest.TestCase):
    def test_the_seed_is_the_date(self):
        self.assertEqual(gate.day_seed(0), 0x19700101)
        self.assertEqual(gate.day_seed(1796256000), 0x20261203)

    def test_the_gate_bounds_both_programs(self):
        env = dict(gate.gate_sampling((), now=0))
        self.assertEqual(env, {'SGDMA_FUZZ_SEED': '0x19700101',
                               'SGDMA_FUZZ_SECONDS': str(gate.GATE_FUZZ_SECONDS),
                               'SGDMA_STRESS_SECONDS': str(gate.GATE_STRESS_SECONDS)})

    def test_what_the_user_gave_wins(self):
        env = dict(gate.gate_sampling((('SGDMA_FUZZ_SEED', '0x5eed0d3a'),
                                       ('SGDMA_FUZZ_ITERS', '100')), now=0))
        self.assertEqual(env['SGDMA_FUZZ_SEED'], '0x5eed0d3a')
        self.assertEqual(env['SGDMA_FUZZ_ITERS'], '100')
        self.assertEqual(env['SGDMA_STRESS_SECONDS'], str(gate.GATE_STRESS_SECONDS))


if __name__ == '__main__':
    unittest.main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runner of the DMA test suite: kernel trees, the graft, KUnit, kselftest,
the gate, mutants and benchmarks.  The work is done by the dma_suite
package beside this file (its __init__.py lists the modules); this is only
its command line.  Settings come from the environment (make's variables:
KDIR, KVER, KARCH, FILTER, ...), read once in dma_suite/config.py; the
flags below override them."""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dma_suite import commands, gate  # noqa: E402
from dma_suite.bench import run_bench  # noqa: E402
from dma_suite.config import Settings  # noqa: E402
from dma_suite.mutants import run_mutants  # noqa: E402
from dma_suite.targets import TARGETS  # noqa: E402

# command -> (what it does, for make help; how it runs)
COMMANDS = {
    'kunit': ('every KUnit suite, in the kernel of KVER/KDIR on KARCH',
              lambda s: commands.kunit(s).ok),
    'kselftest': ('the kselftest programs, booted in that kernel',
                  lambda s: commands.kselftest(s).ok),
    'w1': ('W=1 build of the suite in that kernel (after kunit)',
           lambda s: commands.w1_build(s).ok),
    'checkpatch': ('checkpatch.pl --strict and kernel-doc -Wall on the suite',
                   lambda s: commands.check_sources(s).ok),
    'kunit-debug': ('KUnit and kselftest under KASAN, lockdep, kmemleak, '
                    'DMAPOOL_DEBUG, fault injection (6.12 and 6.1)',
                    lambda s: commands.kunit_debug(s).ok),
    'mutants': ('break mm/dmapool.c, dma-iommu.c, zynqmp_dma.c and the suite\'s kernel '
                'code on purpose, see the suite catch each mutant', lambda s: run_mutants(s) == 0),
    'bench': ('measure pools and SG copies (BENCH_ARCHS=um,arm,arm64,x86_64 REPS= SMOKE=1)',
              run_bench),
    'modules': ('the suite\'s modules against KDIR, a built kernel or a headers tree '
                '[KARCH=]', lambda s: commands.build_modules(s).ok),
    'install-tests': ('the test set for KDIR\'s kernel in INSTALL_PATH, and a tarball',
                      lambda s: commands.install_tests(s).ok),
    'distro': ('Debian 12\'s shipped 6.1 and 6.12 kernels boot the test set',
               lambda s: commands.distro(s).ok),
    'check': ('the gate, its steps below', lambda s: gate.run_gate(s) == 0),
    'runner-tests': ('the runner\'s own unit tests (sync, build stamp)',
                     lambda s: commands.runner_tests(s).ok),
    'sync': ('bring the managed tree up to date and print its path',
             lambda s: commands.sync(s).ok),
}


def print_help(settings):
    print('make targets (the runner is scripts/suite.py; see README.md):')
    for name, (what, _) in COMMANDS.items():
        print(f'  make {name:12} {what}')
    print('  make fuzz         kselftest with the fuzzer at FUZZ_ITERS (100000)')
    print(f'\nvariables: KVER=6.12|6.1  KDIR=<tree>  KARCH={"|".join(TARGETS)}  FILTER=<glob>'
          '\n           RAW=all  JSON=<file>  KCONFIG_ADD=  KERNEL_ARGS=  KUNIT_TIMEOUT='
          '\n           FUZZ_ITERS= FUZZ_SEED= FUZZ_SECONDS= STRESS_SECONDS= (the sampling '
          'programs; make check: 15 s and 4 s a boot, seed the day\'s date)'
          f'\n           cache: DMA_SUITE_CACHE={settings.cache}')
    print('\nmake check runs, in order:')
    for step in gate.steps(settings):
        print(f'  {step.name}')
    return True


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('command', choices=list(COMMANDS) + ['help', 'gate-step'])
    p.add_argument('step', nargs='*', help=argparse.SUPPRESS)
    p.add_argument('--kdir', help='kernel source tree (read only); default: '
                   'Debian linux-source-KVER')
    p.add_argument('--kver')
    p.add_argument('--arch', help=f'target: {", ".join(TARGETS)}')
    p.add_argument('--filter', help='kunit.py filter glob, e.g. "dmapool.*reuse*"')
    p.add_argument('--timeout', type=int)
    args = p.parse_args(argv)
    if args.command == 'gate-step':
        # a step of make check, in a process of its own (gate.py)
        s = Settings.from_json(json.loads(os.environ['DMA_SUITE_SETTINGS']))
        return gate.run_step(s, int(args.step[0]), args.step[1])
    s = Settings.from_environ()
    flags = {k: v for k, v in dict(kdir=args.kdir, kver=args.kver, arch=args.arch,
                                   filter=args.filter, timeout=args.timeout).items()
             if v is not None}
    if 'kver' in flags:
        flags['kver_given'] = True
    s = s.replace(**flags)
    if args.command == 'help':
        return 0 if print_help(s) else 1
    return 0 if COMMANDS[args.command][1](s) else 1


if __name__ == '__main__':
    sys.exit(main())

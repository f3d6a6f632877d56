# SPDX-License-Identifier: GPL-2.0
"""The DMA test suite's runner, as a package; scripts/suite.py is its command
line.  Modelled on the kernel's tools/testing/kunit/: small modules with one
job each, typed data passed between them.

  config.py      the environment, read once (Settings); one kernel run (Run);
                 the kernel variant (debug) as data
  util.py        logging, subprocess, files written only when changed, locks
  deps.py        the Debian packages a step needs, installed with apt-get
  targets.py     the targets (UML, QEMU machines) as data, one entry each
  tree.py        the cache: Debian sources, managed kernel trees, the graft,
                 the manifest-driven sync
  kunit_run.py   kunit.py: its command line, run or exec (build skipped when
                 nothing changed), results of one run
  results.py     kunit.py's JSON: counts, failed cases, the suites expected
  kernel_log.py  what in a kernel log fails a run; known kernel issues;
                 kmemleak; channels tested
  known_bugs.py  the kernel bugs the suite meets, by name, with their fixes
  boot.py        initramfs (newc cpio), booting a kernel, collecting console
  kselftest.py   the kselftest programs in a booted kernel
  checks.py      checkpatch, kernel-doc, W=1
  mutants.py     the mutant runner; dmapool_mutants.py, sgdma_mutants.py:
                 the catalogues (data)
  bench.py       make bench: the test kernel booted without its checkers;
                 bench_parse.py: the console's figures; bench_report.py:
                 the table, headline ratios, JSON and plots
  commands.py    the user's commands, each a function of the settings
  gate.py        make check: the steps, their times, the summary
"""

# SPDX-License-Identifier: GPL-2.0
#
# User entry points of the DMA test suite.  Inside a kernel tree kbuild reads
# Kbuild instead of this file.
#
#   make kunit                  run every KUnit suite under UML (Debian 6.12)
#   make kunit KVER=6.1         ... on Debian's linux-source-6.1
#   make kunit KDIR=~/linux     ... on your own tree (only read, never written)
#   make check                  the gate: W=1, checkpatch --strict, KUnit on 6.12 and 6.1
#   make mutants                break mm/dmapool.c on purpose, see the suite catch it
#   make kunit-debug            every KUnit suite under KASAN, lockdep, kmemleak,
#                               SLUB_DEBUG_ON and fault injection (6.12 and 6.1)
#   make bench                  measure pools and SG copies on 6.12 and 6.1 (UML):
#                               table, bench-results/bench.json, PNG plots
#                               BENCH_ARCHS=um,arm REPS=25 SMOKE=1 BENCH_JSON=file
#   make fuzz                   the ioctl fuzzer (kselftest) at a large count:
#                               FUZZ_ITERS=100000 FUZZ_SEED=... KARCH=... KVER=...
#
# Pass-through: FILTER='dmapool.*sysfs*'  RAW=all|kunit  JSON=file
#               KCONFIG_ADD='CONFIG_KASAN=y ...'  KARCH=um
# Cache: DMA_SUITE_CACHE (default ~/.cache/dma-suite).

PYTHON ?= python3
SUITE := $(PYTHON) scripts/suite.py

.PHONY: kunit check mutants w1 checkpatch sync help

kunit:
	$(SUITE) kunit

check:
	$(SUITE) check

mutants:
	$(SUITE) mutants

w1:
	$(SUITE) w1

checkpatch:
	$(SUITE) checkpatch

sync:
	$(SUITE) sync

help:
	@sed -n '3,22p' Makefile

.PHONY: kselftest kunit-debug
kselftest:
	$(SUITE) kselftest

kunit-debug:
	$(SUITE) kunit-debug

.PHONY: bench
bench:
	$(PYTHON) scripts/bench.py

# kselftest with sgdma_fuzz_test at a large count, an hour's boot timeout
.PHONY: fuzz
fuzz:
	FUZZ_ITERS=$(or $(FUZZ_ITERS),100000) \
	KUNIT_TIMEOUT=$(or $(KUNIT_TIMEOUT),3600) $(SUITE) kselftest

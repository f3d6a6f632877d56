# SPDX-License-Identifier: GPL-2.0
#
# User entry points of the DMA test suite: `make help` lists them, with the
# variables they take and the steps of `make check`.  Inside a kernel tree
# kbuild reads Kbuild instead of this file.  Every target runs
# scripts/suite.py (the dma_suite package beside it).

PYTHON ?= python3
SUITE := $(PYTHON) scripts/suite.py

COMMANDS := kunit kselftest w1 checkpatch kunit-debug mutants bench modules \
	    install-tests distro check sync runner-tests help
.PHONY: $(COMMANDS) fuzz

$(COMMANDS):
	@$(SUITE) $@

# kselftest with sgdma_fuzz_test at a large count, an hour's boot timeout
fuzz:
	FUZZ_ITERS=$(or $(FUZZ_ITERS),100000) \
	KUNIT_TIMEOUT=$(or $(KUNIT_TIMEOUT),3600) $(SUITE) kselftest

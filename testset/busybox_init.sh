#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the initramfs `make distro` boots a kernel with: busybox, the
# basic mounts, the installed test set's entry script (its output on the
# console as it runs, the kernel's messages among it; then once more whole
# between two markers, for the runner to read alone), its exit status,
# power off.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
echo "dma-suite-init: kernel $(uname -r), $(nproc) CPUs, command line: $(cat /proc/cmdline)"
{ /dma_suite/run_dma_suite.sh 2>&1; echo $? > /tmp/dma_suite.rc; } | tee /tmp/dma_suite.ktap
echo "dma-suite-ktap: begin"
cat /tmp/dma_suite.ktap
echo "dma-suite-ktap: end"
echo "dma-suite-init: exit $(cat /tmp/dma_suite.rc)"
poweroff -f

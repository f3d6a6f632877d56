#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the initramfs `make distro` boots a distro kernel with: busybox,
# the basic mounts, the installed test set's entry script, its exit status
# on the console (what the runner waits for), power off.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
echo "dma-suite-init: kernel $(uname -r), $(nproc) CPUs, command line: $(cat /proc/cmdline)"
/dma_suite/run_dma_suite.sh
echo "dma-suite-init: exit $?"
poweroff -f

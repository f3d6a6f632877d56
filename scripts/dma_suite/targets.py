# SPDX-License-Identifier: GPL-2.0
"""The targets: where a kernel of the suite runs.  UML runs as a host process;
every other target is a QEMU machine that kunit.py boots (its --qemu_config)
and that boot.py boots with an initramfs.  One entry per target: adding a
board is adding data here."""

import dataclasses
import os
import re
import subprocess
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

from .config import REPO, config_lines
from .util import die, write_if_changed


# .kunitconfig lines a board with its own DMA controller does not take: UML's
# and the software channel
BOARD_DROP = r'^CONFIG_(UML_|VIRTIO_UML|SGDMA_SWCHAN)'

# what make bench adds to every test kernel
BENCH_FRAGMENT = 'configs/bench.config'


@dataclass(frozen=True)
class Target:
    name: str                   # KARCH=...
    linux_arch: str             # the kernel's ARCH
    kernel: str                 # the image, relative to the build directory
    emulator: str               # what the figures were measured on
    qemu: Optional[str] = None  # qemu-system-... binary; None: UML
    tools: Dict[str, str] = field(default_factory=dict)     # tool -> package
    packages: Tuple[str, ...] = ()
    cross: Optional[str] = None
    qemu_kconfig: Optional[str] = None  # the machine's config fragment (repo)
    cmdline: str = ''
    dtbs: Tuple[str, ...] = ()  # first that exists in the tree wins
    # .kunitconfig lines that do not apply here (UML's PCI and DMA emulation;
    # on a board with a DMA controller, the software channel)
    drop: str = r'^CONFIG_(UML_|VIRTIO_UML)'
    machine: Tuple[str, ...] = ()
    # serial ports before the console's: kunit.py puts "-serial stdio" first
    serial_shift: int = 0
    # every streaming mapping bounces (swiotlb=force)
    bounces: bool = False
    # boots the kernel built for that target (same configuration), booted
    # on another machine or with other arguments; None: its own
    kernel_of: Optional[str] = None
    # Debian's name of the architecture: the packages a boot of the test
    # set takes from the archive (busybox-static) are this one's
    deb_arch: str = 'amd64'

    @property
    def build_name(self):
        """The target whose build directory has this target's kernel."""
        return self.kernel_of or self.name

    @property
    def is_uml(self):
        return self.qemu is None

    def cc(self):
        return (self.cross or '') + 'gcc'

    def dtb(self, tree):
        """The board's device tree blob, relative to the build directory
        (the first of .dtbs whose source @tree has), or None."""
        if not self.dtbs:
            return None
        return next((d for d in self.dtbs if os.path.exists(os.path.join(tree, d[:-1] + 's'))),
                    self.dtbs[0])


TARGETS = {t.name: t for t in [
    Target(name='um', linux_arch='um', kernel='linux',
           emulator='UML (user-mode Linux, a host process)',
           drop=r'^$'),
    Target(name='arm', linux_arch='arm', qemu='qemu-system-arm',
           kernel='arch/arm/boot/zImage',
           emulator='qemu-system-arm TCG, xilinx-zynq-a9 (Zynq-7000 ZC702)',
           tools={'arm-linux-gnueabihf-gcc': 'gcc-arm-linux-gnueabihf',
                  'qemu-system-arm': 'qemu-system-arm'},
           # static C library for the kselftest programs
           packages=('libc6-dev-armhf-cross',),
           cross='arm-linux-gnueabihf-',
           deb_arch='armhf',
           qemu_kconfig='qemu/zynq-zc702.config',
           cmdline='console=ttyPS0,115200',
           # the dtb moved to a vendor directory in 6.5
           dtbs=('arch/arm/boot/dts/xilinx/zynq-zc702.dtb',
                 'arch/arm/boot/dts/zynq-zc702.dtb'),
           drop=BOARD_DROP,
           machine=('-M', 'xilinx-zynq-a9'),
           # the ZC702 console (serial0, ttyPS0) is the second PS UART
           serial_shift=1),
    Target(name='x86_64', linux_arch='x86_64', qemu='qemu-system-x86_64',
           kernel='arch/x86/boot/bzImage',
           emulator='qemu-system-x86_64 TCG',
           tools={'qemu-system-x86_64': 'qemu-system-x86'},
           packages=('libelf-dev',),    # objtool
           qemu_kconfig='qemu/x86_64.config',
           cmdline='console=ttyS0 swiotlb=force',
           machine=('-bios', 'qboot.rom'),
           bounces=True),
    Target(name='arm64', linux_arch='arm64', qemu='qemu-system-aarch64',
           kernel='arch/arm64/boot/Image',
           emulator='qemu-system-aarch64 TCG, xlnx-versal-virt (zynqmp_dma)',
           tools={'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu',
                  'qemu-system-aarch64': 'qemu-system-arm'},
           packages=('libc6-dev-arm64-cross',),
           cross='aarch64-linux-gnu-',
           deb_arch='arm64',
           qemu_kconfig='qemu/versal-virt.config',
           cmdline='console=ttyAMA0',
           drop=BOARD_DROP,
           # The model's two A72s take turns in one host thread.  With a
           # thread each (MTTCG) two such guests on the gate's two lanes are
           # four threads on two cores, and both ran up to 7 times slower:
           # arm64 6.12's kselftest beside 6.1's KUnit took 30-82 s and
           # 19-74 s (three tries; the fuzzer's 4000 iterations 13-70 s, and
           # in the gate one 64 MiB per-entry copy ran past its 90 s hang
           # bound); taking turns, 13-24 s and 11-19 s (fuzzer 5-6 s).
           machine=('-M', 'xlnx-versal-virt', '-accel', 'tcg,thread=single')),
]}


def _reboot(base, **changes):
    """A target that boots @base's kernel another way: @base with @changes."""
    return dataclasses.replace(base, kernel_of=base.name, **changes)


# the x86_64 kernel on q35 with QEMU's Intel IOMMU (VT-d): the software
# channel's device, QEMU's PCI test function, is behind it.  Strict mode:
# an unmap has cleared the IOTLB when it returns.
TARGETS['x86_64-iommu'] = _reboot(
    TARGETS['x86_64'], name='x86_64-iommu', bounces=False,
    emulator='qemu-system-x86_64 TCG, q35 with intel-iommu',
    cmdline='console=ttyS0 intel_iommu=on iommu.strict=1',
    machine=('-M', 'q35', '-bios', 'qboot.rom',
             '-device', 'intel-iommu,intremap=off', '-device', 'pci-testdev'))


def target(name):
    t = TARGETS.get(name)
    if not t:
        die(f'KARCH={name}: known targets are {", ".join(TARGETS)}')
    return t


def kunit_env(t, build):
    """Environment for kunit.py: where the console is not the machine's
    first serial port, a wrapper that shifts kunit.py's "-serial stdio"
    (6.1's kunit.py cannot be told otherwise) comes first on PATH."""
    env = dict(os.environ)
    if not t.serial_shift:
        return env
    bindir = os.path.join(build, 'bin')
    os.makedirs(bindir, exist_ok=True)
    wrapper = os.path.join(bindir, t.qemu + '-shifted')
    nulls = ' '.join(['-serial null'] * t.serial_shift)
    if write_if_changed(wrapper, f"""#!/bin/bash
# generated by scripts/dma_suite/targets.py: console on serial{t.serial_shift}
out=(); shifted=0
while [ $# -gt 0 ]; do
	if [ $shifted = 0 ] && [ "$1" = -serial ] && [ "$2" = stdio ]; then
		out+=({nulls} -serial stdio); shifted=1; shift 2; continue
	fi
	out+=("$1"); shift
done
exec {t.qemu} "${{out[@]}}"
"""):
        os.chmod(wrapper, 0o755)
    env['PATH'] = bindir + os.pathsep + env.get('PATH', '')
    return env


def defined_symbols(tree, wanted):
    """Which of the Kconfig symbols @wanted the tree at @tree defines."""
    r = subprocess.run(['grep', '-rhoE', '--include=Kconfig*',
                        r'^(menu)?config [A-Z0-9_]+', tree],
                       capture_output=True, text=True)
    have = {line.split()[-1] for line in r.stdout.splitlines()}
    return {w for w in wanted if w in have}


def fragment(rel, tree):
    """The CONFIG_ lines of fragment @rel that the tree at @tree defines,
    and the symbols it does not."""
    lines = config_lines(rel)
    syms = [line.split('=')[0][len('CONFIG_'):] for line in lines]
    have = defined_symbols(tree, syms)
    return ([line for line, s in zip(lines, syms) if s in have],
            [s for s in syms if s not in have])


def kunitconfig_for(t, tree, build):
    """The test kernel's configuration, written into @build; its path: the
    suite's .kunitconfig without the lines that do not apply to @t, and
    what make bench needs (BENCH_FRAGMENT), so that the benchmark is the
    test kernel booted without its checkers."""
    drop = re.compile(t.drop)
    with open(os.path.join(REPO, '.kunitconfig')) as f:
        lines = [line for line in f if not drop.match(line)]
    lines += [line + '\n' for line in fragment(BENCH_FRAGMENT, tree)[0]]
    path = os.path.join(build, 'kunitconfig')
    write_if_changed(path, ''.join(lines))
    return path


def kunit_args(t, tree, build, kernel=None):
    """kunit.py's arguments for target @t: for QEMU a generated
    --qemu_config (machine, dtb, console, and @kernel, the image's path if
    it is not in @build) and the .kunitconfig of @t."""
    if t.is_uml:
        return ['--arch=um', f'--kunitconfig={kunitconfig_for(t, tree, build)}']
    machine = list(t.machine)
    dtb = t.dtb(tree)
    if dtb:
        machine += ['-dtb', os.path.join(build, dtb)]
    with open(os.path.join(REPO, t.qemu_kconfig)) as f:
        kconfig = f.read()
    qemu = t.qemu + ('-shifted' if t.serial_shift else '')
    qemu_cfg = os.path.join(build, 'qemu_config.py')
    write_if_changed(qemu_cfg, (
        'from ..qemu_config import QemuArchParams\n'
        f'QEMU_ARCH = QemuArchParams(linux_arch={t.linux_arch!r}, kconfig={kconfig!r},\n'
        f'    qemu_arch={qemu[len("qemu-system-"):]!r},\n'
        f'    kernel_path={kernel or t.kernel!r},\n'
        f'    kernel_command_line={t.cmdline!r},\n'
        f'    extra_qemu_params={machine!r})\n'))
    return [f'--qemu_config={qemu_cfg}', f'--kunitconfig={kunitconfig_for(t, tree, build)}'] + \
        ([f'--cross_compile={t.cross}'] if t.cross else [])

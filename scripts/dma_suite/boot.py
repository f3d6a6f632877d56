# SPDX-License-Identifier: GPL-2.0
"""Booting a built kernel with an initramfs of the suite's own: the archive,
the command line per target, and the console collected until /init says it
is done."""

import os
import select
import subprocess
import time


def newc_cpio(entries):
    """A cpio archive in the kernel's initramfs format (newc) from
    (path, mode, data) entries; directories have data None."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(entries + [('TRAILER!!!', 0, b'')], 1):
        data = data or b''
        nm = name.encode() + b'\0'
        hdr = '070701' + ''.join(f'{v:08x}' for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nm), 0))
        out += hdr.encode() + nm
        out += b'\0' * (-len(out) % 4)
        out += data
        out += b'\0' * (-len(out) % 4)
    return bytes(out)


def file_entry(name, path, mode=0o100755):
    with open(path, 'rb') as f:
        return (name, mode, f.read())


def write_initramfs(path, entries):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(newc_cpio(entries))
    return path


def command(target_, tree, initrd, params, kernel=None, cmdline=None):
    """The command that boots @tree's kernel for @target_ with @initrd and
    the kernel arguments @params; /init runs first.  @kernel: an image not
    built in a tree (@tree None), booted with @cmdline instead of the
    target's own arguments."""
    kernel = kernel or os.path.join(tree.build, target_.kernel)
    if target_.is_uml:
        return [kernel, 'mem=1G', f'initrd={initrd}', 'console=tty'] + list(params)
    dtb = target_.dtb(tree.src) if tree else None
    cmdline = target_.cmdline if cmdline is None else cmdline
    return [target_.qemu, '-nodefaults', '-m', '1024', '-kernel', kernel, '-initrd', initrd,
            '-append', ' '.join([cmdline, 'rdinit=/init'] + list(params)),
            '-no-reboot', '-nographic'] + list(target_.machine) + \
        (['-dtb', os.path.join(tree.build, dtb)] if dtb else []) + \
        ['-serial', 'null'] * target_.serial_shift + ['-serial', 'stdio']


def _print(line):
    print(line, flush=True)


def boot_and_collect(cmd, timeout, log_path, done_line, echo=_print):
    """Run a kernel until the initramfs prints @done_line, or the timeout;
    return its console lines (also written to @log_path)."""
    lines = []
    deadline = time.time() + timeout
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    fd = p.stdout.fileno()
    buf = ''
    try:
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            chunk = os.read(fd, 65536) if ready else b''
            if ready and not chunk:
                break       # the kernel exited
            buf += chunk.decode(errors='backslashreplace')
            *done, buf = buf.split('\n')
            for line in done:
                line = line.rstrip('\r')
                lines.append(line)
                echo(line)
                if done_line in line or 'Kernel panic' in line:
                    # a board may not power off: give it a moment, then stop
                    deadline = min(deadline, time.time() + 5)
        else:
            if not any(done_line in line for line in lines):
                lines.append(f'[dma-suite] killed after {timeout}s')
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return lines

# SPDX-License-Identifier: GPL-2.0
"""Bugs of the kernels under test that the suite meets, by name.

A distro gate runs the suite to learn whether its kernel is sound: where a
case meets a bug of the kernel (not of the suite), the runner says which,
with the upstream fix to pick, and counts it apart: not a pass, and not a
failure of the suite.  Matching is narrow: a kernel version range (fixed_in
excluded), optionally an arch, the case (suite.case, a regex on the whole
name), the status kunit.py gave it, and a line of the kernel log that the
case printed (its message, which names the bug).  Anything else stays what
it was: a failure fails.

Kernel log reports (KASAN, lockdep) of known bugs are KNOWN_KERNEL_ISSUES
in kernel_log.py.
"""

import re


def _stale_callback_result(driver, short, arch, since, fixed_in, fix, seen=''):
    """A driver that hands out recycled descriptors with the previous
    user's callback_result set: the sgdma client case fails on it, naming
    @driver (the kernel log's "<driver> stale callback_result")."""
    return dict(
        name=f'{short} stale callback_result',
        since=since, fixed_in=fixed_in, arch=arch,
        case=r'sgdma\.sgdma_client_setting_only_callback_gets_exactly_its_own',
        status=('FAIL',),
        log=re.escape(driver) + r' stale callback_result',
        what=f'{short} hands out recycled descriptors with the previous user\'s '
             f'callback_result set{seen}: a client setting only ->callback gets the '
             'previous callback called with its parameter',
        fix=fix)


KNOWN_BUGS = [
    _stale_callback_result(
        'dma-pl330', 'pl330', 'arm', since='3.0', fixed_in='6.9',
        fix='4728e3fe2ff1 ("dmaengine: pl330: Clear callback_result for '
            're-used descs"), v6.9-rc1, not in 6.1 stable'),
    # not fixed in any kernel this suite has seen (6.12.118 the newest)
    _stale_callback_result(
        'xilinx-zynqmp-dma', 'zynqmp_dma', 'arm64', since='4.6', fixed_in='999',
        seen=' (17 of 32 after the engine\'s copies: zynqmp_dma_get_descriptor() '
             'clears the hardware descriptors, not the callbacks)',
        fix='none upstream found (3 December 2026); pl330\'s fix, 4728e3fe2ff1, '
            'is the model: clear both in zynqmp_dma_get_descriptor()'),
    dict(
        name='dmapool boundary past chunk',
        since='2.6', fixed_in='6.4', arch=None,
        case=r'dmapool\.dmapool_alloc_(fills_a_chunk_before_adding_the_next|'
             r'blocks_aligned_inside_chunk_within_boundary)\..*',
        # 6.1's kunit.py reports a skipped parameter as passed
        status=('SKIP', 'PASS'),
        log=r'dma-suite: known kernel bug in (\S+) \((.*?)\): dmapool boundary past chunk',
        what='a boundary above the chunk is not clamped: the offset chain '
             'hands out a block that runs past its chunk (skipped, never '
             'allocated: it would write past the coherent buffer)',
        fix='790233528d33 ("dmapool: cleanup integer types"), v6.4-rc1: '
            'boundary = min(boundary, allocation)',
    ),
]


def _ver(v):
    return tuple(int(x) for x in re.findall(r'\d+', v)[:3])


def applicable(kver, arch):
    """The known bugs of kernel version @kver on @arch."""
    return [b for b in KNOWN_BUGS
            if _ver(b['since']) <= _ver(kver) < _ver(b['fixed_in'])
            and b['arch'] in (None, arch)]


def leaves(data):
    """(suite.case[.param], status) of every leaf in kunit.py's JSON."""
    out = []

    def walk(n, path):
        subs = (n.get('sub_groups') or []) + (n.get('test_cases') or [])
        if subs:
            for s in subs:
                walk(s, path + [s.get('name', '')])
        elif 'status' in n:
            out.append(('.'.join(path), n['status']))
    for suite in data.get('sub_groups') or []:
        walk(suite, [suite.get('name', '')])
    return out


def classify(data, log_lines, kver, arch):
    """The leaves of kunit.py's JSON that are known kernel bugs: a list of
    (leaf name, kunit.py's status, bug).  A leaf counts only if its bug
    applies to this kernel and arch, its name and status match, and the
    kernel log has the bug's line (for a parameter: naming that case and
    parameter)."""
    bugs = applicable(kver, arch)
    if not bugs:
        return []
    found = []
    for name, status in leaves(data):
        for b in bugs:
            if status not in b['status'] or not re.fullmatch(b['case'], name):
                continue
            rx = re.compile(b['log'])
            hit = False
            for line in log_lines:
                m = rx.search(line)
                if not m:
                    continue
                if m.groups():
                    # the line names the case and parameter it is about
                    case, param = m.group(1), m.group(2)
                    hit = name.endswith(f'.{case}.{param}')
                else:
                    hit = True
                if hit:
                    break
            if hit:
                found.append((name, status, b))
                break
    return found


def report(found, log):
    """Log each known kernel bug once, with its cases and fix."""
    by = {}
    for name, status, b in found:
        by.setdefault(b['name'], (b, []))[1].append(f'{name} (kunit.py: {status})')
    for bname, (b, cases) in by.items():
        log(f'  known kernel bug: {bname}: {b["what"]}')
        log(f'    fix to pick: {b["fix"]}')
        for c in cases:
            log(f'    seen in: {c}')

# SPDX-License-Identifier: GPL-2.0
"""kunit.py's JSON results: counts of cases, the failed ones, the suites a
whole run must report."""

import json
import os
import re
from dataclasses import dataclass, fields

from .config import REPO


@dataclass
class Counts:
    """Leaf cases by status; KNOWN: cases that met a named kernel bug
    (known_bugs.py), counted apart from the others."""
    PASS: int = 0
    FAIL: int = 0
    SKIP: int = 0
    ERROR: int = 0
    KNOWN: int = 0

    def __add__(self, other):
        if other is None:
            return self
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                         for f in fields(self)})

    __radd__ = __add__

    def bad(self):
        return self.FAIL + self.ERROR

    def __str__(self):
        return ', '.join(f'{f.name} {getattr(self, f.name)}' for f in fields(self))


def load(path):
    with open(path) as f:
        return json.load(f)


def _children(n):
    return (n.get('sub_groups') or []) + (n.get('test_cases') or [])


def suites_in(data):
    return {s.get('name') for s in data.get('sub_groups') or []}


def count_cases(data):
    """Counts of the leaf cases by status."""
    c = Counts()

    def walk(n):
        subs = _children(n)
        if subs:
            for sub in subs:
                walk(sub)
        elif 'status' in n:
            st = n['status']
            st = st if st in ('PASS', 'FAIL', 'SKIP') else 'ERROR'
            setattr(c, st, getattr(c, st) + 1)
    walk(data)
    return c


def _failed(n):
    subs = _children(n)
    if subs:
        return any(_failed(s) for s in subs)
    return n.get('status') in ('FAIL', 'ERROR')


def failed_cases(path, since):
    """Names of the failed cases in the kunit.py JSON at @path, if it was
    written after @since; '' if none."""
    try:
        if os.path.getmtime(path) < since:
            return ''
        data = load(path)
    except (OSError, ValueError):
        return ''
    seen = []
    # root -> suites -> cases (a parameterised case is a group of params)
    for suite in data.get('sub_groups') or []:
        for case in _children(suite):
            if _failed(case) and case.get('name'):
                seen.append(case['name'])
    if not seen and _failed(data):
        # the kernel died mid-suite: kunit.py names what it could not parse ''
        seen.append('a crash (see test.log)')
    return ', '.join(seen[:3]) + (f' (+{len(seen) - 3} more)' if len(seen) > 3 else '')


def suite_sources():
    """The suite's C sources, headers and Kconfig, relative to the repo."""
    out = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if not d.startswith('.') and d != 'scripts']
        for f in files:
            if f.endswith(('.c', '.h')) or f == 'Kconfig':
                out.append(os.path.relpath(os.path.join(root, f), REPO))
    return sorted(out)


def expected_suites():
    """Every KUnit suite this repository defines (the .name of each struct
    kunit_suite in its *_kunit.c files): a run without a filter must report
    each of them, or it fails ("missing suite")."""
    names = []
    for rel in suite_sources():
        if not rel.endswith('_kunit.c'):
            continue
        with open(os.path.join(REPO, rel)) as f:
            text = f.read()
        for body in re.findall(r'struct kunit_suite \w+ = \{(.*?)\};', text, re.S):
            m = re.search(r'\.name\s*=\s*"([^"]+)"', body)
            if m:
                names.append(m.group(1))
    return names


@dataclass
class Outcome:
    """What a step found: whether it passed, its cases (None: a step with
    no KUnit or kselftest cases), the known kernel bugs its cases met, and
    why it failed."""
    ok: bool
    counts: Counts = None
    known: list = None
    failures: list = None
    build_s: float = None   # kernel build, if the step built one
    run_s: float = None     # booting and running

    def __post_init__(self):
        self.known = self.known or []
        self.failures = self.failures or []

    def to_json(self):
        d = dict(vars(self))
        d['counts'] = vars(self.counts) if self.counts else None
        return d

    @classmethod
    def from_json(cls, d):
        d = dict(d)
        d['counts'] = Counts(**d['counts']) if d.get('counts') else None
        return cls(**d)

    def merge(self, other):
        """This outcome and @other's, as one step's."""
        def add(a, b):
            return b if a is None else a if b is None else a + b
        return Outcome(ok=self.ok and other.ok, counts=add(self.counts, other.counts),
                       known=self.known + other.known,
                       failures=self.failures + other.failures,
                       build_s=add(self.build_s, other.build_s),
                       run_s=add(self.run_s, other.run_s))

# SPDX-License-Identifier: GPL-2.0
"""What a run is: the environment read once (Settings), one kernel run (Run),
and the kernel variants (their own build directory and .config) as data.
make bench has no variant: it boots the test kernel (targets.py)."""

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Optional, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the kernels of the gate: the allocator rewrite (6.4) lies between them
GATE_KVERS = ('6.12', '6.1')
# make's variables for the sampling kselftest programs (SGDMA_ + name)
KSFT_ENV = ('FUZZ_ITERS', 'FUZZ_SEED', 'FUZZ_FIRST', 'FUZZ_VERBOSE', 'FUZZ_SECONDS',
            'STRESS_SECONDS', 'STRESS_PROCS', 'STRESS_SEED')


def _words(text):
    return tuple((text or '').split())


@dataclass(frozen=True)
class Variant:
    """A kernel configuration of its own build directory (build-<arch>-<name>):
    a fragment added to .kunitconfig and arguments for its command line."""
    name: str
    fragment: str
    kernel_args: Tuple[str, ...] = ()


VARIANTS = {
    # KASAN, lockdep, kmemleak, SLUB_DEBUG_ON (DMAPOOL_DEBUG), DMA-API debug,
    # fault injection.  SLUB's own runtime checks off: under UML, 6.12's
    # KASAN reports a false slab-out-of-bounds in init_object() at boot
    # when SLUB poisons its first caches.  KASAN checks slab objects itself,
    # and DMAPOOL_DEBUG depends on CONFIG_SLUB_DEBUG_ON at build time only.
    'debug': Variant('debug', 'configs/debug.config', kernel_args=('slub_debug=-',)),
    # modules and KUnit as a distro builds them, the suite out of the tree
    'modular': Variant('modular', 'configs/modular.config'),
}


@dataclass(frozen=True)
class Run:
    """One kernel on one target: which tree, how it is configured and what
    of it runs.  Commands derive the runs they need with replace()."""
    kver: str = '6.12'
    arch: str = 'um'
    kdir: Optional[str] = None
    variant: Optional[str] = None
    filter: Optional[str] = None
    raw_output: Optional[str] = None
    json: Optional[str] = None
    kconfig_add: Tuple[str, ...] = ()
    kernel_args: Tuple[str, ...] = ()
    timeout: int = 600
    # sync the managed tree first (False: a step right after one that did)
    sync: bool = True
    # the kselftest sampling programs' environment in a boot: SGDMA_FUZZ_*
    # and SGDMA_STRESS_* (their seeds, counts and time budgets)
    ksft_env: Tuple[Tuple[str, str], ...] = field(default=())

    @classmethod
    def from_settings(cls, s, **changes):
        """The run the settings @s describe, with @changes."""
        r = cls(**{f.name: getattr(s, f.name) for f in dataclasses.fields(cls)})
        return dataclasses.replace(r, **changes)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def whole(self, **changes):
        """This run for a whole-suite step: no filter, parsed output, no
        JSON copy; then @changes."""
        return self.replace(filter=None, raw_output=None, json=None, **changes)

    def label(self):
        return f'{self.arch} {self.kver if not self.kdir else os.path.basename(self.kdir)}' + \
            (f' {self.variant}' if self.variant else '')


@dataclass(frozen=True)
class Settings(Run):
    """Everything the runner takes from the environment, read in one place
    (from_environ); the command line's flags override it.  The run it
    describes (Run's fields), and what commands of several runs need."""
    cache: str = ''
    kver_given: bool = False
    # make bench
    bench_kvers: Tuple[str, ...] = GATE_KVERS
    bench_archs: Tuple[str, ...] = ('um',)
    bench_reps: int = 0
    bench_smoke: bool = False
    bench_channel: str = 'dma0chan0'
    bench_json: Optional[str] = None
    bench_timeout: int = 1200
    # make install-tests
    install_path: Optional[str] = None

    @classmethod
    def from_environ(cls, env=None):
        env = os.environ if env is None else env
        cache = env.get('DMA_SUITE_CACHE') or os.path.join(
            env.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'dma-suite')
        return cls(
            cache=cache,
            kdir=env.get('KDIR') or None,
            kver=env.get('KVER') or '6.12',
            kver_given=bool(env.get('KVER')),
            arch=env.get('KARCH') or 'um',
            variant=env.get('KVARIANT') or None,
            filter=env.get('FILTER') or None,
            raw_output=env.get('RAW') or None,
            json=env.get('JSON') or None,
            kconfig_add=_words(env.get('KCONFIG_ADD')),
            kernel_args=_words(env.get('KERNEL_ARGS')),
            timeout=int(env.get('KUNIT_TIMEOUT') or 600),
            ksft_env=tuple((f'SGDMA_{k}', env[k]) for k in KSFT_ENV if env.get(k)),
            bench_kvers=tuple((env.get('BENCH_KVERS') or ','.join(GATE_KVERS)).split(',')),
            bench_archs=tuple((env.get('BENCH_ARCHS') or 'um').split(',')),
            bench_reps=int(env.get('REPS') or 0),
            bench_smoke=env.get('SMOKE', '') not in ('', '0'),
            bench_channel=env.get('BENCH_CHANNEL') or 'dma0chan0',
            bench_json=env.get('BENCH_JSON') or None,
            bench_timeout=int(env.get('BENCH_TIMEOUT') or 1200),
            install_path=env.get('INSTALL_PATH') or None,
        )

    def to_json(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, d):
        """The Settings a parent process handed over (to_json)."""
        return cls(**{k: tuple(tuple(x) if isinstance(x, list) else x for x in v)
                      if isinstance(v, list) else v for k, v in d.items()})

    def kvers(self):
        """The kernels a multi-kernel command covers: KDIR's alone, KVER's
        if given, else the gate's."""
        if self.kdir:
            return (None,)
        return (self.kver,) if self.kver_given else GATE_KVERS


def config_lines(rel):
    """The CONFIG_ lines of a config fragment in this repository."""
    with open(os.path.join(REPO, rel)) as f:
        return [line.strip() for line in f if line.startswith('CONFIG_')]

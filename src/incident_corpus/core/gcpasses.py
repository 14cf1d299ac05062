"""Keeping CPython's cyclic GC out of hot loops that allocate millions of short-lived, acyclic
objects (export rows, pre-annotation records), where its passes cost more than the work.

Used by export (this process and its worker) and by the pre-annotator's worker and result hand-over.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

GC_EVERY = 10_000  # articles between full collections while the automatic GC is off


class FewerGcPasses:
    """The cyclic GC off, with one full collection every `GC_EVERY` articles (`tick`).

    Export allocates millions of short-lived, acyclic objects (rows, token strings, JSON values).
    Generation-2 passes walked the whole heap (spaCy, pyarrow, datasets: ~15% of a 10k export), and
    with those frozen the young passes still rescanned the rows buffered for each Parquet flush (~15%
    of this process's CPU in `--format hf`). A 10k export leaves no cyclic garbage (measured:
    `gc.collect()` finds 0 objects at the end), so the periodic collection only bounds memory
    against input that makes some.
    """

    def __init__(self, every: int = GC_EVERY) -> None:
        self.every = every
        self._since = 0

    def start(self) -> None:
        gc.freeze()  # what exists now (the imported modules) is never scanned again
        gc.disable()

    def tick(self, articles: int = 1) -> None:
        self._since += articles
        if self._since >= self.every:
            self._since = 0
            gc.collect()


@contextlib.contextmanager
def fewer_gc_passes(every: int = GC_EVERY) -> Iterator[FewerGcPasses]:
    """`FewerGcPasses` for a block; the GC as it was afterwards."""
    was_enabled = gc.isenabled()
    passes = FewerGcPasses(every)
    passes.start()
    try:
        yield passes
    finally:
        if was_enabled:
            gc.enable()
        gc.unfreeze()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic collection inside the block (one bounded burst of allocation); as it was after.

    Unpickling a worker's chunk of records builds ~20,000 dicts at once: with the GC on, the young
    passes and the generation-2 passes they trigger (over everything this process holds) took
    three times as long as the unpickling itself (measured: 1.5 s against 0.4 s for 10,000 records).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

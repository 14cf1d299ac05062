"""Tokenizing the export's texts once, in this process or in one worker process beside it, and
keeping the cyclic GC out of the hot loop. Imports core and export.align.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from incident_corpus.export.align import token_offsets

PIPE_BATCH = 256
MAX_TOKENIZER_WORKERS = 1
PARALLEL_MIN_BYTES = 8_000_000  # ~1000 articles of annotations.jsonl


def token_offsets_of(texts: list[str]) -> list[tuple[list[int], list[int]]]:
    """Tokenizer worker: token offsets only (a Doc costs more to send between processes than to make)."""
    from incident_corpus.core.nlp import tokenizer

    return [token_offsets(doc) for doc in tokenizer().pipe(texts, batch_size=PIPE_BATCH)]


def _spare_cpus() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus - 1


@contextlib.contextmanager
def tokenizer_pool(input_path: Path, formats: Sequence[str]) -> Iterator[Any]:
    """A worker process that tokenizes while this one parses, aligns and writes (None: tokenize here).

    Tokenizing is a third of a 10k export; on two cores a worker takes it off the critical path.
    Only the spaCy format needs Doc objects in this process, and small inputs do not repay the
    worker's start-up (~1 s of imports, started now so it overlaps the first pass over the input).
    """
    size = input_path.stat().st_size if input_path.is_file() else 0
    workers = min(MAX_TOKENIZER_WORKERS, _spare_cpus())
    if "spacy" in formats or workers < 1 or size < PARALLEL_MIN_BYTES:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        pool.submit(token_offsets_of, [""])  # start the worker (imports spaCy) during pass 1
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def tokenized(
    batches: Iterator[list[dict[str, Any]]], pool: Any
) -> Iterator[tuple[dict[str, Any], Any, tuple[list[int], list[int]] | None]]:
    """(record, Doc or None, offsets or None) in input order; with a pool, a few batches in flight."""
    from incident_corpus.core.nlp import tokenizer

    if pool is None:
        tok = tokenizer()
        for batch in batches:
            docs = tok.pipe([r["text"] for r in batch], batch_size=PIPE_BATCH)
            for rec, sdoc in zip(batch, docs, strict=True):
                yield rec, sdoc, None
        return
    inflight: collections.deque = collections.deque()
    ahead = 2 * MAX_TOKENIZER_WORKERS  # bounded: memory stays a few batches, not the corpus
    for batch in batches:
        inflight.append((batch, pool.submit(token_offsets_of, [r["text"] for r in batch])))
        while len(inflight) > ahead:
            done, fut = inflight.popleft()
            for rec, offsets in zip(done, fut.result(), strict=True):
                yield rec, None, offsets
    while inflight:
        done, fut = inflight.popleft()
        for rec, offsets in zip(done, fut.result(), strict=True):
            yield rec, None, offsets


@contextlib.contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Keep the cyclic GC from rescanning every imported module object many times over.

    Export allocates millions of short-lived, acyclic objects (rows, token strings); each gen-2
    pass walked the whole heap (spaCy, pyarrow, datasets) and cost ~15% of a 10k export.
    Freezing what exists before the loop and collecting young objects less often removes that.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], 10_000), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()

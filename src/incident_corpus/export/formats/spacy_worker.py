"""The spaCy format's side of a tokenizer worker (export/workers.py), without importing spaCy here.

The worker builds and shards the DocBins (`spacy_corpus.WorkerPart`), handing each finished shard
back uncompressed; `WorkerSpacyWriter`, the format's writer in this process, compresses and writes
them on a thread. The shard size and compression live here, so this process needs no spaCy for them.
"""

from __future__ import annotations

import concurrent.futures
import zlib
from pathlib import Path
from typing import Any

from incident_corpus.export.formats import ExportOptions, WorkerPlan, WriterResult

# Docs per spaCy DocBin: a split above this is written as a folder of shards (spacy_corpus.py).
SPACY_SHARD_DOCS = 1000
SPACY_ZLIB_LEVEL = 1  # spaCy's DocBin.to_bytes uses zlib's default, 6
PART = "incident_corpus.export.formats.spacy_corpus.WorkerPart"


def compress_shard(packed: bytes) -> bytes:
    """A .spacy file's bytes from `LeanDocBin.packed()`: `DocBin.to_bytes()` at zlib level 1.

    Level 6 spent ~0.23 s a 1000-doc shard (a tenth of a 10k `--format all`) to make the file 20%
    smaller (0.108 against 0.136 of the packed size); `DocBin.from_bytes` reads either.
    """
    return zlib.compress(packed, SPACY_ZLIB_LEVEL)


def plan(busy_elsewhere: bool) -> WorkerPlan:
    """With a worker, the Docs and DocBins stay in it, which makes it the busier process."""
    return WorkerPlan(part=True, offsets=False, tags=False, busy=True)


def write_shard(path: str, packed: bytes) -> None:
    """Compress and write one shard the worker packed."""
    from incident_corpus.core.fileio import write_bytes

    write_bytes(Path(path), compress_shard(packed))


class WorkerSpacyWriter:
    """The spaCy format when the worker builds it: `add` hands the shards it packed to a writer thread,
    `close` asks the worker for the rest and waits for every file.

    The thread compresses and writes (zlib releases the GIL), so that work fills the moments either
    process waits for the other instead of lengthening this one.
    """

    def __init__(self, link: Any, folder: Path) -> None:
        self._link = link
        self._shards = link.inbox
        self._writer = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="spacy-shards")
        self._writes: list[Any] = []
        # Not waited for: the worker may still be importing spaCy, and this process has its own imports.
        self._start = link.start(PART, str(folder), SPACY_SHARD_DOCS)
        self._finish: Any = None

    def __enter__(self) -> WorkerSpacyWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._finish is not None:  # never leave the worker writing into a folder about to be removed
            concurrent.futures.wait([self._finish])
        self._writer.shutdown(wait=True, cancel_futures=True)  # nor this process's thread

    def _hand_over(self) -> None:
        while self._shards:
            self._writes.append(self._writer.submit(write_shard, *self._shards.pop(0)))

    def add(self, doc: Any) -> None:
        if self._shards:
            self._hand_over()

    def close(self) -> WriterResult:
        self._start.result()  # its error, if any, before the finish's
        self._finish = self._link.finish()
        result: WriterResult
        result, last = self._finish.result()
        self._shards.extend(last)
        self._hand_over()
        for write in self._writes:
            write.result()  # every file written, or the first error
        return result


def open_worker_writer(link: Any, folder: Path, options: ExportOptions) -> WorkerSpacyWriter:
    """The writer that stands for the spaCy format here while the worker writes into `folder`."""
    return WorkerSpacyWriter(link, folder)

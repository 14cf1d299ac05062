"""Tokenizing the export's texts once, in this process or in one worker process beside it, and
keeping the cyclic GC out of the hot loop. Imports core and export (align, formats.spacy_corpus).

For the HF configs alone the worker sends back each article's token offsets (it is the busier process
then; this one aligns the spans). With the spaCy format requested it also aligns them (sending back
the kept spans and the BIO tags: this process carries the heavier share then), builds the Docs and
packs the spaCy corpus (formats/spacy_corpus.py `Shards`) from the tokens it made, handing each
finished shard over uncompressed; a thread in this process compresses and writes it. So the Docs
never cross between processes and the two cores share the export.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from incident_corpus.export.align import Aligned, AlignStats, align_spans, bio_ids, token_offsets
from incident_corpus.export.formats import WriterResult, compress_shard

PIPE_BATCH = 256
MAX_TOKENIZER_WORKERS = 1
PARALLEL_MIN_BYTES = 8_000_000  # ~1000 articles of annotations.jsonl

Offsets = tuple[list[int], list[int]]
# What the worker sends back per article: token starts and ends, the spans the overlap policy kept, the BIO tags.
Tokens = tuple[list[int], list[int], list[Aligned], list[int]]
Span3 = tuple[int, int, str]
SpacyJob = tuple[str, list[Span3], list[Span3]]  # split, spans, relations


class Item(NamedTuple):
    """One article on its way to the writers: the resolved record, its split and its span rows
    (prepare.span_rows), which the spaCy worker needs before the tokens exist."""

    record: dict[str, Any]
    split: str
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]


@dataclass(frozen=True)
class Pool:
    """The tokenizer worker; `spacy`: it also builds the spaCy corpus (see `spacy_writer`).

    `shards`: the shards it packed, in order, not yet compressed and written by this process.
    """

    executor: Any  # concurrent.futures.ProcessPoolExecutor with one worker
    spacy: bool
    shards: list[tuple[str, bytes]] = field(default_factory=list)
    align: list[AlignStats] = field(default_factory=list)  # one per batch, for this process to sum


def write_shard(path: str, packed: bytes) -> None:
    """Compress and write one shard the worker packed."""
    from incident_corpus.core.fileio import write_bytes

    write_bytes(Path(path), compress_shard(packed))


def token_offsets_of(texts: list[str]) -> list[Offsets]:
    """Tokenizer worker: token offsets only (a Doc costs more to send between processes than to make)."""
    from incident_corpus.core.nlp import tokenizer

    _WORKER_GC.tick(len(texts))
    return [token_offsets(doc) for doc in tokenizer().pipe(texts, batch_size=PIPE_BATCH)]


def _aligned(starts: list[int], ends: list[int], spans: list[Span3], total: AlignStats) -> Tokens:
    """The worker's answer for one article: its offsets with the overlap policy applied (align.py)."""
    kept, stats = align_spans(starts, ends, spans)
    total += stats
    return starts, ends, kept, bio_ids(len(starts), kept)


# The worker's spaCy corpus between tasks. One worker runs the tasks in the order they were
# submitted: start_spacy, then every pack_spacy batch in input order, then finish_spacy.
_WORKER: dict[str, Any] = {}


def start_spacy(folder: str, shard_docs: int) -> None:
    """Worker: begin a spaCy corpus in the export's temp folder (`shard_docs` as this process has it)."""
    from incident_corpus.export.formats.spacy_corpus import Shards, one_msgpack_lookup

    stack = contextlib.ExitStack()
    stack.enter_context(one_msgpack_lookup())
    _WORKER.update(shards=Shards(Path(folder), shard_docs, write=False), stack=stack)


# A shard the worker packed: its path and its uncompressed DocBin bytes; this process compresses and writes it.
PackedShard = tuple[str, bytes]


def pack_spacy(texts: list[str], jobs: list[SpacyJob]) -> tuple[list[Tokens], AlignStats, list[PackedShard]]:
    """Worker: tokenize, annotate and add each Doc to its split's shard; per article its offsets, kept spans
    and tags (it aligns them: with the spaCy corpus this process is the lighter one) and any shard it filled
    go back (compressing a shard is left to the other process)."""
    from incident_corpus.core.nlp import tokenizer
    from incident_corpus.export.formats.spacy_corpus import place, place_packed

    shards = _WORKER.get("shards")
    if shards is None:
        raise RuntimeError("pack_spacy before start_spacy: the spaCy corpus was not started in the worker")
    _WORKER_GC.tick(len(texts))
    out = []
    total = AlignStats()
    docs = tokenizer().pipe(texts, batch_size=PIPE_BATCH)
    for text, sdoc, (split, spans, relations) in zip(texts, docs, jobs, strict=True):
        if not len(sdoc):
            tokens = _aligned(*token_offsets(sdoc), spans, total)
            shards.add(sdoc, split, place(sdoc, text, tokens[2], spans, relations))
            out.append(tokens)
            continue
        columns = shards.columns(sdoc, split)  # one to_array: the DocBin's columns, IDX, LENGTH, IS_SPACE
        idx, length, space = columns[:, -3], columns[:, -2], columns[:, -1]
        keep = space == 0
        starts_arr = idx[keep]
        tokens = _aligned(starts_arr.tolist(), (starts_arr + length[keep]).tolist(), spans, total)
        ents, packed = place_packed(sdoc, text, tokens[2], spans, relations, idx.tolist(), length.tolist())
        shards.add(sdoc, split, ents, columns, packed)
        out.append(tokens)
    return out, total, shards.take_pending()


def finish_spacy() -> tuple[WriterResult, list[PackedShard]]:
    """Worker: pack what is left of the corpus and say what was written."""
    try:
        shards = _WORKER["shards"]
        result = shards.close()
        return result, shards.take_pending()
    finally:
        _WORKER.pop("stack").close()
        _WORKER.clear()


class WorkerSpacyWriter:
    """The spaCy format when the worker builds it: `add` hands the shards it packed to a writer thread,
    `close` asks the worker for the rest and waits for every file.

    The thread compresses and writes (zlib releases the GIL), so that work fills the moments either
    process waits for the other instead of lengthening this one.
    """

    def __init__(self, pool: Pool, folder: Path) -> None:
        from incident_corpus.export import formats

        self._executor = pool.executor
        self._shards = pool.shards
        self._writer = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="spacy-shards")
        self._writes: list[Any] = []
        # Not waited for: the worker may still be importing spaCy, and this process has its own imports.
        self._start = self._executor.submit(start_spacy, str(folder), formats.SPACY_SHARD_DOCS)
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
        self._start.result()  # its error, if any, before finish_spacy's
        self._finish = self._executor.submit(finish_spacy)
        result, last = self._finish.result()
        self._shards.extend(last)
        self._hand_over()
        for write in self._writes:
            write.result()  # every file written, or the first error
        return result


def spacy_writer(pool: Pool, folder: Path) -> WorkerSpacyWriter:
    """The writer that stands for the spaCy format when `pool.spacy` (the worker writes into `folder`)."""
    return WorkerSpacyWriter(pool, folder)


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


_WORKER_GC = FewerGcPasses()  # the worker's; see FewerGcPasses (6-9% of its spaCy packing, 3000 articles)


def _worker_started() -> None:
    """Worker start: import spaCy, then keep the cyclic GC off what it makes (see FewerGcPasses).

    The worker lives for one export, so nothing needs restoring.
    """
    from spacy.attrs import IS_SPACE

    from incident_corpus.core.nlp import limit_lexeme_attrs, tokenizer

    vocab = tokenizer().vocab
    # Nothing the worker writes or sends back reads a word's other lexical attributes (norm, shape,
    # like_num, ...: the DocBin keeps ORTH and the entity columns, and spaCy recomputes the rest on
    # reading), so a new word gets only IS_SPACE, which token offsets need: ~20% of tokenizing new text.
    if vocab.lex_attr_getters and IS_SPACE in vocab.lex_attr_getters:
        limit_lexeme_attrs(vocab, [IS_SPACE])
    _WORKER_GC.start()


def _spare_cpus() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus - 1


@contextlib.contextmanager
def tokenizer_pool(input_path: Path, formats: Sequence[str]) -> Iterator[Pool | None]:
    """A worker process that tokenizes while this one parses, aligns and writes (None: tokenize here).

    Tokenizing is a third of a 10k export; on two cores a worker takes it off the critical path,
    and with the spaCy format it takes the Docs and the DocBins too. Small inputs do not repay the
    worker's start-up (~1 s of imports, started now so it overlaps the first pass over the input).
    """
    size = input_path.stat().st_size if input_path.is_file() else 0
    workers = min(MAX_TOKENIZER_WORKERS, _spare_cpus())
    if workers < 1 or size < PARALLEL_MIN_BYTES:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_started)
    try:
        executor.submit(token_offsets_of, [""])  # start the worker (imports spaCy) during pass 1
        yield Pool(executor, spacy="spacy" in formats)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _span3(item: Item) -> list[Span3]:
    return [(s["start"], s["end"], s["label"]) for s in item.spans]


def _job(item: Item) -> SpacyJob:
    return (item.split, _span3(item), [(r["head"], r["tail"], r["type"]) for r in item.relations])


Worked = tuple[Offsets | None, tuple[list[Aligned], list[int]] | None]  # what the worker did for one article


def tokenized(batches: Iterator[list[Item]], pool: Pool | None) -> Iterator[tuple[Item, Any, Worked]]:
    """(item, Doc or None, (the worker's offsets, its kept spans and tags) or Nones) in input order; with a
    pool, a few batches in flight, and each batch's AlignStats collected in `pool.align`.

    With a pool this process never imports spaCy (~1 s of CPU that the worker spends anyway). With
    the spaCy corpus the worker aligns the spans too (this process has the heavier load there); for the
    HF configs alone the worker only tokenizes (it is the busier one then) and this process aligns.
    """
    if pool is None:
        from incident_corpus.core.nlp import tokenizer

        tok = tokenizer()
        for batch in batches:
            docs = tok.pipe([it.record["text"] for it in batch], batch_size=PIPE_BATCH)
            for item, sdoc in zip(batch, docs, strict=True):
                yield item, sdoc, (None, None)
        return
    inflight: collections.deque = collections.deque()
    ahead = 2 * MAX_TOKENIZER_WORKERS  # bounded: memory stays a few batches, not the corpus

    def submit(batch: list[Item]) -> Any:
        texts = [it.record["text"] for it in batch]
        if pool.spacy:
            return pool.executor.submit(pack_spacy, texts, [_job(it) for it in batch])
        return pool.executor.submit(token_offsets_of, texts)

    def results(fut: Any) -> list[Worked]:
        if not pool.spacy:
            return [(offsets, None) for offsets in fut.result()]
        tokens, stats, shards = fut.result()
        pool.shards.extend(shards)  # the spaCy writer compresses and writes them (WorkerSpacyWriter.add)
        pool.align.append(stats)
        return [((starts, ends), (kept, tags)) for starts, ends, kept, tags in tokens]

    try:
        for batch in batches:
            inflight.append((batch, submit(batch)))
            while len(inflight) > ahead:
                done, fut = inflight.popleft()
                yield from ((item, None, worked) for item, worked in zip(done, results(fut), strict=True))
        while inflight:
            done, fut = inflight.popleft()
            yield from ((item, None, worked) for item, worked in zip(done, results(fut), strict=True))
    finally:  # stopped early (an error): no batch may still be writing shards into the export's temp folder
        for _, fut in inflight:
            fut.cancel()
        concurrent.futures.wait([fut for _, fut in inflight])


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

"""Tokenizing the export's texts once, in this process or in one worker process beside it, and
keeping the cyclic GC out of the hot loop. Imports core and export (align, formats.parquet,
formats.spacy_corpus).

With a worker, the token view mostly stays in it: the worker tokenizes, aligns the spans, packs
the spaCy corpus (formats/spacy_corpus.py `Shards`), handing each finished shard over uncompressed
for a thread here to compress and write, and without the spaCy format writes the HF `tokens` config
(formats/parquet.py, from the arrow schema this process sends). Back come the alignment's stats, the
card's counts and, for TextEE, each article's token offsets; with the spaCy format and HF both (the
worker then being the busier process) their BIO tags too, and this process writes `tokens`. This
process parses, resolves and writes the other configs and formats, so the two cores share the export.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from incident_corpus.core.cpu import usable_cpus
from incident_corpus.core.gcpasses import FewerGcPasses
from incident_corpus.export.align import AlignStats, align_spans, bio_ids, token_offsets
from incident_corpus.export.formats import WriterResult, compress_shard

PIPE_BATCH = 256
START_AHEAD = 6  # batches in flight before the first result is taken (see `tokenized`)
MAX_TOKENIZER_WORKERS = 1
PARALLEL_MIN_BYTES = 8_000_000  # ~1000 articles of annotations.jsonl

Offsets = tuple[list[int], list[int], list[int] | None]  # token starts, ends, BIO tag ids when asked
Span3 = tuple[int, int, str]
# What the worker needs of an article besides its text: split, record id, article id, spans, relations.
Job = tuple[str, str, str, list[Span3], list[Span3]]
Counts = dict[tuple[str, str], int]  # (split, "tokens" or a label) -> non-space tokens or kept spans


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
    tokens: bool = False  # the worker writes the HF `tokens` config (WorkerTokens)
    offsets: bool = True  # this process needs each article's token offsets (TextEE)
    tags: bool = False  # ... and its BIO tags: this process writes the `tokens` config (see `tokenizer_pool`)
    shards: list[tuple[str, bytes]] = field(default_factory=list)
    align: list[AlignStats] = field(default_factory=list)  # one per batch, for this process to sum
    counts: list[Counts] = field(default_factory=list)  # one per batch: tokens and kept spans per split


def write_shard(path: str, packed: bytes) -> None:
    """Compress and write one shard the worker packed."""
    from incident_corpus.core.fileio import write_bytes

    write_bytes(Path(path), compress_shard(packed))


def _warm() -> None:
    """Worker: nothing; submitted first so the worker starts (and imports spaCy) during pass 1."""


# The worker's spaCy corpus between tasks. One worker runs the tasks in the order they were
# submitted: start_spacy / start_tokens, then every work_batch in input order, then the finish_* tasks.
_WORKER: dict[str, Any] = {}


def start_spacy(folder: str, shard_docs: int) -> None:
    """Worker: begin a spaCy corpus in the export's temp folder (`shard_docs` as this process has it)."""
    from incident_corpus.export.formats.spacy_corpus import Shards, one_msgpack_lookup

    stack = contextlib.ExitStack()
    stack.enter_context(one_msgpack_lookup())
    _WORKER.update(shards=Shards(Path(folder), shard_docs, write=False), stack=stack)


# A shard the worker packed: its path and its uncompressed DocBin bytes; this process compresses and writes it.
PackedShard = tuple[str, bytes]


def start_tokens(folder: str) -> None:
    """Worker: begin the HF `tokens` config in the export's temp folder; its arrow schema follows
    (`tokens_schema`), and rows wait in their buffers until it has come."""
    from incident_corpus.export.formats.parquet import ParquetTables

    _WORKER["tokens"] = ParquetTables(Path(folder), {"tokens": None})


def tokens_schema(schema: Any) -> None:
    """Worker: the `tokens` config's arrow schema (made from hf.py's Features by the other process)."""
    _WORKER["tokens"].set_schema("tokens", schema)


def finish_tokens() -> WriterResult:
    """Worker: write what is left of the `tokens` config and say what was written."""
    tables = _WORKER.pop("tokens", None)
    if tables is None:
        raise RuntimeError("finish_tokens before start_tokens: the tokens config was not started in the worker")
    return tables.close()


def work_batch(texts: list[str], jobs: list[Job], offsets: bool, tags: bool = False
               ) -> tuple[list[Offsets] | None, AlignStats, Counts, list[PackedShard]]:
    """Worker: tokenize a batch and align its spans; add each article to the spaCy corpus and the
    `tokens` config where those were started here. Back go the alignment's stats, the counts for the
    card, any shard it filled (compressing it is left to the other process) and, when `offsets`,
    each article's token offsets, with its BIO tags when `tags`: what else this process made stays
    here (tokens, Docs)."""
    from incident_corpus.core.nlp import tokenizer
    from incident_corpus.export.formats.parquet import tokens_row
    from incident_corpus.export.formats.spacy_corpus import place, place_packed

    _WORKER_GC.tick(len(texts))
    shards, tables = _WORKER.get("shards"), _WORKER.get("tokens")
    out: list[Offsets] | None = [] if offsets else None
    total = AlignStats()
    counts: Counts = collections.Counter()
    docs = tokenizer().pipe(texts, batch_size=PIPE_BATCH)
    for text, sdoc, (split, rid, aid, spans, relations) in zip(texts, docs, jobs, strict=True):
        if shards is not None and len(sdoc):
            columns = shards.columns(sdoc, split)  # one to_array: the DocBin's columns, IDX, LENGTH, IS_SPACE
            idx, length, space = columns[:, -3], columns[:, -2], columns[:, -1]
            keep = space == 0
            starts_arr = idx[keep]
            starts, ends = starts_arr.tolist(), (starts_arr + length[keep]).tolist()
            kept, stats = align_spans(starts, ends, spans)
            ents, packed = place_packed(sdoc, text, kept, spans, relations, idx.tolist(), length.tolist())
            shards.add(sdoc, split, ents, columns, packed)
        else:
            starts, ends = token_offsets(sdoc)
            kept, stats = align_spans(starts, ends, spans)
            if shards is not None:
                shards.add(sdoc, split, place(sdoc, text, kept, spans, relations))
        total += stats
        counts[split, "tokens"] += len(starts)
        for a in kept:
            counts[split, a.label] += 1
        if tables is not None:
            record = {"id": rid, "article_id": aid, "text": text}
            tables.add("tokens", split, (tokens_row(record, starts, ends, bio_ids(len(starts), kept)),))
        if out is not None:
            out.append((starts, ends, bio_ids(len(starts), kept) if tags else None))
    return out, total, dict(counts), shards.take_pending() if shards is not None else []


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
    return usable_cpus() - 1


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
        executor.submit(_warm)  # start the worker (imports spaCy) during pass 1
        # The worker writes the HF `tokens` config too (its tokens and tags never cross), except where it
        # also packs the spaCy corpus: then it is the busier process (this one waited on it a quarter of
        # the time in `--format all`), so its tags come back with the offsets TextEE needs anyway.
        spacy, hf = "spacy" in formats, "hf" in formats
        yield Pool(executor, spacy=spacy, tokens=hf and not spacy, offsets="textee" in formats or (hf and spacy),
                   tags=hf and spacy)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _job(item: Item) -> Job:
    rec = item.record
    return (item.split, rec["id"], rec["article_id"], [(s["start"], s["end"], s["label"]) for s in item.spans],
            [(r["head"], r["tail"], r["type"]) for r in item.relations])


Worked = Offsets | None  # the worker's token offsets for one article, when this process needs them


def tokenized(batches: Iterator[list[Item]], pool: Pool | None) -> Iterator[tuple[Item, Any, Worked]]:
    """(item, Doc or None, the worker's offsets or None) in input order; with a pool, a few batches in
    flight, and each batch's AlignStats and counts collected in `pool.align` and `pool.counts`.

    With a pool this process never imports spaCy (~1 s of CPU that the worker spends anyway), and
    the worker aligns the spans and keeps what it made from the tokens (see `work_batch`).
    """
    if pool is None:
        from incident_corpus.core.nlp import tokenizer

        tok = tokenizer()
        for batch in batches:
            docs = tok.pipe([it.record["text"] for it in batch], batch_size=PIPE_BATCH)
            for item, sdoc in zip(batch, docs, strict=True):
                yield item, sdoc, None
        return
    inflight: collections.deque = collections.deque()
    # Batches in flight, bounded: memory stays a few batches, not the corpus. Without the spaCy corpus
    # the worker is the busier process and a deeper queue keeps it fed through this one's Parquet
    # flushes (10k hf: 11.9-12.2 s against 12.7-13.9 s with 2); with it, 2 measured best (20.3-20.5 s
    # against 21.4-22.7 s with 6).
    ahead = (2 if pool.spacy else 6) * MAX_TOKENIZER_WORKERS
    # Until this process takes its first result, more: its first article opens the HF writer, which
    # imports `datasets` (~1 s), and with two batches queued the worker sat idle through most of it.
    first_ahead = max(ahead, START_AHEAD * MAX_TOKENIZER_WORKERS)

    def submit(batch: list[Item]) -> Any:
        return pool.executor.submit(work_batch, [it.record["text"] for it in batch], [_job(it) for it in batch],
                                    pool.offsets, pool.tags)

    def results(done: list[Item], fut: Any) -> Iterator[tuple[Item, Any, Worked]]:
        offsets, stats, counts, shards = fut.result()
        pool.shards.extend(shards)  # the spaCy writer compresses and writes them (WorkerSpacyWriter.add)
        pool.align.append(stats)
        pool.counts.append(counts)
        if offsets is None:
            return ((item, None, None) for item in done)
        return ((item, None, off) for item, off in zip(done, offsets, strict=True))

    try:
        limit = first_ahead
        for batch in batches:
            inflight.append((batch, submit(batch)))
            while len(inflight) > limit:
                limit = ahead
                yield from results(*inflight.popleft())
        while inflight:
            yield from results(*inflight.popleft())
    finally:  # stopped early (an error): no batch may still be writing into the export's temp folder
        for _, fut in inflight:
            fut.cancel()
        concurrent.futures.wait([fut for _, fut in inflight])


class WorkerTokens:
    """The HF `tokens` config when the worker writes it (`pool.tokens`): started before the first
    batch, its schema sent when this process has it, finished after the last batch; the finished
    WriterResult goes to HFWriter.close."""

    def __init__(self, pool: Pool, folder: Path) -> None:
        self._executor = pool.executor
        self._start = self._executor.submit(start_tokens, str(folder))
        self._schema: Any = None

    def send_schema(self, schema: Any) -> None:
        self._schema = self._executor.submit(tokens_schema, schema)

    def finish_later(self) -> concurrent.futures.Future[WriterResult]:
        self._start.result()  # its error, if any, first
        if self._schema is None:
            raise RuntimeError("WorkerTokens: finished before the tokens schema was sent")
        self._schema.result()
        return self._executor.submit(finish_tokens)



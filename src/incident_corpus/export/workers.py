"""The export's worker pool: tokenizing the texts once, in this process or in one worker process
beside it, and keeping the cyclic GC out of the hot loop. Imports core and export (align, formats).

With a worker, the token view mostly stays in it: the worker tokenizes and aligns the spans, and a
format may run its own work there (a `WorkerPart`, named by the format's worker module: see
formats/__init__.py). The spaCy format packs its corpus there, handing each finished shard back for
a thread here to compress and write; the HF format writes its `tokens` config there unless another
format's part makes the worker the busier process. Back come the alignment's stats, the card's
counts and, for the formats whose writers run here, each article's token offsets and BIO tags as
their `WorkerPlan`s ask. This process parses, resolves and writes the rest, so the two cores share
the export. Nothing here names a format.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import functools
import importlib
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from incident_corpus.core.cpu import usable_cpus
from incident_corpus.core.gcpasses import FewerGcPasses
from incident_corpus.export.align import AlignStats, align_spans, bio_ids, token_offsets
from incident_corpus.export.formats import EXPORTERS, ExportOptions, LazyWriter, WorkerPlan, Writer, WriterResult

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
    (prepare.span_rows), which the worker needs before the tokens exist."""

    record: dict[str, Any]
    split: str
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]


class WorkerArticle(NamedTuple):
    """One article as the worker's parts see it: its text, Doc, split, ids, span and relation tuples,
    token offsets and the spans the overlap policy kept (align.Aligned)."""

    text: str
    sdoc: Any
    split: str
    record_id: str
    article_id: str
    spans: list[Span3]
    relations: list[Span3]
    starts: list[int]
    ends: list[int]
    kept: list[Any]


class WorkerPart(Protocol):
    """A format's work in the worker, built there by `start_part` from the name its writer here gives.

    `offsets` may give an article's token offsets from the part's own arrays (None: the worker finds
    them); `add` takes each article; `take` hands back what the part finished since the last batch
    (it lands in the format's `WorkerLink.inbox` here); `finish` returns what it wrote and what is
    left to hand back.
    """

    def offsets(self, sdoc: Any, split: str) -> tuple[list[int], list[int]] | None: ...
    def add(self, article: WorkerArticle) -> None: ...
    def take(self) -> list[Any]: ...
    def finish(self) -> tuple[WriterResult, list[Any]]: ...


@dataclass
class WorkerLink:
    """A format's line to its part in the worker: start it, call one of its methods, finish it (each a
    future, run in submission order); what the part hands back after each batch lands in `inbox`."""

    executor: Any
    name: str
    inbox: list[Any] = field(default_factory=list)

    def start(self, part: str, *args: Any) -> concurrent.futures.Future[None]:
        """`part`: the dotted name of the WorkerPart class, built in the worker with `args`."""
        return self.executor.submit(start_part, self.name, part, *args)

    def call(self, method: str, *args: Any) -> concurrent.futures.Future[Any]:
        return self.executor.submit(call_part, self.name, method, *args)

    def finish(self) -> concurrent.futures.Future[tuple[WriterResult, list[Any]]]:
        return self.executor.submit(finish_part, self.name)


@dataclass(frozen=True)
class Pool:
    """The tokenizer worker and what this export's formats asked of it (their WorkerPlans).

    `links`: the formats whose WorkerPart runs in the worker; `offsets`/`tags`: each article's token
    offsets (and BIO tags) come back for the writers here; `busy`: a part makes the worker the busier
    process.
    """

    executor: Any  # concurrent.futures.ProcessPoolExecutor with one worker
    links: dict[str, WorkerLink] = field(default_factory=dict)
    offsets: bool = True
    tags: bool = False
    busy: bool = False
    align: list[AlignStats] = field(default_factory=list)  # one per batch, for this process to sum
    warm: Any = None  # the future of `_warm`: done once the worker has started and imported spaCy
    counts: list[Counts] = field(default_factory=list)  # one per batch: tokens and kept spans per split


def _warm() -> None:
    """Worker: nothing; submitted first so the worker starts (and imports spaCy) during pass 1."""


# The worker's parts by format, in the order they were started. One worker runs the tasks in the
# order they were submitted: the start_part tasks, then every work_batch in input order, then finish_part.
_PARTS: dict[str, WorkerPart] = {}


def start_part(name: str, part: str, *args: Any) -> None:
    """Worker: build the format's WorkerPart (`part`: its class's dotted name)."""
    module, _, cls = part.rpartition(".")
    _PARTS[name] = getattr(importlib.import_module(module), cls)(*args)


def call_part(name: str, method: str, *args: Any) -> Any:
    """Worker: one method of a started part (e.g. a schema this process made)."""
    return getattr(_part(name), method)(*args)


def finish_part(name: str) -> tuple[WriterResult, list[Any]]:
    """Worker: finish a part; what it wrote and what it still hands back."""
    part = _part(name)
    del _PARTS[name]
    return part.finish()


def _part(name: str) -> WorkerPart:
    part = _PARTS.get(name)
    if part is None:
        raise RuntimeError(f"the {name} format's worker part was not started in the worker")
    return part


def work_batch(texts: list[str], jobs: list[Job], offsets: bool, tags: bool = False
               ) -> tuple[list[Offsets] | None, AlignStats, Counts, dict[str, list[Any]]]:
    """Worker: tokenize a batch, align its spans and give each article to every started part. Back go
    the alignment's stats, the counts for the card, what each part hands back and, when `offsets`,
    each article's token offsets, with its BIO tags when `tags`: what else the worker made stays
    here (tokens, Docs)."""
    from incident_corpus.core.nlp import tokenizer

    _WORKER_GC.tick(len(texts))
    parts = list(_PARTS.values())
    out: list[Offsets] | None = [] if offsets else None
    total = AlignStats()
    counts: Counts = collections.Counter()
    docs = tokenizer().pipe(texts, batch_size=PIPE_BATCH)
    for text, sdoc, (split, rid, aid, spans, relations) in zip(texts, docs, jobs, strict=True):
        found = None
        for part in parts:  # a part that reads the tokens' arrays anyway gives their offsets
            found = part.offsets(sdoc, split)
            if found is not None:
                break
        starts, ends = found if found is not None else token_offsets(sdoc)
        kept, stats = align_spans(starts, ends, spans)
        if parts:
            article = WorkerArticle(text, sdoc, split, rid, aid, spans, relations, starts, ends, kept)
            for part in parts:
                part.add(article)
        total += stats
        counts[split, "tokens"] += len(starts)
        for a in kept:
            counts[split, a.label] += 1
        if out is not None:
            out.append((starts, ends, bio_ids(len(starts), kept) if tags else None))
    handed = {name: items for name, part in _PARTS.items() if (items := part.take())}
    return out, total, dict(counts), handed


def open_writer(name: str, folder: Path, options: ExportOptions, pool: Pool | None) -> Writer:
    """The format's writer in this export: its worker module's stand-in when its part runs in the
    worker, else its own writer (opened lazily)."""
    exporter = EXPORTERS[name]
    link = pool.links.get(name) if pool is not None else None
    if link is not None and exporter.worker is not None:
        return importlib.import_module(exporter.worker).open_worker_writer(link, folder, options)
    return LazyWriter(functools.partial(exporter.open_writer, folder, options))


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

    plans = _plans(formats)
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_started)
    try:
        warm = executor.submit(_warm)  # start the worker (imports spaCy) during pass 1
        parts = [name for name, plan in plans.items() if plan.part]
        yield Pool(executor, links={name: WorkerLink(executor, name) for name in parts}, warm=warm,
                   offsets=any(p.offsets or p.tags for p in plans.values()),
                   tags=any(p.tags for p in plans.values()),
                   busy=any(p.busy for p in plans.values() if p.part))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _plans(formats: Sequence[str]) -> dict[str, WorkerPlan]:
    """Each format's WorkerPlan, told whether another format's part makes the worker the busier process
    (a format may then keep its work here: see formats/hf_worker.py)."""
    alone = {name: EXPORTERS[name].worker_plan(False) for name in formats}
    return {name: EXPORTERS[name].worker_plan(any(p.part and p.busy for other, p in alone.items() if other != name))
            for name in formats}


def _job(item: Item) -> Job:
    rec = item.record
    return (item.split, rec["id"], rec["article_id"], [(s["start"], s["end"], s["label"]) for s in item.spans],
            [(r["head"], r["tail"], r["type"]) for r in item.relations])


Worked = Offsets | None  # the worker's token offsets for one article, when this process needs them


def tokenized(batches: Iterator[list[Item]], pool: Pool | None) -> Generator[tuple[Item, Any, Worked], None, None]:
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
    ahead = (2 if pool.busy else 6) * MAX_TOKENIZER_WORKERS
    # Until this process takes its first result, more: its first article opens the HF writer, which
    # imports `datasets` (~1 s), and with two batches queued the worker sat idle through most of it.
    first_ahead = max(ahead, START_AHEAD * MAX_TOKENIZER_WORKERS)

    def submit(batch: list[Item]) -> Any:
        return pool.executor.submit(work_batch, [it.record["text"] for it in batch], [_job(it) for it in batch],
                                    pool.offsets, pool.tags)

    def results(done: list[Item], fut: Any) -> Iterator[tuple[Item, Any, Worked]]:
        offsets, stats, counts, handed = fut.result()
        for name, items in handed.items():  # for the format's writer here (e.g. spaCy shards to write)
            pool.links[name].inbox.extend(items)
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

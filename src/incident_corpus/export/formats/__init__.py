"""Export formats behind one registry; build.py tokenizes and aligns once and feeds every format.

`EXPORTERS` is the one list of formats: the CLI's `--format` choices and `all` come from it.

Each format is a small module with `open_writer(folder, options) -> Writer`: a context manager
whose `add(doc)` takes one PreparedDoc at a time (so nothing holds a corpus of derived rows)
and whose `close()` returns what it wrote. Modules are imported lazily so `annotate --help`
does not pay for pyarrow/datasets.

A big export tokenizes in a worker process (export/workers.py). A format says what it needs from
that worker with a `WorkerPlan`: by default each article's token offsets and BIO tags come back and
its writer runs here as without a worker. A format that does its own work in the worker names a
worker module (`Exporter.worker`) holding `plan(busy_elsewhere) -> WorkerPlan`, a `WorkerPart`
(built in the worker; see workers.WorkerPart) and `open_worker_writer(link, folder, options)`, the
writer that stands for the format here. Adding a format: its module(s) here, an `EXPORTERS` entry
and its test; nothing outside formats/ names a format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from incident_corpus.core.labels import ATTRIBUTES
from incident_corpus.export.align import Aligned

# Per-span attribute columns, in labels.ATTRIBUTES order; null where the label has no such attribute.
SPAN_ATTRIBUTES: tuple[str, ...] = tuple(a.name for a in ATTRIBUTES)
# The article's own columns, first in every per-article row (HF `spans` and `events`).
ARTICLE_COLUMNS: tuple[str, ...] = ("id", "article_id", "text", "title", "url", "published", "source")


def article_columns(record: dict[str, Any]) -> dict[str, Any]:
    """A record's ARTICLE_COLUMNS: its ids and text, and the metadata (null where the article has none)."""
    meta = record.get("meta") or {}
    return {"id": record["id"], "article_id": record["article_id"], "text": record["text"],
            "title": meta.get("title"), "url": meta.get("url"), "published": meta.get("published"),
            "source": meta.get("source")}


@dataclass(frozen=True)
class ExportOptions:
    """Options every format sees (they also go into the dataset card)."""

    seed: int = 13
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)
    resolve_policy: str = "ground-truth"
    license: str = "other"
    command: str = ""


@dataclass(slots=True)
class PreparedDoc:
    """One resolved article, tokenized and aligned once, in the shape every format needs.

    `spans` are sorted by (start, end, label) and keep overlaps; `relations` index into them;
    `kept` are the spans surviving the overlap policy (Aligned.index points into `spans`);
    `tags` are IOB2 ids (labels.BIO_TAGS) over the non-space tokens `token_starts/ends`;
    `events` is filled by the first format that asks for them (formats/events.py).
    With a tokenizer worker (export/workers.py) the Doc and `kept` stay in the worker (`doc` is None,
    `kept` empty), and the offsets and tags are here only as the formats' WorkerPlans ask.
    """

    record: dict[str, Any]
    split: str
    doc: Any  # spacy.tokens.Doc from nlp.tokenizer()
    token_starts: list[int]
    token_ends: list[int]
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    kept: list[Aligned]
    tags: list[int]
    events: Any = None  # events.EventSet, built on first use by events.events_of


@dataclass
class WriterResult:
    """Files a format wrote and rows per config and split."""

    paths: list[Path] = field(default_factory=list)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)


class Writer(Protocol):
    def add(self, doc: PreparedDoc) -> None: ...
    def close(self) -> WriterResult: ...
    def __enter__(self) -> Writer: ...
    def __exit__(self, *exc: object) -> None: ...


class LazyWriter:
    """A writer opened at its first `add` (or at `close`): with a tokenizer worker, importing a format's
    libraries (`datasets`, ~0.6 s) then overlaps the worker's first batches instead of delaying them."""

    def __init__(self, open_writer: Callable[[], Writer]) -> None:
        self._open_writer = open_writer
        self._writer: Writer | None = None

    def __enter__(self) -> LazyWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._writer is not None:
            self._writer.__exit__(*exc)

    def _open(self) -> Writer:
        self._writer = self._open_writer()
        self._writer.__enter__()
        return self._writer

    def add(self, doc: Any) -> None:
        (self._writer or self._open()).add(doc)

    def close(self) -> WriterResult:
        return (self._writer or self._open()).close()


@dataclass(frozen=True)
class WorkerPlan:
    """What one format asks of the export's tokenizer worker (workers.py) in one export."""

    part: bool = False  # its worker module's `WorkerPart` runs in the worker, beside the tokenizer
    offsets: bool = True  # this process needs each article's token offsets back (PreparedDoc.token_starts/ends)
    tags: bool = True  # ... and its BIO tags (PreparedDoc.tags)
    busy: bool = False  # its part makes the worker the busier process (fewer batches are kept in flight)


@dataclass(frozen=True)
class Exporter:
    """A registered format: its name, what it writes, the module holding `open_writer`, and what it does
    with a tokenizer worker: `worker` names a module with its worker side (see the module doc), else
    `plan` says what comes back from the worker for its writer here."""

    name: str
    description: str
    module: str
    worker: str | None = None
    plan: WorkerPlan = WorkerPlan()

    def open_writer(self, folder: Path, options: ExportOptions) -> Writer:
        writer: Writer = importlib.import_module(self.module).open_writer(folder, options)
        return writer

    def worker_plan(self, busy_elsewhere: bool) -> WorkerPlan:
        """This format's plan when another format's worker part is (or is not) the busier one."""
        if self.worker is None:
            return self.plan
        plan: WorkerPlan = importlib.import_module(self.worker).plan(busy_elsewhere)
        return plan


EXPORTERS: dict[str, Exporter] = {
    "hf": Exporter(
        "hf",
        "Hugging Face dataset folder: data/{spans,tokens,events,incidents}/<split>-00000-of-00001.parquet",
        "incident_corpus.export.formats.hf",
        worker="incident_corpus.export.formats.hf_worker",
    ),
    "spacy": Exporter(
        "spacy",
        "spaCy DocBin corpus: spacy/{train,dev,test}.spacy (doc.ents, doc.spans['sc'], doc.user_data['relations'])",
        "incident_corpus.export.formats.spacy_corpus",
        worker="incident_corpus.export.formats.spacy_worker",
    ),
    "textee": Exporter(
        "textee",
        "TextEE/OneIE event-extraction JSONL: textee/{train,dev,test}.jsonl (Conflict:Attack; Attacker, Victim, Claim)",
        "incident_corpus.export.formats.textee",
        plan=WorkerPlan(tags=False),  # token offsets only
    ),
}
ALL = "all"  # every format in EXPORTERS


def chosen(names: Sequence[str]) -> tuple[str, ...]:
    """The formats named, in order, `all` standing for every registered one; duplicates dropped."""
    out: list[str] = []
    for name in names:
        out.extend(EXPORTERS if name == ALL else (name,))
    return tuple(dict.fromkeys(out))

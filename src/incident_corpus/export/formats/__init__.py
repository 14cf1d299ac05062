"""Export formats behind one registry; build.py tokenizes and aligns once and feeds every format.

Each format is a small module with `open_writer(folder, options) -> Writer`: a context manager
whose `add(doc)` takes one PreparedDoc at a time (so nothing holds a corpus of derived rows)
and whose `close()` returns what it wrote. Modules are imported lazily so `annotate --help`
does not pay for pyarrow/datasets.
"""

from __future__ import annotations

import importlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from incident_corpus.core.labels import ATTRIBUTES
from incident_corpus.export.align import Aligned

# Per-span attribute columns, in labels.ATTRIBUTES order; null where the label has no such attribute.
SPAN_ATTRIBUTES: tuple[str, ...] = tuple(a.name for a in ATTRIBUTES)
# Docs per spaCy DocBin: a split above this is written as a folder of shards (spacy_corpus.py). Here,
# not there, so the process that hands the spaCy corpus to the tokenizer worker need not import spaCy.
SPACY_SHARD_DOCS = 1000


SPACY_ZLIB_LEVEL = 1  # spaCy's DocBin.to_bytes uses zlib's default, 6


def compress_shard(packed: bytes) -> bytes:
    """A .spacy file's bytes from `LeanDocBin.packed()`: `DocBin.to_bytes()` at zlib level 1.

    Level 6 spent ~0.23 s a 1000-doc shard (a tenth of a 10k `--format all`) to make the file 20%
    smaller (0.108 against 0.136 of the packed size); `DocBin.from_bytes` reads either. Here, not in
    spacy_corpus.py, so the process that writes the worker's shards need not import spaCy.
    """
    return zlib.compress(packed, SPACY_ZLIB_LEVEL)


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


@dataclass(frozen=True)
class Exporter:
    """A registered format: its name, what it writes, and the module holding `open_writer`."""

    name: str
    description: str
    module: str

    def open_writer(self, folder: Path, options: ExportOptions) -> Writer:
        writer: Writer = importlib.import_module(self.module).open_writer(folder, options)
        return writer


EXPORTERS: dict[str, Exporter] = {
    "hf": Exporter(
        "hf",
        "Hugging Face dataset folder: data/{spans,tokens,events,incidents}/<split>-00000-of-00001.parquet",
        "incident_corpus.export.formats.hf",
    ),
    "spacy": Exporter(
        "spacy",
        "spaCy DocBin corpus: spacy/{train,dev,test}.spacy (doc.ents, doc.spans['sc'], doc.user_data['relations'])",
        "incident_corpus.export.formats.spacy_corpus",
    ),
    "textee": Exporter(
        "textee",
        "TextEE/OneIE event-extraction JSONL: textee/{train,dev,test}.jsonl (Conflict:Attack; Attacker, Victim, Claim)",
        "incident_corpus.export.formats.textee",
    ),
}

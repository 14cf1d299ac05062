"""Hugging Face dataset folder in the Hub's layout: two configs ("spans", "tokens"), one parquet per split.

Parquet is written with pyarrow in batches (one row group per batch), with the `datasets`
Features stored in the schema metadata, so `load_dataset(folder, "spans")` returns exactly the
ClassLabel/List types below. The README.md (card.py) declares the configs and data files.

Empty splits: `datasets` cannot load an empty parquet split ("corresponds to no data"), so a
split with no articles gets no file and is left out of the card's `configs`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import ClassLabel, Features, List, Value

from incident_corpus.exporters import SPAN_ATTRIBUTES, ExportOptions, PreparedDoc, WriterResult
from incident_corpus.fileio import atomic_open
from incident_corpus.labels import BIO_TAGS, LABELS, RELATION_TYPES

CONFIG_NAMES: tuple[str, str] = ("spans", "tokens")
BATCH_ROWS = 1000
_string = Value("string")
_LABEL_ID = {label: i for i, label in enumerate(LABELS)}
_RELATION_ID = {name: i for i, name in enumerate(RELATION_TYPES)}

SPANS_FEATURES = Features(
    {
        "id": _string,
        "article_id": _string,
        "text": _string,
        "title": _string,
        "url": _string,
        "published": _string,
        "source": _string,
        "spans": List(
            {
                "start": Value("int32"),
                "end": Value("int32"),
                "text": _string,
                "label": ClassLabel(names=list(LABELS)),
                **{name: _string for name in SPAN_ATTRIBUTES},
                "count_min": Value("int32"),
                "count_max": Value("int32"),
                "count_approximate": Value("bool"),
            }
        ),
        "relations": List(
            {
                "head": Value("int32"),
                "tail": Value("int32"),
                "type": ClassLabel(names=list(RELATION_TYPES)),
            }
        ),
        "annotator": _string,
        "annotation_id": Value("int64"),
    }
)

TOKENS_FEATURES = Features(
    {
        "id": _string,
        "article_id": _string,
        "tokens": List(_string),
        "ner_tags": List(ClassLabel(names=list(BIO_TAGS))),
    }
)

FEATURES: dict[str, Features] = {"spans": SPANS_FEATURES, "tokens": TOKENS_FEATURES}


def data_file(config: str, split: str) -> str:
    """Path of one config/split inside the folder (the Hub's data/<config>/<split>-NNNNN-of-NNNNN name)."""
    return f"data/{config}/{split}-00000-of-00001.parquet"


def spans_row(doc: PreparedDoc) -> dict[str, Any]:
    rec, meta = doc.record, doc.record.get("meta") or {}
    return {
        "id": rec["id"],
        "article_id": rec["article_id"],
        "text": rec["text"],
        "title": meta.get("title"),
        "url": meta.get("url"),
        "published": meta.get("published"),
        "source": meta.get("source"),
        "spans": [{**s, "label": _LABEL_ID[s["label"]]} for s in doc.spans],
        "relations": [{**r, "type": _RELATION_ID[r["type"]]} for r in doc.relations],
        "annotator": rec.get("annotator"),
        "annotation_id": rec.get("annotation_id"),
    }


def tokens_row(doc: PreparedDoc) -> dict[str, Any]:
    text = doc.record["text"]
    return {
        "id": doc.record["id"],
        "article_id": doc.record["article_id"],
        "tokens": [text[s:e] for s, e in zip(doc.token_starts, doc.token_ends, strict=True)],
        "ner_tags": doc.tags,
    }


class HFWriter:
    """Buffers up to BATCH_ROWS rows per config/split and appends them as a parquet row group."""

    def __init__(self, folder: Path, options: ExportOptions, *, batch_rows: int = BATCH_ROWS) -> None:
        self.folder = folder
        self.batch_rows = batch_rows
        self._schemas = {c: FEATURES[c].arrow_schema for c in CONFIG_NAMES}
        self._buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self._rows: dict[str, dict[str, int]] = {c: {} for c in CONFIG_NAMES}
        self._stack = contextlib.ExitStack()
        self._paths: list[Path] = []

    def __enter__(self) -> HFWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        # On error the atomic temp files are removed by atomic_open; on success close() already ran.
        for writer in self._writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        self._writers.clear()
        self._stack.__exit__(*exc)  # type: ignore[arg-type]

    def add(self, doc: PreparedDoc) -> None:
        for config, row in (("spans", spans_row(doc)), ("tokens", tokens_row(doc))):
            key = (config, doc.split)
            buf = self._buffers.setdefault(key, [])
            buf.append(row)
            if len(buf) >= self.batch_rows:
                self._flush(key)

    def _flush(self, key: tuple[str, str]) -> None:
        rows = self._buffers.get(key)
        if not rows:
            return
        config, split = key
        writer = self._writers.get(key)
        if writer is None:
            path = self.folder / data_file(config, split)
            fh = self._stack.enter_context(atomic_open(path, "wb", encoding=None))
            writer = self._writers[key] = pq.ParquetWriter(fh, self._schemas[config])
            self._paths.append(path)
        writer.write_table(pa.Table.from_pylist(rows, schema=self._schemas[config]))
        self._rows[config][split] = self._rows[config].get(split, 0) + len(rows)
        rows.clear()

    def close(self) -> WriterResult:
        for key in list(self._buffers):
            self._flush(key)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        self._stack.close()  # atomic_open: fsync + rename into place
        return WriterResult(paths=sorted(self._paths), rows=self._rows)


def open_writer(folder: Path, options: ExportOptions) -> HFWriter:
    return HFWriter(folder, options)

"""Hugging Face dataset folder in the Hub's layout: four configs, one parquet per split.

"spans" (text + character-offset spans + relations), "tokens" (IOB2 tags), "events" (one row per
article: each ATTACK span with its arguments by role, plus the unattached spans) and "incidents"
(one row per attack event, GTD-style counts); events.py builds the last two.

Parquet is written with pyarrow in batches (one row group per batch), with the `datasets`
Features stored in the schema metadata, so `load_dataset(folder, "spans")` returns exactly the
ClassLabel/List types below. The README.md (card.py) declares the configs and data files.

Empty splits: `datasets` cannot load an empty parquet split ("corresponds to no data"), so a
split with no articles gets no file and is left out of the card's `configs`.
"""

from __future__ import annotations

import contextlib
import operator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from datasets import ClassLabel, Features, List, Value

from incident_corpus.core.fileio import atomic_open
from incident_corpus.core.labels import BIO_TAGS, LABELS, RELATION_TYPES
from incident_corpus.export.formats import SPAN_ATTRIBUTES, ExportOptions, PreparedDoc, WriterResult
from incident_corpus.export.formats.events import ROLES, events_row, incident_rows

CONFIG_NAMES: tuple[str, ...] = ("spans", "tokens", "events", "incidents")
BATCH_ROWS = 1000
_string = Value("string")
_LABEL_ID = {label: i for i, label in enumerate(LABELS)}
_RELATION_ID = {name: i for i, name in enumerate(RELATION_TYPES)}
# Struct fields the writer maps from names to ClassLabel ids (the "spans" and "relations" columns).
_ID_MAPS: dict[str, dict[str, int]] = {"label": _LABEL_ID, "type": _RELATION_ID}

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

_offsets = {"start": Value("int32"), "end": Value("int32"), "text": _string}
# An argument of an event; `claimant` (a claim's PERPETRATOR, from claimed_by) is null for the other roles.
_ARGUMENT = {
    "role": ClassLabel(names=list(ROLES)),
    **_offsets,
    "perpetrator_kind": _string,
    "outcome": _string,
    "count_min": Value("int32"),
    "count_max": Value("int32"),
    "count_approximate": Value("bool"),
    "claim_status": _string,
    "claimant": dict(_offsets),
}

EVENTS_FEATURES = Features(
    {
        "id": _string,
        "article_id": _string,
        "text": _string,
        "title": _string,
        "url": _string,
        "published": _string,
        "source": _string,
        "events": List(
            {
                "event_id": _string,
                "trigger": dict(_offsets),
                "attack_type": _string,
                "attack_stage": _string,
                "arguments": List(dict(_ARGUMENT)),
            }
        ),
        "unattached": List({**_ARGUMENT, "label": ClassLabel(names=list(LABELS))}),
    }
)

INCIDENTS_FEATURES = Features(
    {
        "article_id": _string,
        "event_id": _string,
        "attack_start": Value("int32"),
        "attack_end": Value("int32"),
        "attack_text": _string,
        "attack_type": _string,
        "attack_stage": _string,
        "nkill_min": Value("int32"),
        "nkill_max": Value("int32"),
        "nwound_min": Value("int32"),
        "nwound_max": Value("int32"),
        "casualties_unknown_outcome": Value("int32"),
        "perpetrators": List(_string),
        "perpetrator_kinds": List(_string),
        "claimed": Value("bool"),
        "claim_statuses": List(_string),
        "published": _string,
        "url": _string,
        "source": _string,
    }
)

FEATURES: dict[str, Features] = {
    "spans": SPANS_FEATURES,
    "tokens": TOKENS_FEATURES,
    "events": EVENTS_FEATURES,
    "incidents": INCIDENTS_FEATURES,
}


def data_file(config: str, split: str) -> str:
    """Path of one config/split inside the folder (the Hub's data/<config>/<split>-NNNNN-of-NNNNN name)."""
    return f"data/{config}/{split}-00000-of-00001.parquet"


def _raw_spans_row(doc: PreparedDoc) -> dict[str, Any]:
    """A spans-config row with label/type names left as they are (mapped to ids column-wise in _columns)."""
    rec, meta = doc.record, doc.record.get("meta") or {}
    return {
        "id": rec["id"],
        "article_id": rec["article_id"],
        "text": rec["text"],
        "title": meta.get("title"),
        "url": meta.get("url"),
        "published": meta.get("published"),
        "source": meta.get("source"),
        "spans": doc.spans,
        "relations": doc.relations,
        "annotator": rec.get("annotator"),
        "annotation_id": rec.get("annotation_id"),
    }


def _columns(rows: list[dict[str, Any]], schema: pa.Schema) -> list[pa.Array]:
    """Rows -> one arrow array per schema field, without building a dict per span.

    Table.from_pylist converted every span dict (and building rows copied each one to swap in the
    label id): a fifth of a 10k export. Here each list-of-struct column is transposed with
    itemgetter and built from flat child arrays. Same arrays as from_pylist (tests compare files).
    """
    out = []
    names = schema.names
    values = list(zip(*map(operator.itemgetter(*names), rows), strict=True)) if rows else [()] * len(names)
    for field, column in zip(schema, values, strict=True):
        if field.name == "tokens":
            out.append(_tokens_array(list(column), field.type))
        elif pa.types.is_list(field.type) and pa.types.is_struct(field.type.value_type):
            out.append(_list_of_structs(column, field.type))
        else:
            out.append(pa.array(column, type=field.type))
    return out


def _list_of_structs(column: tuple[list[dict[str, Any]], ...], typ: pa.ListType) -> pa.Array:
    struct = typ.value_type
    names = [f.name for f in struct]
    offsets = [0]
    items: list[dict[str, Any]] = []
    for lst in column:
        items.extend(lst)
        offsets.append(len(items))
    get = operator.itemgetter(*names)
    fields = list(zip(*map(get, items), strict=True)) if items else [()] * len(names)
    children = []
    for f, vals in zip(struct, fields, strict=True):
        if f.name in _ID_MAPS:
            vals = [_ID_MAPS[f.name][v] for v in vals]
        children.append(pa.array(vals, type=f.type))
    values = pa.StructArray.from_arrays(children, fields=list(struct))
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values, type=typ)


def _tokens_array(docs: list[tuple[str, list[int], list[int]]], typ: pa.ListType) -> pa.Array:
    """The "tokens" column straight from (text, token starts, token ends): no Python string per token.

    Slicing millions of token strings in Python was the largest single cost left in a 10k export.
    The texts' UTF-8 bytes become one buffer; token byte ranges (interleaved with the gaps between
    tokens) become a string array's offsets, and the gaps are dropped with one `take`.
    """
    chunks: list[bytes] = []
    bounds: list[np.ndarray] = []
    row_offsets = [0]
    base = 0
    for text, starts, ends in docs:
        data = text.encode("utf-8")
        if len(starts):
            pair = np.empty(2 * len(starts), dtype=np.int64)
            pair[0::2], pair[1::2] = starts, ends
            if len(data) != len(text):  # non-ASCII: code point offsets -> byte offsets
                cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
                width = 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000)
                cum = np.zeros(len(cps) + 1, dtype=np.int64)
                np.cumsum(width, out=cum[1:])
                pair = cum[pair]
            bounds.append(pair + base)
        chunks.append(data)
        base += len(data)
        row_offsets.append(row_offsets[-1] + len(starts))
    n = row_offsets[-1]
    if n == 0:
        values = pa.array([], type=pa.string())
    else:
        offsets = np.concatenate(bounds)
        spans = pa.LargeStringArray.from_buffers(2 * n - 1, pa.py_buffer(offsets), pa.py_buffer(b"".join(chunks)))
        values = spans.take(pa.array(np.arange(0, 2 * n, 2, dtype=np.int64))).cast(pa.string())
    return pa.ListArray.from_arrays(pa.array(row_offsets, type=pa.int32()), values, type=typ)


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
        tokens = {"id": doc.record["id"], "article_id": doc.record["article_id"],
                  "tokens": (doc.record["text"], doc.token_starts, doc.token_ends), "ner_tags": doc.tags}
        for config, rows in (("spans", (_raw_spans_row(doc),)), ("tokens", (tokens,)),
                             ("events", (events_row(doc),)), ("incidents", incident_rows(doc))):
            key = (config, doc.split)
            buf = self._buffers.setdefault(key, [])
            buf.extend(rows)
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
        schema = self._schemas[config]
        writer.write_table(pa.Table.from_arrays(_columns(rows, schema), schema=schema))
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

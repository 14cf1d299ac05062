"""Rows -> Parquet row groups with pyarrow alone: the arrow mechanics of the HF configs (hf.py).

No `datasets` import here, so the tokenizer worker can write the `tokens` config itself (from the
arrow schema hf.py derives from its Features) and the token offsets and tags never cross between
processes (hf_worker.py, export/workers.py).
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from incident_corpus.core.fileio import atomic_open
from incident_corpus.core.labels import LABELS, RELATION_TYPES
from incident_corpus.export.formats import WriterResult

BATCH_ROWS = 1000
_LABEL_ID = {label: i for i, label in enumerate(LABELS)}
_RELATION_ID = {name: i for i, name in enumerate(RELATION_TYPES)}
# Struct fields the writer maps from names to ClassLabel ids (the "spans" and "relations" columns).
_ID_MAPS: dict[str, dict[str, int]] = {"label": _LABEL_ID, "type": _RELATION_ID}


def data_file(config: str, split: str) -> str:
    """Path of one config/split inside the folder (the Hub's data/<config>/<split>-NNNNN-of-NNNNN name)."""
    return f"data/{config}/{split}-00000-of-00001.parquet"


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
        ids = [_ID_MAPS[f.name][v] for v in vals] if f.name in _ID_MAPS else vals
        children.append(pa.array(ids, type=f.type))
    values = pa.StructArray.from_arrays(children, fields=list(struct))
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values, type=typ)


def _tokens_array(docs: list[tuple[str, list[int], list[int]]], typ: pa.ListType) -> pa.Array:
    """The "tokens" column straight from (text, token starts, token ends): no Python string per token.

    Slicing millions of token strings in Python was the largest single cost left in a 10k export.
    The texts' UTF-8 bytes become one buffer; token byte ranges (interleaved with the gaps between
    tokens) become a string array's offsets, and the gaps are dropped with one `take`.
    """
    chunks: list[bytes] = []
    bounds: list[npt.NDArray[np.int64]] = []
    row_offsets = [0]
    base = 0
    for text, starts, ends in docs:
        data = text.encode("utf-8")
        if len(starts):
            pair: npt.NDArray[np.int64] = np.empty(2 * len(starts), dtype=np.int64)
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


def tokens_row(record: dict[str, Any], starts: Any, ends: Any, tags: list[int]) -> dict[str, Any]:
    """A `tokens` config row: the tokens as (text, starts, ends) for parquet._tokens_array."""
    return {"id": record["id"], "article_id": record["article_id"], "tokens": (record["text"], starts, ends),
            "ner_tags": tags}


class ParquetTables:
    """Buffers up to `batch_rows` rows per config/split and appends them as a parquet row group.

    Each file is written atomically (renamed into place on close; removed on error).
    """

    def __init__(self, folder: Path, schemas: dict[str, pa.Schema | None], *, batch_rows: int = BATCH_ROWS
                 ) -> None:
        self.folder = folder
        self.batch_rows = batch_rows
        self._schemas = schemas
        self._buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self._rows: dict[str, dict[str, int]] = {c: {} for c in schemas}
        self._stack = contextlib.ExitStack()
        self._paths: list[Path] = []

    def __enter__(self) -> ParquetTables:
        return self

    def __exit__(self, *exc: object) -> None:
        # On error the atomic temp files are removed by atomic_open; on success close() already ran.
        for writer in self._writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        self._writers.clear()
        self._stack.__exit__(*exc)  # type: ignore[arg-type]

    def set_schema(self, config: str, schema: pa.Schema) -> None:
        """A config's schema, when it was not known at the start (its rows buffered until now)."""
        self._schemas[config] = schema
        for (c, split), buf in list(self._buffers.items()):
            while c == config and len(buf) >= self.batch_rows:  # the row groups a known schema would have made
                self._flush((c, split), rows=buf[:self.batch_rows])
                del buf[:self.batch_rows]

    def add(self, config: str, split: str, rows: Iterable[dict[str, Any]]) -> None:
        key = (config, split)
        buf = self._buffers.setdefault(key, [])
        buf.extend(rows)
        if len(buf) >= self.batch_rows:
            self._flush(key)

    def _flush(self, key: tuple[str, str], *, final: bool = False, rows: list[dict[str, Any]] | None = None
               ) -> None:
        """Write the key's buffered rows (or `rows`) as one row group; nothing while its schema is unknown."""
        whole = rows is None
        rows = self._buffers.get(key) if rows is None else rows
        if not rows:
            return
        config, split = key
        if self._schemas[config] is None:
            if final:
                raise RuntimeError(f"ParquetTables: {config} closed before its schema was set")
            return  # kept until the schema comes (set_schema)
        writer = self._writers.get(key)
        if writer is None:
            path = self.folder / data_file(config, split)
            fh = self._stack.enter_context(atomic_open(path, "wb", encoding=None))
            writer = self._writers[key] = pq.ParquetWriter(fh, self._schemas[config])
            self._paths.append(path)
        schema = self._schemas[config]
        writer.write_table(pa.Table.from_arrays(_columns(rows, schema), schema=schema))
        self._rows[config][split] = self._rows[config].get(split, 0) + len(rows)
        if whole:
            rows.clear()

    def close(self) -> WriterResult:
        for key in list(self._buffers):
            self._flush(key, final=True)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        self._stack.close()  # atomic_open: fsync + rename into place
        return WriterResult(paths=sorted(self._paths), rows=self._rows)

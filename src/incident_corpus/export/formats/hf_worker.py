"""The HF format's side of a tokenizer worker (export/workers.py), without importing `datasets` there.

The `tokens` config needs each article's tokens and tags, which the worker has: it writes that
config itself (`TokensPart`, pyarrow alone via parquet.py, from the arrow schema this process
derives from hf.py's Features), so they never cross between processes; `WorkerHFWriter` writes the
other configs here. Where another format's part makes the worker the busier process, the HF
format stays here whole and the worker sends the tokens and tags back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from incident_corpus.export.align import bio_ids
from incident_corpus.export.formats import ExportOptions, LazyWriter, WorkerPlan, WriterResult

PART = "incident_corpus.export.formats.hf_worker.TokensPart"


def plan(busy_elsewhere: bool) -> WorkerPlan:
    if busy_elsewhere:
        return WorkerPlan(offsets=True, tags=True)
    return WorkerPlan(part=True, offsets=False, tags=False)


class TokensPart:
    """Worker: the HF `tokens` config; its arrow schema follows (`set_schema`), and rows wait in their
    buffers until it has come."""

    def __init__(self, folder: str) -> None:
        from incident_corpus.export.formats.parquet import ParquetTables, tokens_row

        self._tables = ParquetTables(Path(folder), {"tokens": None})
        self._row = tokens_row

    def set_schema(self, schema: Any) -> None:
        self._tables.set_schema("tokens", schema)

    def offsets(self, sdoc: Any, split: str) -> None:
        return None

    def add(self, a: Any) -> None:
        record = {"id": a.record_id, "article_id": a.article_id, "text": a.text}
        self._tables.add("tokens", a.split, (self._row(record, a.starts, a.ends, bio_ids(len(a.starts), a.kept)),))

    def take(self) -> list[Any]:
        return []

    def finish(self) -> tuple[WriterResult, list[Any]]:
        return self._tables.close(), []


class _WithWorkerTokens:
    """The HF writer while the worker writes `tokens`: the other configs here; the worker gets that
    config's schema when this opens, and its result joins this one's at close."""

    def __init__(self, link: Any, started: Any, folder: Path, options: ExportOptions) -> None:
        from incident_corpus.export.formats.hf import FEATURES, HFWriter

        self._link, self._started = link, started
        self._schema = link.call("set_schema", FEATURES["tokens"].arrow_schema)
        self._writer = HFWriter(folder, options, tokens=False)

    def __enter__(self) -> _WithWorkerTokens:
        return self

    def __exit__(self, *exc: object) -> None:
        self._writer.__exit__(*exc)

    def add(self, doc: Any) -> None:
        self._writer.add(doc)

    def close(self) -> WriterResult:
        from incident_corpus.export.formats.hf import with_tokens

        self._started.result()  # its error, if any, first
        self._schema.result()
        pending = self._link.finish()  # the worker's last flush runs beside this one's
        own = self._writer.close()
        return with_tokens(own, pending.result()[0])


def open_worker_writer(link: Any, folder: Path, options: ExportOptions) -> LazyWriter:
    """The HF writer here while the worker writes `tokens`: the worker's part starts now (before the first
    batch), this one at its first article (so importing `datasets` overlaps the worker's first batches)."""
    started = link.start(PART, str(folder))
    return LazyWriter(lambda: _WithWorkerTokens(link, started, folder, options))

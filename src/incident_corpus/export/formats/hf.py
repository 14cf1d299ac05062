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

from pathlib import Path
from typing import Any

from datasets import ClassLabel, Features, List, Value

from incident_corpus.core.labels import BIO_TAGS, LABELS, RELATION_TYPES
from incident_corpus.export.formats import (
    ARTICLE_COLUMNS,
    SPAN_ATTRIBUTES,
    ExportOptions,
    PreparedDoc,
    WriterResult,
    article_columns,
)
from incident_corpus.export.formats.events import ROLES, events_row, incident_rows
from incident_corpus.export.formats.parquet import BATCH_ROWS, ParquetTables, tokens_row

CONFIG_NAMES: tuple[str, ...] = ("spans", "tokens", "events", "incidents")
_string = Value("string")
_ARTICLE_FEATURES = dict.fromkeys(ARTICLE_COLUMNS, _string)  # formats.article_columns

SPANS_FEATURES = Features(
    {
        **_ARTICLE_FEATURES,
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
        "near_duplicate_group": _string,
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
        **_ARTICLE_FEATURES,
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


def _raw_spans_row(doc: PreparedDoc) -> dict[str, Any]:
    """A spans-config row with label/type names left as they are (mapped to ids column-wise in _columns)."""
    rec = doc.record
    return {
        **article_columns(rec),
        "spans": doc.spans,
        "relations": doc.relations,
        "annotator": rec.get("annotator"),
        "annotation_id": rec.get("annotation_id"),
        "near_duplicate_group": rec.get("near_duplicate_group", rec["article_id"]),
    }


class HFWriter:
    """The four configs through `ParquetTables`; `tokens=False`: the `tokens` config is written
    elsewhere (the tokenizer worker: hf_worker.py) and `with_tokens` adds what it wrote to the result."""

    def __init__(self, folder: Path, options: ExportOptions, *, batch_rows: int = BATCH_ROWS,
                 tokens: bool = True) -> None:
        self.tokens = tokens
        configs = CONFIG_NAMES if tokens else tuple(c for c in CONFIG_NAMES if c != "tokens")
        self._tables = ParquetTables(folder, {c: FEATURES[c].arrow_schema for c in configs}, batch_rows=batch_rows)

    def __enter__(self) -> HFWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._tables.__exit__(*exc)

    def add(self, doc: PreparedDoc) -> None:
        add, split = self._tables.add, doc.split
        add("spans", split, (_raw_spans_row(doc),))
        if self.tokens:
            add("tokens", split, (tokens_row(doc.record, doc.token_starts, doc.token_ends, doc.tags),))
        add("events", split, (events_row(doc),))
        add("incidents", split, incident_rows(doc))

    def close(self) -> WriterResult:
        return self._tables.close()


def with_tokens(result: WriterResult, tokens: WriterResult) -> WriterResult:
    """An HFWriter(tokens=False)'s result with the `tokens` config another process wrote."""
    return WriterResult(paths=sorted(result.paths + tokens.paths),
                        rows={c: (tokens if c == "tokens" else result).rows.get(c, {}) for c in CONFIG_NAMES})


def open_writer(folder: Path, options: ExportOptions) -> HFWriter:
    return HFWriter(folder, options)

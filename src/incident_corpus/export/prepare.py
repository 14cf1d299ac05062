"""One resolved record + its tokens → the PreparedDoc every format writes: spans sorted and
carrying their attribute and casualty-count columns, relations as indices into them, the
overlap-policy view aligned to tokens (align.py) and its BIO tags. Imports core and export.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from incident_corpus.core.errors import InputError
from incident_corpus.core.labels import LABELS
from incident_corpus.export.align import Aligned, AlignStats, align_spans, bio_ids, token_offsets
from incident_corpus.export.formats import SPAN_ATTRIBUTES, PreparedDoc

_LABEL_ORDER = {label: i for i, label in enumerate(LABELS)}
_INT32_MAX = 2**31 - 1


def _count_fields(parse_count: Callable[[str], dict[str, Any] | None], text: str) -> dict[str, Any]:
    count = parse_count(text)
    if not count:
        return {"count_min": None, "count_max": None, "count_approximate": None}
    lo, hi = count.get("min"), count.get("max")
    return {
        "count_min": lo if lo is None or abs(lo) <= _INT32_MAX else None,
        "count_max": hi if hi is None or abs(hi) <= _INT32_MAX else None,
        "count_approximate": bool(count.get("approximate")),
    }


def span_rows(
    record: dict[str, Any], parse_count: Callable[[str], dict[str, Any] | None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The record's span rows (sorted, with attribute and count columns) and its relations as indices
    into them: everything of a PreparedDoc that does not need the tokens."""
    raw = record["spans"]
    order = sorted(
        range(len(raw)),
        key=lambda i: (
            raw[i]["start"],
            raw[i]["end"],
            _LABEL_ORDER.get(raw[i]["label"], len(LABELS)),
            str(raw[i].get("id")),
        ),
    )
    new_index = {raw[i].get("id"): k for k, i in enumerate(order)}
    spans = []
    for i in order:
        s = raw[i]
        attrs = s.get("attributes") or {}
        row = {"start": s["start"], "end": s["end"], "text": s["text"], "label": s["label"]}
        row.update({name: attrs.get(name) for name in SPAN_ATTRIBUTES})
        if s["label"] == "CASUALTY":
            row.update(_count_fields(parse_count, s["text"]))
        else:
            row.update(count_min=None, count_max=None, count_approximate=None)
        spans.append(row)
    relations = []
    for rel in record["relations"]:
        head, tail = new_index.get(rel.get("from_id")), new_index.get(rel.get("to_id"))
        if head is None or tail is None:
            raise InputError(
                f"record {record['id']}: relation {rel!r} points at a span id that is not in the record; "
                "run `annotate validate` and fix or re-pull the annotation"
            )
        relations.append({"head": head, "tail": tail, "type": rel["type"]})
    relations.sort(key=lambda r: (r["head"], r["tail"], r["type"]))
    return spans, relations


def prepare(
    record: dict[str, Any],
    split: str,
    sdoc: Any,
    *,
    parse_count: Callable[[str], dict[str, Any] | None],
    offsets: tuple[list[int], list[int]] | None = None,
    rows: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None,
    tokens_elsewhere: bool = False,
    tags: list[int] | None = None,
) -> tuple[PreparedDoc, AlignStats]:
    """Derive everything the formats need from one record and its tokenized Doc.

    `offsets` (token starts/ends computed elsewhere, e.g. by a tokenizer worker) stand in for
    `sdoc`, which may then be None: only the spaCy format needs the Doc itself. `rows` are the
    record's `span_rows`, when the caller has made them already. `tokens_elsewhere`: the tokenizer
    worker aligned and keeps the token view (tokenize.work_batch) and counts it, so `kept` and `tags`
    stay empty, the stats come back empty, and the offsets and tags too unless given (`tags`: the
    worker's BIO tag ids, when this process writes the `tokens` config).
    """
    spans, relations = rows if rows is not None else span_rows(record, parse_count)
    kept: list[Aligned]
    if tokens_elsewhere:
        starts, ends = offsets if offsets is not None else ([], [])
        kept, tags, stats = [], tags if tags is not None else [], AlignStats()
    else:
        starts, ends = offsets if offsets is not None else token_offsets(sdoc)
        kept, stats = align_spans(starts, ends, [(s["start"], s["end"], s["label"]) for s in spans])
        tags = bio_ids(len(starts), kept)
    doc = PreparedDoc(
        record=record,
        split=split,
        doc=sdoc,
        token_starts=starts,
        token_ends=ends,
        spans=spans,
        relations=relations,
        kept=kept,
        tags=tags,
    )
    return doc, stats

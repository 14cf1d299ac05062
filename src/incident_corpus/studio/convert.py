"""Label Studio export → candidate annotation records (the reverse of `results`).

Nothing is dropped here: every problem met while converting becomes a `conversion` reason
on the candidate, and `validate.validate_records` quarantines it with the raw annotation
kept alongside. Only cancelled annotations and drafts are left out, and they are counted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import InputError
from incident_corpus.core.labels import ATTRIBUTES_BY_NAME, LABELS_NAME, TEXT_NAME
from incident_corpus.core.pseudonyms import annotator_identity, annotator_pseudonym
from incident_corpus.core.records import Candidate, Reason, record_sort_key, sort_spans
from incident_corpus.ingest.articles import content_hash

META_FIELDS: tuple[str, ...] = ("title", "author", "source", "published", "url", "language", "source_file")
_TASK_DATA_FIELDS = frozenset(("text", "article_id", "extra", *META_FIELDS))
# The value keys a result item needs, per type (in the order a message lists the missing ones).
_NEEDED_ORDER: dict[str, tuple[str, ...]] = {"labels": ("start", "end", "text", "labels"), "choices": ("choices",)}
_NEEDED = {typ: frozenset(keys) for typ, keys in _NEEDED_ORDER.items()}


@dataclass
class NormalizeResult:
    """Candidates sorted by (task_id, annotation_id) plus what was left out and why."""

    candidates: list[Candidate]
    tasks: int = 0
    cancelled: int = 0
    drafts: int = 0
    empty: int = 0

    @property
    def skipped(self) -> dict[str, int]:
        return {"cancelled": self.cancelled, "drafts": self.drafts}


def normalize_export(
    tasks: Iterable[Mapping[str, Any]],
    *,
    users: Mapping[int, str] | None = None,
    with_emails: bool = False,
) -> NormalizeResult:
    """One candidate per (task, completed annotation); cancelled annotations and drafts are counted."""
    result = NormalizeResult(candidates=[])
    names: dict[int, tuple[str | None, int | None, str]] = {}  # one key lookup and HMAC per annotator
    for task in tasks:
        result.tasks += 1
        drafts = task.get("drafts")
        if isinstance(drafts, list):
            result.drafts += len(drafts)
        annotations = task.get("annotations")
        if not isinstance(annotations, list):
            annotations = []
        for ann in annotations:
            if not isinstance(ann, dict):
                ann = {"result": ann}
            if ann.get("was_cancelled"):
                result.cancelled += 1
                continue
            if ann.get("result") == []:
                result.empty += 1
            result.candidates.append(_candidate(task, ann, users=users, with_emails=with_emails, names=names))
    result.candidates.sort(key=lambda c: record_sort_key(c.record))
    return result


def candidate_from_record(record: Mapping[str, Any]) -> Candidate:
    """Wrap an already normalised record (annotations.jsonl) so it is re-validated as is."""
    copied = dict(record)
    for key in ("spans", "relations", "repairs"):
        if isinstance(copied.get(key), list):
            copied[key] = [dict(x) if isinstance(x, dict) else x for x in copied[key]]
    for span in copied.get("spans") or []:
        if isinstance(span, dict) and isinstance(span.get("attributes"), dict):
            span["attributes"] = dict(span["attributes"])
    return Candidate(record=copied, raw_annotation=None)


def is_record(item: Mapping[str, Any]) -> bool:
    """True for a normalised record, False for a Label Studio task."""
    return "annotations" not in item and "spans" in item


def _candidate(
    task: Mapping[str, Any], ann: dict[str, Any], *, users: Mapping[int, str] | None, with_emails: bool,
    names: dict[int, tuple[str | None, int | None, str]] | None = None,
) -> Candidate:
    raw_data = task.get("data")
    data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    task_id = task.get("id")
    annotation_id = ann.get("id")
    text = data.get("text")
    article_id = data.get("article_id")
    if not isinstance(article_id, str) and isinstance(text, str):
        article_id = content_hash(text)
    extra = dict(data["extra"]) if isinstance(data.get("extra"), dict) else {}
    for key in sorted(set(data) - _TASK_DATA_FIELDS):
        extra.setdefault(key, data[key])
    meta: dict[str, Any] = {name: data.get(name) for name in META_FIELDS}
    meta["extra"] = extra

    reasons: list[Reason] = []
    prefix = f"task {task_id}, annotation {annotation_id}"
    if not isinstance(text, str) or not text:
        reasons.append(Reason("conversion", f"{prefix}: the task has no text in data.text; the task was not "
                              "made by `annotate push` — push the article again and re-annotate it"))

    who = ann.get("completed_by")
    known = names.get(who) if names is not None and type(who) is int else None
    if known is None:
        email, user_id = annotator_identity(who, users)
        annotator = annotator_pseudonym(who, users)
        if names is not None and type(who) is int:
            names[who] = (email, user_id, annotator)
    else:
        email, user_id, annotator = known
    if email is None and user_id is None:
        reasons.append(Reason("conversion", f"{prefix}: the annotation has no completed_by user; "
                              "export again with a Label Studio version that records annotators"))

    prediction = ann.get("prediction")
    model_version = prediction.get("model_version") if isinstance(prediction, dict) else None
    record: dict[str, Any] = {
        "id": f"{article_id}:{annotation_id}",
        "article_id": article_id,
        "task_id": task_id,
        "annotation_id": annotation_id,
        "text": text,
        "meta": meta,
        "annotator": annotator,
        "created_at": ann.get("created_at"),
        "updated_at": ann.get("updated_at"),
        "lead_time": ann.get("lead_time"),
        "ground_truth": bool(ann.get("ground_truth", False)),
        "model_version": model_version if isinstance(model_version, str) else None,
        "spans": [],
        "relations": [],
        "repairs": [],
    }
    if with_emails:
        record["annotator_email"] = email

    result = ann.get("result")
    if result is None:
        result = []
    if not isinstance(result, list):
        reasons.append(Reason("conversion", f"{prefix}: `result` is a {type(result).__name__}, not a list; "
                              "the export is damaged — export again"))
        result = []
    spans, relations, conv_reasons, broken = _convert_result(result, prefix)
    reasons.extend(conv_reasons)
    sort_spans(spans)
    record["spans"] = spans
    record["relations"] = relations
    return Candidate(record=record, raw_annotation=ann, reasons=reasons, broken_regions=frozenset(broken))


def _convert_result(
    result: list[Any], prefix: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Reason], set[str]]:
    """Group result items by region id into spans; relation items into relations."""
    reasons: list[Reason] = []
    broken: set[str] = set()

    def fail(message: str, rid: str | None) -> None:
        reasons.append(Reason("conversion", f"{prefix}: {message}", rid))
        if rid is not None:
            broken.add(rid)

    regions, relations = _group_regions(result, fail)
    spans = _regions_to_spans(regions, broken, fail)
    return spans, relations, reasons, broken


_Fail = Callable[[str, str | None], None]  # records a conversion reason (and the region it breaks)


def _where(idx: int, rid: str | None) -> str:
    """An item's place, for messages only: most items never need it."""
    return f"result item {idx} (region {rid})"


def _group_regions(result: list[Any], fail: _Fail) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The labels and choices items per region id (value, labels, choices), and the relations."""
    regions: dict[str, dict[str, Any]] = {}
    relations: list[dict[str, Any]] = []
    for idx, item in enumerate(result):
        if not isinstance(item, dict):
            fail(f"result item {idx} is a {type(item).__name__}, not an object; the export is damaged — "
                 "export again", None)
            continue
        if item.get("type") == "relation":
            rel = _convert_relation(item, idx, fail)
            if rel is not None:
                relations.append(rel)
            continue
        rid = item.get("id")
        rid = rid if isinstance(rid, str) and rid else None
        value = _region_value(item, idx, rid, fail)
        if value is None or rid is None:  # rid is None only where the value was refused
            continue
        region = regions.get(rid)
        if region is None:
            region = regions[rid] = {"value": None, "labels": [], "choices": {}}
        _add_to_region(region, item, value, idx, rid, fail)
    return regions, relations


def _region_value(item: dict[str, Any], idx: int, rid: str | None, fail: _Fail) -> dict[str, Any] | None:
    """The value of a labels or choices item made by our label config, or None (and a reason)."""
    typ = item.get("type")
    if typ not in ("labels", "choices"):
        fail(f"{_where(idx, rid)}: unknown result type {typ!r} (expected labels, choices or relation); "
             "the project's label config is not ours — replace it with `annotate push --update-config` "
             "and re-annotate the task",
             rid)
        return None
    if rid is None:
        fail(f"result item {idx}: {typ} item without a region id; the export is damaged — export again",
             None)
        return None
    from_name = item.get("from_name")
    known = from_name == LABELS_NAME if typ == "labels" else from_name in ATTRIBUTES_BY_NAME
    if not known:
        expected = repr(LABELS_NAME) if typ == "labels" else ", ".join(ATTRIBUTES_BY_NAME)
        fail(f"{_where(idx, rid)}: unknown from_name {from_name!r} for a {typ} item (expected {expected}); "
             "the project's label config is not ours — replace it with `annotate push --update-config` "
             "and fix the region", rid)
        return None
    if item.get("to_name") != TEXT_NAME:
        fail(f"{_where(idx, rid)}: to_name {item.get('to_name')!r} is not {TEXT_NAME!r}; the project's label "
             "config is not ours — replace it with `annotate push --update-config` and fix the region", rid)
        return None
    value = item.get("value")
    if not isinstance(value, dict):
        fail(f"{_where(idx, rid)}: the item has no value object; the export is damaged — export again", rid)
        return None
    if not value.keys() >= _NEEDED[typ]:  # the message lists what is missing, in this order
        missing = [name for name in _NEEDED_ORDER[typ] if name not in value]
        fail(f"{_where(idx, rid)}: value lacks {', '.join(missing)}; redraw the region in Label Studio", rid)
        return None
    return value


def _add_to_region(region: dict[str, Any], item: dict[str, Any], value: dict[str, Any], idx: int, rid: str,
                   fail: _Fail) -> None:
    """Add a labels item's labels (its value is the region's, the first one kept) or a choices item's one value."""
    if item["type"] == "labels":
        labels = value["labels"]
        if not isinstance(labels, list):
            fail(f"{_where(idx, rid)}: value.labels is not a list; redraw the region in Label Studio", rid)
            return
        region["labels"].extend(labels)
        if region["value"] is None:
            region["value"] = value
    else:
        from_name = item.get("from_name")
        choices = value["choices"]
        if not isinstance(choices, list) or len(choices) != 1:
            fail(f"{_where(idx, rid)}: attribute {from_name} has {_count(choices)} values, expected exactly "
                 "one; pick one value in Label Studio", rid)
            return
        region["choices"].setdefault(from_name, []).append(choices[0])


def _regions_to_spans(regions: dict[str, dict[str, Any]], broken: set[str], fail: _Fail) -> list[dict[str, Any]]:
    """One span per region with one label; a region already `broken` gets no second reason for lacking one."""
    spans: list[dict[str, Any]] = []
    for rid, region in regions.items():
        value = region["value"]
        labels = region["labels"]
        if value is None:
            if rid not in broken:
                names = ", ".join(region["choices"])
                fail(f"region {rid} has attribute choices ({names}) but no labels item; "
                     "label the region in Label Studio or delete it", rid)
            continue
        if len(labels) != 1:
            shown = ", ".join(map(str, labels)) if labels else "none"
            fail(f"region {rid} has {len(labels)} labels ({shown}), expected exactly one; "
                 "give the region one label in Label Studio", rid)
            continue
        attributes = _attributes(rid, region["choices"], fail)
        spans.append({"id": rid, "start": value["start"], "end": value["end"], "label": labels[0],
                      "text": value["text"], "attributes": attributes})
    return spans


def _attributes(rid: str, choices: dict[str, list[Any]], fail: _Fail) -> dict[str, Any]:
    """Each attribute's value; one given twice with different values is left out (and a reason)."""
    attributes: dict[str, Any] = {}
    for name, values in choices.items():
        distinct = sorted({json.dumps(v, sort_keys=True) for v in values}) if len(values) > 1 else ()
        if len(distinct) > 1:
            fail(f"region {rid} has conflicting values for attribute {name} ({', '.join(distinct)}); "
                 "pick one value in Label Studio", rid)
            continue
        attributes[name] = values[0]
    return attributes


def _convert_relation(item: dict[str, Any], idx: int, fail: Any) -> dict[str, Any] | None:
    from_id, to_id = item.get("from_id"), item.get("to_id")
    if not isinstance(from_id, str) or not isinstance(to_id, str):
        fail(f"result item {idx}: relation without from_id/to_id; delete the relation in Label Studio and "
             "draw it again", None)
        return None
    labels = item.get("labels") or []
    if not isinstance(labels, list):
        labels = [labels]
    if len(labels) > 1:
        fail(f"result item {idx}: relation {from_id}→{to_id} has {len(labels)} types "
             f"({', '.join(map(str, labels))}), expected at most one; keep one type in Label Studio", None)
        return None
    # `direction` is ignored: every relation type links two different labels, so the span
    # labels say which way it goes (see validate's relation_reversed repair).
    return {"from_id": from_id, "to_id": to_id, "type": labels[0] if labels else None}


def _count(choices: Any) -> int | str:
    return len(choices) if isinstance(choices, list) else "no list of"


def load_annotations(path: str | Path) -> list[dict[str, Any]]:
    """Read a Label Studio JSON export (list of tasks) or an annotations.jsonl of records.

    The items are returned as read: tasks have "annotations", records have "spans"
    (`validate.check_export` accepts both). JSON-MIN exports are refused: they lose region
    ids and relations, so attributes cannot be tied to spans.
    """
    p = Path(path)
    name = str(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a file; give the export file or annotations.jsonl"
                         ) from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror}); check the file's permissions") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (bad byte at offset {exc.start}); give the JSON export "
                         "Label Studio wrote, not a converted copy") from None
    stripped = content.strip()
    if not stripped:
        raise InputError(f"{name}: the file is empty; download the export again")
    if stripped[0] == "[" or p.suffix.lower() == ".json":
        items = _parse_json(content, name)
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            raise InputError(f"{name}: expected a JSON list of Label Studio tasks, found a "
                             f"{type(items).__name__}; export the project as JSON")
    else:
        items = _parse_jsonl(content, name)
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(f"{name}: item {n} is a {type(item).__name__}, not an object; export the "
                             "project as JSON (not CSV/TSV/JSON-MIN)")
        if "annotations" in item or "spans" in item:
            continue
        if "annotator" in item or "annotation_id" in item:
            raise InputError(f"{name}: this looks like a JSON-MIN export, which drops region ids and "
                             "relations; export the project as JSON instead")
        raise InputError(f"{name}: item {n} is neither a Label Studio task (no \"annotations\") nor an "
                         "annotation record (no \"spans\"); give a JSON export or annotations.jsonl")
    return items


def _parse_json(content: str, name: str) -> Any:
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputError(_json_error(name, exc, content, line=None)) from None


def _parse_jsonl(content: str, name: str) -> list[Any]:
    items: list[Any] = []
    lines = content.splitlines()
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(_json_error(name, exc, line, line=i + 1, last=i == last)) from None
    return items


def _json_error(name: str, exc: json.JSONDecodeError, content: str, *, line: int | None,
                last: bool = True) -> str:
    # "Unterminated string" points at where the string starts, so it always means the end is missing.
    at_end = exc.pos >= len(content.rstrip())
    unterminated = last and (exc.msg.startswith("Unterminated")
                             or (exc.msg.startswith("Expecting") and at_end))
    advice = ("the file looks truncated — download the export again" if unterminated
              else "the file is damaged — download the export again or fix it by hand")
    if line is None:
        return f"{name}: not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); {advice}"
    return f"{name}: line {line} is not valid JSON at column {exc.colno} ({exc.msg}); {advice}"


def spans_from_result(result: object) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Spans (with attributes) and relations of one LS `result` list, malformed regions left out; for
    readers of predictions, which are never validated records (the pre-annotation audit)."""
    spans, relations, _, _ = _convert_result(result if isinstance(result, list) else [], "prediction")
    sort_spans(spans)
    return spans, relations

"""Candidate records → valid (possibly repaired) records + a quarantine with every reason.

Like check-jsonschema's checker: every problem is collected into a `ValidationResult`
(result.py); reporter.py renders it and outputs.py writes it, nothing here does either.
Repairs are applied only where the fix is unambiguous, and each one is written on the
record's `repairs` list so nothing changes silently. Imports core, studio.convert and the
quality modules result and agreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard

from incident_corpus.core.labels import ATTRIBUTES_BY_NAME, LABELS, RELATION_BY_PAIR, RELATIONS
from incident_corpus.core.records import Candidate, Reason, record_sort_key, sort_spans, where
from incident_corpus.core.resources import annotation_validator, fast_check
from incident_corpus.quality.agreement import agreement
from incident_corpus.quality.result import CHECKS, ValidationResult
from incident_corpus.studio.convert import candidate_from_record, is_record, normalize_export

_LABEL_SET = frozenset(LABELS)
_WS = re.compile(r"\s+")
_REDRAW = "redraw the region in Label Studio"


def validate_records(
    candidates: Iterable[Candidate | Mapping[str, Any]],
    *,
    skipped: Mapping[str, int] | None = None,
    tasks: int | None = None,
) -> ValidationResult:
    """Check and repair every candidate; plain dicts are taken as already normalised records.

    Candidates' records are repaired in place. Output order is (task_id, annotation_id).
    """
    validator = annotation_validator()
    result = ValidationResult(tasks=tasks)
    if skipped:
        result.skipped.update(skipped)
    cands = [c if isinstance(c, Candidate) else candidate_from_record(c) for c in candidates]
    cands.sort(key=lambda c: record_sort_key(c.record))
    seen_ids: dict[Any, Any] = {}
    for cand in cands:
        reasons, repairs = _check(cand, validator)
        rec = cand.record
        rid = rec.get("id")
        if isinstance(rid, str):
            if rid in seen_ids:
                reasons.insert(_dup_pos(reasons), Reason(
                    "duplicate_record",
                    f"{where(rec)}: record id {rid} appears twice in the input; keep one copy "
                    "(pull again to get a clean annotations.jsonl)"))
            seen_ids.setdefault(rid, True)
        _count(result, cand, reasons, repairs)
    return result


def _dup_pos(reasons: list[Reason]) -> int:
    """Insert before schema reasons so reasons stay in CHECKS order."""
    for i, r in enumerate(reasons):
        if r.check == "schema":
            return i
    return len(reasons)


def _count(result: ValidationResult, cand: Candidate, reasons: list[Reason],
           repairs: list[dict[str, Any]]) -> None:
    rec = cand.record
    failed = {r.check for r in reasons}
    for check in CHECKS:
        result.checks[check]["failed" if check in failed else "passed"] += 1
    for r in reasons:
        result.checks[r.check]["reasons"] += 1
    named = rec.get("annotator")
    annotator = named if isinstance(named, str) else "(unknown)"
    stats = result.annotators.setdefault(annotator, {"valid": 0, "quarantined": 0})
    if reasons:
        stats["quarantined"] += 1
        result.quarantine.append({
            "record": rec,
            "raw_annotation": cand.raw_annotation,
            "reasons": [r.as_dict() for r in reasons],
        })
        return
    stats["valid"] += 1
    for repair in repairs:
        result.repairs[repair["kind"]] += 1
    if not rec["spans"]:
        result.empty += 1
    for span in rec["spans"]:
        result.labels[span["label"]] += 1
    result.records.append(rec)


def _check(cand: Candidate, validator: Any) -> tuple[list[Reason], list[dict[str, Any]]]:
    """Run every check on one candidate, applying the safe repairs; returns (reasons, new repairs)."""
    rec = cand.record
    reasons: list[Reason] = list(cand.reasons)
    repairs: list[dict[str, Any]] = []
    at = where(rec)
    text = rec.get("text")

    raw_spans = rec.get("spans")
    spans: list[dict[str, Any]] = []
    if isinstance(raw_spans, list):
        sort_spans(raw_spans)
        spans = [s for s in raw_spans if isinstance(s, dict)]
    index = {id(s): i for i, s in enumerate(raw_spans)} if isinstance(raw_spans, list) else {}

    good: list[dict[str, Any]] = []  # spans whose offsets are usable integers
    seen_keys: dict[tuple[Any, ...], Any] = {}
    seen_ids: dict[Any, int] = {}
    for span in spans:
        i = index[id(span)]
        sid = span.get("id")
        sid_s = sid if isinstance(sid, str) else None
        ref = f"{at}, span {sid}"
        label = span.get("label")
        if label not in _LABEL_SET:
            reasons.append(Reason("label", f"{ref}: unknown label {label!r} (known: {', '.join(LABELS)}); "
                                  "relabel the region in Label Studio", sid_s, (("spans", i, "label"),)))
        start, end = span.get("start"), span.get("end")
        off_cov = (("spans", i, "start"), ("spans", i, "end"))
        if not (_is_int(start) and _is_int(end)):
            reasons.append(Reason("offsets", f"{ref}: start/end must be integers, got start={start!r} "
                                  f"end={end!r}; {_REDRAW}", sid_s, off_cov))
        else:
            bad = False
            if start < 0:
                reasons.append(Reason("offsets", f"{ref}: start {start} is negative; {_REDRAW}", sid_s,
                                      off_cov))
                bad = True
            if start >= end:
                reasons.append(Reason("offsets", f"{ref}: start {start} is not before end {end} "
                                      f"(empty or inverted span); {_REDRAW}", sid_s, off_cov))
                bad = True
            if not bad:
                good.append(span)
        _check_attributes(span, i, ref, sid_s, label, reasons)
        key = (start, end, label)
        if _hashable(key):
            if key in seen_keys:
                reasons.append(Reason("duplicate_span", f"{ref}: same start/end/label ({start}:{end} "
                                      f"{label}) as span {seen_keys[key]}; delete one of the two regions in "
                                      "Label Studio", sid_s))
            else:
                seen_keys[key] = sid
        if _hashable(sid):
            if sid in seen_ids:
                reasons.append(Reason("duplicate_span", f"{ref}: span id {sid} is used by two spans; give "
                                      "each span its own id (pull again)", sid_s, (("spans", i, "id"),)))
            seen_ids[sid] = i

    if isinstance(text, str) and text:
        _check_span_texts(rec, text, good, index, at, reasons, repairs)

    _check_relations(rec, cand, spans, at, reasons, repairs)

    if repairs:
        existing = rec.get("repairs")
        if isinstance(existing, list):
            existing.extend(repairs)
        else:
            rec["repairs"] = list(repairs)

    reasons.extend(_schema_reasons(rec, validator, reasons, at))
    return reasons, repairs


def _check_attributes(span: dict[str, Any], i: int, ref: str, sid: str | None, label: Any,
                      reasons: list[Reason]) -> None:
    attributes = span.get("attributes")
    if not isinstance(attributes, dict):
        return  # the schema check reports it
    for name in sorted(attributes, key=str):
        value = attributes[name]
        cov: tuple[tuple[Any, ...], ...] = (("spans", i, "attributes", name),)
        attr = ATTRIBUTES_BY_NAME.get(name)
        if attr is None:
            cov = (("spans", i, "attributes"),)  # jsonschema reports unknown keys on the object
            reasons.append(Reason("attribute", f"{ref}: unknown attribute {name!r} (known: "
                                  f"{', '.join(ATTRIBUTES_BY_NAME)}); remove it or update the label config",
                                  sid, cov))
            continue
        if value not in attr.values:
            reasons.append(Reason("attribute", f"{ref}: attribute {name} has value {value!r}, allowed: "
                                  f"{', '.join(attr.values)}; pick an allowed value in Label Studio",
                                  sid, cov))
        if label in _LABEL_SET and attr.label != label:
            reasons.append(Reason("attribute", f"{ref}: attribute {name} applies to {attr.label} spans, not "
                                  f"{label}; remove it in Label Studio", sid, cov))


def _check_span_texts(rec: dict[str, Any], text: str, good: list[dict[str, Any]], index: dict[int, int],
                      at: str, reasons: list[Reason], repairs: list[dict[str, Any]]) -> None:
    n = len(text)
    if any(not _text_matches(text, s["start"], s["end"], s.get("text")) for s in good):
        _try_utf16(text, good, repairs)
    for span in good:
        i = index[id(span)]
        sid = span.get("id")
        sid_s = sid if isinstance(sid, str) else None
        ref = f"{at}, span {sid}"
        start, end, stext = span["start"], span["end"], span.get("text")
        if end > n:
            reasons.append(Reason("offsets", f"{ref}: end {end} is past the end of the text "
                                  f"({n} characters); {_REDRAW}", sid_s,
                                  (("spans", i, "start"), ("spans", i, "end"))))
            continue
        actual = text[start:end]
        if stext == actual:
            _trim_whitespace(span, sid_s, repairs)
            continue
        if isinstance(stext, str) and _collapse(stext) == _collapse(actual):
            span["text"] = actual
            repairs.append({"kind": "span_text_rebuilt", "span_id": sid_s,
                            "detail": f"span text {stext!r} rebuilt from the article text as {actual!r} "
                                      "(whitespace differed)"})
            _trim_whitespace(span, sid_s, repairs)
            continue
        reasons.append(Reason("span_text", f"{ref}: span text {stext!r} does not match the article text at "
                              f"{start}:{end} ({actual!r}); {_REDRAW}", sid_s, (("spans", i, "text"),)))


def _trim_whitespace(span: dict[str, Any], sid: str | None, repairs: list[dict[str, Any]]) -> None:
    """A drag in the UI that starts or ends on a space stores it (seen in a real browser); the
    guideline says spans never start or end with whitespace, so the offsets move inwards."""
    stext = span["text"]
    stripped = stext.strip()
    if stripped == stext or not stripped:
        return
    lead = len(stext) - len(stext.lstrip())
    old = (span["start"], span["end"])
    span["start"] += lead
    span["end"] = span["start"] + len(stripped)
    span["text"] = stripped
    repairs.append({"kind": "span_whitespace_trimmed", "span_id": sid,
                    "detail": f"offsets {old[0]}:{old[1]} included surrounding whitespace; "
                              f"now {span['start']}:{span['end']} ({stripped!r})"})


def _try_utf16(text: str, good: list[dict[str, Any]], repairs: list[dict[str, Any]]) -> None:
    """Reinterpret every span's offsets as UTF-16 code units, if that makes all of them match."""
    encoded = text.encode("utf-16-le")
    if len(encoded) == 2 * len(text):
        return  # no astral characters: UTF-16 and code point offsets are the same
    to_cp: dict[int, int] = {}
    u = 0
    for cp, ch in enumerate(text):
        to_cp[u] = cp
        u += 2 if ord(ch) > 0xFFFF else 1
    to_cp[u] = len(text)
    converted = []
    for span in good:
        start, end = to_cp.get(span["start"]), to_cp.get(span["end"])
        if start is None or end is None or not _text_matches(text, start, end, span.get("text")):
            return  # not consistently UTF-16: leave the offsets alone, the checks report them
        converted.append((span, start, end))
    for span, start, end in converted:
        if (start, end) != (span["start"], span["end"]):
            sid = span.get("id")
            repairs.append({"kind": "utf16_offsets", "span_id": sid if isinstance(sid, str) else None,
                            "detail": f"offsets {span['start']}:{span['end']} were UTF-16 code units; "
                                      f"now code points {start}:{end}"})
            span["start"], span["end"] = start, end


def _text_matches(text: str, start: int, end: int, stext: Any) -> bool:
    if end > len(text) or not isinstance(stext, str):
        return False
    actual = text[start:end]
    return actual == stext or _collapse(actual) == _collapse(stext)


def _check_relations(rec: dict[str, Any], cand: Candidate, spans: list[dict[str, Any]], at: str,
                     reasons: list[Reason], repairs: list[dict[str, Any]]) -> None:
    rels = rec.get("relations")
    if not isinstance(rels, list):
        return
    by_id = {s.get("id"): s for s in spans if isinstance(s.get("id"), str)}
    for j, rel in enumerate(rels):
        if not isinstance(rel, dict):
            continue
        f, t = rel.get("from_id"), rel.get("to_id")
        ref = f"{at}, relation {f}→{t}"
        missing = False
        for end_name, end_id in (("from_id", f), ("to_id", t)):
            if end_id in by_id:
                continue
            missing = True
            if end_id in cand.broken_regions:
                continue  # already reported by the conversion check
            reasons.append(Reason("relation_ends", f"{ref}: {end_name} {end_id!r} is not a span of this "
                                  "annotation; delete the relation in Label Studio and draw it again",
                                  f if isinstance(f, str) else None, (("relations", j, end_name),)))
        if missing:
            continue
        fl, tl = by_id[f].get("label"), by_id[t].get("label")
        if fl not in _LABEL_SET or tl not in _LABEL_SET:
            continue  # the label check reports it; the pair cannot be judged
        typ = rel.get("type")
        cov = (("relations", j, "type"),)
        if typ is None:
            if (fl, tl) in RELATION_BY_PAIR:
                _infer(rel, RELATION_BY_PAIR[(fl, tl)], fl, tl, repairs)
            elif (tl, fl) in RELATION_BY_PAIR and (fl, tl) not in RELATION_BY_PAIR:
                _reverse(rel, fl, tl, repairs)
                _infer(rel, RELATION_BY_PAIR[(tl, fl)], tl, fl, repairs)
            else:
                reasons.append(Reason("relation_type", f"{ref}: the relation has no type and no type links "
                                      f"{fl} → {tl}; delete the relation in Label Studio", f,
                                      (("relations", j),)))
        elif typ not in RELATIONS:
            reasons.append(Reason("relation_type", f"{ref}: unknown relation type {typ!r} (known: "
                                  f"{', '.join(RELATIONS)}); pick a known type in Label Studio", f, cov))
        elif RELATIONS[typ] != (fl, tl):
            want_from, want_to = RELATIONS[typ]
            if (tl, fl) == (want_from, want_to) and RELATION_BY_PAIR.get((fl, tl)) is None:
                _reverse(rel, fl, tl, repairs)
            else:
                reasons.append(Reason("relation_type", f"{ref}: type {typ} links {want_from} → {want_to} but "
                                      f"the spans are {fl} → {tl}; fix the relation type in Label Studio",
                                      f, cov))
    if all(isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ("from_id", "to_id", "type"))
           for r in rels):
        rels.sort(key=lambda r: (r["from_id"], r["to_id"], r["type"]))


def _infer(rel: dict[str, Any], typ: str, fl: str, tl: str, repairs: list[dict[str, Any]]) -> None:
    rel["type"] = typ
    repairs.append({"kind": "relation_type_inferred", "span_id": rel["from_id"],
                    "detail": f"relation {rel['from_id']}→{rel['to_id']} had no type; {fl} → {tl} can only "
                              f"be {typ}"})


def _reverse(rel: dict[str, Any], fl: str, tl: str, repairs: list[dict[str, Any]]) -> None:
    old_f, old_t = rel["from_id"], rel["to_id"]
    rel["from_id"], rel["to_id"] = old_t, old_f
    repairs.append({"kind": "relation_reversed", "span_id": old_t,
                    "detail": f"relation {old_f}→{old_t} was drawn {fl} → {tl}; turned round to "
                              f"{old_t}→{old_f} ({tl} → {fl})"})


def _schema_reasons(rec: dict[str, Any], validator: Any, reasons: list[Reason], at: str) -> list[Reason]:
    """Schema errors not already explained by a more specific reason.

    jsonschema costs ~0.8 ms a record, so the fast predicate compiled from the same schema file
    (core.fastschema) answers "valid?" first; the validator runs only on records it rejects, to
    produce the messages. The predicate never accepts what jsonschema rejects.
    """
    fast = fast_check("annotation.schema.json")
    if fast is not None and fast(rec):
        return []
    covered = [c for r in reasons for c in r.covers]
    out: list[Reason] = []
    errors = sorted(validator.iter_errors(rec), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for err in errors:
        path = tuple(err.absolute_path)
        if any(path[:len(c)] == c for c in covered):
            continue
        span_id = None
        if len(path) >= 2 and path[0] == "spans" and isinstance(rec.get("spans"), list):
            span = rec["spans"][path[1]]
            span_id = span.get("id") if isinstance(span, dict) and isinstance(span.get("id"), str) else None
        field_name = "/".join(map(str, path)) or "(record)"
        msg = err.message if len(err.message) <= 200 else err.message[:197] + "..."
        out.append(Reason("schema", f"{at}, field {field_name}: {msg}; the record does not match "
                          "annotation.schema.json — fix it in Label Studio and pull again", span_id))
    return out


def _collapse(s: str) -> str:
    return _WS.sub(" ", s)


def _is_int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def check_export(
    *,
    tasks: Iterable[Mapping[str, Any]],
    users: Mapping[int, str] | None = None,
    with_emails: bool = False,
    tagger: Any = None,
) -> tuple[ValidationResult, dict[str, Any]]:
    """normalize + validate + agreement: the one path `annotate pull` and `annotate validate` share.

    `tasks` may also hold normalised records (from annotations.jsonl); they are re-validated as is.
    `tagger` (export.align.annotators_bio) adds the token κ to the agreement figures.
    """
    items = list(tasks)
    records = [item for item in items if is_record(item)]
    normalized = normalize_export((item for item in items if not is_record(item)), users=users,
                                  with_emails=with_emails)
    candidates: list[Candidate] = normalized.candidates + [candidate_from_record(r) for r in records]
    result = validate_records(candidates, skipped=normalized.skipped,
                              tasks=normalized.tasks if not records else None)
    return result, agreement(result.records, tagger=tagger)

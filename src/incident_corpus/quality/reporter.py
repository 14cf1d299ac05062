"""Render a `ValidationResult` (and agreement) for people (text) or machines (JSON).

Like check-jsonschema's reporter: no checking happens here, and nothing is printed —
the CLI decides where the text goes. Imports only quality.result.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from incident_corpus.quality.result import ValidationResult

TOP_REASONS = 20


def to_json(result: ValidationResult, *, agreement: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report.json content: counts, then every quarantined record's ids and reasons."""
    return {
        "totals": dict(result.totals),
        "skipped": dict(result.skipped),
        "checks": {name: dict(c) for name, c in result.checks.items()},
        "repairs": dict(result.repairs),
        "labels": dict(result.labels),
        "annotators": {name: dict(result.annotators[name]) for name in sorted(result.annotators)},
        "quarantine": [
            {
                "id": entry["record"].get("id"),
                "task_id": entry["record"].get("task_id"),
                "annotation_id": entry["record"].get("annotation_id"),
                "reasons": entry["reasons"],
            }
            for entry in result.quarantine
        ],
        "agreement": _agreement_summary(agreement) if agreement is not None else None,
    }


def render_text(result: ValidationResult, *, agreement: dict[str, Any] | None = None,
                top: int = TOP_REASONS) -> str:
    """A short human summary for stderr; the full detail is in report.json/quarantine.jsonl."""
    t = result.totals
    lines = [
        f"{t['valid']} valid record(s), {t['quarantined']} quarantined, {t['repaired_records']} repaired "
        f"({t['candidates']} annotation(s) checked"
        + (f" from {t['tasks']} task(s)" if t["tasks"] is not None else "") + ")",
        f"skipped: {result.skipped['cancelled']} cancelled, {result.skipped['drafts']} draft(s); "
        f"{result.empty} empty annotation(s) (no spans) kept",
    ]
    failing = [(name, c) for name, c in result.checks.items() if c["failed"]]
    if failing:
        lines.append("checks failed: " + ", ".join(
            f"{name} {c['failed']} record(s)/{c['reasons']} reason(s)" for name, c in failing))
    else:
        lines.append(f"checks: all {len(result.checks)} passed")
    repairs = [(k, n) for k, n in result.repairs.items() if n]
    if repairs:
        lines.append("repairs: " + ", ".join(f"{k} {n}" for k, n in repairs))
    lines.append("spans per label: " + ", ".join(f"{k} {n}" for k, n in result.labels.items()))
    if result.annotators:
        lines.append("per annotator (valid/quarantined): " + ", ".join(
            f"{name} {s['valid']}/{s['quarantined']}" for name, s in sorted(result.annotators.items())))
    if agreement is not None:
        micro = agreement["overall"]["micro"]
        lines.append(
            f"agreement over {agreement['articles_with_multiple_annotators']} article(s) with ≥2 annotators: "
            f"exact F1 {_fmt(micro['exact_f1'])}, overlap F1 {_fmt(micro['overlap_f1'])}"
            + extra_agreement(agreement))
    if result.quarantine:
        by_check = Counter(r["check"] for e in result.quarantine for r in e["reasons"])
        lines.append("quarantine reasons: " + ", ".join(f"{k} {n}" for k, n in by_check.most_common()))
        shown = 0
        total = sum(by_check.values())
        for entry in result.quarantine:
            for reason in entry["reasons"]:
                if shown >= top:
                    break
                lines.append(f"  [{reason['check']}] {reason['message']}")
                shown += 1
        if total > shown:
            lines.append(f"  … and {total - shown} more reason(s): see quarantine.jsonl")
    return "\n".join(lines) + "\n"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def extra_agreement(agreement: dict[str, Any]) -> str:
    """", token κ …, relation F1 …, κ outcome …" for the figures agreement.py adds beside span F1."""
    parts = []
    if agreement.get("token_kappa", {}).get("kappa") is not None:
        parts.append(f"token κ {_fmt(agreement['token_kappa']['kappa'])}")
    if agreement.get("relations", {}).get("f1") is not None:
        parts.append(f"relation F1 {_fmt(agreement['relations']['f1'])}")
    for name, a in (agreement.get("attributes") or {}).items():
        if a.get("items") and a.get("kappa") is not None:
            parts.append(f"κ {name} {_fmt(a['kappa'])} ({a['items']})")
    return "".join(", " + p for p in parts)


def _agreement_summary(agreement: dict[str, Any]) -> dict[str, Any]:
    return {
        "articles_with_multiple_annotators": agreement["articles_with_multiple_annotators"],
        "micro": agreement["overall"]["micro"],
        "token_kappa": agreement.get("token_kappa", {}).get("kappa"),
        "relation_f1": agreement.get("relations", {}).get("f1"),
    }

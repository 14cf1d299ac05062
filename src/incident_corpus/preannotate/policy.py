"""Which spans of a trained model join the rules', per label: decided on cross-validated evidence.

The rule (issue 29): the rules' spans are kept unless the evidence is big and clear.
- **replace** (`model`, or `both` at a low threshold: anything that may cost the rules' precision):
  only when the model's exact F1 beats the rules' by a margin whose bootstrap interval (articles
  resampled, 95 %) lies above zero, on at least MIN_SUPPORT gold spans of that label, and neither its
  recall nor its precision is more than 0.02 under the rules'.
- **add** (`both` at a threshold ≥ ADD_FLOOR): otherwise the rules' spans stay as they are and the model
  only adds spans where no span is (merge() never overlaps), at the lowest threshold ≥ ADD_FLOOR whose
  added spans are at least as precise as the rules' spans of that label (exact and overlap match), and
  whose precision's one-sided 95 % Wilson lower bound is at least ADD_FLOOR (so a handful of lucky
  spans is not enough). Adding never removes a rule span: recall cannot drop.
- **rules**: when neither holds (and always with no cross-validated predictions).

The inputs are out-of-fold predictions: for each annotated article, the model that never saw it.
Pure functions over (gold, rule spans, model spans) per article; no spaCy.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy

from incident_corpus.core.labels import LABELS
from incident_corpus.core.scoring import Span, score_spans

MIN_SUPPORT = 50  # gold spans of a label before the model may replace the rules for it
BOOTSTRAP = 1000  # article resamples for the margin's interval
INTERVAL = 0.95
WILSON_Z = 1.645  # one-sided 95 %
ADD_FLOOR = 0.5  # never add spans below this confidence, nor at a precision (lower bound) under it
THRESHOLDS: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
RULES_ONLY: dict[str, Any] = {"name": "rules", "labels": {label: {"source": "rules", "threshold": None}
                                                          for label in LABELS}}
MODEL_ONLY: dict[str, Any] = {"name": "model", "labels": {label: {"source": "model", "threshold": 0.0}
                                                          for label in LABELS}}


def as_spans(records: Sequence[Mapping[str, Any]]) -> list[Span]:
    return [(s["start"], s["end"], s["label"]) for s in records]


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def merge(rule_spans: Sequence[Mapping[str, Any]], model_spans: Sequence[Any],
          policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Span records under `policy`: rule spans first (where their label takes rules), then model spans."""
    per = policy["labels"]
    kept: list[dict[str, Any]] = [dict(s) for s in rule_spans
                                  if per.get(s["label"], {"source": "rules"})["source"] in ("rules", "both")]
    taken = [(s["start"], s["end"]) for s in kept]
    extra = [m for m in model_spans if per.get(m.label, {"source": "rules"})["source"] in ("model", "both")
             and m.prob >= float(per[m.label]["threshold"] or 0.0)]
    for k, m in enumerate(sorted(extra, key=lambda m: (-m.prob, m.start)), 1):
        if _overlaps(m.start, m.end, taken):
            continue
        taken.append((m.start, m.end))
        kept.append({"id": f"m{k}", "start": m.start, "end": m.end, "label": m.label, "text": None,
                     "attributes": {}, "model_prob": m.prob})
    return sorted(kept, key=lambda s: (s["start"], s["end"]))


def evaluate_policy(gold: Sequence[list[Span]], rules: Sequence[Sequence[Mapping[str, Any]]],
                    model: Sequence[Sequence[Any]], policy: Mapping[str, Any]) -> dict[str, Any]:
    pairs = [(g, as_spans(merge(r, m, policy))) for g, r, m in zip(gold, rules, model, strict=True)]
    return score_spans(pairs)


def per_article(gold: Sequence[list[Span]], pred: Sequence[list[Span]], label: str, mode: str) -> Any:
    """(n_articles, 3) array of tp, n_pred, n_gold of `label` per article."""
    rows = []
    for g, p in zip(gold, pred, strict=True):
        s = score_spans([(g, p)])[mode][label]
        rows.append((s.tp, s.n_pred, s.n_gold))
    return numpy.array(rows, dtype=numpy.int64).reshape(len(rows), 3)


def _f1(counts: Any) -> Any:
    """F1 of summed counts (last axis tp, n_pred, n_gold); 0 where undefined."""
    tp, n_pred, n_gold = counts[..., 0], counts[..., 1], counts[..., 2]
    denom = n_pred + n_gold
    return numpy.where(denom > 0, 2.0 * tp / numpy.maximum(denom, 1), 0.0)


def bootstrap_margin(candidate: Any, rules: Any, *, resamples: int = BOOTSTRAP, seed: int = 0) -> dict[str, float]:
    """F1(candidate) − F1(rules) on all articles, and its percentile interval over article resamples."""
    margin = float(_f1(candidate.sum(axis=0)) - _f1(rules.sum(axis=0)))
    n = len(candidate)
    if n < 2:
        return {"f1": round(margin, 4), "low": -1.0, "high": 1.0}
    idx = numpy.random.default_rng(seed).integers(0, n, size=(resamples, n))
    diffs = _f1(candidate[idx].sum(axis=1)) - _f1(rules[idx].sum(axis=1))
    tail = (1.0 - INTERVAL) / 2 * 100
    low, high = numpy.percentile(diffs, [tail, 100 - tail])
    return {"f1": round(margin, 4), "low": round(float(low), 4), "high": round(float(high), 4)}


def wilson_lower(successes: int, n: int, z: float = WILSON_Z) -> float:
    """One-sided lower confidence bound of a proportion (0 when there is nothing to judge)."""
    if n <= 0:
        return 0.0
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + z * z / n))


def _precision(counts: Any) -> float:
    tp, n_pred = int(counts[..., 0].sum()), int(counts[..., 1].sum())
    return tp / n_pred if n_pred else 0.0


def choose_policy(gold: Sequence[list[Span]], rules: Sequence[Sequence[Mapping[str, Any]]],
                  model: Sequence[Sequence[Any]], *, min_support: int = MIN_SUPPORT,
                  seed: int = 0) -> dict[str, Any]:
    """Per label the source and threshold under the rule of this module, with its evidence."""
    def merged(label: str, source: str, threshold: float | None) -> list[list[Span]]:
        trial = {"labels": {**RULES_ONLY["labels"], label: {"source": source, "threshold": threshold}}}
        return [as_spans(merge(r, m, trial)) for r, m in zip(rules, model, strict=True)]

    rule_spans = [as_spans(r) for r in rules]
    labels: dict[str, Any] = {}
    for label in LABELS:
        base = {mode: per_article(gold, rule_spans, label, mode) for mode in ("exact", "overlap")}
        support = int(base["exact"][:, 2].sum())
        options = {(src, t): per_article(gold, merged(label, src, t), label, "exact")
                   for src in ("model", "both") for t in THRESHOLDS}
        best = max(options, key=lambda k: (round(float(_f1(options[k].sum(axis=0))), 6), k[0] == "both", k[1]))
        margin = bootstrap_margin(options[best], base["exact"], seed=seed)
        entry: dict[str, Any] = {"support": support, "articles": len(gold),
                                 "rules_exact": _summary(base["exact"]), "best": {
                                     "source": best[0], "threshold": best[1], "exact": _summary(options[best]),
                                     "margin": margin}}
        if support >= min_support and margin["low"] > 0 and _no_loss(options[best], base["exact"]):
            entry.update(source=best[0], threshold=best[1],
                         reason=f"the model wins by {margin['f1']:+.3f} F1 (95% interval {margin['low']:+.3f} "
                                f"to {margin['high']:+.3f}) on {support} gold spans")
        else:
            entry.update(_add_only(gold, label, base, functools.partial(merged, label, "both")))
            why = (f"{support} gold spans < {min_support}" if support < min_support else
                   f"margin {margin['f1']:+.3f} F1, interval {margin['low']:+.3f} to {margin['high']:+.3f} "
                   f"includes zero")
            entry["reason"] = f"rules kept ({why}); " + entry.pop("add_reason")
        labels[label] = entry
    return {"name": "per-label", "labels": labels, "min_support": min_support, "bootstrap": BOOTSTRAP,
            "interval": INTERVAL, "add_floor": ADD_FLOOR}


def _no_loss(candidate: Any, rules: Any, slack: float = 0.02) -> bool:
    """A replacement must not buy its F1 with the rules' recall or precision (more than `slack` of either)."""
    c, r = _summary(candidate), _summary(rules)
    return c["recall"] >= r["recall"] - slack and c["precision"] >= r["precision"] - slack


def _add_only(gold: Sequence[list[Span]], label: str, base: Mapping[str, Any], merged: Any) -> dict[str, Any]:
    """The lowest threshold ≥ ADD_FLOOR whose added spans are at least as precise as the rules' (exact and
    overlap) with a Wilson lower bound ≥ ADD_FLOOR; else the rules alone."""
    for t in sorted(x for x in THRESHOLDS if x >= ADD_FLOOR):
        spans = merged(t)
        checks = []
        for mode in ("exact", "overlap"):
            counts = per_article(gold, spans, label, mode).sum(axis=0) - base[mode].sum(axis=0)
            added, right = int(counts[1]), int(counts[0])
            bar = _precision(base[mode])
            checks.append((mode, added, right, wilson_lower(right, added), bar))
        if all(added and right / added >= bar and low >= ADD_FLOOR for _, added, right, low, bar in checks):
            _, added, right, low, bar = checks[0]
            return {"source": "both", "threshold": t, "added": {"spans": added, "exact_right": right,
                                                                  "precision_low": round(low, 4)},
                    "add_reason": f"the model adds spans where the rules are silent at p ≥ {t} ({right} of "
                                  f"{added} added spans right ≥ the rules' precision {bar:.2f}; lower bound "
                                  f"{low:.2f})"}
    return {"source": "rules", "threshold": None,
            "add_reason": "the model adds nothing (no threshold gives added spans as precise as the rules')"}


def _summary(counts: Any) -> dict[str, Any]:
    tp, n_pred, n_gold = (int(x) for x in counts.sum(axis=0))
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"tp": tp, "n_pred": n_pred, "n_gold": n_gold, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def no_evidence(reason: str) -> dict[str, Any]:
    """The policy when there are no cross-validated predictions to judge on: the rules, nothing added."""
    labels = {label: {"source": "rules", "threshold": None, "support": 0, "reason": f"rules kept ({reason})"}
              for label in LABELS}
    return {"name": "per-label", "labels": labels, "min_support": MIN_SUPPORT, "bootstrap": BOOTSTRAP,
            "interval": INTERVAL, "add_floor": ADD_FLOOR}


def describe(policy: Mapping[str, Any]) -> list[str]:
    """One line per label: the choice and why (push/serve logs, `annotate status`, `annotate train`)."""
    lines = []
    for label, v in policy.get("labels", {}).items():
        choice = v["source"] + (f" ≥{v['threshold']}" if v.get("threshold") is not None else "")
        lines.append(f"{label}: {choice} (support {v.get('support', '?')}) — {v.get('reason', 'no evidence kept')}")
    return lines

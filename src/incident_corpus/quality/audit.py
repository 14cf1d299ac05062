"""The pre-annotation audit: how much of what the rules suggested did annotators keep?

Annotators who correct suggestions tend to accept them (anchoring), so a corpus built from
pre-annotations should say how often they were kept as they were. For every submitted annotation
of a task that had a prediction, the predicted spans are matched one-to-one to the annotated ones:

  kept     same start, end, label and attributes
  changed  same start/end/label but other attributes, or (left over after exact pairs) an annotated
           span overlapping it, largest overlap first: boundary or label moved
  deleted  no annotated span left that overlaps it
  added    an annotated span no predicted span was matched to

Counted per annotator (pseudonym) and label (the predicted span's label; for `added`, the annotated
one). The prediction compared is the one the annotation was made from (`parent_prediction`) when the
export names it, else the task's newest. Median `lead_time` (seconds the annotator spent) is given
for annotations of tasks with and without a prediction.
"""

from __future__ import annotations

import statistics
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from incident_corpus.core.labels import LABELS
from incident_corpus.core.pseudonyms import annotator_pseudonym
from incident_corpus.studio.convert import spans_from_result

OUTCOMES: tuple[str, ...] = ("kept", "changed", "deleted", "added")


def audit_export(tasks: Iterable[Mapping[str, Any]], *, users: Mapping[int, str] | None = None) -> dict[str, Any]:
    """Audit figures (JSON-ready) of a Label Studio JSON export whose predictions are inlined."""
    audit = Audit(users=users)
    for task in tasks:
        audit.add(task)
    return audit.as_dict()


class Audit:
    """The audit summed one task at a time (`annotate pull` feeds it the tasks as they stream by): counts,
    and the lead times as packed floats for the medians (8 bytes an annotation)."""

    def __init__(self, *, users: Mapping[int, str] | None = None) -> None:
        self.users = users
        self.counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: {lb: dict.fromkeys(OUTCOMES, 0) for lb in LABELS})
        self.lead: dict[str, dict[bool, array[float]]] = defaultdict(lambda: {True: array("d"), False: array("d")})
        self.compared = self.without = 0
        self._names: dict[int, str] = {}  # completed_by → pseudonym: one key lookup and HMAC per annotator

    def add(self, task: Mapping[str, Any]) -> None:
        predictions = [p for p in task.get("predictions") or [] if isinstance(p, Mapping)]
        for ann in task.get("annotations") or []:
            if not isinstance(ann, Mapping) or ann.get("was_cancelled"):
                continue
            by = ann.get("completed_by")
            who = self._names.get(by) if type(by) is int else None
            if who is None:
                who = annotator_pseudonym(by, self.users)
                if type(by) is int:
                    self._names[by] = who
            prediction = _shown(predictions, ann.get("parent_prediction"))
            lt = ann.get("lead_time")
            if isinstance(lt, (int, float)) and not isinstance(lt, bool):
                self.lead[who][prediction is not None].append(float(lt))
            if prediction is None:
                self.without += 1
                continue
            self.compared += 1
            predicted, _ = spans_from_result(prediction.get("result"))
            annotated, _ = spans_from_result(ann.get("result"))
            for label, outcome in classify(predicted, annotated):
                self.counts[who].setdefault(label, dict.fromkeys(OUTCOMES, 0))[outcome] += 1

    def as_dict(self) -> dict[str, Any]:
        counts, lead = self.counts, self.lead
        by_annotator = {}
        for who in sorted(set(counts) | set(lead)):
            per = counts[who]
            by_annotator[who] = {
                "labels": {lb: _shares(c) for lb, c in per.items()},
                "total": _shares(_sum(per.values())),
                "lead_time_median": _medians(lead[who]),
            }
        all_lead: dict[bool, array[float]] = {True: array("d"), False: array("d")}
        for d in lead.values():
            all_lead[True] += d[True]
            all_lead[False] += d[False]
        labels_total = {lb: _shares(_sum(counts[w].get(lb, dict.fromkeys(OUTCOMES, 0)) for w in counts))
                        for lb in LABELS}
        return {
            "method": "predicted spans matched one-to-one to annotated spans: kept = same start/end/label/"
                      "attributes; changed = same span with other attributes, or an overlapping annotated span "
                      "(boundary or label moved); deleted = nothing overlapping left; added = annotated span "
                      "matched to no prediction. Shares are of the predicted spans.",
            "annotations_compared": self.compared,
            "annotations_without_prediction": self.without,
            "overall": {"labels": labels_total, "total": _shares(_sum(labels_total.values())),
                        "lead_time_median": _medians(all_lead)},
            "by_annotator": by_annotator,
        }


def classify(predicted: Sequence[Mapping[str, Any]], annotated: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(label, outcome) for every predicted span and every added annotated span."""
    out: list[tuple[str, str]] = []
    free_a = list(range(len(annotated)))
    free_p = []
    exact = {(s["start"], s["end"], s["label"]): i for i, s in enumerate(annotated)}
    for p in predicted:
        i = exact.pop((p["start"], p["end"], p["label"]), None)
        if i is None:
            free_p.append(p)
            continue
        free_a.remove(i)
        out.append((p["label"], "kept" if p["attributes"] == annotated[i]["attributes"] else "changed"))
    candidates = sorted(
        (-(min(p["end"], annotated[i]["end"]) - max(p["start"], annotated[i]["start"])), k, i)
        for k, p in enumerate(free_p) for i in free_a
        if min(p["end"], annotated[i]["end"]) > max(p["start"], annotated[i]["start"]))
    used_p: set[int] = set()
    used_a: set[int] = set()
    for _, k, i in candidates:
        if k not in used_p and i not in used_a:
            used_p.add(k)
            used_a.add(i)
    for k, p in enumerate(free_p):
        out.append((p["label"], "changed" if k in used_p else "deleted"))
    out.extend((annotated[i]["label"], "added") for i in free_a if i not in used_a)
    return out


def _shown(predictions: list[Mapping[str, Any]], parent: Any) -> Mapping[str, Any] | None:
    if not predictions:
        return None
    for p in predictions:
        if parent is not None and p.get("id") == parent:
            return p
    return max(predictions, key=lambda p: (str(p.get("created_at") or ""),
                                           p.get("id") if isinstance(p.get("id"), int) else -1))


def _sum(items: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total = dict.fromkeys(OUTCOMES, 0)
    for c in items:
        for k in OUTCOMES:
            total[k] += c[k]
    return total


def _shares(c: Mapping[str, int]) -> dict[str, Any]:
    predicted = c["kept"] + c["changed"] + c["deleted"]
    out: dict[str, Any] = {"predicted": predicted, **{k: c[k] for k in OUTCOMES}}
    for k in ("kept", "changed", "deleted"):
        out[f"{k}_share"] = round(c[k] / predicted, 4) if predicted else None
    return out


def _medians(lead: Mapping[bool, Sequence[float]]) -> dict[str, Any]:
    return {"with_predictions": _median(lead[True]), "without_predictions": _median(lead[False]),
            "annotations_with": len(lead[True]), "annotations_without": len(lead[False])}


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None

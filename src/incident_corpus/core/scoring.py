"""Span precision/recall/F1: one definition shared by the pre-annotation benchmark (gold set)
and `annotate status` (predictions against what annotators submitted).

Exact: same start, end and label. Overlap: same label and at least one shared character; each
reference span is matched at most once, so one long prediction cannot cover several spans.
(Inter-annotator agreement in agreement.py matches one-to-one by largest overlap instead,
because there neither side is the reference.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from incident_corpus.core.labels import LABELS

Span = tuple[int, int, str]
MATCH_MODES: tuple[str, ...] = ("exact", "overlap")


@dataclass(frozen=True)
class Score:
    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "n_pred": self.n_pred, "n_gold": self.n_gold, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def score_spans(pairs: Iterable[tuple[list[Span], list[Span]]]) -> dict[str, dict[str, Score]]:
    """Scores per mode, per label (ours first, then any other label seen) and "micro" over all."""
    counts: dict[str, Counter[str]] = {m: Counter() for m in MATCH_MODES}
    labels_seen: set[str] = set(LABELS)
    for gold, pred in pairs:
        labels_seen.update(label for *_, label in gold + pred)
        for mode in MATCH_MODES:
            c = counts[mode]
            used: set[int] = set()
            for p_start, p_end, p_label in pred:
                c["pred:" + p_label] += 1
                for k, (g_start, g_end, g_label) in enumerate(gold):
                    if k in used or g_label != p_label:
                        continue
                    hit = (g_start, g_end) == (p_start, p_end) if mode == "exact" else (
                        p_start < g_end and g_start < p_end)
                    if hit:
                        used.add(k)
                        c["tp:" + p_label] += 1
                        break
            for *_, g_label in gold:
                c["gold:" + g_label] += 1
    ordered = [*LABELS, *sorted(labels_seen - set(LABELS))]
    out: dict[str, dict[str, Score]] = {}
    for mode in MATCH_MODES:
        c = counts[mode]
        per = {label: Score(c["tp:" + label], c["pred:" + label], c["gold:" + label]) for label in ordered}
        per["micro"] = Score(sum(s.tp for s in per.values()), sum(s.n_pred for s in per.values()),
                             sum(s.n_gold for s in per.values()))
        out[mode] = per
    return out

"""Inter-annotator agreement on spans: how far can the labels be trusted?

For every article annotated by two or more different annotators, each pair of annotators is
compared: a span of one "matches" a span of the other either exactly (same start, end and
label) or by overlap (same label, overlapping ranges; one-to-one, largest overlap first).
F1 = 2·matches / (spans of A + spans of B), symmetric in A and B; null when both are empty.
When one annotator has several annotations of an article, their most recent one is used.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from incident_corpus.core.labels import LABELS
from incident_corpus.core.records import recency_key

SpanKey = tuple[int, int, str]


def agreement(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Pairwise span agreement per label, per annotator pair and overall (JSON-ready)."""
    by_article: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for rec in records:
        latest = by_article[rec["article_id"]]
        who = rec["annotator"]
        if who not in latest or recency_key(rec) > recency_key(latest[who]):
            latest[who] = rec

    overall = _Tally()
    pairs: dict[tuple[str, str], _Tally] = {}
    pair_articles: dict[tuple[str, str], int] = defaultdict(int)
    multi = 0
    for article_id in sorted(by_article):
        annotators = by_article[article_id]
        if len(annotators) < 2:
            continue
        multi += 1
        for a, b in itertools.combinations(sorted(annotators), 2):
            tally = pairs.setdefault((a, b), _Tally())
            pair_articles[(a, b)] += 1
            spans_a = _span_keys(annotators[a])
            spans_b = _span_keys(annotators[b])
            for label in LABELS:
                la = [s for s in spans_a if s[2] == label]
                lb = [s for s in spans_b if s[2] == label]
                exact = len(set(la) & set(lb))
                overlap = _overlap_matches(la, lb)
                for t in (tally, overall):
                    t.add(label, len(la), len(lb), exact, overlap)

    return {
        "articles": len(by_article),
        "articles_with_multiple_annotators": multi,
        "method": "pairwise span F1 = 2*matches/(spans_a+spans_b); exact = same start/end/label, "
                  "overlap = same label and overlapping ranges (one-to-one)",
        "overall": overall.as_dict(),
        "pairs": [
            {"annotators": [a, b], "articles": pair_articles[(a, b)], **pairs[(a, b)].as_dict()}
            for a, b in sorted(pairs)
        ],
    }


def _span_keys(record: Mapping[str, Any]) -> list[SpanKey]:
    return sorted({(s["start"], s["end"], s["label"]) for s in record["spans"]})


def _overlap_matches(a: list[SpanKey], b: list[SpanKey]) -> int:
    """One-to-one matching of overlapping spans: exact pairs first, then the largest overlaps (greedy)."""
    candidates = []
    for i, (sa, ea, _) in enumerate(a):
        for j, (sb, eb, _) in enumerate(b):
            inter = min(ea, eb) - max(sa, sb)
            if inter > 0:
                candidates.append(((sa, ea) != (sb, eb), -inter, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


class _Tally:
    """Span and match counts per label; F1 derived on output."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {label: [0, 0, 0, 0] for label in LABELS}

    def add(self, label: str, n_a: int, n_b: int, exact: int, overlap: int) -> None:
        c = self.counts[label]
        c[0] += n_a
        c[1] += n_b
        c[2] += exact
        c[3] += overlap

    def as_dict(self) -> dict[str, Any]:
        total = [sum(c[k] for c in self.counts.values()) for k in range(4)]
        return {
            "micro": _scores(total),
            "per_label": {label: _scores(self.counts[label]) for label in LABELS},
        }


def _scores(c: list[int]) -> dict[str, Any]:
    n_a, n_b, exact, overlap = c
    denom = n_a + n_b
    return {
        "spans_a": n_a,
        "spans_b": n_b,
        "exact_matches": exact,
        "overlap_matches": overlap,
        "exact_f1": round(2 * exact / denom, 4) if denom else None,
        "overlap_f1": round(2 * overlap / denom, 4) if denom else None,
    }

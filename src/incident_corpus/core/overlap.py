"""The one overlap policy: which of several competing spans survive when none may overlap.

The guideline allows no overlaps, within or across labels. Both the export's one-label-per-token
views (export/align.py) and the pre-annotator (preannotate/rules.py) keep spans greedily in this
order: the longer span in characters first, then the label earlier in labels.OVERLAP_PRIORITY, then
the higher score (rule confidence; 0 for annotations), then the earlier start. A span whose tokens
are already taken is dropped whole, so a short span that only overlapped a loser survives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from incident_corpus.core.labels import OVERLAP_PRIORITY

_PRIORITY = {label: i for i, label in enumerate(OVERLAP_PRIORITY)}


class Contender(NamedTuple):
    """One span in the competition: its token range (first, one past last), chars, label and score."""

    first: int
    last: int
    start: int
    end: int
    label: str
    score: float = 0.0


def keep_non_overlapping(spans: Sequence[Contender], n_tokens: int | None = None) -> list[int]:
    """Indices of the spans kept, in token order; the others lost to an overlapping span by the policy above."""
    order = sorted(range(len(spans)), key=lambda i: (
        -(spans[i].end - spans[i].start), _PRIORITY.get(spans[i].label, len(_PRIORITY)), -spans[i].score,
        spans[i].start, i))
    size = n_tokens if n_tokens is not None else max((s.last for s in spans), default=0)
    taken = bytearray(size)
    kept: list[int] = []
    for i in order:
        s = spans[i]
        if any(taken[s.first:s.last]):
            continue
        taken[s.first:s.last] = b"\x01" * (s.last - s.first)
        kept.append(i)
    kept.sort(key=lambda i: spans[i].first)
    return kept

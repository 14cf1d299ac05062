"""The one overlap policy: which of several competing spans survive when none may overlap.

The guideline allows no overlaps, within or across labels. Both the export's one-label-per-token
views (export/align.py) and the pre-annotator (preannotate/runner.py) keep spans greedily in this
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


def _rank(s: Contender) -> tuple[int, int, float, int]:
    """The policy's order (lower first): longer in characters, label priority, higher score, earlier start."""
    return -(s.end - s.start), _PRIORITY.get(s.label, len(_PRIORITY)), -s.score, s.start


def keep_non_overlapping(spans: Sequence[Contender], n_tokens: int | None = None) -> list[int]:
    """Indices of the spans kept, in token order; the others lost to an overlapping span by the policy above."""
    if len(spans) == 2 and spans[0].first < spans[0].last and spans[1].first < spans[1].last:
        # the common contest, a pair (most of the pre-annotator's): the same answer without the token mask
        a, b = spans
        if a.first < b.last and b.first < a.last:
            return [0] if _rank(a) <= _rank(b) else [1]
        return [0, 1] if a.first < b.first else [1, 0]
    order = sorted(range(len(spans)), key=lambda i: (*_rank(spans[i]), i))
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

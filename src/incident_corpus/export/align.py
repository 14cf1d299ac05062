"""Character offsets <-> tokens, and the overlap policy for one-label-per-token views.

Annotators mark spans in characters and may overlap them; BIO tags and `doc.ents` allow one
label per token. Every exporter uses `align_spans` so all formats drop and expand the same
spans, and the counts it returns go into the dataset card.

Policy (see also labels.OVERLAP_PRIORITY):
- Tokens are the project tokenizer's non-whitespace tokens; whitespace tokens ("\\n\\n",
  extra spaces) carry no label and are left out of the token view.
- A span whose edges are not token edges is widened to the tokens it touches (and loses
  any leading/trailing whitespace); it is counted as `expanded`.
- A span that touches no token (whitespace only) is dropped and counted as `dropped_empty`.
- Spans whose token ranges overlap compete by core/overlap.py (the policy the pre-annotator
  shares): the longer span in characters wins, then the label earlier in OVERLAP_PRIORITY,
  then the earlier start. Losers are dropped whole and counted as `dropped_overlap`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from incident_corpus.core.labels import BIO_TAGS, LABELS
from incident_corpus.core.overlap import Contender, keep_non_overlapping

_B_ID = {label: BIO_TAGS.index(f"B-{label}") for label in LABELS}
_I_ID = {label: BIO_TAGS.index(f"I-{label}") for label in LABELS}


@dataclass
class AlignStats:
    """What the overlap/alignment policy did; summed over a corpus for the card."""

    spans: int = 0
    kept: int = 0
    expanded: int = 0
    dropped_overlap: int = 0
    dropped_empty: int = 0
    dropped_overlap_by_label: Counter = field(default_factory=Counter)
    expanded_by_label: Counter = field(default_factory=Counter)

    def __iadd__(self, other: AlignStats) -> AlignStats:
        self.spans += other.spans
        self.kept += other.kept
        self.expanded += other.expanded
        self.dropped_overlap += other.dropped_overlap
        self.dropped_empty += other.dropped_empty
        self.dropped_overlap_by_label.update(other.dropped_overlap_by_label)
        self.expanded_by_label.update(other.expanded_by_label)
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "spans": self.spans,
            "kept": self.kept,
            "expanded": self.expanded,
            "dropped_overlap": self.dropped_overlap,
            "dropped_empty": self.dropped_empty,
            "dropped_overlap_by_label": {k: self.dropped_overlap_by_label[k] for k in LABELS},
            "expanded_by_label": {k: self.expanded_by_label[k] for k in LABELS},
        }


class Aligned(NamedTuple):
    """A span kept for the token view: its input index, label, token range and token-aligned chars.

    A NamedTuple, not a dataclass: one is built per span, and construction cost shows at 100k articles.
    """

    index: int  # type: ignore[assignment]  # a field named like tuple.index, read as a field everywhere
    label: str
    first: int  # first token index (into the non-space tokens)
    last: int  # one past the last token index
    start: int  # char start of token `first`
    end: int  # char end of token `last - 1`


def token_offsets(doc: Any) -> tuple[list[int], list[int]]:
    """Char starts and ends of the doc's non-whitespace tokens (vectorised: no Token objects)."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    if len(doc) == 0:
        return [], []
    arr = doc.to_array([IDX, LENGTH, IS_SPACE])
    keep = arr[:, 2] == 0
    starts = arr[keep, 0]
    ends = starts + arr[keep, 1]
    return starts.tolist(), ends.tolist()


def align_spans(
    token_starts: Sequence[int], token_ends: Sequence[int], spans: Sequence[tuple[int, int, str]]
) -> tuple[list[Aligned], AlignStats]:
    """Apply the overlap policy: the spans kept (sorted by position) and what was dropped/expanded."""
    stats = AlignStats(spans=len(spans))
    aligned: list[Aligned] = []
    contenders: list[Contender] = []
    for i, (start, end, label) in enumerate(spans):
        first = bisect_right(token_ends, start)  # first token ending after `start`
        last = bisect_left(token_starts, end)  # tokens starting before `end`
        if first >= last:
            stats.dropped_empty += 1
            continue
        t_start, t_end = token_starts[first], token_ends[last - 1]
        if t_start != start or t_end != end:
            stats.expanded += 1
            stats.expanded_by_label[label] += 1
        aligned.append(Aligned(i, label, first, last, t_start, t_end))
        contenders.append(Contender(first, last, start, end, label))
    keep = set(keep_non_overlapping(contenders, len(token_starts)))
    kept: list[Aligned] = []
    for k, a in enumerate(aligned):
        if k in keep:
            kept.append(a)
        else:
            stats.dropped_overlap += 1
            stats.dropped_overlap_by_label[a.label] += 1
    kept.sort(key=lambda a: a.first)
    stats.kept = len(kept)
    return kept, stats


def bio_ids(n_tokens: int, kept: Sequence[Aligned]) -> list[int]:
    """IOB2 tag ids (indices into labels.BIO_TAGS) for non-overlapping aligned spans."""
    tags = [0] * n_tokens
    for a in kept:
        tags[a.first] = _B_ID[a.label]
        if a.last - a.first > 1:
            tags[a.first + 1 : a.last] = [_I_ID[a.label]] * (a.last - a.first - 1)
    return tags


def spans_to_bio(
    token_starts: Sequence[int], token_ends: Sequence[int], spans: Sequence[tuple[int, int, str]]
) -> tuple[list[str], AlignStats]:
    """IOB2 tag strings for (start, end, label) char spans after the overlap policy."""
    kept, stats = align_spans(token_starts, token_ends, spans)
    return [BIO_TAGS[t] for t in bio_ids(len(token_starts), kept)], stats


def bio_to_spans(
    tags: Sequence[str | int], token_starts: Sequence[int], token_ends: Sequence[int]
) -> list[tuple[int, int, str]]:
    """Decode IOB2 tags (strings or BIO_TAGS ids) to (start, end, label) char spans.

    An I- tag that does not continue a span of its label starts a new one (conlleval's reading).
    """
    out: list[tuple[int, int, str]] = []
    cur_label: str | None = None
    cur_start = cur_end = 0
    for i, tag in enumerate(tags):
        name = BIO_TAGS[tag] if isinstance(tag, int) else tag
        if name == "O":
            prefix, label = "O", None
        else:
            prefix, _, label = name.partition("-")
        if prefix == "I" and label == cur_label:
            cur_end = token_ends[i]
            continue
        if cur_label is not None:
            out.append((cur_start, cur_end, cur_label))
        cur_label = label
        if label is not None:
            cur_start, cur_end = token_starts[i], token_ends[i]
    if cur_label is not None:
        out.append((cur_start, cur_end, cur_label))
    return out


def annotators_bio(text: str, span_sets: Sequence[Sequence[tuple[int, int, str]]]) -> list[list[str]]:
    """IOB2 tags of the text's non-space tokens for each annotator's spans (one tokenization, the
    overlap policy above): what quality.agreement's token κ compares. Handed to it by the caller,
    so quality never imports export."""
    from incident_corpus.core.nlp import tokenizer

    starts, ends = token_offsets(tokenizer()(text))
    return [spans_to_bio(starts, ends, spans)[0] for spans in span_sets]

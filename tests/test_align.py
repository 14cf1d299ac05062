from __future__ import annotations

from incident_corpus.core.labels import BIO_TAGS
from incident_corpus.core.nlp import tokenizer
from incident_corpus.export.align import AlignStats, align_spans, bio_to_spans, spans_to_bio, token_offsets


def offsets(text: str) -> tuple[list[int], list[int]]:
    return token_offsets(tokenizer()(text))


def test_token_offsets_skip_whitespace_tokens_and_count_code_points() -> None:
    text = "😀 “ISIS”  claimed\n\nit."
    starts, ends = offsets(text)
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == [
        "😀",
        "“",
        "ISIS",
        "”",
        "claimed",
        "it",
        ".",
    ]


def test_aligned_span_round_trips_through_bio() -> None:
    text = "A suicide bombing in Kabul killed at least 12 people."
    starts, ends = offsets(text)
    spans = [(2, 17, "ATTACK"), (34, 52, "CASUALTY")]
    tags, stats = spans_to_bio(starts, ends, spans)
    assert tags[:4] == ["O", "B-ATTACK", "I-ATTACK", "O"]
    assert bio_to_spans(tags, starts, ends) == spans
    assert bio_to_spans([BIO_TAGS.index(t) for t in tags], starts, ends) == spans
    assert (stats.kept, stats.expanded, stats.dropped_overlap, stats.dropped_empty) == (2, 0, 0, 0)


def test_longer_span_wins_and_loser_is_dropped_whole() -> None:
    text = "The Islamic State claimed responsibility."
    starts, ends = offsets(text)
    kept, stats = align_spans(starts, ends, [(0, 17, "PERPETRATOR"), (0, 40, "CLAIM")])
    assert [(a.label, a.start, a.end, a.index) for a in kept] == [("CLAIM", 0, 40, 1)]
    assert stats.dropped_overlap == 1 and stats.dropped_overlap_by_label["PERPETRATOR"] == 1


def test_equal_length_tie_goes_to_overlap_priority_then_earlier_start() -> None:
    text = "The attacker was killed ."
    starts, ends = offsets(text)
    kept, _ = align_spans(starts, ends, [(0, 12, "PERPETRATOR"), (0, 12, "CASUALTY")])
    assert [a.label for a in kept] == ["CASUALTY"]
    text = "aa bb cc"
    starts, ends = offsets(text)
    kept, _ = align_spans(starts, ends, [(3, 8, "ATTACK"), (0, 5, "ATTACK")])
    assert [(a.start, a.end) for a in kept] == [(0, 5)]


def test_greedy_keeps_a_short_span_that_only_overlapped_a_loser() -> None:
    text = "villagers died when insurgents torched homes"
    starts, ends = offsets(text)
    spans = [(0, 30, "CLAIM"), (20, 44, "ATTACK"), (31, 38, "ATTACK")]
    kept, stats = align_spans(starts, ends, spans)
    assert [(a.index, a.label) for a in kept] == [(0, "CLAIM"), (2, "ATTACK")]
    assert stats.dropped_overlap == 1


def test_off_boundary_span_is_expanded_and_whitespace_span_dropped() -> None:
    text = "Militants attacked a base.\n\nThen"
    starts, ends = offsets(text)
    tags, stats = spans_to_bio(starts, ends, [(10, 16, "ATTACK"), (0, 10, "PERPETRATOR"), (26, 28, "CLAIM")])
    assert tags[:3] == ["B-PERPETRATOR", "B-ATTACK", "O"]
    assert bio_to_spans(tags, starts, ends) == [(0, 9, "PERPETRATOR"), (10, 18, "ATTACK")]
    assert (stats.expanded, stats.dropped_empty, stats.kept) == (2, 1, 2)


def test_bio_decoding_treats_stray_inside_tag_as_a_new_span() -> None:
    starts, ends = [0, 2, 4], [1, 3, 5]
    assert bio_to_spans(["I-ATTACK", "I-CLAIM", "I-CLAIM"], starts, ends) == [
        (0, 1, "ATTACK"),
        (2, 5, "CLAIM"),
    ]


def test_stats_add_up() -> None:
    total = AlignStats()
    for _ in range(2):
        _, s = align_spans([0], [1], [(0, 1, "ATTACK"), (0, 1, "CLAIM")])
        total += s
    assert total.as_dict()["dropped_overlap"] == 2 and total.spans == 4 and total.kept == 2

from __future__ import annotations

import pytest

from incident_corpus.core.errors import InputError
from incident_corpus.export.splits import assign_split, assign_splits, parse_split, split_point

IDS = [f"{i:016x}" for i in range(2000)]


def test_parse_split_accepts_fractions_summing_to_one() -> None:
    assert parse_split("0.8/0.1/0.1") == pytest.approx((0.8, 0.1, 0.1))
    assert parse_split("1/0/0") == (1.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "text", ["0.8/0.2", "0.8/0.1/0.2", "a/b/c", "-0.1/0.6/0.5", "0.8/0.1/0.1/0", "nan/0.5/0.5"]
)
def test_parse_split_rejects_bad_ratios(text: str) -> None:
    with pytest.raises(InputError, match=r"0\.8/0\.1/0\.1"):
        parse_split(text)


def test_assignment_is_deterministic_and_follows_ratios() -> None:
    ratios = (0.8, 0.1, 0.1)
    first = {a: assign_split(a, seed=13, ratios=ratios) for a in IDS}
    assert first == {a: assign_split(a, seed=13, ratios=ratios) for a in reversed(IDS)}
    counts = {s: list(first.values()).count(s) for s in ("train", "validation", "test")}
    assert 1500 < counts["train"] < 1700 and 120 < counts["validation"] < 280 and 120 < counts["test"] < 280
    other_seed = {a: assign_split(a, seed=14, ratios=ratios) for a in IDS}
    assert other_seed != first


def test_zero_ratio_split_stays_empty() -> None:
    got = assign_splits(IDS, seed=13, ratios=(0.9, 0.1, 0.0))
    assert "test" not in got.values()


def test_adding_articles_never_moves_existing_ones() -> None:
    small = assign_splits(IDS[:500], seed=13, ratios=(0.8, 0.1, 0.1))
    big = assign_splits(IDS, seed=13, ratios=(0.8, 0.1, 0.1))
    assert all(big[a] == s for a, s in small.items())


def test_tiny_corpus_gets_a_train_article() -> None:
    ratios = (0.1, 0.45, 0.45)
    ids = [a for a in IDS if assign_split(a, seed=13, ratios=ratios) != "train"][:3]
    got = assign_splits(ids, seed=13, ratios=ratios)
    assert list(got.values()).count("train") == 1
    assert got[min(ids, key=lambda a: split_point(a, seed=13))] == "train"

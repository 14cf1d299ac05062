"""parse_count: the casualty-phrase number normaliser (conventions in counts.py / guideline)."""

from __future__ import annotations

import pytest

from incident_corpus.export.counts import parse_count


def exact(n: int) -> dict:
    return {"min": n, "max": n, "approximate": False}


@pytest.mark.parametrize(("text", "expected"), [
    ("nine worshipers", exact(9)),
    ("nearly fifty more", {"min": None, "max": 50, "approximate": True}),
    ("almost 30 people", {"min": None, "max": 30, "approximate": True}),
    ("more than one hundred people", {"min": 100, "max": None, "approximate": False}),
    ("at least 70", {"min": 70, "max": None, "approximate": False}),
    ("At least 19 students", {"min": 19, "max": None, "approximate": False}),
    ("over 300", {"min": 300, "max": None, "approximate": False}),
    ("up to 25 villagers", {"min": None, "max": 25, "approximate": False}),
    ("some 40", {"min": 40, "max": 40, "approximate": True}),
    ("about 40", {"min": 40, "max": 40, "approximate": True}),
    ("around 40", {"min": 40, "max": 40, "approximate": True}),
    ("roughly 300", {"min": 300, "max": 300, "approximate": True}),
    ("an estimated 3,000 people", {"min": 3000, "max": 3000, "approximate": True}),
    ("a dozen", exact(12)),
    ("two dozen", exact(24)),
    ("half a dozen soldiers", exact(6)),
    ("1,200", exact(1200)),
    ("1200", exact(1200)),
    ("twenty-three people", exact(23)),
    ("Twenty-Three People", exact(23)),
    ("a hundred", exact(100)),
    ("one hundred and twenty people", exact(120)),
    ("two thousand five hundred", exact(2500)),
    ("a guard", exact(1)),
    ("one soldier", exact(1)),
    ("two children", exact(2)),
    ("both guards", exact(2)),
    ("a 14-year-old girl", exact(1)),
    ("two 20-year-old men", exact(2)),
    ("37 others", exact(37)),
    ("between 20 and 30 people", {"min": 20, "max": 30, "approximate": False}),
    ("20-30 people", {"min": 20, "max": 30, "approximate": False}),
])
def test_parse_count(text: str, expected: dict) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", [
    "dozens", "dozens of students", "scores of people", "hundreds", "thousands of civilians", "several",
    "several policemen", "many people", "civilians", "the victims", "",
])
def test_vague_or_missing_count_is_none(text: str) -> None:
    assert parse_count(text) is None

"""Deterministic train/validation/test assignment by article_id.

A split depends only on (seed, article_id, ratios), never on input order or corpus size, so
adding articles never moves existing ones and an article can never be in two splits.

Small corpora: if no article lands in train although train's ratio is positive, the article
whose hash point is smallest (the one nearest to the train interval) is moved to train.
Validation and test may stay empty; exporters leave empty splits out (see export.formats.hf).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping

from incident_corpus.core.errors import InputError

SPLITS: tuple[str, str, str] = ("train", "validation", "test")
DEFAULT_RATIOS: tuple[float, float, float] = (0.8, 0.1, 0.1)
_TOLERANCE = 1e-6


def check_ratios(ratios: tuple[float, float, float]) -> tuple[float, float, float]:
    """Validate and renormalise (train, validation, test) fractions; raise InputError if unusable."""
    if len(ratios) != 3:
        raise InputError(
            f"split ratios {ratios!r}: need exactly three parts train/validation/test, e.g. 0.8/0.1/0.1"
        )
    values = tuple(float(r) for r in ratios)
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise InputError(
            f"split ratios {ratios!r}: every part must be a non-negative number, e.g. 0.8/0.1/0.1"
        )
    total = sum(values)
    if abs(total - 1.0) > _TOLERANCE:
        raise InputError(f"split ratios {ratios!r} sum to {total:g}, not 1: use fractions like 0.8/0.1/0.1")
    return (values[0] / total, values[1] / total, values[2] / total)


def parse_split(text: str) -> tuple[float, float, float]:
    """Parse "0.8/0.1/0.1" (train/validation/test fractions summing to 1)."""
    parts = text.strip().split("/")
    if len(parts) != 3:
        raise InputError(
            f"--split {text!r}: expected three fractions train/validation/test separated by "
            "'/', e.g. 0.8/0.1/0.1"
        )
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise InputError(f"--split {text!r}: each part must be a number, e.g. 0.8/0.1/0.1") from None
    return check_ratios(values)  # type: ignore[arg-type]


def split_point(article_id: str, *, seed: int) -> float:
    """The article's fixed point in [0, 1): the first 8 bytes of sha256(f"{seed}:{article_id}")."""
    digest = hashlib.sha256(f"{seed}:{article_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def _split_for_point(x: float, ratios: tuple[float, float, float]) -> str:
    if x < ratios[0]:
        return "train"
    if x < ratios[0] + ratios[1] or ratios[2] == 0:
        return "validation" if ratios[1] > 0 else "train"
    return "test"


def assign_split(article_id: str, *, seed: int, ratios: tuple[float, float, float]) -> str:
    """The split of one article by cumulative ratios (no small-corpus correction)."""
    return _split_for_point(split_point(article_id, seed=seed), check_ratios(ratios))


def assign_splits(
    article_ids: Iterable[str], *, seed: int, ratios: tuple[float, float, float],
    group_of: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Splits for a whole corpus: `assign_split` plus the non-empty-train rule for small corpora.

    With `group_of` (article_id -> near-duplicate group id, neardup.groups) a whole group goes where its
    group id's point falls, so no group spans two splits; an article alone in its group has its own id as
    group id and keeps the split it had without grouping."""
    ratios = check_ratios(ratios)
    ids = list(article_ids)
    key = {aid: (group_of or {}).get(aid, aid) for aid in ids}
    points = {g: split_point(g, seed=seed) for g in set(key.values())}
    by_group = {g: _split_for_point(x, ratios) for g, x in points.items()}
    if points and ratios[0] > 0 and "train" not in by_group.values():
        first = min(points, key=lambda g: (points[g], g))
        by_group[first] = "train"
    return {aid: by_group[key[aid]] for aid in ids}

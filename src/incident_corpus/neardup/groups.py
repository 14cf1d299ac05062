"""Near-duplicate groups of a whole corpus (export splits, `annotate dedupe`): every article is
sketched once, LSH candidate pairs are collected as articles arrive, and only those pairs are checked
exactly at the end (texts fetched back through a callback, so the corpus is never held in memory)."""

from __future__ import annotations

import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from incident_corpus.neardup.bands import shared_keys
from incident_corpus.neardup.detect import DEFAULT_THRESHOLD, Index, Match, decide, sketch_many

# Articles sketched and queried together: the candidate sets of a chunk are held at once, so a big group of
# near-duplicates (k articles: k candidates each) costs a chunk times k; 32 keeps that small and numpy's calls few.
CHUNK = 32


@dataclass
class Grouping:
    """article_id -> group id (the smallest article_id of its group), and the pairs that joined them."""

    group_of: dict[str, str]
    matches: list[Match] = field(default_factory=list)
    threshold: float = DEFAULT_THRESHOLD

    def groups(self) -> dict[str, list[str]]:
        """Groups of two or more articles, members sorted."""
        out: dict[str, list[str]] = {}
        for aid, gid in sorted(self.group_of.items()):
            out.setdefault(gid, []).append(aid)
        return {g: m for g, m in out.items() if len(m) > 1}

    def summary(self) -> dict[str, Any]:
        multi = self.groups()
        sizes = Counter(len(m) for m in multi.values())
        return {"threshold": self.threshold, "articles": len(self.group_of),
                "groups": len(set(self.group_of.values())), "near_duplicate_groups": len(multi),
                "articles_in_near_duplicate_groups": sum(len(m) for m in multi.values()),
                "group_sizes": {str(k): sizes[k] for k in sorted(sizes)}}


class Grouper:
    """add() each article, then finish(text_of) once."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.index = Index(threshold)
        self._pairs = array.array("i")  # candidate pairs as index slots, flat: 8 bytes a pair (a group of k: k²/2)
        self._seen: set[str] = set()
        self._waiting: list[tuple[str, str]] = []  # sketched CHUNK at a time (vectorised)

    @property
    def pairs(self) -> Iterator[tuple[str, str]]:
        """The candidate pairs to check exactly, (article, an earlier article)."""
        keys = self.index.keys
        for at in range(0, len(self._pairs), 2):
            a, b = keys[self._pairs[at]], keys[self._pairs[at + 1]]
            assert a is not None and b is not None  # a grouper never removes
            yield a, b

    def __contains__(self, key: str) -> bool:
        return key in self._seen

    def add(self, key: str, text: str) -> None:
        if key in self._seen:
            return
        self._seen.add(key)
        self._waiting.append((key, text))
        if len(self._waiting) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        """Sketch the waiting articles, pair each with the indexed and the earlier waiting ones it may match."""
        keys_of = [k for k, _ in self._waiting]
        sketches = sketch_many([t for _, t in self._waiting])
        self._waiting = []
        bands = self.index.band_keys_many(sketches)
        earlier = shared_keys(bands)
        for i, (key, sk, found) in enumerate(zip(keys_of, sketches, self.index.candidates_many(sketches, bands),
                                                 strict=True)):
            found += [keys_of[j] for j in sorted(earlier.get(i, ()))]
            slot = len(self.index.keys)
            for other in found:
                if self.index.plausible(sk, other):
                    self._pairs.extend((slot, self.index.slot(other)))
            self.index.add(key, sk)

    def finish(self, text_of: Callable[[str], str], *, keep_matches: bool = True) -> Grouping:
        """The groups; `keep_matches` False leaves out the checked pairs (a caller that needs only the groups)."""
        self._flush()
        parent = {k: k for k in self._seen}

        def root(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        matches = []
        for key, other in self.pairs:
            found = decide(key, text_of(key), other, text_of(other), self.index.threshold)
            if found is None:
                continue
            if keep_matches:
                matches.append(found)
            a, b = root(key), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
        members: dict[str, list[str]] = {}
        for k in parent:
            members.setdefault(root(k), []).append(k)
        group_of = {k: min(ms) for ms in members.values() for k in ms}
        return Grouping(group_of=group_of, matches=matches, threshold=self.index.threshold)


def group_texts(texts: dict[str, str], threshold: float = DEFAULT_THRESHOLD) -> Grouping:
    """Groups of an in-memory corpus (article_id -> text)."""
    grouper = Grouper(threshold)
    for key, text in texts.items():
        grouper.add(key, text)
    return grouper.finish(texts.__getitem__)

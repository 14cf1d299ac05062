"""Near-duplicate groups of a whole corpus (export splits, pull's group ids, `annotate dedupe`): every
article is sketched once as it arrives (in batches, here or in another process), the LSH candidate pairs
come from one sort of all the band keys at the end, and only those pairs are checked exactly (texts
fetched back through a callback, so the corpus is never held in memory).
"""

from __future__ import annotations

import array
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from incident_corpus.neardup.bands import band_keys, earlier_rows
from incident_corpus.neardup.detect import (
    DEFAULT_THRESHOLD,
    Match,
    bands_for,
    check_threshold,
    decide,
    plausible,
    signatures_of,
)

# Articles sketched together, here or in another process (sketching.py vectorises them CHUNK at a time):
# enough to amortise handing a batch to a worker; the texts of one batch wait in memory.
BATCH = 256
# An article's whole-text signature (NUM_PERM uint32), LSH band keys (uint64) and word count, a batch's in rows.
Sketched = tuple[np.ndarray, np.ndarray, np.ndarray]


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


def sketch_batch(texts: list[str], threshold: float) -> Sketched:
    """A batch's whole-text signatures, LSH band keys (both signatures) and word counts: the part of grouping
    that may run in another process (an export's tokenizer worker, idle while the input is read)."""
    full, lede, counts = signatures_of(texts)
    return full, band_keys(np.stack([full, lede], axis=1), *bands_for(threshold)), counts


class Grouper:
    """add() each article, then finish(text_of) once.

    The articles are sketched BATCH at a time as they come (here, or by `offload`: a callable that may hand a
    batch to another process and return its future, or None to sketch it here); the candidate pairs come
    from one sort of every article's band keys at the end (bands.earlier_rows), not a query per article.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD,
                 offload: Callable[[list[str], float], Future[Sketched] | None] | None = None,
                 batch: int | None = None) -> None:
        self.threshold = check_threshold(threshold)
        self._offload = offload
        self._batch = batch or BATCH  # texts held until sketched; a caller that streams to bound memory asks fewer
        self._keys: list[str] = []  # slot -> article_id, in the order added
        self._seen: set[str] = set()
        self._waiting: list[str] = []
        self._sketched: list[Sketched | Future[Sketched]] = []
        self._pairs: array.array[int] | None = None  # candidate pairs as slots, flat (a group of k: k²/2 pairs)

    @property
    def pairs(self) -> Iterator[tuple[str, str]]:
        """The candidate pairs to check exactly, (article, an earlier article)."""
        pairs, keys = self._candidates(), self._keys
        for at in range(0, len(pairs), 2):
            yield keys[pairs[at]], keys[pairs[at + 1]]

    def __contains__(self, key: str) -> bool:
        return key in self._seen

    def add(self, key: str, text: str) -> None:
        if key in self._seen:
            return
        self._seen.add(key)
        self._keys.append(key)
        self._waiting.append(text)
        self._pairs = None
        if len(self._waiting) >= self._batch:
            self._flush()

    def _flush(self) -> None:
        texts, self._waiting = self._waiting, []
        if texts:
            handed = self._offload(texts, self.threshold) if self._offload is not None else None
            self._sketched.append(handed if handed is not None else sketch_batch(texts, self.threshold))

    def _candidates(self) -> array.array[int]:
        """Each article paired with every earlier one it shares a band key with and whose signature estimate
        is plausible (detect.plausible), articles in the order added, each one's partners in that order."""
        if self._pairs is not None:
            return self._pairs
        self._flush()
        parts = [p.result() if isinstance(p, Future) else p for p in self._sketched]
        pairs: array.array[int] = array.array("i")
        if parts:
            full, keys, counts = (np.concatenate(column) for column in zip(*parts, strict=True))
            self._sketched = [(full, keys, counts)]
            del parts  # the batches' own arrays: only the concatenated ones are needed now
            n_words = counts.tolist()
            for i, earlier in earlier_rows(keys):
                for j in earlier:
                    if plausible(full[i], n_words[i], full[j], n_words[j], self.threshold):
                        pairs.extend((i, j))
        self._pairs = pairs
        return pairs

    def finish(self, text_of: Callable[[str], str], *, keep_matches: bool = True) -> Grouping:
        """The groups; `keep_matches` False leaves out the checked pairs (a caller that needs only the groups)."""
        parent = {k: k for k in self._keys}

        def root(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        matches = []
        for key, other in self.pairs:
            found = decide(key, text_of(key), other, text_of(other), self.threshold)
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
        return Grouping(group_of=group_of, matches=matches, threshold=self.threshold)


def group_texts(texts: dict[str, str], threshold: float = DEFAULT_THRESHOLD) -> Grouping:
    """Groups of an in-memory corpus (article_id -> text)."""
    grouper = Grouper(threshold)
    for key, text in texts.items():
        grouper.add(key, text)
    return grouper.finish(texts.__getitem__)

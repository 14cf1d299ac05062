"""Near-duplicate detection: MinHash signatures (rensa) over word shingles, LSH candidates, and an
exact check of every candidate pair so a reported similarity is the real one, not an estimate.

Two articles are near-duplicates when the Jaccard similarity of their word-shingle sets is at least
the threshold (a reprint, an update, a print view), or when the shorter one's shingles lie inside the
longer one's at least that much (containment: a brief inside its full story). Containment candidates
come from a second signature of each article's opening (`LEDE_WORDS`): a wire brief is the first
paragraphs of its story. The text is the normalised task text, so boilerplate ingest strips never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from incident_corpus.core.errors import InputError

DEFAULT_THRESHOLD = 0.8
SHINGLE = 4  # words per shingle: one changed word moves 4 shingles, a new sentence ~ its length
NUM_PERM = 128
SEED = 7
LEDE_WORDS = 60
# A candidate whose signature estimate (Jaccard, and containment derived from it and the sizes) is this
# far below the threshold is dropped before the exact check: ~4 standard errors at 128 permutations.
# Articles that share stock paragraphs are LSH candidates far more often than near-duplicates.
ESTIMATE_MARGIN = 0.15
KINDS = ("jaccard", "contained", "contains")
# Punctuation becomes space, so "41." and "41" are one word and quotes never split a shingle differently.
# Every other whitespace character (those str.split() splits on) becomes a space too, so the vectorised
# signatures (sketching.py) find the words by spaces alone.
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + \
    "\u2028\u2029\u202f\u205f\u3000"
_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»—–…·" + _SPACES})


def check_threshold(threshold: float) -> float:
    if not 0 < threshold <= 1:
        raise InputError(f"--near-duplicate-threshold must be in (0, 1], e.g. 0.8, not {threshold}")
    return float(threshold)


def normalise(text: str) -> str:
    """Lower case, punctuation and every whitespace character a space: words are what spaces separate."""
    return text.lower().translate(_PUNCT)


def words(text: str) -> list[str]:
    return normalise(text).split()


def shingles(ws: list[str]) -> list[str]:
    """Word k-grams (a text shorter than one shingle is one shingle of all its words)."""
    if len(ws) < SHINGLE:
        return [" ".join(ws)] if ws else []
    return [" ".join(t) for t in zip(*(ws[i:] for i in range(SHINGLE)), strict=False)]


@dataclass
class Sketch:
    """An article's two MinHash signatures (uint32 arrays): of the whole text and of its opening words."""

    digest: np.ndarray
    lede_digest: np.ndarray
    words: int

    _keys: np.ndarray | None = None  # LSH band keys (Index.band_keys)

    def state(self) -> tuple[bytes, bytes]:
        return self.digest.tobytes(), self.lede_digest.tobytes()

    @classmethod
    def from_state(cls, full: bytes, lede: bytes, n_words: int) -> Sketch:
        return cls(np.frombuffer(full, dtype=np.uint32), np.frombuffer(lede, dtype=np.uint32), n_words)


def signatures_of(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(whole-text signatures, opening signatures, word counts) of many texts, vectorised (sketching.py):
    the shingles are those of `shingles(words(t))`."""
    from incident_corpus.neardup.sketching import signatures

    return signatures([normalise(t) for t in texts], shingle=SHINGLE, lede_shingles=LEDE_WORDS - SHINGLE + 1,
                      num_perm=NUM_PERM, seed=SEED)


def sketch_many(texts: Sequence[str]) -> list[Sketch]:
    full, lede, counts = signatures_of(texts)
    return [Sketch(f, h, n) for f, h, n in zip(full, lede, counts.tolist(), strict=True)]


def sketch(text: str) -> Sketch:
    return sketch_many([text])[0]


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # share of the shorter text's shingles found in the longer's


def similarity(a: str, b: str) -> Similarity:
    """The exact figures for one pair (the check behind every reported near-duplicate)."""
    sa, sb = set(shingles(words(a))), set(shingles(words(b)))
    if not sa or not sb:
        return Similarity(0.0, 0.0)
    common = len(sa & sb)
    return Similarity(common / len(sa | sb), common / min(len(sa), len(sb)))


@dataclass(frozen=True)
class Match:
    """`key` is a near-duplicate of `of`: kind jaccard, contained (key's text inside of's) or contains."""

    key: str
    of: str
    similarity: float
    kind: str

    def as_dict(self) -> dict[str, Any]:
        return {"article_id": self.key, "duplicate_of": self.of, "similarity": round(self.similarity, 4),
                "kind": self.kind}


def decide(key: str, text: str, other: str, other_text: str, threshold: float) -> Match | None:
    """Whether `text` (key) is a near-duplicate of `other_text`, by Jaccard first, then containment."""
    sim = similarity(text, other_text)
    if sim.jaccard >= threshold:
        return Match(key, other, sim.jaccard, "jaccard")
    if sim.containment >= threshold:
        shorter = len(words(text)) <= len(words(other_text))
        return Match(key, other, sim.containment, "contained" if shorter else "contains")
    return None


def plausible(digest: np.ndarray, n_words: int, other: np.ndarray, other_words: int, threshold: float) -> bool:
    """Whether two full signatures leave a pair within ESTIMATE_MARGIN of a match (Jaccard or containment)."""
    j = float(np.count_nonzero(other == digest)) / NUM_PERM
    a, b = max(n_words - SHINGLE + 1, 1), max(other_words - SHINGLE + 1, 1)
    containment = j * (a + b) / ((1 + j) * min(a, b))
    return max(j, containment) >= threshold - ESTIMATE_MARGIN


def bands_for(threshold: float) -> tuple[int, int]:
    """LSH (bands, rows per band): the most rows (so the fewest false candidates: a pair of articles that
    share stock paragraphs, J ~ 0.5, is a candidate 28 % of the time at 0.8 instead of 87 % with 32 x 4)
    that still make a pair at the threshold a candidate with probability >= 0.99."""
    for rows in range(16, 0, -1):
        bands = NUM_PERM // rows
        if 1 - (1 - threshold**rows) ** bands >= 0.99:
            return bands, rows
    return NUM_PERM, 1


class Index:
    """LSH over both signatures of every added article; `candidates` are keys to check exactly."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        from incident_corpus.neardup.bands import Bands

        self.threshold = check_threshold(threshold)
        bands, rows = bands_for(self.threshold)
        self._bands = Bands(bands, rows, signatures=2)
        self.keys: list[str | None] = []
        self._slot: dict[str, int] = {}
        self._sig: np.ndarray = np.zeros((1024, NUM_PERM), dtype=np.uint32)  # full signatures by slot, for estimates
        self._words: list[int] = []

    def __len__(self) -> int:
        return len(self._slot)

    def nbytes(self) -> int:
        """The index's arrays (band tables and signatures), for the benchmark's index size."""
        return self._bands.nbytes() + int(self._sig[: len(self.keys)].nbytes)

    def band_keys(self, sk: Sketch) -> np.ndarray:
        """The sketch's band keys (both signatures), computed once per sketch."""
        if sk._keys is None:
            sk._keys = self._bands.keys(np.stack([sk.digest, sk.lede_digest]))
        return sk._keys

    def band_keys_many(self, sketches: Sequence[Sketch]) -> np.ndarray:
        """The band keys of many sketches at once, (n, width); each sketch keeps its row."""
        if not sketches:
            return np.zeros((0, self._bands.width), dtype=np.uint64)
        keys = self._bands.keys(np.stack([np.array([sk.digest for sk in sketches]),
                                          np.array([sk.lede_digest for sk in sketches])], axis=1))
        for sk, row in zip(sketches, keys, strict=True):
            sk._keys = row
        return keys

    def add(self, key: str, sk: Sketch) -> None:
        slot = len(self.keys)
        self._bands.add(slot, self.band_keys(sk))
        if slot == len(self._sig):
            self._sig = np.concatenate([self._sig, np.zeros_like(self._sig)])
        self._sig[slot] = sk.digest
        self._words.append(sk.words)
        self._slot[key] = slot
        self.keys.append(key)

    def slot(self, key: str) -> int:
        return self._slot[key]

    def plausible(self, sk: Sketch, key: str) -> bool:
        slot = self._slot[key]
        return plausible(sk.digest, sk.words, self._sig[slot], self._words[slot], self.threshold)

    def remove(self, key: str) -> None:
        slot = self._slot.pop(key, None)
        if slot is not None:
            self.keys[slot] = None  # its band entries stay, and are never returned again

    def candidates(self, sk: Sketch) -> list[str]:
        return self._named(self._bands.query(self.band_keys(sk)))

    def candidates_many(self, sketches: Sequence[Sketch], keys: np.ndarray | None = None) -> list[list[str]]:
        """`candidates` of each sketch (`keys`: their band_keys_many), against the index as it is (one
        vectorised query)."""
        keys = self.band_keys_many(sketches) if keys is None else keys
        return [self._named(found) for found in self._bands.query_many(keys)]

    def _named(self, found: Iterable[int]) -> list[str]:
        return [k for k in (self.keys[i] for i in sorted(found)) if k is not None]


def _rank(m: Match) -> tuple[bool, float]:
    """A Jaccard match beats a containment one (a reprint is matched to its story, not to a brief); on a tie
    the article indexed first (the one pushed earlier) wins, as candidates come in index order."""
    return (m.kind == "jaccard", m.similarity)


def best_match(key: str, text: str, sk: Sketch, index: Index, text_of: Callable[[str], str | None],
               candidates: list[str] | None = None) -> Match | None:
    """The most similar indexed article `text` is a near-duplicate of (exact check), or None."""
    best: Match | None = None
    for other in index.candidates(sk) if candidates is None else candidates:
        if other == key or not index.plausible(sk, other):
            continue
        other_text = text_of(other)
        if other_text is None:
            continue
        found = decide(key, text, other, other_text, index.threshold)
        if found is not None and (best is None or _rank(found) > _rank(best)):
            best = found
    return best


def expected_candidate_rate(threshold: float, jaccard: float) -> float:
    """P(candidate) of a pair at `jaccard` under the chosen banding (documented in the README)."""
    bands, rows = bands_for(threshold)
    return 1 - (1 - jaccard**rows) ** bands if jaccard > 0 else 0.0

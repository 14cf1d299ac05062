"""MinHash signatures of many texts at once, without a Python string per shingle: building ~500 shingle
strings an article in Python was most of detection's cost at push (0.1-0.2 ms an article). Here the
normalised texts of a chunk become one UTF-8 byte array; each word is hashed by a polynomial prefix sum
(vectorised, wrapping uint64 arithmetic), a 4-word shingle by mixing its words' hashes, and rensa turns
the flat shingle hashes into signatures in one call. The words are exactly `detect.words(text)` (the
same lower-casing and punctuation table; every whitespace character maps to a space), so the exact
check, which still compares shingle strings, and the signatures see the same shingles."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

U64 = np.uint64
_B = U64(0x100000001B3)  # odd, so invertible modulo 2**64
_B_INV = U64(pow(int(_B), -1, 2**64))
# Position weights of a shingle's words (odd constants), so "a b c d" and "b a c d" differ.
_K = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=U64)
_EMPTY = U64(0x5BD1E9955BD1E995)  # the one token of an empty text
# Texts hashed together: enough to amortise numpy's calls; more costs memory (~25 bytes a byte of text) and time.
CHUNK = 32
_tables: list[np.ndarray] = [np.ones(1, dtype=U64), np.ones(1, dtype=U64)]


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: the polynomial hash is linear, the shingle sum too; this breaks both."""
    x = x ^ (x >> U64(30))
    x = x * U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> U64(27))
    x = x * U64(0x94D049BB133111EB)
    return x ^ (x >> U64(31))


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """B**i and B**-i modulo 2**64 for i <= n (kept and grown, never rebuilt per chunk)."""
    if len(_tables[0]) <= n:
        m = max(n + 1, 2 * len(_tables[0]))
        for i, base in enumerate((_B, _B_INV)):
            steps = np.full(m, base, dtype=U64)
            steps[0] = 1
            _tables[i] = np.cumprod(steps, dtype=U64)
    return _tables[0], _tables[1]


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The concatenation of arange(s, s + c) for each (s, c)."""
    ends = np.cumsum(counts)
    return np.repeat(starts - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0)


def word_hashes(normalised: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """A hash per word of every text (words split on spaces only: the texts are normalised), and each
    text's word count."""
    encoded = [t.encode("utf-8") for t in normalised]
    b = np.frombuffer(b" ".join(encoded), dtype=np.uint8)
    n = len(b)
    pw, inv = _powers(n)
    prefix = np.zeros(n + 1, dtype=U64)
    np.cumsum(b.astype(U64) * pw[:n], out=prefix[1:])
    word = b != 32
    edges = np.diff(np.concatenate([[False], word, [False]]).astype(np.int8))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    hashes = _mix((prefix[ends] - prefix[starts]) * inv[starts] + (ends - starts).astype(U64))
    text_starts = np.cumsum([0] + [len(e) + 1 for e in encoded[:-1]])
    counts = np.bincount(np.searchsorted(text_starts, starts, side="right") - 1, minlength=len(encoded))
    return hashes, counts


def shingle_hashes(words: np.ndarray, counts: np.ndarray, shingle: int) -> tuple[np.ndarray, np.ndarray]:
    """Each text's shingle hashes, flat, and how many each text has (a text shorter than one shingle has
    one shingle of all its words, an empty one the empty token), as `detect.shingles` makes them."""
    n = len(words)
    padded = np.concatenate([words, np.zeros(shingle - 1, dtype=U64)])
    grams = padded[:n] * _K[0]
    for j in range(1, shingle):
        grams = grams + padded[j:n + j] * _K[j]
    grams = _mix(grams)
    first = np.cumsum(counts) - counts
    per = np.maximum(counts - shingle + 1, 1)
    flat = grams[np.minimum(_ranges(first, per), max(n - 1, 0))] if n else np.zeros(int(per.sum()), dtype=U64)
    at = np.cumsum(per) - per
    for i in np.flatnonzero(counts < shingle).tolist():
        k, f = int(counts[i]), int(first[i])
        flat[at[i]] = _mix((words[f:f + k] * _K[:k]).sum(dtype=U64)) if k else _EMPTY
    return flat, per


def signatures(normalised: Sequence[str], *, shingle: int, lede_shingles: int, num_perm: int,
               seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(full signatures, opening signatures, word counts) of normalised texts: uint32 (n, num_perm) twice."""
    import rensa  # type: ignore[import-untyped]

    full, lede, counts = [], [], []
    with np.errstate(over="ignore"):
        for at in range(0, len(normalised), CHUNK):
            words, n_words = word_hashes(normalised[at:at + CHUNK])
            flat, per = shingle_hashes(words, n_words, shingle)
            head = np.minimum(per, lede_shingles)
            tokens = np.concatenate([flat, flat[_ranges(np.cumsum(per) - per, head)]])
            rows = np.concatenate([[0], np.cumsum(np.concatenate([per, head]))]).astype(U64)
            sig = np.array(rensa.RMinHash.digest_matrix_from_flat_token_hashes(tokens, rows, num_perm, seed)
                           .to_rows(), dtype=np.uint32)
            full.append(sig[: len(per)])
            lede.append(sig[len(per):])
            counts.append(n_words)
    if not full:
        empty = np.zeros((0, num_perm), dtype=np.uint32)
        return empty, empty, np.zeros(0, dtype=np.int64)
    return np.concatenate(full), np.concatenate(lede), np.concatenate(counts)

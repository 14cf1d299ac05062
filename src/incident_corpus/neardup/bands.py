"""LSH banding kept compact: every (band, band hash) of every signature in one sorted uint64 array with
its slot beside it (12 bytes an entry), queried with one vectorised searchsorted. rensa's own
RMinHashLSH took ~100 bytes an entry (320 MB per 100k articles at 32 bands, per signature); this
takes ~25 MB. Recent additions wait in a small unsorted block merged in every `MERGE_EVERY` additions.
Several signatures of one article (the whole text, its opening) are banded together, each band salted."""

from __future__ import annotations

import numpy as np

MERGE_EVERY = 1024
_MIX = np.random.default_rng(20261206).integers(1, 2**63, size=256, dtype=np.uint64) | np.uint64(1)
_SALT = np.uint64(0x9E3779B97F4A7C15)


class Bands:
    def __init__(self, bands: int, rows: int, signatures: int = 2) -> None:
        self.bands, self.rows, self.width = bands, rows, bands * signatures
        self._mix = _MIX[:rows]
        self._salt = np.arange(self.width, dtype=np.uint64) * _SALT
        self._hashes: np.ndarray = np.empty(0, dtype=np.uint64)  # sorted
        self._slots: np.ndarray = np.empty(0, dtype=np.int32)
        self._new_h: np.ndarray = np.empty((MERGE_EVERY, self.width), dtype=np.uint64)  # recent, unsorted
        self._new_s: np.ndarray = np.empty(MERGE_EVERY, dtype=np.int32)
        self._n = 0

    def keys(self, sigs: np.ndarray) -> np.ndarray:
        """One uint64 per band of each signature (rows of `sigs`): the band's rows mixed by a wrapping
        multiply-add, salted by the band's position."""
        with np.errstate(over="ignore"):
            rows = sigs[:, : self.bands * self.rows].astype(np.uint64).reshape(self.width, self.rows)
            return (rows * self._mix).sum(axis=1, dtype=np.uint64) ^ self._salt

    def add(self, slot: int, keys: np.ndarray) -> None:
        self._new_h[self._n] = keys
        self._new_s[self._n] = slot
        self._n += 1
        if self._n == MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        h: np.ndarray = self._new_h[: self._n].reshape(-1)
        s: np.ndarray = np.repeat(self._new_s[: self._n], self.width)
        order = np.argsort(h, kind="stable")
        h, s = h[order], s[order]
        at = np.searchsorted(self._hashes, h)
        self._hashes = np.insert(self._hashes, at, h)
        self._slots = np.insert(self._slots, at, s)
        self._n = 0

    def query(self, keys: np.ndarray) -> set[int]:
        """Slots that share at least one band with `keys`."""
        lo = np.searchsorted(self._hashes, keys, side="left")
        hi = np.searchsorted(self._hashes, keys, side="right")
        hit = hi > lo
        found: set[int] = set()
        if hit.any():
            for a, b in zip(lo[hit].tolist(), hi[hit].tolist(), strict=True):
                found.update(self._slots[a:b].tolist())
        if self._n:
            found.update(self._new_s[: self._n][(self._new_h[: self._n] == keys).any(axis=1)].tolist())
        return found

    def nbytes(self) -> int:
        return int(self._hashes.nbytes + self._slots.nbytes + self._new_h.nbytes + self._new_s.nbytes)

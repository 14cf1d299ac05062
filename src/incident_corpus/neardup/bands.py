"""LSH banding kept compact: every (band, band hash) of every signature in one sorted uint64 array with
its slot beside it (12 bytes an entry), queried with one vectorised searchsorted. rensa's own
RMinHashLSH took ~100 bytes an entry (320 MB per 100k articles at 32 bands, per signature); this
takes ~25 MB. Recent additions wait in a small unsorted block merged in every `MERGE_EVERY` additions.
Several signatures of one article (the whole text, its opening) are banded together, each band salted."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

MERGE_EVERY = 1024
_MIX = np.random.default_rng(20261206).integers(1, 2**63, size=256, dtype=np.uint64) | np.uint64(1)
_SALT = np.uint64(0x9E3779B97F4A7C15)


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 per band of each signature (the last axis of `sigs`, (..., signatures, perm) ->
    (..., bands * signatures)): the band's rows mixed by a wrapping multiply-add, salted by the band's position."""
    lead, width = sigs.shape[:-2], bands * sigs.shape[-2]
    with np.errstate(over="ignore"):
        table = sigs[..., : bands * rows].astype(np.uint64).reshape(*lead, width, rows)
        return (table * _MIX[:rows]).sum(axis=-1, dtype=np.uint64) ^ (np.arange(width, dtype=np.uint64) * _SALT)


class Bands:
    def __init__(self, bands: int, rows: int, signatures: int = 2) -> None:
        self.bands, self.rows, self.width = bands, rows, bands * signatures
        self._hashes: np.ndarray = np.empty(0, dtype=np.uint64)  # sorted
        self._slots: np.ndarray = np.empty(0, dtype=np.int32)
        self._new_h: np.ndarray = np.empty((MERGE_EVERY, self.width), dtype=np.uint64)  # recent, unsorted
        self._new_s: np.ndarray = np.empty(MERGE_EVERY, dtype=np.int32)
        self._n = 0

    def keys(self, sigs: np.ndarray) -> np.ndarray:
        return band_keys(sigs, self.bands, self.rows)

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

    def query_many(self, keys: np.ndarray) -> list[set[int]]:
        """`query` for each row of `keys` (n, width), with one searchsorted over the sorted table and one over
        the recent block sorted on the spot."""
        found: list[set[int]] = [set() for _ in range(len(keys))]
        recent_h: np.ndarray = self._new_h[: self._n].reshape(-1)
        order = np.argsort(recent_h, kind="stable")
        recent_h, recent_s = recent_h[order], np.repeat(self._new_s[: self._n], self.width)[order]
        flat = keys.reshape(-1)
        order = np.argsort(flat)  # sorted needles: the table is walked in order, not at random
        needles = flat[order]
        for table, slots in ((self._hashes, self._slots), (recent_h, recent_s)):
            lo = np.searchsorted(table, needles, side="left")
            hit = np.flatnonzero(table[np.minimum(lo, len(table) - 1)] == needles) if len(table) else lo[:0]
            if not len(hit):
                continue
            hi = np.searchsorted(table, needles[hit], side="right")
            for at, a, b in zip((order[hit] // self.width).tolist(), lo[hit].tolist(), hi.tolist(), strict=True):
                found[at].update(slots[a:b].tolist())
        return found

    def nbytes(self) -> int:
        return int(self._hashes.nbytes + self._slots.nbytes + self._new_h.nbytes + self._new_s.nbytes)


def earlier_rows(keys: np.ndarray) -> Iterator[tuple[int, list[int]]]:
    """Each row of `keys` (n, width) that shares a band key with an earlier row, in row order, with those
    earlier rows sorted: one sort, not n x n compares. Memory stays linear in the keys (the runs of equal
    keys as flat arrays, one row's partners at a time): a corpus where many articles share a key, such as
    boilerplate, would otherwise hold every pair at once."""
    width = keys.shape[1]
    flat = keys.reshape(-1)
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    rows = (order // width).astype(np.int32)
    del order
    # runs of two or more equal keys; within a run, its distinct rows in order
    cut = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    del ordered
    starts_here = np.zeros(len(flat), dtype=np.int32)
    starts_here[cut] = 1
    run_of = np.cumsum(starts_here, dtype=np.int32)  # each sorted key's run number
    pair = np.unique(run_of.astype(np.int64) * (len(keys) + 1) + rows)  # (run, row) distinct, sorted
    run, row = (pair // (len(keys) + 1)).astype(np.int32), (pair % (len(keys) + 1)).astype(np.int32)
    del pair, rows, run_of, starts_here, cut
    sizes = np.bincount(run)
    keep = sizes[run] > 1
    run, row = run[keep], row[keep]
    first = np.searchsorted(run, run)  # each entry's run start: members before it are its earlier rows
    by_row = np.argsort(row, kind="stable")
    later = by_row[first[by_row] < by_row]  # entries that are not their run's first (earliest) row
    bounds = np.searchsorted(row[later], np.arange(len(keys) + 1))
    for r in np.flatnonzero(np.diff(bounds)).tolist():
        entries = later[bounds[r]:bounds[r + 1]]
        partners = np.unique(np.concatenate([row[first[e]:e] for e in entries.tolist()]))
        yield r, partners.tolist()


def shared_keys(keys: np.ndarray) -> dict[int, list[int]]:
    """Row -> the earlier rows it shares a band key with (`earlier_rows` as a dict: for one batch)."""
    return dict(earlier_rows(keys))

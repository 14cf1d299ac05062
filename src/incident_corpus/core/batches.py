"""Lists of a stream's items, in order: the one batcher every stage uses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from typing import TypeVar

T = TypeVar("T")


def batches(items: Iterable[T], size: int, *, small_tail: int = 0) -> Iterator[list[T]]:
    """Lists of `size` items (the last one shorter); of a sized input (a list), the last
    `small_tail` batches' worth go in quarter batches.

    A small tail lets a worker and this process finish together: at the end one waits for whatever
    the other still has queued, and a quarter batch is a quarter of that wait.
    """
    small = max(1, size // 4)
    tail_from = max(0, len(items) - small_tail * size) if small_tail and isinstance(items, Sized) else -1
    batch: list[T] = []
    for i, item in enumerate(items):
        batch.append(item)
        if len(batch) >= (small if 0 <= tail_from <= i else size):
            yield batch
            batch = []
    if batch:
        yield batch

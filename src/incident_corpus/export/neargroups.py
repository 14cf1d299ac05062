"""Near-duplicate groups of the annotated articles, for the split: computed from the texts of the
input records themselves (annotations may come from tasks imported anywhere), sketched during the
export's pass 1 (partly by the tokenizer worker, idle until pass 2) and checked exactly afterwards by
reading the few candidate records back."""

from __future__ import annotations

import collections
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from incident_corpus.core.fileio import write_json
from incident_corpus.export.records import Groups, load, open_input
from incident_corpus.export.workers import Pool
from incident_corpus.neardup.groups import Grouper, Grouping, Sketched, sketch_batch

GROUPS_FILE = "near_duplicate_groups.json"
# Batches handed to the worker and not yet sketched, at most: enough to keep it busy, few enough that
# a worker slower than this process's reading leaves the rest to be sketched here.
AHEAD = 2


def start(threshold: float, pool: Pool | None) -> Grouper:
    """The grouper of pass 1. With a tokenizer worker, batches go to the worker once it has started
    (its spaCy import takes about as long as pass 1) and while it keeps up; the rest are sketched here."""
    if pool is None or pool.warm is None:
        return Grouper(threshold)
    waiting: collections.deque[Future[Sketched]] = collections.deque()

    def offload(texts: list[str], threshold: float) -> Future[Sketched] | None:
        while waiting and waiting[0].done():
            waiting.popleft()
        if not pool.warm.done() or len(waiting) >= AHEAD:
            return None
        waiting.append(pool.executor.submit(sketch_batch, texts, threshold))
        return waiting[-1]

    return Grouper(threshold, offload=offload)


def finish(grouper: Grouper, input_path: Path, index: Groups) -> Grouping:
    """The groups, candidate pairs checked on the texts read back by their pass-1 offsets."""
    with open_input(input_path, "rb") as fh:
        cache: dict[str, str] = {}

        def text_of(aid: str) -> str:
            if aid not in cache:
                cache[aid] = load(fh, index[aid][0], input_path)["text"]
            return cache[aid]

        return grouper.finish(text_of)


def write_groups(folder: Path, grouping: Grouping) -> Path:
    """near_duplicate_groups.json: every group of two or more articles and the checked pairs behind it."""
    path = folder / GROUPS_FILE
    data: dict[str, Any] = {**grouping.summary(), "groups": grouping.groups(),
                            "pairs": [m.as_dict() for m in sorted(grouping.matches, key=lambda m: (m.key, m.of))]}
    write_json(path, data)
    return path


def figures(grouping: Grouping, split_of: dict[str, str]) -> dict[str, Any]:
    """The card's and the result's near-duplicate figures, with a count of groups that span two splits
    (0 by construction: the card states what was checked, not what was meant)."""
    seen: dict[str, set[str]] = {}
    for aid, gid in grouping.group_of.items():
        if aid in split_of:
            seen.setdefault(gid, set()).add(split_of[aid])
    return {**grouping.summary(), "groups_across_splits": sum(len(s) > 1 for s in seen.values())}

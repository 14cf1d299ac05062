"""Near-duplicate groups of the annotated articles, for the split: computed from the texts of the
input records themselves (annotations may come from tasks imported anywhere), sketched during the
export's pass 1 and checked exactly afterwards by reading the few candidate records back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from incident_corpus.core.fileio import write_json
from incident_corpus.export.records import Groups, load, open_input
from incident_corpus.neardup.groups import Grouper, Grouping

GROUPS_FILE = "near_duplicate_groups.json"


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

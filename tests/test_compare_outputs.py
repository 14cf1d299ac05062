"""scripts/compare_outputs.py's comparer: it must see every kind of difference between two output trees."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

from tests.helpers import REPO

_spec = importlib.util.spec_from_file_location("compare_outputs", REPO / "scripts" / "compare_outputs.py")
assert _spec is not None and _spec.loader is not None
compare_outputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_outputs)


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_identical_trees_have_no_differences(tmp_path: Path) -> None:
    files = {"a.json": b'{"x": 1}\n', "d/b.parquet": bytes(range(256))}
    assert compare_outputs.compare_trees(_tree(tmp_path / "old", files), _tree(tmp_path / "new", files)) == []


def test_every_kind_of_difference_is_reported(tmp_path: Path) -> None:
    old = _tree(tmp_path / "old", {"same.txt": b"ok\n", "text.jsonl": b"a\nb\n", "bin.spacy": b"\x00\x01\xff",
                                   "gone.json": b"{}"})
    new = _tree(tmp_path / "new", {"same.txt": b"ok\n", "text.jsonl": b"a\nc\n", "bin.spacy": b"\x00\x02\xff",
                                   "added/x.json": b"{}"})
    problems = compare_outputs.compare_trees(old, new)
    assert problems[:2] == ["only in the old outputs: gone.json", "only in the new outputs: added/x.json"]
    by_name = {p.split("\n")[0]: p for p in problems[2:]}
    assert set(by_name) == {"differs: bin.spacy", "differs: text.jsonl"}
    assert "-b" in by_name["differs: text.jsonl"] and "+c" in by_name["differs: text.jsonl"]
    assert "first difference at byte 1" in by_name["differs: bin.spacy"]


def test_outputs_are_relative_so_both_sides_print_the_same_paths() -> None:
    for name, args in [*compare_outputs.commands(), *compare_outputs.live_commands("p")]:
        for flag, value in itertools.pairwise(args):
            if flag == "--out" or (flag == "--in" and not value.startswith(str(REPO))):
                assert not Path(value).is_absolute(), (name, flag, value)
    names = [name for name, _ in compare_outputs.commands()]
    assert len(set(names)) == len(names)
    assert {args[0] for _, args in compare_outputs.commands()} == {"push", "validate", "export"}


def test_only_progress_lines_and_snapshot_times_are_normalised() -> None:
    stderr = ("pre-annotate: 11/11 [00:00]\narticles: 5/5\ntasks: 40\n"
              "skipped: 1 cancelled, 2 draft(s)\nraw: export/raw/20261202T035134Z-2.json\n")
    kept = compare_outputs.PROGRESS.sub("", compare_outputs.STAMP.sub("<time>", stderr))
    assert kept == "skipped: 1 cancelled, 2 draft(s)\nraw: export/raw/<time>.json\n"

"""Streaming pull: the raw export parsed incrementally gives the same bytes as checking it whole.

Pure functions over files (the live pull is covered by test_pull.py): `_streamed` (chunks of tasks,
records written as they come) against `_whole` (json.loads + check_export + write_outputs, the
pre-streaming path) on a hand-made export full of trouble and on a larger generated one.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from incident_corpus.core.errors import LabelStudioError
from incident_corpus.pipeline import pull as pl
from tests.helpers import DATA

USERS = {1: "ann@example.org", 2: "bob@example.org", 3: "cy@example.org"}


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _both(raw: Path, tmp_path: Path, *, chunk: int) -> tuple[dict[str, bytes], dict[str, bytes]]:
    streamed, whole = tmp_path / f"streamed-{chunk}", tmp_path / f"whole-{chunk}"
    v1, a1, out1, n1 = pl._streamed(raw, out_dir=streamed, users=USERS, with_emails=False, chunk=chunk)
    v2, a2, out2, n2 = pl._whole(raw, out_dir=whole, users=USERS, with_emails=False, project="p")
    assert (n1, a1, list(out1)) == (n2, a2, list(out2))
    assert v1.totals == v2.totals
    return _outputs(streamed), _outputs(whole)


VALID_SHAPES = (0, 8, 9, 10, 11)  # the trouble export's tasks whose annotations pass every check


def _generated(n: int, seed: int = 7, *, shapes_kept: tuple[int, ...] | None = None) -> list[dict]:
    """n tasks from the trouble export's shapes: ids renumbered, 0-3 annotators, some cancelled."""
    shapes = json.loads((DATA / "ls" / "trouble_export.json").read_text(encoding="utf-8"))
    if shapes_kept is not None:
        shapes = [shapes[k] for k in shapes_kept]
    rng = random.Random(seed)
    tasks = []
    ann_id = 1
    for i in range(n):
        task = copy.deepcopy(shapes[i % len(shapes)])
        task["id"] = i + 1
        task.setdefault("data", {})["article_id"] = f"{i // 2:016x}"  # two tasks share an article now and then
        for ann in task.get("annotations", []):
            ann["id"] = ann_id
            ann_id += 1
            ann["completed_by"] = rng.choice([1, 2, 3])
            if rng.random() < 0.05:
                ann["was_cancelled"] = True
        tasks.append(task)
    return tasks


@pytest.mark.parametrize("chunk", [1, 2, 5, 500])
def test_streamed_outputs_are_byte_identical_on_the_trouble_export(tmp_path: Path, chunk: int) -> None:
    streamed, whole = _both(DATA / "ls" / "trouble_export.json", tmp_path, chunk=chunk)
    assert set(streamed) == {"annotations.jsonl", "quarantine.jsonl", "report.json", "agreement.json", "audit.json"}
    assert json.loads(whole["report.json"])["totals"]["quarantined"] > 0  # the trouble is really there
    assert streamed == whole


def test_streamed_outputs_are_byte_identical_on_a_generated_export(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    raw.write_text(json.dumps(_generated(600)), encoding="utf-8")
    streamed, whole = _both(raw, tmp_path, chunk=64)
    assert json.loads(whole["agreement.json"])["articles_with_multiple_annotators"] > 0
    assert streamed == whole


def test_out_of_order_export_is_merge_sorted_to_the_same_bytes(tmp_path: Path) -> None:
    """Label Studio's export has no ORDER BY (PostgreSQL returns heap order): the runs are merge-sorted."""
    shuffled = _generated(300)
    random.Random(1).shuffle(shuffled)
    raw = tmp_path / "shuffled.json"
    raw.write_text(json.dumps(shuffled), encoding="utf-8")
    streamed, whole = _both(raw, tmp_path, chunk=16)
    assert streamed == whole


def test_repeated_record_ids_fall_back_to_the_whole_export_path(tmp_path: Path) -> None:
    tasks = _generated(40)
    raw = tmp_path / "repeated.json"
    raw.write_text(json.dumps([*tasks, tasks[0]]), encoding="utf-8")
    with pytest.raises(pl._NotStreamable):
        pl._streamed(raw, out_dir=tmp_path / "s", users=USERS, with_emails=False, chunk=8)
    assert not (tmp_path / "s" / "annotations.jsonl").exists()  # nothing half-written stays
    pl.check_raw_export(raw, out_dir=tmp_path / "c", users=USERS, with_emails=False, project="p", chunk=8)
    pl._whole(raw, out_dir=tmp_path / "w", users=USERS, with_emails=False, project="p")
    assert _outputs(tmp_path / "c") == _outputs(tmp_path / "w")
    report = json.loads((tmp_path / "c" / "report.json").read_bytes())
    assert report["checks"]["duplicate_record"]["failed"] > 0


def test_truncated_export_is_an_error_naming_the_kept_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    raw.write_bytes((DATA / "ls" / "truncated_export.json").read_bytes())
    with pytest.raises(LabelStudioError, match=r"^the export of project 'p' is not valid JSON \(.*\); it is kept "
                                               rf"verbatim at {raw}; pull again, and report it if it repeats$"):
        pl.check_raw_export(raw, out_dir=tmp_path / "out", users=USERS, with_emails=False, project="p")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_disorder_after_an_ordered_start_gives_the_same_bytes(tmp_path: Path) -> None:
    """In order, rows go straight to the files; at the first chunk out of order what was written becomes
    the first run of the merge sort (on PostgreSQL the heap order moves once tasks are updated)."""
    tasks = _generated(300)
    tail = tasks[200:]
    random.Random(3).shuffle(tail)
    raw = tmp_path / "late.json"
    raw.write_text(json.dumps(tasks[:200] + tail), encoding="utf-8")
    streamed, whole = _both(raw, tmp_path, chunk=32)
    assert streamed == whole


def test_agreement_index_in_runs_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The agreement's index is sorted by article in runs of AGREEMENT_RUN entries and merged: small runs,
    in order and shuffled, change nothing."""
    monkeypatch.setattr(pl, "AGREEMENT_RUN", 7)
    tasks = _generated(200)
    raw = tmp_path / "ordered.json"
    raw.write_text(json.dumps(tasks), encoding="utf-8")
    streamed, whole = _both(raw, tmp_path, chunk=16)
    assert json.loads(whole["agreement.json"])["articles_with_multiple_annotators"] > 0
    assert streamed == whole
    random.Random(5).shuffle(tasks)
    raw.write_text(json.dumps(tasks), encoding="utf-8")
    streamed, whole = _both(raw, tmp_path / "shuffled", chunk=16)
    assert streamed == whole


def test_repeated_record_ids_far_apart_fall_back(tmp_path: Path) -> None:
    """A copy of an early task at the end (not adjacent in the output order of the chunks either)."""
    tasks = _generated(120)
    raw = tmp_path / "far.json"
    raw.write_text(json.dumps([*tasks, copy.deepcopy(tasks[4])]), encoding="utf-8")
    with pytest.raises(pl._NotStreamable):
        pl._streamed(raw, out_dir=tmp_path / "s", users=USERS, with_emails=False, chunk=10)


@pytest.mark.parametrize("ordered", [True, False])
def test_streamed_peak_memory_does_not_grow_with_the_tasks(tmp_path: Path, ordered: bool,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's own allocations (tracemalloc: no timing, no allocator noise): the peak while checking
    1200 tasks stays near the peak for 300 (the agreement index goes to runs of 100 entries here, of
    AGREEMENT_RUN in use); holding every valid record for the agreement, as pull once did, makes it
    about 3× as high. Mostly valid records: report.json lists every quarantined one, so that list grows."""
    import gc
    import tracemalloc

    monkeypatch.setattr(pl, "AGREEMENT_RUN", 100)
    monkeypatch.setattr(pl, "INDEX_BLOCK", 10)  # the merge holds a block of each run: keep it below a run
    monkeypatch.setattr(pl, "WINDOW", 1 << 14)  # the export is read 1 MB at a time: more than these files
    raw = tmp_path / "warm.json"  # the lazy imports and the tokenizer, before anything is measured
    raw.write_text(json.dumps(_generated(20)), encoding="utf-8")
    pl._streamed(raw, out_dir=tmp_path / "warm", users=USERS, with_emails=False, chunk=50)
    peaks = []
    for n in (300, 1200):
        tasks = _generated(n, shapes_kept=VALID_SHAPES)
        if not ordered:
            random.Random(n).shuffle(tasks)
        raw = tmp_path / f"{n}.json"
        raw.write_text(json.dumps(tasks), encoding="utf-8")
        del tasks
        gc.collect()
        tracemalloc.start()
        try:
            pl._streamed(raw, out_dir=tmp_path / f"out-{n}", users=USERS, with_emails=False, chunk=50)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    # Less what is linear by design: the near-duplicate groups' index keeps each article's signature (~1.5 KB:
    # 512-byte MinHash, 42 band keys, its id; quality/neargroups.py), 450 more articles at 1200 tasks.
    assert peaks[1] < 1.3 * peaks[0] + 1500 * (1200 - 300) // 2, peaks


@pytest.mark.parametrize("block", [1, 7, 4096])
def test_tasks_are_decoded_one_by_one_as_json_loads_decodes_them(tmp_path: Path, block: int) -> None:
    """Windows smaller than one task (1 byte: every multi-byte character is split) give what json.loads gives."""
    tasks = _generated(30)
    tasks[3]["data"]["text"] = "Ataque en Zürich — 3 muertos 🕯️ «sí»"
    raw = tmp_path / "raw.json"
    raw.write_text(" \n[\n" + ",\n  ".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n]\n ",
                   encoding="utf-8")
    with open(raw, "rb") as fh:
        assert list(pl._tasks(fh, block=block)) == json.loads(raw.read_bytes())
    raw.write_bytes(b"[]")
    with open(raw, "rb") as fh:
        assert list(pl._tasks(fh, block=block)) == []


@pytest.mark.parametrize("body", [b'{"id": 1}', b'[{"id": 1},]', b'[{"id": 1}] x', b'[{"id": 1} {"id": 2}]',
                                  b'[{"id": 1}, 3]', b'[{"id": 1}', b'[{"id": "\xff"}]', b"\xef\xbb\xbf[]", b""])
def test_anything_but_a_list_of_objects_goes_to_the_whole_file_path(tmp_path: Path, body: bytes) -> None:
    raw = tmp_path / "raw.json"
    raw.write_bytes(body)
    with open(raw, "rb") as fh, pytest.raises(pl._NotStreamable):
        list(pl._tasks(fh, block=4))

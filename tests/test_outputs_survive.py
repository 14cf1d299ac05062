"""Outputs survive a failed write: disk full (simulated with RLIMIT_FSIZE), a read-only target and a
folder where a file must go leave the previous annotations.jsonl, quarantine, report and dataset folder
byte for byte, leave no temp file behind, and end in one `Error:` line (exit 1), never a traceback.

The commands run as real processes, so the file-size limit and the user they run as are theirs alone.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from incident_corpus.core.pseudonyms import KEY_ENV
from incident_corpus.ingest.articles import content_hash
from tests.helpers import DATA, REPO

TROUBLE = DATA / "ls" / "trouble_export.json"
RECORDS = DATA / "records" / "annotations.jsonl"
KEY = "f" * 64
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 24, 1, 2, 3
LIMIT = 64 * 1024  # bytes a process may write to one file: far below the big outputs, above every small one


@pytest.fixture()
def work() -> Iterator[Path]:
    """A scratch folder whose modes the tests change (restored before it is removed)."""
    path = Path(tempfile.mkdtemp(prefix="survive-"))
    path.chmod(0o755)
    yield path
    for p in [path, *path.rglob("*")]:  # a test may leave a read-only folder
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(path)


def run(*args: str, cwd: Path, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "INCIDENT_CORPUS_"))}
    env |= {"PYTHONPATH": str(REPO / "src"), KEY_ENV: KEY, "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(cwd)}
    return subprocess.run([sys.executable, "-m", "incident_corpus", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, preexec_fn=preexec)


def file_size_limit() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def obeying_file_modes() -> None:
    """Root writes anywhere whatever the mode says: as root, the command runs without the capabilities
    that override file modes (dropped from the bounding set, so the exec'd process never has them)."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path (hidden temp files included)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def big_export(path: Path, copies: int = 200) -> Path:
    """The trouble export many times over (new task and annotation ids): outputs far above LIMIT."""
    tasks = json.loads(TROUBLE.read_text(encoding="utf-8"))
    out = []
    for k in range(1, copies + 1):
        for task in tasks:
            t = json.loads(json.dumps(task))
            t["id"] += 100_000 * k
            for ann in t.get("annotations") or []:
                ann["id"] += 100_000 * k
            out.append(t)
    path.write_text(json.dumps(out), encoding="utf-8")
    return path


def big_records(path: Path, copies: int = 300) -> Path:
    """Distinct articles (a numbered prefix, offsets shifted to match), so the dataset is large too."""
    rows = [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            for row in rows:
                r = json.loads(json.dumps(row))
                prefix = f"Report {k}. "
                r["text"] = prefix + r["text"]
                r["article_id"] = content_hash(r["text"])
                r["id"] = f"{r['article_id']}:{r['annotation_id']}"
                for span in r["spans"]:
                    span["start"] += len(prefix)
                    span["end"] += len(prefix)
                    assert r["text"][span["start"]:span["end"]] == span["text"]
                fh.write(json.dumps(r) + "\n")
    return path


@pytest.fixture()
def previous(work: Path) -> dict[str, bytes]:
    """A good earlier validate (export/) and export (export/dataset/): what every failure must keep."""
    assert run("validate", str(TROUBLE), "--out", "export", "-q", cwd=work).returncode == 0
    assert run("export", "--in", str(RECORDS), "--out", "export/dataset", "--format", "all", "-q",
               cwd=work).returncode == 0
    before = snapshot(work / "export")
    assert {"annotations.jsonl", "quarantine.jsonl", "report.json", "dataset/README.md"} <= set(before)
    return before


def failed_cleanly(p: subprocess.CompletedProcess[str], says: str) -> str:
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "Traceback" not in p.stderr + p.stdout, p.stderr
    errors = [line for line in p.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and p.stderr.rstrip().endswith(errors[0]) and says in errors[0], p.stderr
    return errors[0]


def no_temp_files(folder: Path) -> None:
    left = [p.name for p in folder.rglob("*") if p.name.startswith(".")]
    assert left == [], left


def test_disk_full_while_validating_keeps_the_previous_outputs(work: Path, previous: dict[str, bytes]) -> None:
    big = big_export(work / "big.json")
    p = run("validate", str(big), "--out", "export", cwd=work, preexec=file_size_limit)
    line = failed_cleanly(p, "file too large")
    assert "export/annotations.jsonl" in line and "the previous outputs were left as they were" in line
    assert snapshot(work / "export") == previous
    no_temp_files(work)


def test_disk_full_while_exporting_keeps_the_previous_dataset(work: Path, previous: dict[str, bytes]) -> None:
    records = big_records(work / "big.jsonl")
    p = run("export", "--in", str(records), "--out", "export/dataset", "--format", "all", cwd=work,
            preexec=file_size_limit)
    line = failed_cleanly(p, "file too large")
    assert ", export/dataset/" in line  # the file it was writing, where the user will look for it
    assert snapshot(work / "export") == previous
    no_temp_files(work)
    # and with room to write, the same command works: the failure was the limit alone
    assert run("export", "--in", str(records), "--out", "export/dataset", "-q", cwd=work).returncode == 0


def test_a_read_only_target_keeps_the_previous_outputs(work: Path, previous: dict[str, bytes]) -> None:
    (work / "export").chmod(0o555)
    validated = run("validate", str(TROUBLE), "--out", "export", cwd=work, preexec=obeying_file_modes)
    assert failed_cleanly(validated, "permission denied").startswith("Error: permission denied, export/")
    (work / "export").chmod(0o755)
    (work / "export" / "dataset").chmod(0o555)
    work.chmod(0o555)  # the dataset is swapped in by renames in its parent folder
    (work / "export").chmod(0o555)
    exported = run("export", "--in", str(RECORDS), "--out", "export/dataset", cwd=work, preexec=obeying_file_modes)
    assert failed_cleanly(exported, "permission denied").startswith("Error: permission denied, export/dataset;")
    work.chmod(0o755)
    assert snapshot(work / "export") == previous
    no_temp_files(work)


def test_a_folder_where_a_file_must_go_keeps_the_others(work: Path, previous: dict[str, bytes]) -> None:
    (work / "export" / "quarantine.jsonl").unlink()
    (work / "export" / "quarantine.jsonl").mkdir()
    before = snapshot(work / "export")
    p = run("validate", str(big_export(work / "big.json", copies=2)), "--out", "export", cwd=work)
    failed_cleanly(p, "this is a folder, not a file, export/quarantine.jsonl")
    assert snapshot(work / "export") == before  # annotations.jsonl was not replaced alone
    no_temp_files(work)


def test_a_target_that_is_a_file_is_a_usage_mistake_and_touches_nothing(work: Path,
                                                                       previous: dict[str, bytes]) -> None:
    for args in (["validate", str(TROUBLE), "--out", "export/report.json"],
                 ["validate", str(TROUBLE), "--out", "export/report.json/sub"],
                 ["export", "--in", str(RECORDS), "--out", "export/annotations.jsonl"]):
        p = run(*args, cwd=work)
        assert p.returncode == 2 and "Traceback" not in p.stderr and "Error: Invalid value for '--out'" in p.stderr
    assert snapshot(work / "export") == previous
    no_temp_files(work)

"""`annotate pull`: completed annotations out of Label Studio, kept raw, then checked.

Order matters for "nothing lost": the raw snapshot export is streamed to disk (atomically)
before anything parses it, and the outputs replace the previous ones only once complete.

Memory stays flat in the number of tasks: the snapshot goes from the socket to the raw file
chunk by chunk, is parsed from there incrementally (ijson's C backend, yajl2_c), and tasks are
normalised and validated a chunk at a time, records written as they come. What stays in memory
is the report's counts, the ids and reasons of quarantined records, and the valid records the
agreement compares (it needs their spans, attributes, relations and text: the one term that grows).
The outputs are byte-identical to checking the whole export at once (`quality.checks.check_export`,
`quality.audit.audit_export`); when the export is not in (task, annotation) order or repeats a
record id — which the whole-export path sorts and flags — pull falls back to that path.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core import fileio
from incident_corpus.core.errors import LabelStudioError
from incident_corpus.core.records import record_sort_key
from incident_corpus.quality.result import ValidationResult
from incident_corpus.studio.connection import Connection

CHUNK_TASKS = 500  # tasks normalised and validated together: a few MB, amortises the per-call set-up


@dataclass
class PullResult:
    """What one pull fetched (kept raw at raw_path), found (validation, agreement) and wrote (outputs)."""

    project: str
    project_id: int
    raw_path: Path
    outputs: dict[str, Path]
    validation: ValidationResult | StreamedValidation
    agreement: dict[str, Any] | None
    tasks: int = 0


def raw_export_path(out_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = out_dir / "raw" / f"{stamp}.json"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / "raw" / f"{stamp}-{n}.json"
    return path


def pull(*, connection: Connection, project: str, out_dir: Path, with_emails: bool = False) -> PullResult:
    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        client.check()
        proj = client.get_project(project)
        raw_path = raw_export_path(out_dir)
        # Predictions inlined: the pre-annotation audit compares them with what annotators submitted.
        with fileio.atomic_open(raw_path, "wb", encoding=None) as fh:
            client.export_snapshot(proj.id, tasks=proj.task_count, with_predictions=True, into=fh)
        users = client.users()
    validation, agreement, outputs, tasks = check_raw_export(raw_path, out_dir=out_dir, users=users,
                                                             with_emails=with_emails, project=project)
    return PullResult(project=project, project_id=proj.id, raw_path=raw_path, outputs=outputs,
                      validation=validation, agreement=agreement, tasks=tasks)


def check_raw_export(raw_path: Path, *, out_dir: Path, users: Mapping[int, str] | None, with_emails: bool,
                     project: str, chunk: int = CHUNK_TASKS) -> tuple[Any, dict[str, Any], dict[str, Path], int]:
    """Validate a raw JSON export file and write annotations/quarantine/report/agreement, streaming."""
    try:
        return _streamed(raw_path, out_dir=out_dir, users=users, with_emails=with_emails, chunk=chunk)
    except _NotStreamable:
        pass  # also broken JSON: the whole-file path names the error as json.loads does
    return _whole(raw_path, out_dir=out_dir, users=users, with_emails=with_emails, project=project)


class _NotStreamable(Exception):
    """The export needs the whole-file path (out of order, repeated record ids, not a list of tasks, not JSON)."""


def _whole(raw_path: Path, *, out_dir: Path, users: Mapping[int, str] | None, with_emails: bool,
           project: str) -> tuple[Any, dict[str, Any], dict[str, Path], int]:
    from incident_corpus.quality.checks import check_export
    from incident_corpus.quality.outputs import write_outputs

    try:
        tasks = json.loads(raw_path.read_bytes())
    except ValueError as exc:
        raise LabelStudioError(
            f"the export of project {project!r} is not valid JSON ({exc}); it is kept verbatim at {raw_path}; "
            "pull again, and report it if it repeats"
        ) from None
    from incident_corpus.export.align import annotators_bio
    from incident_corpus.quality.audit import audit_export

    validation, agreement = check_export(tasks=tasks, users=users, with_emails=with_emails, tagger=annotators_bio)
    outputs = write_outputs(validation, out_dir=out_dir, agreement=agreement, audit=audit_export(tasks, users=users))
    return validation, agreement, outputs, len(tasks)


def _tasks(fh: Any) -> Iterator[Any]:
    import ijson

    start = fh.read(64).lstrip()
    if not start.startswith(b"["):
        raise _NotStreamable  # not a list of tasks: the whole-file path says what is wrong with it
    fh.seek(0)
    try:
        yield from ijson.items(fh, "item", use_float=True)
    except ijson.JSONError:
        raise _NotStreamable from None


def _streamed(raw_path: Path, *, out_dir: Path, users: Mapping[int, str] | None, with_emails: bool,
              chunk: int) -> tuple[Any, dict[str, Any], dict[str, Path], int]:
    """Chunks of tasks → records, sorted per chunk into run files; the runs merged into the outputs.

    Label Studio's export has no defined task order (no ORDER BY; on PostgreSQL the heap order moves
    as tasks are updated), and the outputs are in (task, annotation) order: an external merge sort
    gives that order with only one chunk in memory."""
    import heapq
    import pickle
    import tempfile

    from incident_corpus.export.align import annotators_bio
    from incident_corpus.quality.agreement import agreement as compute_agreement
    from incident_corpus.quality.audit import audit_export
    from incident_corpus.quality.reporter import to_json

    total = StreamedValidation()
    # Every valid record, for the agreement: it compares spans, attributes, relations and token tags
    # per article, so this is the one list that still grows with the corpus (see benchmarks.md).
    valid: list[dict[str, Any]] = []
    # The same files, in the same order, as quality.outputs.write_outputs writes them.
    paths = {"annotations": out_dir / "annotations.jsonl", "quarantine": out_dir / "quarantine.jsonl",
             "report": out_dir / "report.json", "agreement": out_dir / "agreement.json",
             "audit": out_dir / "audit.json"}
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".pull-runs-") as runs_dir, open(raw_path, "rb") as fh:
        runs: list[Path] = []
        batch: list[Any] = []

        def flush() -> None:
            part = _validate(batch, users=users, with_emails=with_emails)
            rows = [(record_sort_key(r), "r", r.get("id"), fileio.dumps(r), None) for r in part.records]
            rows += [(record_sort_key(e["record"]), "q", e["record"].get("id"), fileio.dumps(e), _slim_quarantined(e))
                     for e in part.quarantine]
            rows.sort(key=lambda row: row[0])
            run = Path(runs_dir) / f"{len(runs):06d}"
            with open(run, "wb") as out:
                for row in rows:
                    pickle.dump(row, out, protocol=pickle.HIGHEST_PROTOCOL)
            runs.append(run)
            total.add(part)
            valid.extend(part.records)
            batch.clear()

        for task in _tasks(fh):
            batch.append(task)
            if len(batch) >= chunk:
                flush()
        flush()

        seen: set[Any] = set()
        with fileio.replace_together() as staged, contextlib.ExitStack() as readers:
            records_fh, quarantine_fh = staged.open(paths["annotations"]), staged.open(paths["quarantine"])
            streams = [_unpickled(readers.enter_context(open(run, "rb"))) for run in runs]
            for _, kind, rid, line, entry in heapq.merge(*streams, key=lambda row: row[0]):
                if isinstance(rid, str):
                    if rid in seen:
                        raise _NotStreamable  # the whole-export path flags the later copy: let it
                    seen.add(rid)
                (quarantine_fh if kind == "q" else records_fh).write(line + "\n")
                if entry is not None:
                    total.quarantine.append(entry)
            agreement = compute_agreement(valid, tagger=annotators_bio)
            staged.write_json(paths["report"], to_json(total, agreement=agreement))  # type: ignore[arg-type]
            staged.write_json(paths["agreement"], agreement)
            with open(raw_path, "rb") as again:  # a second incremental pass: the audit reads the tasks
                staged.write_json(paths["audit"], audit_export(_tasks(again), users=users))
    return total, agreement, paths, total.tasks or 0


def _unpickled(fh: Any) -> Iterator[Any]:
    import pickle

    while True:
        try:
            yield pickle.load(fh)
        except EOFError:
            return


def _slim_quarantined(entry: Mapping[str, Any]) -> dict[str, Any]:
    """What report.json and the text report read from a quarantined entry."""
    return {"record": {k: entry["record"].get(k) for k in ("id", "task_id", "annotation_id")},
            "reasons": entry["reasons"]}


def _validate(batch: list[Any], *, users: Mapping[int, str] | None, with_emails: bool) -> Any:
    """check_export's normalise + validate, for one chunk of Label Studio tasks."""
    from incident_corpus.quality.checks import validate_records
    from incident_corpus.studio.convert import is_record, normalize_export

    if any(not isinstance(t, dict) or is_record(t) for t in batch):
        raise _NotStreamable
    normalized = normalize_export(batch, users=users, with_emails=with_emails)
    return validate_records(normalized.candidates, skipped=normalized.skipped, tasks=normalized.tasks)


class StreamedValidation:
    """A ValidationResult summed over chunks: counts instead of the records themselves (those are on
    disk); quarantined entries keep only the ids and reasons report.json lists."""

    def __init__(self) -> None:
        base = ValidationResult(tasks=0)
        self.records: list[dict[str, Any]] = []  # written to annotations.jsonl, not kept
        self.quarantine: list[dict[str, Any]] = []
        self.checks, self.repairs, self.labels = base.checks, base.repairs, base.labels
        self.annotators: dict[str, dict[str, int]] = {}
        self.skipped, self.empty, self.tasks = base.skipped, 0, 0
        self._valid = self._repaired = self._relations = self._quarantined = 0

    def add(self, part: Any) -> None:
        for name, counts in part.checks.items():
            for k, v in counts.items():
                self.checks[name][k] += v
        for table, other in ((self.repairs, part.repairs), (self.labels, part.labels), (self.skipped, part.skipped)):
            for k, v in other.items():
                table[k] = table.get(k, 0) + v
        for name, stats in part.annotators.items():
            mine = self.annotators.setdefault(name, {"valid": 0, "quarantined": 0})
            for k, v in stats.items():
                mine[k] = mine.get(k, 0) + v
        self.empty += part.empty
        self.tasks += part.tasks or 0
        self._valid += len(part.records)
        self._repaired += sum(1 for r in part.records if r.get("repairs"))
        self._relations += sum(len(r["relations"]) for r in part.records)
        self._quarantined += len(part.quarantine)

    @property
    def ok(self) -> bool:
        return not self.quarantine

    @property
    def totals(self) -> dict[str, int | None]:
        return {"tasks": self.tasks, "candidates": self._valid + self._quarantined, "valid": self._valid,
                "quarantined": self._quarantined, "repaired_records": self._repaired,
                "spans": sum(self.labels.values()), "relations": self._relations, "empty": self.empty,
                "skipped": sum(self.skipped.values())}

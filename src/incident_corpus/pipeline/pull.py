"""`annotate pull`: completed annotations out of Label Studio, kept raw, then checked.

Order matters for "nothing lost": the raw snapshot export is streamed to disk (atomically)
before anything parses it, and the outputs replace the previous ones only once complete.

Memory stays flat in the number of tasks: the snapshot goes from the socket to the raw file
chunk by chunk, is parsed from there once, a task at a time (json's C decoder, `_tasks`), and tasks
are normalised, validated and audited a chunk at a time, records written as they come (in order
directly, else through an external merge sort). The agreement reads an index of small entries
sorted by article the same way, and reads back from annotations.jsonl only the records of
articles with two or more annotators, one article at a time. What stays in memory is one chunk,
the report's counts and the ids and reasons of quarantined records (report.json lists them).
The outputs are byte-identical to checking the whole export at once (`quality.checks.check_export`,
`quality.audit.audit_export`); an export that repeats a record id (which that path flags) or is
not a list of tasks goes to that path.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from incident_corpus.core import fileio
from incident_corpus.core.errors import LabelStudioError
from incident_corpus.core.records import recency_key, record_sort_key
from incident_corpus.quality.neargroups import StreamedGroups
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


_NOT_SPACE = re.compile(r"[^ \t\n\r]")  # JSON's whitespace is these four
WINDOW = 1 << 20  # bytes of the export read at a time by _tasks


def _tasks(fh: IO[bytes], *, block: int | None = None) -> Iterator[dict[str, Any]]:
    """The export's tasks one at a time, each decoded by json's own C scanner (`raw_decode`) from a
    window of the file: the decoder json.loads uses on the whole-file path, and about twice as fast as
    ijson's yajl2_c on these exports. Anything but a JSON list of objects raises _NotStreamable (the
    whole-file path then says what is wrong, in json.loads's words)."""
    import codecs

    decode = json.JSONDecoder().raw_decode
    block = block or WINDOW
    utf8 = codecs.getincrementaldecoder("utf-8")()
    buf, pos, eof = "", 0, False

    def fill() -> bool:
        """Slide the window on by a block (more, when one task is bigger than the window); False at the end."""
        nonlocal buf, pos, eof
        if eof:
            return False
        data = fh.read(max(block, 2 * (len(buf) - pos)))
        eof = not data
        try:
            buf = buf[pos:] + utf8.decode(data, final=eof)
        except UnicodeDecodeError:
            raise _NotStreamable from None
        pos = 0
        return True

    def next_char() -> str:
        """The next character that is not whitespace ("" at the end), at buf[pos]."""
        nonlocal pos
        while True:
            found = _NOT_SPACE.search(buf, pos)
            if found:
                pos = found.start()
                return buf[pos]
            pos = len(buf)
            if not fill():
                return ""

    if next_char() != "[":
        raise _NotStreamable
    pos += 1
    if next_char() == "]":
        pos += 1
    else:
        while True:
            while True:
                try:
                    task, end = decode(buf, pos)
                    break
                except json.JSONDecodeError:  # the window ends inside the task, or the file is broken
                    if not fill():
                        raise _NotStreamable from None
            if not isinstance(task, dict):  # a scalar cut by the window's end would decode wrongly
                raise _NotStreamable
            pos = end
            yield task
            sep = next_char()
            pos += 1
            if sep == "]":
                break
            if sep != ",":
                raise _NotStreamable
            next_char()
    if next_char() != "":
        raise _NotStreamable  # something after the list


def _streamed(raw_path: Path, *, out_dir: Path, users: Mapping[int, str] | None, with_emails: bool,
              chunk: int) -> tuple[Any, dict[str, Any], dict[str, Path], int]:
    """One incremental pass: chunks of tasks → records written in (task, annotation) order, the audit
    summed task by task, the agreement summed article by article at the end (see `_Writer`)."""
    import tempfile

    from incident_corpus.export.align import annotators_bio
    from incident_corpus.quality.audit import Audit
    from incident_corpus.quality.reporter import to_json

    total = StreamedValidation()
    audit = Audit(users=users)
    # The same files, in the same order, as quality.outputs.write_outputs writes them.
    paths = {"annotations": out_dir / "annotations.jsonl", "quarantine": out_dir / "quarantine.jsonl",
             "report": out_dir / "report.json", "agreement": out_dir / "agreement.json",
             "audit": out_dir / "audit.json"}
    out_dir.mkdir(parents=True, exist_ok=True)
    with (tempfile.TemporaryDirectory(dir=out_dir, prefix=".pull-runs-") as runs_dir, open(raw_path, "rb") as fh,
          fileio.replace_together() as staged):
        writer = _Writer(records=staged.open(paths["annotations"], "w+b", encoding=None),
                         quarantine=staged.open(paths["quarantine"], "w+b", encoding=None),
                         runs_dir=Path(runs_dir), total=total)
        batch: list[Any] = []

        def flush() -> None:
            part = _validate(batch, users=users, with_emails=with_emails)
            for task in batch:  # after validation, as the whole-export path audits the validated tasks
                audit.add(task)
            total.add(part)
            writer.add(part)
            batch.clear()

        for task in _tasks(fh):
            batch.append(task)
            if len(batch) >= chunk:
                flush()
        flush()
        writer.finish()
        agreement = writer.agreement(tagger=annotators_bio)
        writer.groups.patch(writer.records)
        staged.write_json(paths["report"], to_json(total, agreement=agreement))  # type: ignore[arg-type]
        staged.write_json(paths["agreement"], agreement)
        staged.write_json(paths["audit"], audit.as_dict())
    return total, agreement, paths, total.tasks or 0


# One output row: (record_sort_key, "r"/"q", record id, the JSON line, the slim quarantined entry or None,
# (article_id, annotator, recency_key) of a valid record or None).
_Row = tuple[Any, str, Any, bytes, Any, Any]
AGREEMENT_RUN = 20_000  # entries of the agreement index sorted in memory before they go to a run file
# Rows pickled together in a run file: the merge holds one block of every run, so a block of output rows
# (a few KB each) is small; index entries are ~0.5 KB.
ROW_BLOCK, INDEX_BLOCK = 16, 256


class _Writer:
    """annotations.jsonl and quarantine.jsonl in (task, annotation) order, and the index the agreement reads.

    Label Studio's export has no ORDER BY: on SQLite it comes in task id order, on PostgreSQL in heap order,
    which moves as tasks are updated. While every chunk starts after the last row written, its rows go
    straight to the files; at the first chunk that does not, what was written becomes the first run of an
    external merge sort (read back once) and every later chunk a sorted run, merged at the end, so only
    a chunk is ever in memory. Every row written adds a small entry (article, record id, annotator,
    recency, where its line is in annotations.jsonl) to an index that `agreement` sorts by article, the
    same way, to compare each article's latest records without holding the corpus."""

    def __init__(self, *, records: IO[bytes], quarantine: IO[bytes], runs_dir: Path, total: StreamedValidation) -> None:
        self.records, self.quarantine, self.runs_dir, self.total = records, quarantine, runs_dir, total
        self.offset = 0  # bytes written to annotations.jsonl
        self.last: Any = None  # sort key of the last row written (direct mode)
        self.direct = True
        self.runs: list[Path] = []  # output runs (once out of order)
        self.index: list[tuple[Any, ...]] = []  # agreement index entries not yet in a run
        self.index_runs: list[Path] = []
        self.files = 0  # run files made so far, to name the next
        self.groups = StreamedGroups()  # each record's near_duplicate_group, patched in once all are written

    def add(self, part: Any) -> None:
        for r in part.records:
            self.groups.mark(r)
        rows: list[_Row] = [(record_sort_key(r), "r", r["id"], fileio.dumps(r).encode() + b"\n", None,
                             (r["article_id"], r["annotator"], recency_key(r))) for r in part.records]
        rows += [(record_sort_key(e["record"]), "q", e["record"].get("id"), fileio.dumps(e).encode() + b"\n",
                  _slim_quarantined(e), None) for e in part.quarantine]
        if not rows:
            return
        rows.sort(key=lambda row: row[0])
        if self.direct and (self.last is None or rows[0][0] > self.last):
            for row in rows:
                self._write(row)
            self.last = rows[-1][0]
            return
        if self.direct:
            self._written_to_run()
        self._dump(rows, self.runs, ROW_BLOCK)

    def finish(self) -> None:
        """Merge the runs into the files (nothing to do when the export came in order)."""
        import heapq

        if self.direct:
            return
        with contextlib.ExitStack() as readers:
            streams = [_unpickled(readers.enter_context(open(run, "rb"))) for run in self.runs]
            for row in heapq.merge(*streams, key=lambda row: row[0]):
                self._write(row)

    def _write(self, row: _Row) -> None:
        key, kind, rid, line, slim, info = row
        if kind == "q":
            self.quarantine.write(line)
            self.total.quarantine.append(slim)
            self.index.append((_group(rid), key, rid, None, None, None, 0, 0))
        else:
            self.records.write(line)
            aid, annotator, recency = info
            self.groups.add_line(aid, line)
            self.index.append((_group(rid), key, rid, aid, annotator, recency, self.offset, len(line)))
            self.offset += len(line)
        if len(self.index) >= AGREEMENT_RUN:
            self._dump(self.index, self.index_runs, INDEX_BLOCK)
            self.index = []

    def _written_to_run(self) -> None:
        """The first out-of-order chunk: what was written in order becomes run 0, the files start again."""
        import heapq

        def read(fh: IO[bytes], kind: str) -> Iterator[_Row]:
            fh.seek(0)
            for line in fh:
                obj = json.loads(line)
                if kind == "r":
                    yield (record_sort_key(obj), "r", obj["id"], line, None,
                           (obj["article_id"], obj["annotator"], recency_key(obj)))
                else:
                    yield (record_sort_key(obj["record"]), "q", obj["record"].get("id"), line,
                           _slim_quarantined(obj), None)

        # The two files are in order, so is their merge: streamed into the run, never held.
        self._dump(heapq.merge(read(self.records, "r"), read(self.quarantine, "q"), key=lambda row: row[0]),
                   self.runs, ROW_BLOCK, ordered=True)
        for fh in (self.records, self.quarantine):
            fh.seek(0)
            fh.truncate()
        self.offset = 0
        self.groups = StreamedGroups()  # finish() writes every record again, in the file's final order
        self.total.quarantine.clear()
        self.index, self.index_runs = [], []
        self.direct = False

    def _dump(self, rows: Iterable[Any], runs: list[Path], block: int, *, ordered: bool = False) -> None:
        """One sorted run file: output rows by sort key, index entries by (group, sort key)."""
        import itertools
        import pickle

        if not ordered:
            rows = sorted(rows, key=lambda row: row[:2])
        run = self.runs_dir / f"{self.files:06d}"
        self.files += 1
        with open(run, "wb") as out:
            it = iter(rows)
            while part := list(itertools.islice(it, block)):
                pickle.dump(part, out, protocol=pickle.HIGHEST_PROTOCOL)
        runs.append(run)

    def agreement(self, *, tagger: Any) -> dict[str, Any]:
        """The index merged by group: repeated record ids refused (the whole-export path flags them), each
        article's latest record per annotator found, and only those of articles with two or more
        annotators read back from annotations.jsonl to be compared."""
        import heapq
        import itertools

        from incident_corpus.quality.agreement import AgreementTally

        tally = AgreementTally(tagger=tagger)
        self.records.flush()
        self.index.sort(key=lambda row: row[:2])
        with contextlib.ExitStack() as readers:
            streams = [_unpickled(readers.enter_context(open(run, "rb"))) for run in self.index_runs]
            merged = heapq.merge(*streams, iter(self.index), key=lambda row: row[:2])
            for _, entries in itertools.groupby(merged, key=lambda row: row[0]):
                seen: set[str] = set()
                articles: dict[Any, dict[str, tuple[Any, int, int]]] = {}
                for _, _, rid, aid, who, recency, offset, size in entries:
                    if isinstance(rid, str):
                        if rid in seen:
                            raise _NotStreamable  # the whole-export path flags the later copy: let it
                        seen.add(rid)
                    if who is None:
                        continue  # quarantined: not compared
                    latest = articles.setdefault(aid, {})
                    if who not in latest or recency > latest[who][0]:
                        latest[who] = (recency, offset, size)
                for latest in articles.values():
                    if len(latest) < 2:
                        tally.add({})  # counted; nothing to compare, nothing read back
                    else:
                        tally.add({who: self._read(offset, size) for who, (_, offset, size) in latest.items()})
        return tally.as_dict()

    def _read(self, offset: int, size: int) -> dict[str, Any]:
        self.records.seek(offset)
        return json.loads(self.records.read(size))


def _group(rid: Any) -> str:
    """The index's sort group: the record id up to its first ':'. A record id is "{article_id}:{annotation
    id}", so one article's records, and every copy of one id, share a group (one article, almost always)."""
    return rid.partition(":")[0] if isinstance(rid, str) else ""


def _unpickled(fh: Any) -> Iterator[Any]:
    import pickle

    while True:
        try:
            yield from pickle.load(fh)
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

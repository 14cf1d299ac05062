"""`annotate push`: articles in, exactly one Label Studio task per distinct article out.

Idempotent by content: `article_id` is a hash of the normalised text, and before importing
we ask the project which ids it already holds, so a re-run (or a run after a crash half-way)
imports only what is missing. Concurrent pushes: on one machine they are serialised by a lock
file; across machines, a push that sees the task count move under it re-lists its articles
and deletes duplicate tasks that nobody has annotated yet (see README, "Two pushes at once").
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from incident_corpus.core import resources
from incident_corpus.core.errors import ConfigConflictError, InputError
from incident_corpus.core.progress import ProgressCallback
from incident_corpus.ingest.articles import Article, InputProblem, read_articles
from incident_corpus.studio import labelconfig
from incident_corpus.studio.connection import Connection
from incident_corpus.studio.tasks import build_task, instructions_html, task_problems, write_tasks_file

DEFAULT_BATCH = 1000
# Above this many ids one full listing is cheaper than in_list queries of 1000 ids each.
FULL_LIST_THRESHOLD = 3000


@dataclass
class PushResult:
    project: str
    project_id: int | None = None
    project_created: bool = False
    config_updated: bool = False
    dry_run: bool = False
    read: int = 0
    articles: int = 0
    created: int = 0
    already_present: int = 0
    predictions: int = 0
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    invalid: list[dict[str, str]] = field(default_factory=list)
    duplicate_tasks_removed: int = 0
    duplicate_tasks_kept: list[dict[str, Any]] = field(default_factory=list)
    tasks_file: str | None = None
    overlap: dict[str, int] | None = None  # {"annotators", "percent"} when --overlap was given
    blind: int = 0  # articles left without pre-annotation by --blind-share
    task_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.invalid

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("task_ids")
        d["ok"] = self.ok
        return d


def slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower() or "project"


def default_tasks_file(project: str) -> Path:
    return Path("tasks") / f"{slug(project)}.json"


def collect_articles(
    paths: Sequence[str | Path], *, max_bytes: int, stdin: TextIO | None, result: PushResult,
) -> list[Article]:
    """Read every input, keep one article per article_id, and record problems and duplicates."""
    seen: dict[str, Article] = {}
    dup_index: dict[str, dict[str, Any]] = {}
    for item in read_articles(paths, max_bytes=max_bytes, stdin=stdin):
        if isinstance(item, InputProblem):
            result.invalid.append({"source": item.source, "reason": item.reason})
            continue
        result.read += 1
        aid = item.article_id
        if aid in seen:
            entry = dup_index.setdefault(aid, {"article_id": aid, "kept": seen[aid].source_file, "also_in": []})
            entry["also_in"].append(item.source_file)
            continue
        seen[aid] = item
    result.duplicates = list(dup_index.values())
    return list(seen.values())


def is_blind(article_id: str, share: float) -> bool:
    """Whether an article is in the blind share (pushed without pre-annotation): a hash point of its id,
    so the same articles are blind on every run and machine, and a larger share keeps the smaller's."""
    point = int.from_bytes(hashlib.sha256(f"blind:{article_id}".encode()).digest()[:8], "big") / 2**64
    return point < share


def build_tasks(
    articles: list[Article], *, pre_annotate: bool, model: str | None, result: PushResult,
    progress: ProgressCallback | None = None, rules: bool = True, preannotator: Any = None,
    blind_share: float = 0.0,
) -> list[dict[str, Any]]:
    predictions: Iterator[dict[str, Any] | None]
    version: str | None = None
    blind = {a.article_id for a in articles if is_blind(a.article_id, blind_share)} if pre_annotate else set()
    if pre_annotate:
        from incident_corpus.preannotate.model import make_preannotator

        pre = preannotator or make_preannotator(model=model, rules=rules)
        version = pre.version
        # A list, not a generator: a large one is shared with a worker process (preannotate/rules.py).
        seen = pre.annotate_many([a.text for a in articles if a.article_id not in blind])
        predictions = (None if a.article_id in blind else next(seen) for a in articles)
    else:
        predictions = iter([None] * len(articles))
    result.blind = len(blind)
    tasks: list[dict[str, Any]] = []
    for n, (article, prediction) in enumerate(zip(articles, predictions, strict=True), 1):
        task = build_task(article.task_data(), prediction=prediction, model_version=version)
        problems = task_problems(task)
        if problems:
            result.invalid.append({"source": article.source_file or article.article_id,
                                   "reason": "built task is invalid: " + "; ".join(problems)})
            continue
        if prediction is not None:
            result.predictions += 1
        tasks.append(task)
        if progress and (n % 200 == 0 or n == len(articles)):
            progress("pre-annotate" if pre_annotate else "build", n, len(articles))
    return tasks


def push(
    *,
    paths: Sequence[str | Path],
    project: str,
    connection: Connection | None,
    pre_annotate: bool = True,
    model: str | None = None,
    rules: bool = True,
    dry_run: bool = False,
    out: Path | None = None,
    batch_size: int = DEFAULT_BATCH,
    max_bytes: int = 5_000_000,
    update_config: bool = False,
    stdin: TextIO | None = None,
    progress: ProgressCallback | None = None,
    overlap: int | None = None,
    overlap_share: float | None = None,
    blind_share: float = 0.0,
) -> PushResult:
    if not 0 <= blind_share <= 1:
        raise InputError(f"--blind-share must be a share in [0, 1], e.g. 0.1 for a tenth of the articles, not "
                         f"{blind_share}")
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, not {batch_size}")
    if overlap_share is not None and overlap is None:
        raise InputError("--overlap-share needs --overlap K (how many annotators label the shared tasks)")
    if overlap is not None:
        from incident_corpus.pipeline.project import check_overlap, overlap_percent

        check_overlap(overlap)
        overlap_percent(1.0 if overlap_share is None else overlap_share)
    result = PushResult(project=project, dry_run=dry_run)
    # A model that cannot be loaded fails here, before any server work.
    pre: Any = None
    if pre_annotate:
        from incident_corpus.preannotate.model import make_preannotator

        pre = make_preannotator(model=model, rules=rules)
    if dry_run:
        tasks = _read_and_build(paths, project=project, out=out, max_bytes=max_bytes, stdin=stdin,
                                pre_annotate=pre_annotate, model=model, result=result, progress=progress,
                                preannotator=pre, blind_share=blind_share)
        return result
    if connection is None:
        raise InputError("push needs a Label Studio connection unless --dry-run is given")

    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        # Server, token and project config first: fail before minutes of pre-annotation, not after.
        client.check()
        proj = ensure_project(client, title=project, update_config=update_config, result=result)
        result.project_id = proj.id
        if overlap is not None:
            # Before the import, so new tasks arrive with their overlap (the server re-picks the cohort).
            from incident_corpus.pipeline.project import apply_overlap

            share = 1.0 if overlap_share is None else overlap_share
            result.overlap = {"annotators": overlap,
                              "percent": apply_overlap(client, proj.id, annotators=overlap, share=share)}
        with push_lock(connection.url, proj.id):
            listing = ExistingArticles(client, proj.id)
            tasks = _read_and_build(paths, project=project, out=out, max_bytes=max_bytes, stdin=stdin,
                                    pre_annotate=pre_annotate, model=model, result=result, progress=progress,
                                    preannotator=pre, blind_share=blind_share)
            upload(client, proj.id, tasks, listing=listing, batch_size=batch_size, result=result,
                   progress=progress)
    return result


class ExistingArticles:
    """Which article ids the project already holds.

    For a large project the full listing (seconds of server time for 10k tasks) starts in a
    background thread at once and runs while the inputs are read; a small push into a large
    project asks with `in_list` queries instead and does not wait for it.
    """

    def __init__(self, client: Any, project_id: int) -> None:
        self.client, self.project_id = client, project_id
        self.total = client.task_count(project_id)
        self._result: dict[str, list[int]] | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if self.total >= FULL_LIST_THRESHOLD:
            self._thread = threading.Thread(target=self._fetch_all, name="list-tasks", daemon=True)
            self._thread.start()

    def _fetch_all(self) -> None:
        try:
            self._result = self.client.tasks_by_article(self.project_id)
        except BaseException as exc:  # handed to the main thread in get()
            self._error = exc

    def get(self, ids: list[str]) -> dict[str, list[int]]:
        if not self.total:
            return {}
        if self._thread is not None and (len(ids) > FULL_LIST_THRESHOLD or not self._thread.is_alive()):
            self._thread.join()
            if self._error is not None:
                raise self._error
            assert self._result is not None
            return self._result
        return self.client.tasks_by_article(self.project_id, ids if len(ids) <= FULL_LIST_THRESHOLD else None)


def _read_and_build(
    paths: Sequence[str | Path], *, project: str, out: Path | None, max_bytes: int, stdin: TextIO | None,
    pre_annotate: bool, model: str | None, result: PushResult, progress: ProgressCallback | None,
    preannotator: Any = None, blind_share: float = 0.0,
) -> list[dict[str, Any]]:
    articles = collect_articles(paths, max_bytes=max_bytes, stdin=stdin, result=result)
    result.articles = len(articles)
    tasks = build_tasks(articles, pre_annotate=pre_annotate, model=model, result=result, progress=progress,
                        preannotator=preannotator, blind_share=blind_share)
    if result.dry_run or out is not None:
        path = out or default_tasks_file(project)
        write_tasks_file(path, tasks)
        result.tasks_file = str(path)
    return tasks


def ensure_project(client: Any, *, title: str, update_config: bool, result: PushResult) -> Any:
    ours = resources.label_config()
    proj = client.find_project(title)
    if proj is None:
        result.project_created = True
        return client.create_project(title=title, label_config=ours, instructions_html=instructions_html())
    differences = labelconfig.diff(ours, proj.label_config)
    if differences:
        if not update_config:
            raise ConfigConflictError(
                f"project {title!r} (id {proj.id}) at {client.url} has a label config that differs from "
                f"incident-corpus's: {'; '.join(differences)}. Nothing was pushed. To replace it with ours run "
                "again with --update-config (annotations using labels ours lacks would be orphaned), "
                "or push to a new project with another --project title"
            )
        client.update_project(proj.id, label_config=ours, instructions_html=instructions_html())
        result.config_updated = True
    return proj


@contextlib.contextmanager
def push_lock(url: str, project_id: int) -> Iterator[None]:
    """Serialise pushes to one project from this machine (a second push waits its turn)."""
    key = hashlib.sha256(f"{url}|{project_id}".encode()).hexdigest()[:16]
    lock_dir = Path(tempfile.gettempdir()) / "incident-corpus-locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"push-{key}.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upload(client: Any, project_id: int, tasks: list[dict[str, Any]], *, listing: ExistingArticles, batch_size: int,
           result: PushResult, progress: ProgressCallback | None) -> None:
    ids = [t["data"]["article_id"] for t in tasks]
    total_before = listing.total
    existing = listing.get(ids)
    if existing:
        heal_duplicates(client, {a: t for a, t in existing.items() if len(t) > 1}, result=result)
    missing = [t for t in tasks if t["data"]["article_id"] not in existing]
    result.already_present = len(tasks) - len(missing)
    if progress:
        progress("import", 0, len(missing))
    for start in range(0, len(missing), batch_size):
        # Retried after a lost connection, a timeout or a 429/5xx, but only once the client has
        # re-checked which articles landed, so a retry never imports an article twice.
        imported = client.import_new_tasks(project_id, missing[start:start + batch_size])
        result.created += imported.count
        result.task_ids.extend(imported.task_ids)
        if progress:
            progress("import", min(start + batch_size, len(missing)), len(missing))
    if result.created or result.duplicate_tasks_removed:
        expected = total_before - result.duplicate_tasks_removed + result.created
        if client.task_count(project_id) != expected:
            # Someone else imported while we did: make sure none of our articles is there twice.
            mine = client.tasks_by_article(project_id, ids if len(ids) <= FULL_LIST_THRESHOLD else None)
            ours = set(ids)
            heal_duplicates(client, {a: t for a, t in mine.items() if len(t) > 1 and a in ours}, result=result)


def heal_duplicates(client: Any, dups: dict[str, list[int]], *, result: PushResult) -> None:
    """Keep one task per article: delete extra copies that hold no annotation; never delete work."""
    for aid, task_ids in sorted(dups.items()):
        counts = client.task_annotation_counts(task_ids)
        annotated = [t for t in task_ids if counts.get(t)]
        keep = annotated[0] if annotated else task_ids[0]
        for tid in task_ids:
            if tid == keep or tid in annotated:
                continue
            client.delete_task(tid)
            result.duplicate_tasks_removed += 1
        if len(annotated) > 1:
            result.duplicate_tasks_kept.append({"article_id": aid, "task_ids": annotated,
                                                "reason": "several copies hold annotations; merge them by hand"})

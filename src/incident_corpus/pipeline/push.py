"""`annotate push`: articles in, exactly one Label Studio task per distinct article out.

Idempotent by content: `article_id` is a hash of the normalised text, and before importing
we ask the project which ids it already holds, so a re-run (or a run after a crash half-way)
imports only what is missing. Concurrent pushes: on one machine they are serialised by a lock
file; across machines, a push that sees the task count move under it re-lists its articles
and deletes duplicate tasks that nobody has annotated yet (see docs/maintainers.md, "Two pushes at once").
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import fcntl
import hashlib
import itertools
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from incident_corpus.core.errors import InputError
from incident_corpus.core.progress import ProgressCallback
from incident_corpus.ingest.articles import Article, InputProblem, count_items, read_articles
from incident_corpus.pipeline.project import ensure_project
from incident_corpus.studio.connection import Connection
from incident_corpus.studio.protocol import StudioClient
from incident_corpus.studio.tasks import build_task, instructions_html, task_problems, write_tasks_stream

if TYPE_CHECKING:
    from incident_corpus.studio.client import Imported

DEFAULT_BATCH = 1000
# Above this many ids one full listing is cheaper than in_list queries of 1000 ids each.
FULL_LIST_THRESHOLD = 3000
# What a push whose project has another label config tells the user to do (project.ensure_project).
CONFIG_CONFLICT_FIX = (". To replace it with ours run again with --update-config (annotations using labels ours lacks "
                       "would be orphaned), or push to a new project with another --project title")
READ_AHEAD = 10_000  # articles a large push reads while the project is listed (~30 MB of 3 KB texts)


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
    # With a trained --model beside the rules: per label the merge's choice and why (meta.json's evidence).
    merge: dict[str, Any] | None = None
    near_duplicates: list[dict[str, Any]] = field(default_factory=list)  # pipeline/nearpush.py rows
    near_duplicate_sync: dict[str, int] = field(default_factory=dict)  # signature store catch-up, if any
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


def unique_articles(items: Iterable[Article | InputProblem], *, result: PushResult) -> Iterator[Article]:
    """Each distinct article once, in input order, as it is read; problems and duplicates go into
    `result` on the way. Only ids stay in memory, so a 100k-article input streams through."""
    kept: dict[str, str | None] = {}  # article_id -> source_file of the copy that is kept
    dup_index: dict[str, dict[str, Any]] = {}
    try:
        for item in items:
            if isinstance(item, InputProblem):
                result.invalid.append({"source": item.source, "reason": item.reason})
                continue
            result.read += 1
            aid = item.article_id
            if aid in kept:
                entry = dup_index.setdefault(aid, {"article_id": aid, "kept": kept[aid], "also_in": []})
                entry["also_in"].append(item.source_file)
                continue
            kept[aid] = item.source_file
            result.articles += 1
            yield item
    finally:
        result.duplicates = list(dup_index.values())


def is_blind(article_id: str, share: float) -> bool:
    """Whether an article is in the blind share (pushed without pre-annotation): a hash point of its id,
    so the same articles are blind on every run and machine, and a larger share keeps the smaller's."""
    point = int.from_bytes(hashlib.sha256(f"blind:{article_id}".encode()).digest()[:8], "big") / 2**64
    return point < share


class TaskBuilder:
    """Articles to checked task dicts, a batch at a time (pre-annotation runs per batch, so memory
    holds one batch of tasks, not the corpus)."""

    def __init__(self, *, pre_annotate: bool, preannotator: Any, blind_share: float, result: PushResult) -> None:
        self.pre, self.blind_share, self.result = (preannotator if pre_annotate else None), blind_share, result
        self.version: str | None = self.pre.version if self.pre is not None else None

    def build(self, articles: list[Article], *, predict: bool = True) -> list[dict[str, Any]]:
        """Tasks for `articles`, with predictions unless `predict` is False (articles the project
        already holds need none); a task that fails its own checks is reported, not returned."""
        blind = [self.pre is not None and is_blind(a.article_id, self.blind_share) for a in articles]
        self.result.blind += sum(blind)
        wanted = [a.text for a, b in zip(articles, blind, strict=True) if predict and self.pre is not None and not b]
        found = iter(self.pre.annotate_many(wanted) if wanted and self.pre is not None else [])
        tasks: list[dict[str, Any]] = []
        for article, is_blind_ in zip(articles, blind, strict=True):
            prediction = next(found) if predict and self.pre is not None and not is_blind_ else None
            task = build_task(article.task_data(), prediction=prediction, model_version=self.version)
            problems = task_problems(task)
            if problems:
                self.result.invalid.append({"source": article.source_file or article.article_id,
                                            "reason": "built task is invalid: " + "; ".join(problems)})
                continue
            if prediction is not None:
                self.result.predictions += 1
            tasks.append(task)
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
    near_duplicates: str = "skip",
    near_duplicate_threshold: float = 0.8,
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

        pre = make_preannotator(model=model, rules=rules, parallel=True)
        result.merge = getattr(pre, "merge_summary", None)
    from incident_corpus.pipeline import nearpush

    nearpush.check_options(mode=near_duplicates, threshold=near_duplicate_threshold)  # before any work
    builder = TaskBuilder(pre_annotate=pre_annotate, preannotator=pre, blind_share=blind_share, result=result)
    stream = Stream(paths, max_bytes=max_bytes, stdin=stdin, result=result, progress=progress,
                    stage="pre-annotate" if pre_annotate else "build")
    if dry_run:
        screen = nearpush.open_screen(mode=near_duplicates, threshold=near_duplicate_threshold, url=None,
                                      project_id=None)
        return dry(stream, builder, screen, out=out or default_tasks_file(project), batch_size=batch_size,
                   result=result)
    if connection is None:
        raise InputError("push needs a Label Studio connection unless --dry-run is given")

    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        # Server, token and project config first: fail before minutes of pre-annotation, not after.
        client.check()
        ensured = ensure_project(client, title=project, instructions=instructions_html, on_conflict=CONFIG_CONFLICT_FIX,
                                 update_config=update_config)
        proj, result.project_created, result.config_updated = ensured.project, ensured.created, ensured.config_updated
        result.project_id = proj.id
        if overlap is not None:
            # Before the import, so new tasks arrive with their overlap (the server re-picks the cohort).
            from incident_corpus.pipeline.project import apply_overlap

            share = 1.0 if overlap_share is None else overlap_share
            result.overlap = {"annotators": overlap,
                              "percent": apply_overlap(client, proj.id, annotators=overlap, share=share)}
        with push_lock(connection.url, proj.id), contextlib.ExitStack() as stack:
            write = stack.enter_context(tasks_file(result, out)) if out is not None else None
            screen = stack.enter_context(nearpush.open_screen(
                mode=near_duplicates, threshold=near_duplicate_threshold, url=connection.url, project_id=proj.id))
            upload(client, proj.id, stream, builder=builder, listing=ExistingArticles(client, proj.id),
                   batch_size=batch_size, result=result, progress=progress, write=write, screen=screen)
            result.near_duplicates, result.near_duplicate_sync = screen.near_duplicates, screen.synced
    return result


def dry(stream: Stream, builder: TaskBuilder, screen: Any, *, out: Path, batch_size: int,
        result: PushResult) -> PushResult:
    """--dry-run: the tasks file only; near-duplicates are looked for within the input."""
    with screen, tasks_file(result, out) as write:
        for batch in stream.batches(batch_size):
            kept, marks = screen.screen(batch)
            for task in mark(builder.build(kept), marks):
                write(task)
    result.near_duplicates = screen.near_duplicates
    return result


def mark(tasks: list[dict[str, Any]], marks: dict[str, str]) -> list[dict[str, Any]]:
    """`meta.near_duplicate_of` on the tasks pushed although near-duplicates (--near-duplicates keep)."""
    for task in tasks:
        of = marks.get(task["data"]["article_id"])
        if of is not None:
            task["meta"]["near_duplicate_of"] = of
    return tasks


class Stream:
    """The distinct articles of the inputs, read lazily, in batches. Progress counts input items
    (articles, duplicates and bad inputs alike) against a cheap pre-count of them (None where that
    would cost a parse: .json batches, stdin)."""

    def __init__(self, paths: Sequence[str | Path], *, max_bytes: int, stdin: TextIO | None, result: PushResult,
                 progress: ProgressCallback | None, stage: str) -> None:
        self.result, self.progress, self.stage = result, progress, stage
        self.total = count_items(paths) if progress else None
        self.items = 0  # input items read so far
        self._articles = unique_articles(self._counted(read_articles(paths, max_bytes=max_bytes, stdin=stdin)),
                                         result=result)
        self._head: list[Article] = []

    def _counted(self, items: Iterator[Article | InputProblem]) -> Iterator[Article | InputProblem]:
        for item in items:
            self.items += 1
            yield item

    def first(self, n: int) -> list[Article]:
        """Read up to n articles ahead (to decide how to ask the project which ones it holds)."""
        self._head = list(itertools.islice(self._articles, n))
        return self._head

    def read_ahead(self, limit: int, *, until: Callable[[], bool], step: int = 500) -> None:
        """Keep reading (up to `limit` articles held) until `until()`: the reading overlaps the server's
        listing of a large project instead of waiting for it."""
        while len(self._head) < limit and not until():
            more = list(itertools.islice(self._articles, min(step, limit - len(self._head))))
            if not more:
                return
            self._head.extend(more)

    def batches(self, size: int) -> Iterator[list[Article]]:
        source = itertools.chain(self._head, self._articles)
        self._head = []
        while batch := list(itertools.islice(source, size)):
            done = self.items
            yield batch
            self._report(done)
        self._report(self.items)

    def _report(self, done: int) -> None:
        if self.progress:
            self.progress(self.stage, done, self.total)


@contextlib.contextmanager
def tasks_file(result: PushResult, path: Path) -> Iterator[Any]:
    """The tasks as a JSON array importable in the Label Studio UI, written as they are built and
    renamed into place only when complete (an interrupted push leaves the old file)."""
    with write_tasks_stream(path) as write:
        yield write
    result.tasks_file = str(path)


class ExistingArticles:
    """Which article ids the project already holds.

    For a large project the full listing (seconds of server time for 10k tasks) starts in a
    background thread at once and runs while the inputs are read; a small push into a large
    project asks with `in_list` queries instead and does not wait for it.
    """

    def __init__(self, client: StudioClient, project_id: int) -> None:
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

    def ready(self) -> bool:
        """True once get(None) would not wait for the background listing."""
        return self._thread is None or not self._thread.is_alive()

    def get(self, ids: list[str] | None) -> dict[str, list[int]]:
        """The project's tasks by article id: of `ids` only, or all of them (None)."""
        if not self.total:
            return {}
        if self._thread is not None and (ids is None or not self._thread.is_alive()):
            self._thread.join()
            if self._error is not None:
                raise self._error
            assert self._result is not None
            return self._result
        return self.client.tasks_by_article(self.project_id, ids)


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


def upload(client: StudioClient, project_id: int, stream: Stream, *, builder: TaskBuilder, listing: ExistingArticles,
           batch_size: int, result: PushResult, progress: ProgressCallback | None,
           write: Any = None, screen: Any = None) -> None:
    """Build and import batch by batch: only the articles the project lacks are pre-annotated and
    imported (all of them are built when a tasks file is written), one import in flight on a
    thread while the next batch is pre-annotated, so memory holds two batches at most."""
    total_before = listing.total
    head = stream.first(FULL_LIST_THRESHOLD + 1)
    # A small push asks about its own ids; a large one reads on while the full listing runs, then waits for it.
    if len(head) > FULL_LIST_THRESHOLD:
        stream.read_ahead(READ_AHEAD, until=listing.ready)
    existing = listing.get([a.article_id for a in head] if len(head) <= FULL_LIST_THRESHOLD else None)
    if existing:
        heal_duplicates(client, {a: t for a, t in existing.items() if len(t) > 1}, result=result)
    if screen is not None:
        from incident_corpus.pipeline.nearpush import sync

        sync(screen, client, project_id, total=listing.total - result.duplicate_tasks_removed,
             listed=existing if len(head) > FULL_LIST_THRESHOLD else None)
    ids: list[str] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="import") as pool:
        inflight: concurrent.futures.Future[Imported] | None = None
        for batch in stream.batches(batch_size):
            ids.extend(a.article_id for a in batch)
            new = [a for a in batch if a.article_id not in existing]
            result.already_present += len(batch) - len(new)
            marks: dict[str, str] = {}
            if screen is not None:
                new, marks = screen.screen(new)
            if write is not None:
                fresh = {a.article_id for a in new}
                held = {a.article_id for a in batch if a.article_id not in existing} - fresh
                tasks = mark(builder.build([a for a in batch if a.article_id not in held], predict=True), marks)
                for task in tasks:
                    write(task)
                tasks = [t for t in tasks if t["data"]["article_id"] in fresh]
            else:
                tasks = mark(builder.build(new), marks)
            if inflight is not None:
                _imported(inflight.result(), result)
                inflight = None
            if tasks:
                # Retried after a lost connection, a timeout or a 429/5xx, but only once the client has
                # re-checked which articles landed, so a retry never imports an article twice.
                inflight = pool.submit(client.import_new_tasks, project_id, tasks)
        if inflight is not None:
            _imported(inflight.result(), result)
    if progress:
        progress("import", result.created, result.created)
    if result.created or result.duplicate_tasks_removed:
        expected = total_before - result.duplicate_tasks_removed + result.created
        if client.task_count(project_id) != expected:
            # Someone else imported while we did: make sure none of our articles is there twice.
            mine = client.tasks_by_article(project_id, ids if len(ids) <= FULL_LIST_THRESHOLD else None)
            ours = set(ids)
            heal_duplicates(client, {a: t for a, t in mine.items() if len(t) > 1 and a in ours}, result=result)


def _imported(imported: Imported, result: PushResult) -> None:
    result.created += imported.count
    result.task_ids.extend(imported.task_ids)


def heal_duplicates(client: StudioClient, dups: dict[str, list[int]], *, result: PushResult) -> None:
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

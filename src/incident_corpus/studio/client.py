"""Everything that talks to a Label Studio server: the only module that imports label_studio_sdk.

One client wraps the SDK and a plain httpx client with the same settings (and the same httpx
transport, so tests can swap in `httpx.MockTransport`), so timeouts, retries and error
translation live in one place: `Client.call` is the one retry loop (exponential backoff with
jitter, `backoff()`), used for every request that is safe to repeat, and imports retry through it
only after re-checking which articles landed (`import_new_tasks`). Every failure leaves as a typed
`LabelStudioError` carrying `status` and `url`; messages never contain the token. All Label
Studio API paths and Data Manager filters are spelled here, nowhere else.
"""

from __future__ import annotations

import contextlib
import functools
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TypeVar

import httpx
import pydantic
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.core.parse_error import ParsingError
from packaging.version import InvalidVersion, Version

from incident_corpus.core.errors import (
    AuthError,
    BadResponseError,
    LabelStudioError,
    ProjectNotFoundError,
    ServerBusyError,
    ServerTimeoutError,
    ServerUnreachableError,
    ServerVersionError,
)
from incident_corpus.studio.connection import Connection

T = TypeVar("T")
RETRY_STATUS = {429, 500, 502, 503, 504}
# The in_list filter travels in the URL; 3000 ids overflow Label Studio's 64 KB limit.
IN_LIST_CHUNK = 1000
SUPPORTED_SERVER = ("1.20", "1.24")  # [min, max) of label-studio versions the SDK pin speaks to


@dataclass(frozen=True)
class Project:
    id: int
    title: str
    label_config: str
    task_count: int | None = None


@dataclass(frozen=True)
class TaskCounts:
    total: int
    completed: int  # at least one submitted (not cancelled) annotation
    skipped: int  # only cancelled annotations


@dataclass
class Imported:
    """What `import_new_tasks` left in the project: `count` tasks of the batch, with their ids
    (for tasks a lost answer had already imported, the id found by the re-check)."""

    count: int = 0
    task_ids: list[int] = field(default_factory=list)


class Client:
    def __init__(self, conn: Connection, *, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        """`sleep` waits between retries and `transport` carries every request (the plain client's
        and the SDK's); both are there so retries and error mapping can be tested without a server."""
        self.conn = conn
        self.url = conn.url
        self._sleep = sleep
        self._transport = transport
        # No keep-alive: on Label Studio 1.23.2's development server (127.0.0.1) 200 small GETs took
        # 3.2 s with a fresh connection each and 11.7 s kept alive (+ TCP_NODELAY on our side: 12.7 s),
        # the server's delayed-ACK stall; a 1000-task import was the same either way (0.50 / 0.44 s).
        # Measured with scripts/measure_keepalive.py, median of 3 rounds.
        limits = httpx.Limits(max_keepalive_connections=0)
        self.http = httpx.Client(
            base_url=conn.url, timeout=conn.timeout, limits=limits, transport=transport,
            headers={"Authorization": f"Token {conn.api_key}"},
        )
        self._limits = limits

    @functools.cached_property
    def sdk(self) -> Any:
        """The typed SDK client, built on first use: importing it costs ~1 s, and push and
        re-push never need it (they talk plain HTTP)."""
        from label_studio_sdk import LabelStudio

        # max_retries=0: the SDK would otherwise retry by itself (2x on a dropped connection, 5xx, 408,
        # 409, 429), POSTs included — an import whose answer was lost would land twice. Retries live
        # in `call()`, which knows which requests are safe to repeat.
        return LabelStudio(base_url=self.conn.url, api_key=self.conn.api_key, max_retries=0,
                           httpx_client=httpx.Client(timeout=self.conn.timeout, limits=self._limits,
                                                     transport=self._transport))

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------

    def call(self, what: str, fn: Callable[[], T], *, retry: bool = True,
             before_retry: Callable[[], None] | None = None) -> T:
        """Run one request; retry connection errors, timeouts, 429 and 5xx when `retry` says it is safe.

        The one retry loop: `backoff(attempt)` between tries, `conn.retries` retries at most.
        `before_retry` runs after each wait (import uses it to ask for a re-check first). A typed
        transient error from a request nested inside `fn` (such a re-check) counts as a failed try too.
        Every failure the SDK or httpx can raise (transport errors, `ApiError`, `ParsingError`,
        undecodable or non-JSON bodies) leaves as a typed `LabelStudioError`, never as a traceback.
        """
        attempts = max(1, self.conn.retries + 1) if retry else 1
        for attempt in range(attempts):
            last = attempt + 1 == attempts
            try:
                return fn()
            except LabelStudioError as exc:  # already typed (and retried) by a nested call
                if last or not exc.transient:
                    raise
            except _HTTP_FAILURES as exc:
                if last or not _transient(exc):
                    raise self._translate(what, exc, tries=attempt + 1) from None
            self._sleep(backoff(attempt))
            if before_retry is not None:
                before_retry()
        raise AssertionError("unreachable")  # pragma: no cover

    def _translate(self, what: str, exc: Exception, *, tries: int = 1) -> LabelStudioError:
        error_type, message = self._describe(what, exc, tries=tries)
        # Defence in depth: whatever a server echoes back, the token never leaves in a message.
        url = _request_url(exc) or self.url
        if self.conn.api_key:
            message = message.replace(self.conn.api_key, "<api-key>")
            url = url.replace(self.conn.api_key, "<api-key>")
        return error_type(message, status=_status(exc), url=url)

    def _describe(self, what: str, exc: Exception, *, tries: int) -> tuple[type[LabelStudioError], str]:
        after = f" ({tries} attempts)" if tries > 1 else ""
        if isinstance(exc, httpx.TimeoutException):
            return ServerTimeoutError, (
                f"Label Studio at {self.url} did not answer within {_timeout_of(exc, self.conn.timeout):g} s "
                "while trying to "
                f"{what}{after}; it is busy or stuck — try again, raise --timeout / LABEL_STUDIO_TIMEOUT, "
                "or restart it (`annotate studio stop`, then `annotate studio start`)"
            )
        if isinstance(exc, httpx.TransportError):
            return ServerUnreachableError, (
                f"cannot reach Label Studio at {self.url} (connection failed while trying to {what}{after}) — "
                "is it running? try `annotate studio start`, or check --url / LABEL_STUDIO_URL"
            )
        status = _status(exc)
        if status in (401, 403):
            return AuthError, (
                f"Label Studio at {self.url} rejected the API token (HTTP {status}) while trying to {what}; "
                "check --api-key / LABEL_STUDIO_API_KEY (Label Studio: Account & Settings → Access Token)"
            )
        if status in RETRY_STATUS:
            return ServerBusyError, (
                f"Label Studio at {self.url} answered HTTP {status} while trying to {what}{after}: {_body(exc)}; "
                "the server is overloaded or failing — see its log (the embedded studio's is server.log in "
                "its folder) and try again; --retries / LABEL_STUDIO_RETRIES sets how often to retry"
            )
        # A 2xx that is not JSON, or a redirect (to a login page, say): something else answered.
        if status is None or 200 <= status < 400 or isinstance(exc, (ParsingError, httpx.DecodingError)):
            shown = f"HTTP {status}" if status is not None else "no status"
            return BadResponseError, (
                f"Label Studio at {self.url} sent an answer that is not its API's while trying to {what} "
                f"({shown}, {_content_type(exc)}): {_body(exc, 120)}; check that --url / LABEL_STUDIO_URL "
                "points at Label Studio itself, not at a login page or another web server"
            )
        return LabelStudioError, (
            f"Label Studio at {self.url} answered HTTP {status} while trying to {what}: {_body(exc)}"
        )

    def get_json(self, path: str, *, params: dict[str, Any] | None = None, what: str) -> Any:
        return self.call(what, functools.partial(self._request_json, "GET", path, params=params))

    def send_json(self, method: str, path: str, body: Any, *, what: str, retry: bool,
                  params: dict[str, Any] | None = None) -> Any:
        """POST/PATCH a JSON body over plain HTTP (the SDK costs ~1 s to import; push needs none of it)."""
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.call(what, functools.partial(self._request_json, method, path, params=params, content=content),
                         retry=retry)

    def _request_json(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      content: bytes | None = None, timeout: float | None = None) -> Any:
        """One request, no retry, raw failures (for `call` to judge and translate)."""
        r = self._request(method, path, params=params, content=content, timeout=timeout)
        try:
            return r.json()
        except ValueError:
            raise NotJSONError(r) from None

    def _request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                 content: bytes | None = None, timeout: float | None = None) -> httpx.Response:
        headers = {"Content-Type": "application/json"} if content is not None else None
        r = self.http.request(method, path, params=params, content=content, headers=headers,
                              timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT)
        r.raise_for_status()
        return r

    # -- server -----------------------------------------------------------------------------

    def check(self) -> dict[str, Any]:
        """Prove the URL and token work, and that the server speaks our SDK's API."""
        me = self.get_json("/api/current-user/whoami", what="check the API token")
        try:
            version = self.get_json("/api/version", what="read the server version")
        except LabelStudioError:
            version = {}
        release = str(version.get("release") or version.get("label-studio-os-package", {}).get("version", ""))
        if release and not supported_server(release):
            raise ServerVersionError(
                f"Label Studio at {self.url} is version {release}; incident-corpus speaks to "
                f"{SUPPORTED_SERVER[0]} ≤ version < {SUPPORTED_SERVER[1]} (label-studio-sdk 2.1.2); "
                "use label-studio==1.23.2 or upgrade incident-corpus", url=self.url,
            )
        return {"user_id": me.get("id"), "version": release}

    def users(self) -> dict[int, str]:
        data = self.get_json("/api/users/", what="list users")
        rows = data if isinstance(data, list) else data.get("results", [])
        return {int(u["id"]): str(u.get("email") or "") for u in rows}

    # -- projects ---------------------------------------------------------------------------

    def projects(self) -> list[Project]:
        out: list[Project] = []
        page = 1
        while True:
            data = self.get_json("/api/projects/", params={"page": page, "page_size": 100},
                                 what="list projects")
            rows = data.get("results", []) if isinstance(data, dict) else data
            for p in rows:
                out.append(Project(id=int(p["id"]), title=str(p.get("title") or ""),
                                   label_config=str(p.get("label_config") or ""),
                                   task_count=p.get("task_number")))
            if not isinstance(data, dict) or not data.get("next"):
                return out
            page += 1

    def find_project(self, title: str) -> Project | None:
        matches = [p for p in self.projects() if p.title == title]
        if len(matches) > 1:
            ids = ", ".join(str(p.id) for p in matches)
            raise LabelStudioError(
                f"{len(matches)} projects at {self.url} are titled {title!r} (ids {ids}); rename all but one "
                "in Label Studio (Settings → General) so the title names one project", url=self.url,
            )
        return matches[0] if matches else None

    def get_project(self, title: str) -> Project:
        project = self.find_project(title)
        if project is None:
            existing = ", ".join(repr(p.title) for p in self.projects()) or "none"
            raise ProjectNotFoundError(
                f"no project titled {title!r} at {self.url}; projects there: {existing}. "
                "Create it with `annotate push PATH --project TITLE`", url=self.url,
            )
        return project

    def create_project(self, *, title: str, label_config: str, instructions_html: str) -> Project:
        # Not retried: a retry after a lost answer could create the project twice.
        p = self.send_json("POST", "/api/projects/", {
            "title": title, "label_config": label_config, "expert_instruction": instructions_html,
            "show_instruction": True, "show_skip_button": True, "enable_empty_annotation": True,
        }, what="create the project", retry=False)
        if not isinstance(p, dict) or not isinstance(p.get("id"), int):
            raise BadResponseError(f"Label Studio at {self.url} answered the project creation without an id: "
                                   f"{str(p)[:200]}; check that --url points at Label Studio itself", url=self.url)
        return Project(id=p["id"], title=title, label_config=label_config, task_count=0)

    def update_project(self, project_id: int, *, label_config: str, instructions_html: str) -> None:
        self.send_json("PATCH", f"/api/projects/{project_id}/", {
            "label_config": label_config, "expert_instruction": instructions_html, "show_instruction": True,
        }, what="update the project's label config", retry=True)

    # -- ML backends (`annotate serve --connect`) ------------------------------------------------

    def ml_backends(self, project_id: int) -> list[dict[str, Any]]:
        data = self.get_json("/api/ml/", params={"project": project_id}, what="list the project's ML backends")
        return [b for b in data if isinstance(b, dict)] if isinstance(data, list) else []

    def add_ml_backend(self, project_id: int, *, url: str, title: str, interactive: bool) -> dict[str, Any]:
        """Register a backend; the server calls its /health and /setup before it answers.
        Not retried: a retry after a lost answer would register the backend twice."""
        return dict(self.send_json("POST", "/api/ml/", {
            "url": url, "project": project_id, "title": title, "is_interactive": interactive,
            "auto_update": True,
        }, what="register the ML backend", retry=False))

    def update_ml_backend(self, backend_id: int, *, url: str, project_id: int, **fields: Any) -> dict[str, Any]:
        """PATCH a backend; 1.23.2 answers HTTP 500 unless the body repeats its `url` and `project`."""
        fields.update(url=url, project=project_id)
        return dict(self.send_json("PATCH", f"/api/ml/{backend_id}", fields, what="update the ML backend",
                                   retry=True))

    def set_project(self, project_id: int, *, what: str, **fields: Any) -> dict[str, Any]:
        """PATCH project settings (idempotent, so retried)."""
        return dict(self.send_json("PATCH", f"/api/projects/{project_id}/", fields, what=what, retry=True))

    def tasks_predicted_by(self, project_id: int, model_version: str) -> int:
        """Tasks holding a prediction of exactly `model_version`. The Data Manager's filter matches
        substrings, so versions that extend it (`incident-rules-3+incident-ner-…` for
        `incident-rules-3`) are excluded by a second filter."""
        items = [{"filter": "filter:tasks:predictions_model_versions", "operator": "contains", "type": "List",
                  "value": [model_version]},
                 {"filter": "filter:tasks:predictions_model_versions", "operator": "not_contains", "type": "List",
                  "value": [model_version + "+"]}]
        return self._count_tasks(project_id, items)

    def task_count(self, project_id: int) -> int:
        return self._count_tasks(project_id, None)

    def task_counts(self, project_id: int) -> TaskCounts:
        """Total, completed (a submitted annotation) and skipped (only cancelled ones) tasks, from
        three Data Manager listings that ask for one row each: the server answers with the total."""
        return TaskCounts(
            total=self.task_count(project_id),
            completed=self._count_tasks(project_id, [_number_filter("total_annotations", "greater", 0)]),
            skipped=self._count_tasks(project_id, [_number_filter("total_annotations", "equal", 0),
                                                   _number_filter("cancelled_annotations", "greater", 0)]),
        )

    def _count_tasks(self, project_id: int, items: list[dict[str, Any]] | None) -> int:
        params: dict[str, Any] = {"project": project_id, "include": "id", "page_size": 1}
        if items is not None:
            params["query"] = _filter_query(items)
        data = self.get_json("/api/tasks/", params=params, what="count tasks")
        return int(data.get("total", 0))

    def project_info(self, project_id: int) -> dict[str, Any]:
        """The project's settings as the server holds them (overlap, counters, config)."""
        data = self.get_json(f"/api/projects/{project_id}/", what="read the project")
        if not isinstance(data, dict):
            raise BadResponseError(f"Label Studio at {self.url} answered the project read with {str(data)[:200]}")
        return data

    def set_overlap(self, project_id: int, *, annotators: int, percent: int) -> dict[str, Any]:
        """Ask for `annotators` annotations on `percent` % of the tasks (the server picks the cohort
        and re-picks it on every import); tasks with overlap are served first."""
        data = self.send_json("PATCH", f"/api/projects/{project_id}/", {
            "maximum_annotations": annotators, "overlap_cohort_percentage": percent,
            "show_overlap_first": percent < 100,
        }, what="set the project's overlap", retry=True)
        return {"maximum_annotations": data.get("maximum_annotations"),
                "overlap_cohort_percentage": data.get("overlap_cohort_percentage")}

    def invite_link(self) -> str:
        """The organisation's signup link: accounts made through it can log in (POST /api/users
        makes users without a usable password in the community edition)."""
        data = self.get_json("/api/invite", what="read the invite link")
        link = data.get("invite_url") if isinstance(data, dict) else None
        if not isinstance(link, str):
            raise BadResponseError(f"Label Studio at {self.url} answered GET /api/invite without invite_url")
        return self.url.rstrip("/") + link

    def task_overlaps(self, project_id: int) -> list[dict[str, Any]]:
        """id, overlap (annotations wanted), total_annotations, cancelled_annotations and is_labeled of
        every task (the JSON export leaves overlap out)."""
        params = {"project": project_id, "include": "id,overlap,total_annotations,cancelled_annotations,is_labeled"}
        return [row for rows in self._task_pages(params, what="list the tasks' overlap") for row in rows]

    def _task_pages(self, params: dict[str, Any], *, what: str,
                    page_size: int = 5000) -> Iterator[list[dict[str, Any]]]:
        """The pages of a /api/tasks/ listing, first to last (the server answers 404 past the last page)."""
        page = 1
        while True:
            try:
                data = self.get_json("/api/tasks/", params={**params, "page_size": page_size, "page": page},
                                     what=what)
            except LabelStudioError as exc:
                if exc.status == 404:
                    return
                raise
            rows = data.get("tasks", []) if isinstance(data, dict) else []
            yield rows
            if len(rows) < page_size:
                return
            page += 1

    def next_task(self, project_id: int) -> dict[str, Any] | None:
        """The task the label stream ("Label All Tasks") serves this token's user next; None when done."""
        def go() -> Any:
            r = self.http.get(f"/api/projects/{project_id}/next/")
            if r.status_code == 404:
                return None
            r.raise_for_status()
            return r.json()
        return self.call("ask for the next task", go)

    def create_annotation(self, task_id: int, result: list[dict[str, Any]], *, lead_time: float | None = None,
                          ground_truth: bool = False) -> int:
        """Submit one annotation as this token's user (not retried: it could land twice)."""
        body: dict[str, Any] = {"result": result, "was_cancelled": False, "ground_truth": ground_truth}
        if lead_time is not None:
            body["lead_time"] = lead_time
        data = self.send_json("POST", f"/api/tasks/{task_id}/annotations/", body,
                              what=f"submit an annotation of task {task_id}", retry=False)
        return int(data["id"])

    # -- tasks ------------------------------------------------------------------------------

    def tasks_by_article(self, project_id: int, article_ids: Sequence[str] | None = None) -> dict[str, list[int]]:
        """Which article_ids the project holds, with their task ids.

        With `article_ids`, asks with an `in_list` filter in chunks; without, lists every task.
        Reads `meta.article_id` (small: the listing carries no article text); only where some task lacks
        it (made elsewhere) is that listing repeated with `data` to read `data.article_id`.
        """
        found: dict[str, list[int]] = {}
        chunks: Iterable[Sequence[str] | None]
        chunks = [None] if article_ids is None else (
            article_ids[i:i + IN_LIST_CHUNK] for i in range(0, len(article_ids), IN_LIST_CHUNK))
        for chunk in chunks:
            params: dict[str, Any] = {"project": project_id, "include": "id,meta"}
            if chunk is not None:
                params["query"] = _filter_query([{"filter": "filter:tasks:data.article_id", "operator": "in_list",
                                                  "type": "String", "value": list(chunk)}])
            unnamed: set[int] = set()
            for rows in self._task_pages(params, what="list the project's tasks"):
                for t in rows:
                    aid = (t.get("meta") or {}).get("article_id")
                    if aid:
                        found.setdefault(str(aid), []).append(int(t["id"]))
                    else:
                        unnamed.add(int(t["id"]))
            if unnamed:
                for rows in self._task_pages({**params, "include": "id,data"}, what="list the project's tasks"):
                    for t in rows:
                        aid = (t.get("data") or {}).get("article_id")
                        if aid and int(t["id"]) in unnamed:
                            found.setdefault(str(aid), []).append(int(t["id"]))
        for ids in found.values():
            ids.sort()
        return found

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> list[int]:
        """One POST of already JSON-ready task dicts, never retried (a retry after a lost answer
        would import them twice; `import_new_tasks` retries safely)."""
        return self.call("import tasks", functools.partial(self._import_once, project_id, tasks), retry=False)

    def import_new_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> Imported:
        """Import tasks keyed by `data.article_id`, retried like every request, but each retry only
        after asking the project which of the articles landed: an import whose answer was lost (the
        server committed it) is never imported twice. Until that re-check has an answer, nothing is
        sent again."""
        out = Imported()
        pending = list(tasks)
        unchecked = False

        def attempt() -> None:
            nonlocal pending, unchecked
            if unchecked:
                landed = self.tasks_by_article(project_id, [t["data"]["article_id"] for t in pending])
                unchecked = False
                for t in pending:
                    ids = landed.get(t["data"]["article_id"])
                    if ids:
                        out.count += 1
                        out.task_ids.append(ids[0])
                pending = [t for t in pending if t["data"]["article_id"] not in landed]
            if pending:
                out.task_ids.extend(self._import_once(project_id, pending))
                out.count += len(pending)
                pending = []

        def recheck() -> None:
            nonlocal unchecked
            unchecked = True

        self.call("import tasks", attempt, before_retry=recheck)
        return out

    def _import_once(self, project_id: int, tasks: list[dict[str, Any]]) -> list[int]:
        """The import POST itself (plain httpx: the SDK's encoder walked every value of 10k tasks for ~0.7 s)."""
        content = json.dumps(tasks, ensure_ascii=False).encode("utf-8")
        data = self._request_json("POST", f"/api/projects/{project_id}/import", params={"return_task_ids": "true"},
                                  content=content)
        if not isinstance(data, dict) or not isinstance(data.get("task_ids", []), list):
            raise BadResponseError(f"Label Studio at {self.url} answered the import without task ids: "
                                   f"{str(data)[:200]}; check that --url points at Label Studio itself", url=self.url)
        return [int(t) for t in data.get("task_ids") or []]

    def delete_task(self, task_id: int) -> None:
        def go() -> None:
            r = self.http.delete(f"/api/tasks/{task_id}/")
            if r.status_code not in (204, 404):
                r.raise_for_status()
        self.call(f"delete task {task_id}", go)

    def task_annotation_counts(self, task_ids: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for tid in task_ids:
            data = self.get_json(f"/api/tasks/{tid}/", what=f"read task {tid}")
            out[tid] = int(data.get("total_annotations") or 0) + int(data.get("cancelled_annotations") or 0)
        return out

    # -- export -----------------------------------------------------------------------------

    def export_timeout(self, tasks: int) -> float:
        """Seconds for the snapshot requests. The open-source server builds a snapshot inside the
        create request: ~45 s for 10k tasks of 3 KB on its development server (SQLite, idle), more
        than 6 min for 30k on PostgreSQL on a busy 2-CPU machine, so a fixed 60 s timeout fails big
        projects. Allow 30 ms per task on top of a minute (or --timeout if longer)."""
        return max(self.conn.timeout, 60.0 + 0.03 * tasks)

    def export_snapshot(self, project_id: int, *, finished_only: bool = True, with_predictions: bool = False,
                        tasks: int | None = None, into: BinaryIO | None = None) -> bytes:
        """Create an export snapshot, download it, and delete it again on the server.

        `tasks` (the project's task count, when the caller has it) sizes the timeout. With `into`, the
        body is streamed into that file chunk by chunk (rewound on a retry) and b"" is returned, so a
        100k-task snapshot never sits in memory. Plain HTTP, the requests the SDK's
        `projects.exports.create/get/download/delete` send: importing the SDK's export client costs ~1 s
        of CPU (it imports pandas), about what checking 2000 tasks costs."""
        if tasks is None:
            tasks = self.task_count(project_id)
        slow = self.export_timeout(tasks)
        base = f"/api/projects/{project_id}/exports"
        body = {
            "title": "incident-corpus pull",
            "task_filter_options": {"finished": "only"} if finished_only else {},
            # Skipped (cancelled) annotations are exported too, so pull can count them; it never
            # turns them into records.
            "annotation_filter_options": {"usual": True, "ground_truth": True, "skipped": True},
            "serialization_options": {"predictions": {"only_id": not with_predictions}},
        }
        snap = self.call("create an export snapshot", functools.partial(
            self._request_json, "POST", f"{base}/", content=json.dumps(body).encode("utf-8"), timeout=slow),
            retry=False)
        snap_id = snap.get("id") if isinstance(snap, dict) else None
        if not isinstance(snap_id, int):
            raise BadResponseError(f"Label Studio at {self.url} answered the export snapshot's creation without an "
                                   f"id: {str(snap)[:200]}; check that --url points at Label Studio itself",
                                   url=self.url)
        try:
            deadline = time.monotonic() + max(60.0, self.conn.timeout * 5)
            while snap.get("status") not in ("completed", "failed"):
                if time.monotonic() > deadline:
                    raise LabelStudioError(f"the export snapshot {snap_id} at {self.url} did not complete in time; "
                                           "try again, or raise --timeout", url=self.url)
                self._sleep(0.5)
                snap = self.get_json(f"{base}/{snap_id}", what="read the export snapshot")
                if not isinstance(snap, dict):
                    raise BadResponseError(f"Label Studio at {self.url} answered the export snapshot {snap_id} "
                                           f"with {str(snap)[:200]}; check that --url points at Label Studio itself",
                                           url=self.url)
            if snap.get("status") == "failed":
                raise LabelStudioError(f"Label Studio at {self.url} failed to build export snapshot {snap_id}; "
                                       "see the server log", url=self.url)

            def download() -> bytes:
                if into is not None:
                    into.seek(0)
                    into.truncate()
                with self.http.stream("GET", f"{base}/{snap_id}/download", params={"exportType": "JSON"},
                                      timeout=slow) as r:
                    if r.is_error:
                        r.read()  # the body names the problem in the error message
                    r.raise_for_status()
                    if into is None:
                        return r.read()
                    for chunk in r.iter_bytes():
                        into.write(chunk)
                    return b""

            return self.call("download the export snapshot", download)
        finally:
            # A leftover snapshot is harmless: the data is already ours, or the error is raised.
            with contextlib.suppress(LabelStudioError):
                self.call("delete the export snapshot", functools.partial(
                    self._request, "DELETE", f"{base}/{snap_id}"))


def _timeout_of(exc: httpx.TimeoutException, default: float) -> float:
    """The read timeout the failed request really had (a snapshot request gets a longer one)."""
    try:
        timeout = exc.request.extensions.get("timeout") or {}
    except RuntimeError:  # no request attached
        return default
    read = timeout.get("read")
    return float(read) if isinstance(read, int | float) else default


class NotJSONError(Exception):
    """A response that should have been JSON and was not (raised inside `call`, translated there)."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}: not JSON")
        self.response = response


# Everything a request through httpx or the SDK may raise when the server or network misbehaves.
_HTTP_FAILURES = (httpx.HTTPError, httpx.StreamError, ApiError, ParsingError, NotJSONError, pydantic.ValidationError,
                  json.JSONDecodeError)


def backoff(attempt: int) -> float:
    """Seconds before retry number `attempt + 1`: exponential (0.5, 1, 2, 4, 8 s cap) with ±50 % jitter."""
    return min(8.0, 0.5 * 2**attempt) * (0.5 + random.random())


def _transient(exc: Exception) -> bool:
    if isinstance(exc, httpx.TransportError):  # refused, reset, dropped mid-body, timed out
        return True
    return _status(exc) in RETRY_STATUS


def _status(exc: Exception) -> int | None:
    if isinstance(exc, (ApiError, ParsingError)):
        return exc.status_code
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code
    if isinstance(exc, NotJSONError):
        return exc.response.status_code
    return None


def _content_type(exc: Exception) -> str:
    headers: Any = None
    if isinstance(exc, (ApiError, ParsingError)):
        headers = exc.headers
    elif isinstance(exc, (httpx.HTTPStatusError, NotJSONError)):
        headers = exc.response.headers
    ctype = ""
    if headers:
        ctype = next((str(v) for k, v in dict(headers).items() if k.lower() == "content-type"), "")
    return ctype.split(";")[0].strip() or "no content type"


def _body(exc: Exception, limit: int = 300) -> str:
    if isinstance(exc, (ApiError, ParsingError)):
        text = json.dumps(exc.body, ensure_ascii=False) if not isinstance(exc.body, str) else exc.body
    elif isinstance(exc, (httpx.HTTPStatusError, NotJSONError)):
        try:
            text = exc.response.text
        except httpx.HTTPError:  # a streamed body that was never read
            text = ""
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return (text[:limit] + "…") if len(text) > limit else (text or "(empty body)")


def supported_server(release: str) -> bool:
    """Whether a server version is inside SUPPORTED_SERVER, compared as PEP 440 versions.

    A pre-, post- or dev release counts as the release it belongs to (1.24.0rc1 speaks 1.24's
    API, so it is refused like 1.24.0); a version string that does not parse is refused too.
    """
    try:
        version = Version(Version(release).base_version)
    except InvalidVersion:
        return False
    low, high = (Version(v) for v in SUPPORTED_SERVER)
    return low <= version < high


def _request_url(exc: Exception) -> str | None:
    """The URL of the request that failed, when httpx knows it (the SDK's errors do not say)."""
    response = exc.response if isinstance(exc, (httpx.HTTPStatusError, NotJSONError)) else None
    try:
        request = response.request if response is not None else getattr(exc, "request", None)
    except RuntimeError:  # httpx: a request was never attached
        return None
    return str(request.url) if isinstance(request, httpx.Request) else None


def _filter_query(items: list[dict[str, Any]]) -> str:
    """A Data Manager filter (all `items` must hold) as the `query` parameter of /api/tasks/."""
    return json.dumps({"filters": {"conjunction": "and", "items": items}})


def _number_filter(column: str, operator: str, value: int) -> dict[str, Any]:
    return {"filter": f"filter:tasks:{column}", "operator": operator, "type": "Number", "value": value}

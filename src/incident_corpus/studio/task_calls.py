"""Task calls: list, count, import and delete tasks, ask for the next one, submit annotations.

A mixin on `BaseClient`, composed into `studio.client.Client`. Imports retry through `call()`
only after re-checking which articles landed (`import_new_tasks`). The Data Manager filters
(`_filter_query`, `_number_filter`) and the paged listing (`_task_pages`) are spelled here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from incident_corpus.core.errors import BadResponseError, LabelStudioError
from incident_corpus.studio.base import BaseClient

# The in_list filter travels in the URL; 3000 ids overflow Label Studio's 64 KB limit.
IN_LIST_CHUNK = 1000


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


class TaskCalls(BaseClient):
    """The /api/tasks/ listings and counts, imports, deletes, the label stream and annotations."""

    def tasks_by_article(self, project_id: int, article_ids: Sequence[str] | None = None) -> dict[str, list[int]]:
        """Which article_ids the project holds, with their task ids.

        With `article_ids`, asks with an `in_list` filter in chunks; without, lists every task.
        Reads `meta.article_id` (small: the listing carries no article text); only where some task lacks
        it (made elsewhere) is that listing repeated with `data` to read `data.article_id`.
        """
        found: dict[str, list[int]] = {}
        for params in _by_article(project_id, "id,meta", article_ids):
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

    def tasks_predicted_by(self, project_id: int, model_version: str) -> int:
        """Tasks holding a prediction of exactly `model_version`. The Data Manager's filter matches
        substrings, so versions that extend it (`incident-rules-18+incident-ner-…` for
        `incident-rules-18`) are excluded by a second filter."""
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

    def task_overlaps(self, project_id: int) -> list[dict[str, Any]]:
        """id, overlap (annotations wanted), total_annotations, cancelled_annotations and is_labeled of
        every task (the JSON export leaves overlap out)."""
        params = {"project": project_id, "include": "id,overlap,total_annotations,cancelled_annotations,is_labeled"}
        return [row for rows in self._task_pages(params, what="list the tasks' overlap") for row in rows]

    def article_texts(self, project_id: int, article_ids: Sequence[str] | None = None) -> Iterator[tuple[str, str]]:
        """(article_id, data.text) of the project's tasks, of `article_ids` only or all; for the near-duplicate
        signature store when it has to catch up with the project (tasks imported elsewhere)."""
        for params in _by_article(project_id, "id,data", article_ids):
            for rows in self._task_pages(params, what="read the project's article texts", page_size=1000):
                for t in rows:
                    data = t.get("data") or {}
                    if data.get("article_id") and isinstance(data.get("text"), str):
                        yield str(data["article_id"]), data["text"]

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
        def go() -> dict[str, Any] | None:
            r = self.http.get(f"/api/projects/{project_id}/next/")
            if r.status_code == 404:
                return None
            r.raise_for_status()
            task: dict[str, Any] = r.json()
            return task
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


def _by_article(project_id: int, include: str, article_ids: Sequence[str] | None) -> Iterator[dict[str, Any]]:
    """The /api/tasks/ parameters that list the project's tasks of `article_ids` (in_list chunks that keep
    the URL short), or all of them when it is None."""
    if article_ids is None:
        yield {"project": project_id, "include": include}
        return
    for i in range(0, len(article_ids), IN_LIST_CHUNK):
        chunk = list(article_ids[i:i + IN_LIST_CHUNK])
        yield {"project": project_id, "include": include,
               "query": _filter_query([{"filter": "filter:tasks:data.article_id", "operator": "in_list",
                                        "type": "String", "value": chunk}])}


def _filter_query(items: list[dict[str, Any]]) -> str:
    """A Data Manager filter (all `items` must hold) as the `query` parameter of /api/tasks/."""
    return json.dumps({"filters": {"conjunction": "and", "items": items}})


def _number_filter(column: str, operator: str, value: int) -> dict[str, Any]:
    return {"filter": f"filter:tasks:{column}", "operator": operator, "type": "Number", "value": value}

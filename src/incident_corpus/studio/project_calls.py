"""Project calls: list, find, create and update projects, their settings and overlap.

A mixin on `BaseClient`, composed into `studio.client.Client`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from incident_corpus.core.errors import BadResponseError, LabelStudioError, ProjectNotFoundError
from incident_corpus.studio.base import BaseClient


@dataclass(frozen=True)
class Project:
    id: int
    title: str
    label_config: str
    task_count: int | None = None


class ProjectCalls(BaseClient):
    """The /api/projects/ calls."""

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

    def set_project(self, project_id: int, *, what: str, **fields: Any) -> dict[str, Any]:
        """PATCH project settings (idempotent, so retried)."""
        return dict(self.send_json("PATCH", f"/api/projects/{project_id}/", fields, what=what, retry=True))

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

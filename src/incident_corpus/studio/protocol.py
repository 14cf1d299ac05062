"""What the pipeline asks of a Label Studio client, as a type: `studio.client.Client` is the one implementation.

The pipeline's helpers (ensure a project, list and heal its tasks, import, set overlap) take an open
client; typing them against this Protocol rather than `Any` lets the type checker hold each call to
the method it names, without the helpers importing the client (and the SDK, ~1 s) at run time.
A method the pipeline starts to use goes here too; the checker then tells whether `Client` has it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from incident_corpus.studio.client import Imported, Project


class StudioClient(Protocol):
    """The project and task calls that push, review and `project set` make on an open client."""

    @property
    def url(self) -> str: ...

    def find_project(self, title: str) -> Project | None: ...

    def create_project(self, *, title: str, label_config: str, instructions_html: str) -> Project: ...

    def update_project(self, project_id: int, *, label_config: str, instructions_html: str) -> None: ...

    def set_overlap(self, project_id: int, *, annotators: int, percent: int) -> dict[str, Any]: ...

    def task_count(self, project_id: int) -> int: ...

    def tasks_by_article(self, project_id: int, article_ids: Sequence[str] | None = None) -> dict[str, list[int]]: ...

    def import_new_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> Imported: ...

    def task_annotation_counts(self, task_ids: Sequence[int]) -> dict[int, int]: ...

    def delete_task(self, task_id: int) -> None: ...

"""Projects: finding or creating one with our label config (push and review), and the settings for
working as a team: overlap (how many annotators label each task) and the signup link annotator
accounts are made with.

Overlap is the server's own `maximum_annotations` / `overlap_cohort_percentage`: its next-task
stream ("Label All Tasks", GET /api/projects/<id>/next/) honours them in the community edition
too, serving a task to K different annotators before it counts as finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from incident_corpus.core import resources
from incident_corpus.core.errors import ConfigConflictError, InputError
from incident_corpus.studio import labelconfig
from incident_corpus.studio.connection import Connection
from incident_corpus.studio.protocol import StudioClient


@dataclass(frozen=True)
class EnsuredProject:
    project: Any
    created: bool = False
    config_updated: bool = False


def ensure_project(client: Any, *, title: str, instructions: Callable[[], str], on_conflict: str,
                   update_config: bool = False, kind: str = "project") -> EnsuredProject:
    """The project titled `title`, created with our label config and `instructions()` when missing.

    One whose label config differs from ours is refused (ConfigConflictError, its message ending in
    `on_conflict`: what to do), or with `update_config` given ours, so nothing lands in a project
    whose labels are not the guideline's.
    """
    ours = resources.label_config()
    proj = client.find_project(title)
    if proj is None:
        return EnsuredProject(client.create_project(title=title, label_config=ours, instructions_html=instructions()),
                              created=True)
    differences = labelconfig.diff(ours, proj.label_config)
    if not differences:
        return EnsuredProject(proj)
    if not update_config:
        raise ConfigConflictError(
            f"{kind} {title!r} (id {proj.id}) at {client.url} has a label config that differs from "
            f"incident-corpus's: {'; '.join(differences)}. Nothing was pushed{on_conflict}"
        )
    client.update_project(proj.id, label_config=ours, instructions_html=instructions())
    return EnsuredProject(proj, config_updated=True)


@dataclass
class OverlapResult:
    project: str
    project_id: int
    annotators: int
    percent: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def overlap_percent(share: float) -> int:
    """--overlap-share as the server's whole percentage (it stores an integer, 1–100)."""
    if not 0 < share <= 1:
        raise InputError(f"--overlap-share must be a share in (0, 1], e.g. 0.2 for a fifth of the tasks, not {share}")
    percent = round(share * 100)
    if percent < 1:
        raise InputError(f"--overlap-share {share} is under 1 % of the tasks; Label Studio stores whole percent, "
                         "so give at least 0.01")
    return percent


def check_overlap(annotators: int) -> None:
    if annotators < 1:
        raise InputError(f"--overlap must be at least 1 (annotators per task), not {annotators}")


def apply_overlap(client: StudioClient, project_id: int, *, annotators: int, share: float) -> int:
    """Set overlap on an open client; returns the percentage stored."""
    check_overlap(annotators)
    percent = overlap_percent(share)
    client.set_overlap(project_id, annotators=annotators, percent=percent)
    return percent


def set_overlap(*, connection: Connection, project: str, annotators: int, share: float = 1.0) -> OverlapResult:
    """`annotate project set --overlap K --overlap-share P` on an existing project."""
    from incident_corpus.studio.client import Client

    check_overlap(annotators)
    overlap_percent(share)
    with Client(connection) as client:
        proj = client.get_project(project)
        percent = apply_overlap(client, proj.id, annotators=annotators, share=share)
        info = client.project_info(proj.id)
    return OverlapResult(project=project, project_id=proj.id, annotators=int(info.get("maximum_annotations") or 0),
                         percent=int(info.get("overlap_cohort_percentage") or percent))


def invite_link(*, connection: Connection) -> str:
    """The signup link for new annotator accounts (an organisation secret: share it, do not publish it)."""
    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        return client.invite_link()

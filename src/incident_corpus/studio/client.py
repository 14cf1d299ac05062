"""Everything that talks to a Label Studio server: `Client`, composed of one mixin per group of calls.

`base` holds the request core (the httpx and SDK clients, auth, the one retry loop `call()`, error
translation, the server check) and is the only module that imports label_studio_sdk; on it sit
`project_calls` (projects, settings, overlap), `task_calls` (listing, counting, importing tasks,
annotations), `export_calls` (export snapshots) and `team_calls` (users, invite link, ML backends).
All Label Studio API paths and Data Manager filters are spelled in those modules, nowhere else.
Import the client and its types from here.
"""

from __future__ import annotations

from incident_corpus.studio.base import (
    RETRY_STATUS,
    SDK_PLACEHOLDER_KEY,
    SUPPORTED_SERVER,
    BaseClient,
    NotJSONError,
    backoff,
    supported_server,
)
from incident_corpus.studio.export_calls import ExportCalls
from incident_corpus.studio.project_calls import Project, ProjectCalls
from incident_corpus.studio.task_calls import IN_LIST_CHUNK, Imported, TaskCalls, TaskCounts
from incident_corpus.studio.team_calls import TeamCalls

__all__ = [
    "IN_LIST_CHUNK",
    "RETRY_STATUS",
    "SDK_PLACEHOLDER_KEY",
    "SUPPORTED_SERVER",
    "BaseClient",
    "Client",
    "Imported",
    "NotJSONError",
    "Project",
    "TaskCounts",
    "backoff",
    "supported_server",
]


class Client(ProjectCalls, ExportCalls, TaskCalls, TeamCalls):
    """An open Label Studio client: `with Client(conn) as client: ...` (the calls are the mixins')."""

"""Team calls: the organisation's users and invite link, and the projects' ML backends.

A mixin on `BaseClient`, composed into `studio.client.Client`: user emails for pull, status and
review, the signup link for `annotate project invite`, ML backends for status and `serve --connect`.
"""

from __future__ import annotations

from typing import Any

from incident_corpus.core.errors import BadResponseError
from incident_corpus.studio.base import BaseClient


class TeamCalls(BaseClient):
    """Users, the invite link and ML backends."""

    def users(self) -> dict[int, str]:
        data = self.get_json("/api/users/", what="list users")
        rows = data if isinstance(data, list) else data.get("results", [])
        return {int(u["id"]): str(u.get("email") or "") for u in rows}

    def invite_link(self) -> str:
        """The organisation's signup link: accounts made through it can log in (POST /api/users
        makes users without a usable password in the community edition)."""
        data = self.get_json("/api/invite", what="read the invite link")
        link = data.get("invite_url") if isinstance(data, dict) else None
        if not isinstance(link, str):
            raise BadResponseError(f"Label Studio at {self.url} answered GET /api/invite without invite_url")
        return self.url.rstrip("/") + link

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

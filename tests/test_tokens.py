"""Both kinds of Label Studio token against the live server, which runs with stock authentication
settings (no LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN), as a team's own server does.

The suite's own token is the admin's Personal Access Token (the studio made it through the API on
first start); every other integration test uses it. Here: a legacy token is refused with what to do
instead, and works once the organization enables legacy tokens; a second user's PAT works until it is
revoked, then says so. Each refusal: exit 1, one `Error:` line, no traceback, no token in it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from incident_corpus.studio.auth import token_kind
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection
from tests.helpers import write_articles
from tests.test_team import signup

pytestmark = pytest.mark.integration
JWT_SETTINGS = "/api/jwt/settings"


def run(invoke: Any, args: list[str], *, conn: Connection, token: str, tmp_path: Path, code: int = 0) -> Any:
    env = {"LABEL_STUDIO_URL": conn.url, "LABEL_STUDIO_API_KEY": token,
           "INCIDENT_CORPUS_STUDIO_DIR": str(tmp_path / "no-studio")}
    return invoke(args, env=env, code=code)


def assert_one_error_line(result: Any, starts: str, *secrets: str) -> None:
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {starts}"), result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output, result.output
    for secret in secrets:
        assert secret not in result.output


@pytest.fixture()
def legacy_token(client: Client) -> Iterator[str]:
    """The admin's legacy token (GET /api/current-user/token); the organization's settings put back after."""
    before = client.get_json(JWT_SETTINGS, what="read the JWT settings")
    token = client.get_json("/api/current-user/token", what="read the legacy token")["token"]
    assert token_kind(token) == "legacy"
    try:
        yield token
    finally:
        client.send_json("POST", JWT_SETTINGS, before, what="restore the JWT settings", retry=True)


def test_the_suites_studio_runs_with_stock_authentication(client: Client, conn: Connection) -> None:
    assert token_kind(conn.api_key) == "pat"
    settings = client.get_json(JWT_SETTINGS, what="read the JWT settings")
    assert settings == {"api_tokens_enabled": True, "legacy_api_tokens_enabled": False}  # 1.23's defaults
    client.check()
    assert client.auth.exchanges == 1  # a Bearer access token made from the PAT


def test_a_legacy_token_is_refused_with_what_works_then_works_where_the_organization_enables_them(
    client: Client, conn: Connection, legacy_token: str, project_title: str, tmp_path: Path, invoke: Any,
) -> None:
    src = write_articles(tmp_path / "a.jsonl", 2, tag=project_title)
    client.send_json("POST", JWT_SETTINGS, {"api_tokens_enabled": True, "legacy_api_tokens_enabled": False},
                     what="switch legacy tokens off", retry=True)
    for args in (["status", "--project", project_title],
                 ["push", str(src), "--project", project_title, "--no-pre-annotate"]):
        refused = run(invoke, args, conn=conn, token=legacy_token, tmp_path=tmp_path, code=1)
        assert_one_error_line(refused, f"Label Studio at {conn.url} refuses legacy API tokens: its organization has "
                              "them switched off", legacy_token)
        assert "Account & Settings → Personal Access Token" in refused.output
        assert "Organization → API Token Settings" in refused.output
    assert client.find_project(project_title) is None  # nothing was made

    client.send_json("POST", JWT_SETTINGS, {"api_tokens_enabled": True, "legacy_api_tokens_enabled": True},
                     what="switch legacy tokens on", retry=True)
    first = json.loads(run(invoke, ["push", str(src), "--project", project_title, "--no-pre-annotate", "--json"],
                           conn=conn, token=legacy_token, tmp_path=tmp_path).output)
    again = json.loads(run(invoke, ["push", str(src), "--project", project_title, "--no-pre-annotate", "--json"],
                           conn=conn, token=legacy_token, tmp_path=tmp_path).output)
    assert (first["created"], again["created"]) == (2, 0)
    status = json.loads(run(invoke, ["status", "--project", project_title, "--json"], conn=conn, token=legacy_token,
                            tmp_path=tmp_path).output)
    assert legacy_token not in json.dumps(status)
    with Client(Connection(url=conn.url, api_key=legacy_token)) as legacy:
        assert legacy.auth.kind == "legacy" and legacy.get_project(project_title).task_count == 2
        assert legacy.auth.exchanges == 0


def test_a_team_members_pat_works_until_revoked_then_says_so(
    client: Client, conn: Connection, project_title: str, tmp_path: Path, invoke: Any,
) -> None:
    me, uid = signup(conn, client)  # a second user, and the PAT made for them as Account & Settings does
    assert token_kind(me.api_key) == "pat" and uid != client.check()["user_id"]
    src = write_articles(tmp_path / "a.jsonl", 1, tag=project_title)
    pushed = json.loads(run(invoke, ["push", str(src), "--project", project_title, "--no-pre-annotate", "--json"],
                            conn=conn, token=me.api_key, tmp_path=tmp_path).output)
    assert pushed["created"] == 1
    run(invoke, ["status", "--project", project_title], conn=conn, token=me.api_key, tmp_path=tmp_path)

    # Revoked as the Account & Settings page's "Revoke" does (the blacklist endpoint needs no login).
    assert httpx.post(f"{conn.url}/api/token/blacklist/", json={"refresh": me.api_key}, timeout=30).status_code == 204
    for args in (["status", "--project", project_title],
                 ["pull", "--project", project_title, "--out", str(tmp_path / "out")]):
        refused = run(invoke, args, conn=conn, token=me.api_key, tmp_path=tmp_path, code=1)
        assert_one_error_line(refused, f"Label Studio at {conn.url} no longer accepts this Personal Access Token "
                              "(the server said: Token is blacklisted): it was revoked or has expired", me.api_key)
        assert "make a new one (Label Studio: Account & Settings → Personal Access Token)" in refused.output
    assert not (tmp_path / "out").exists()

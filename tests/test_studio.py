"""The embedded Label Studio: start/stop/status, busy ports, credentials, and connection fallback."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.core.errors import ConfigError
from incident_corpus.studio import server as studio
from incident_corpus.studio.auth import token_kind
from incident_corpus.studio.connection import Connection, read_credentials, read_state, resolve_connection
from tests.helpers import copy_studio


@pytest.mark.integration
def test_credentials_file_is_private_and_token_never_in_the_log(studio_dir: Path, conn: Connection) -> None:
    creds_path = studio_dir / "credentials.json"
    assert stat.S_IMODE(creds_path.stat().st_mode) == 0o600
    token = read_credentials(studio_dir)["token"]
    assert token_kind(token) == "pat"  # made through the server's API on first start, as a team member would
    log = (studio_dir / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "Starting development server" in log or "Performing system checks" in log
    assert token not in log


@pytest.mark.integration
def test_starting_twice_reuses_the_running_server(studio_dir: Path, conn: Connection) -> None:
    state = read_state(studio_dir)
    runner = CliRunner()
    result = runner.invoke(cli, ["studio", "start", "--studio-dir", str(studio_dir), "--port", str(state["port"]),
                                 "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["started_now"] is False
    assert info["pid"] == state["pid"]
    assert info["url"] == conn.url
    assert conn.api_key not in result.output
    status = runner.invoke(cli, ["studio", "status", "--studio-dir", str(studio_dir)])
    assert status.exit_code == 0
    assert status.output == f"running at {conn.url} (PID {state['pid']}); data in {studio_dir}\n"


@pytest.mark.integration
def test_busy_port_is_refused_with_its_number(studio_dir: Path, tmp_path: Path) -> None:
    port = int(read_state(studio_dir)["port"])  # the live test server holds it
    result = CliRunner().invoke(cli, ["studio", "start", "--studio-dir", str(tmp_path / "other"),
                                      "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: port {port} on 127.0.0.1 is already in use by another program; choose another port with "
        f"`annotate studio start --port N` or stop that program\n"
    )
    assert not (tmp_path / "other" / "studio.json").exists()


@pytest.mark.integration
def test_stop_ends_the_server_by_pid(studio_dir: Path, tmp_path: Path) -> None:
    data_dir = copy_studio(studio_dir, tmp_path / "copy")
    port = studio.free_port()
    runner = CliRunner()
    started = runner.invoke(cli, ["studio", "start", "--studio-dir", str(data_dir), "--port", str(port), "--json"])
    assert started.exit_code == 0, started.output
    pid = json.loads(started.stdout)["pid"]
    assert studio.pid_alive(pid)
    token = read_credentials(data_dir)["token"]
    assert studio.whoami_ok(f"http://127.0.0.1:{port}", token)
    stopped = runner.invoke(cli, ["studio", "stop", "--studio-dir", str(data_dir)])
    assert stopped.exit_code == 0
    assert stopped.output == "Label Studio stopped\n"
    assert not studio.pid_alive(pid)
    assert studio.port_is_free(port)
    again = runner.invoke(cli, ["studio", "status", "--studio-dir", str(data_dir)])
    assert again.exit_code == 3
    assert "not running" in again.output


def test_connection_falls_back_to_the_embedded_studio(tmp_path: Path) -> None:
    (tmp_path / "studio.json").write_text(json.dumps({"url": "http://127.0.0.1:8123", "pid": 1}))
    (tmp_path / "credentials.json").write_text(json.dumps({"token": "studio-token-xyz", "username": "a"}))
    c = resolve_connection(url=None, api_key=None, studio_dir=tmp_path)
    assert (c.url, c.api_key) == ("http://127.0.0.1:8123", "studio-token-xyz")
    assert "studio-token-xyz" not in repr(c)
    # Another URL never gets the studio's token.
    with pytest.raises(ConfigError, match="no API token for Label Studio at http://elsewhere:8080"):
        resolve_connection(url="http://elsewhere:8080", api_key=None, studio_dir=tmp_path)
    explicit = resolve_connection(url="http://x:1/", api_key="k" * 8, studio_dir=tmp_path)
    assert explicit.url == "http://x:1"


def test_no_server_configured_gives_how_to_fix(tmp_path: Path) -> None:
    env = {"LABEL_STUDIO_URL": None, "LABEL_STUDIO_API_KEY": None, "INCIDENT_CORPUS_STUDIO_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["pull", "--project", "x", "--out", str(tmp_path / "out")], env=env)
    assert result.exit_code == 1
    assert result.output == (
        "Error: no Label Studio to talk to: pass --url and --api-key (or set LABEL_STUDIO_URL and "
        "LABEL_STUDIO_API_KEY), or start the embedded one with `annotate studio start`\n"
    )
    assert not (tmp_path / "out").exists()


def test_server_env_drops_stray_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HOST", "PORT", "USERNAME", "PASSWORD"):
        monkeypatch.setenv(name, "stray")
    monkeypatch.setenv("LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN", "true")  # the caller's own: left in, as LS reads it
    env = studio.server_env(base_data_dir=tmp_path, creds={"username": "u@x.y", "password": "p" * 10,
                                                          "token": "t" * 40})
    assert not {"HOST", "PORT", "USERNAME", "PASSWORD"} & set(env)
    assert env["LABEL_STUDIO_BASE_DATA_DIR"] == str(tmp_path)
    assert env["SENTRY_DSN"] == env["FRONTEND_SENTRY_DSN"] == ""
    assert env["LATEST_VERSION_CHECK"] == "false"
    # Authentication as `label-studio start` sets it up: no legacy-token switch and no preset legacy token of ours.
    assert env["LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN"] == "true" and "LABEL_STUDIO_USER_TOKEN" not in env
    monkeypatch.delenv("LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN")
    env = studio.server_env(base_data_dir=tmp_path, creds={"username": "u@x.y", "password": "p" * 10})
    assert not {k for k in env if "LEGACY" in k or k.endswith("USER_TOKEN")}
    assert os.environ["HOST"] == "stray"  # the caller's environment is left alone

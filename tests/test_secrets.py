"""The API token never leaves: every command, its outputs and its errors are searched for it.

A copy of the test studio makes its admin a Personal Access Token of its own on start (through the
server's API, revoking the one the copy inherited), then every command runs as a real process against
it, in both ways of passing the token (the embedded studio's credentials file, and LABEL_STUDIO_API_KEY).
Every access token a command makes from the PAT lives only inside that process, so outputs and files
are searched for any JWT at all: neither the PAT nor an access token may appear.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from incident_corpus.core import fileio
from incident_corpus.core.errors import LabelStudioError
from incident_corpus.studio import server as studio
from incident_corpus.studio.auth import token_kind
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection, read_credentials
from tests.helpers import copy_studio

from .test_faults import FaultProxy, on

pytestmark = pytest.mark.integration
SAMPLES = Path(__file__).resolve().parents[1] / "src" / "incident_corpus" / "samples"


@dataclass
class Run:
    argv: list[str]
    code: int
    stdout: str
    stderr: str


@dataclass
class Secretive:
    data_dir: Path
    url: str
    token: str
    work: Path
    runs: list[Run] = field(default_factory=list)

    def run(self, *args: str, embedded: bool = True, expect: int | None = 0, timeout: float = 120,
            extra_env: dict[str, str] | None = None) -> Run:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "INCIDENT_CORPUS_"))}
        env["INCIDENT_CORPUS_STUDIO_DIR"] = str(self.data_dir)
        if not embedded:
            env.update({"LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": self.token})
        env.update(extra_env or {})
        p = subprocess.run([sys.executable, "-m", "incident_corpus", *args], env=env, cwd=self.work,
                           capture_output=True, text=True, timeout=timeout)
        run = Run(list(args), p.returncode, p.stdout, p.stderr)
        self.runs.append(run)
        if expect is not None:
            assert p.returncode == expect, (args, p.stdout, p.stderr)
        assert "Traceback" not in p.stderr, (args, p.stderr)
        return run


@pytest.fixture(scope="module")
def secretive(studio_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secretive]:
    """A copy of the test studio whose admin token is a recognisable string, started with the CLI."""
    root = tmp_path_factory.mktemp("secrets")
    data_dir = copy_studio(studio_dir, root / "studio")
    inherited = read_credentials(data_dir).pop("token")
    creds = {k: v for k, v in read_credentials(data_dir).items() if k != "token"}
    fileio.write_json(data_dir / "credentials.json", creds, perms=0o600)
    work = root / "work"
    work.mkdir()
    port = studio.free_port()
    s = Secretive(data_dir=data_dir, url=f"http://127.0.0.1:{port}", token="", work=work)
    s.run("studio", "start", "--studio-dir", str(data_dir), "--port", str(port), "--json")
    s.token = read_credentials(data_dir)["token"]
    assert token_kind(s.token) == "pat" and s.token != inherited
    yield s
    studio.stop(data_dir=data_dir)


def files_holding(root: Path, secret: str, *, skip: set[Path] = frozenset()) -> list[str]:  # type: ignore[assignment]
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path not in skip and secret.encode() in path.read_bytes():
            found.append(str(path))
    return found


# Any JWT (a PAT or an access token made from it): header and payload are base64url JSON, so both start "eyJ".
JWT = re.compile(rb"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")


def files_holding_a_jwt(root: Path, *, skip: set[Path] = frozenset()) -> list[str]:  # type: ignore[assignment]
    return [str(p) for p in sorted(root.rglob("*")) if p.is_file() and p not in skip and JWT.search(p.read_bytes())]


def test_every_command_keeps_the_token_out_of_outputs_files_and_logs(secretive: Secretive) -> None:
    s = secretive
    project = f"secrets {uuid.uuid4().hex[:6]}"
    s.run("studio", "start", "--studio-dir", str(s.data_dir), "--port", s.url.rsplit(":", 1)[1], "--json")
    s.run("studio", "status")
    s.run("studio", "status", "--json")
    s.run("push", str(SAMPLES), "--project", project, "--dry-run", "--json")
    s.run("push", str(SAMPLES), "--project", project, "--json", "--out", "tasks/sent.json")
    s.run("push", str(SAMPLES), "--project", project, embedded=False)  # token from LABEL_STUDIO_API_KEY

    with Client(Connection(url=s.url, api_key=s.token)) as c:
        proj = c.get_project(project)
        tasks = json.loads(c.export_snapshot(proj.id, finished_only=False))
        for task in tasks[:3]:
            text = task["data"]["text"]
            c.sdk.annotations.create(id=task["id"], result=[{
                "id": "s1", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 0, "end": 5, "text": text[:5], "labels": ["ATTACK"]}}])
        c.sdk.annotations.create(id=tasks[3]["id"], result=[{  # one for the quarantine
            "id": "q1", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": 0, "end": 5, "text": "wrong", "labels": ["WEAPON"]}}])

    s.run("pull", "--project", project, "--json")
    s.run("pull", "--project", project, "--out", "export2", embedded=False)
    raw = sorted((s.work / "export" / "raw").glob("*.json"))[-1]
    s.run("validate", str(raw), "--json")
    s.run("validate", str(raw), "--strict", expect=1)
    s.run("export", "--json")
    assert (s.work / "export" / "dataset" / "README.md").exists()
    s.run("status", "--project", project, "--json")
    s.run("review", "--project", project, "--json")
    s.run("project", "set", "--project", project, "--overlap", "2", "--overlap-share", "0.5", "--json")

    # Error paths, each with the token in play.
    missing = s.run("pull", "--project", "no such project", expect=1, embedded=False)
    assert missing.stderr.startswith("Error: no project titled 'no such project'")
    dead = f"http://127.0.0.1:{studio.free_port()}"
    unreachable = s.run("push", str(SAMPLES), "--project", project, "--no-pre-annotate", "--retries", "0",
                        expect=1, extra_env={"LABEL_STUDIO_URL": dead, "LABEL_STUDIO_API_KEY": s.token})
    assert unreachable.stderr.startswith(f"Error: cannot reach Label Studio at {dead}")
    s.run("pull", "--project", project, "--url", dead, "--api-key", s.token, "--retries", "0", expect=1)
    wrong = s.run("pull", "--project", project, expect=1, embedded=False,
                  extra_env={"LABEL_STUDIO_API_KEY": s.token[::-1]})
    assert "rejected the API token (HTTP 401)" in wrong.stderr and s.token[::-1] not in wrong.stderr
    s.run("validate", "nope.json", expect=2)
    s.run("export", "--in", "missing.jsonl", expect=1)

    assert len(s.runs) >= 18
    for run in s.runs:
        assert s.token not in run.stdout and s.token not in run.stderr, run.argv
        assert not JWT.search(run.stdout.encode()) and not JWT.search(run.stderr.encode()), run.argv  # no access token
    # Files the commands wrote: tasks, raw exports, records, quarantine, report, agreement, dataset + card.
    assert files_holding(s.work, s.token) == [] and files_holding_a_jwt(s.work) == []
    written = {p.relative_to(s.work).as_posix() for p in s.work.rglob("*") if p.is_file()}
    assert {"tasks/sent.json", "export/annotations.jsonl", "export/quarantine.jsonl", "export/report.json",
            "export/agreement.json", "export/dataset/README.md", "export/validate/quarantine.jsonl"} <= written
    assert any(w.startswith("export/raw/") for w in written)
    assert any(w.startswith(f"tasks/{project.replace(' ', '-')}") for w in written)
    # The studio folder: only its credentials file and Label Studio's own database may hold it.
    allowed = {s.data_dir / "credentials.json", s.data_dir / "label-studio" / "label_studio.sqlite3"}
    log = (s.data_dir / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "/api/projects" in log  # the log did record the requests
    assert files_holding(s.data_dir, s.token, skip=allowed) == []
    assert files_holding_a_jwt(s.data_dir, skip=allowed) == []


def test_error_messages_and_reprs_never_hold_the_token(secretive: Secretive) -> None:
    s = secretive
    dead = Connection(url=f"http://127.0.0.1:{studio.free_port()}", api_key=s.token, timeout=2, retries=0)
    assert s.token not in repr(dead) and s.token not in str(dead)
    with Client(dead) as c, pytest.raises(LabelStudioError) as caught:
        c.check()
    shown = "".join(traceback.format_exception(caught.value))
    assert s.token not in shown and s.token not in repr(caught.value.args)

    # A server that echoes the request's Authorization header back in an error body.
    echo = ("status", 500, f"internal error; request had Authorization: Token {s.token}")
    with FaultProxy(s.url, on("GET", "/api/projects/", lambda n: echo)) as proxy:
        conn = Connection(url=proxy.url, api_key=s.token, timeout=10, retries=0)
        with Client(conn) as c, pytest.raises(LabelStudioError) as caught:
            c.projects()
    assert str(caught.value) == (
        f"Label Studio at {proxy.url} answered HTTP 500 while trying to list projects: internal error; request had "
        "Authorization: Token <api-key>; the server is overloaded or failing — see its log (the embedded studio's "
        "is server.log in its folder) and try again; --retries / LABEL_STUDIO_RETRIES sets how often to retry"
    )


def test_credentials_are_private_and_outputs_follow_the_umask(studio_dir: Path, tmp_path: Path) -> None:
    assert stat.S_IMODE((studio_dir / "credentials.json").stat().st_mode) == 0o600
    fresh = tmp_path / "fresh"
    creds = studio.ensure_credentials(fresh)
    assert stat.S_IMODE((fresh / "credentials.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert studio.ensure_credentials(fresh) == creds  # made once, then reused
    # Everything else is an ordinary file: readable as the umask allows, not 0600 like a temp file.
    old = os.umask(0o022)
    try:
        fileio.write_json(tmp_path / "report.json", {"a": 1})
        with fileio.replace_together() as staged:
            staged.write_jsonl(tmp_path / "annotations.jsonl", [{"a": 1}])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "annotations.jsonl").stat().st_mode) == 0o644


def test_the_pseudonym_key_never_leaves_either(secretive: Secretive) -> None:
    """The key pseudonyms are made with (from INCIDENT_CORPUS_PSEUDONYM_KEY, or the per-install key file) is
    grepped for like the token: in every output, every file written, the studio folder and the server log."""
    s = secretive
    key = ("PSEUDONYM-KEY-" + uuid.uuid4().hex + uuid.uuid4().hex)[:64]
    project = f"pseudonyms {uuid.uuid4().hex[:6]}"
    first = len(s.runs)
    s.run("push", str(SAMPLES), "--project", project, "--no-pre-annotate", "--json")
    with Client(Connection(url=s.url, api_key=s.token)) as c:
        proj = c.get_project(project)
        task = json.loads(c.export_snapshot(proj.id, finished_only=False))[0]
        c.sdk.annotations.create(id=task["id"], result=[{
            "id": "s1", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": 0, "end": 5, "text": task["data"]["text"][:5], "labels": ["ATTACK"]}}])

    shared = {"INCIDENT_CORPUS_PSEUDONYM_KEY": key}
    s.run("pull", "--project", project, "--out", "keyed/export", "--json", extra_env=shared)
    raw = sorted((s.work / "keyed" / "export" / "raw").glob("*.json"))[-1]
    s.run("validate", str(raw), "--out", "keyed/validate", "--json", extra_env=shared)
    s.run("status", "--project", project, "--json", extra_env=shared)
    s.run("export", "--in", "keyed/export/annotations.jsonl", "--out", "keyed/dataset", "--json", extra_env=shared)
    weak = s.run("validate", str(raw), "--out", "keyed/weak", expect=1,
                 extra_env={"INCIDENT_CORPUS_PSEUDONYM_KEY": key[:24]})
    assert weak.stderr.startswith("Error: INCIDENT_CORPUS_PSEUDONYM_KEY is too short") and key[:24] not in weak.stderr
    # The per-install key file instead of the variable.
    config = s.work / "config"
    s.run("pull", "--project", project, "--out", "keyed/from-file", "--json",
          extra_env={"XDG_CONFIG_HOME": str(config)})
    key_file = config / "incident-corpus" / "pseudonym.key"
    file_key = key_file.read_text(encoding="ascii").strip()

    def annotators(folder: str) -> set[str]:
        lines = (s.work / "keyed" / folder / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
        return {json.loads(line)["annotator"] for line in lines}

    assert annotators("export") == annotators("validate")  # one key: pull and validate name annotators alike
    assert annotators("export").isdisjoint(annotators("from-file"))  # another key: other names
    for run in s.runs[first:]:
        for secret in (key, file_key):
            assert secret not in run.stdout and secret not in run.stderr, run.argv
    assert files_holding(s.work, key) == []
    assert files_holding(s.work, file_key, skip={key_file}) == []
    assert files_holding(s.data_dir, key) == [] and files_holding(s.data_dir, file_key) == []

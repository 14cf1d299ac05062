"""What the type checker (mypy, `[tool.mypy]` in pyproject.toml) stands on, and the bugs it found.

The client Protocol is checked by mypy where the pipeline passes a `Client`; here the same promise
is held without mypy, so a renamed parameter fails a plain pytest run too. The studio-state cases
are the ones mypy found: studio.json and credentials.json were trusted to hold an object with an
integer pid. An edited file reached `os.kill` or `int()` as a traceback, and a pid of `true` or 1
made `annotate studio stop` call os.killpg(1, ...), which signals every process of the user.
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path

import pytest

from incident_corpus.core.errors import ConfigError
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import read_credentials, read_state
from incident_corpus.studio.protocol import StudioClient
from incident_corpus.studio.server import status, stop

PROTOCOL_METHODS = sorted(
    name for name, member in vars(StudioClient).items()
    if not name.startswith("_") and callable(member)
)


def test_the_protocol_names_the_calls_the_pipeline_makes() -> None:
    assert {"find_project", "create_project", "import_new_tasks", "tasks_by_article", "delete_task"} <= set(
        PROTOCOL_METHODS)
    assert isinstance(vars(StudioClient)["url"], property)


@pytest.mark.parametrize("name", PROTOCOL_METHODS)
def test_client_has_each_protocol_method_with_the_same_parameters(name: str) -> None:
    ours = inspect.signature(getattr(StudioClient, name))
    theirs = inspect.signature(getattr(Client, name))
    assert list(theirs.parameters.values()) == list(ours.parameters.values()), (
        f"Client.{name}{theirs} differs from StudioClient.{name}{ours}: change studio/protocol.py with it")
    assert theirs.return_annotation == ours.return_annotation


# Never run these against code without the guard: `true` and 1 reached os.killpg(1, SIGTERM), which is
# kill(-1, SIGTERM) and ends every process the user may signal.
@pytest.mark.parametrize("pid", ["4242", 42.0, True, 1, 0, -1, [1], None])
def test_a_studio_json_whose_pid_is_no_server_pid_reads_as_not_running(tmp_path: Path, pid: object,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:  # a regression fails here instead of signalling real processes
        raise AssertionError(f"a signal was sent for studio.json pid {pid!r}: {args}")

    monkeypatch.setattr(os, "kill", refuse)
    monkeypatch.setattr(os, "killpg", refuse)
    (tmp_path / "studio.json").write_text(json.dumps({"pid": pid, "url": "http://127.0.0.1:9", "port": "x"}))
    (tmp_path / "credentials.json").write_text(json.dumps({"token": "t", "username": "u"}))
    found = status(data_dir=tmp_path)
    assert (found.running, found.pid, found.workers) == (False, None, None)
    assert stop(data_dir=tmp_path) is False
    assert not (tmp_path / "studio.json").exists()  # forgotten, as for a process that is gone


@pytest.mark.parametrize("body", ["[1, 2]", '"token"', "null", "{"])
def test_credentials_that_are_not_a_json_object_are_a_config_error_naming_the_file(tmp_path: Path,
                                                                                   body: str) -> None:
    (tmp_path / "credentials.json").write_text(body)
    with pytest.raises(ConfigError, match=r"credentials\.json: cannot read the studio credentials") as err:
        read_credentials(tmp_path)
    assert "annotate studio start" in str(err.value)


def test_a_studio_json_that_is_not_an_object_reads_as_no_state(tmp_path: Path) -> None:
    (tmp_path / "studio.json").write_text("[1, 2]")
    assert read_state(tmp_path) == {}

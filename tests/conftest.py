"""Shared fixtures. Integration tests talk to a real Label Studio server.

`scripts/test.sh` starts a throwaway server and exports LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY
(and INCIDENT_CORPUS_TEST_STUDIO_DIR). Run as plain `pytest`, the session fixture starts one
itself. A server that cannot be reached is a test failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from incident_corpus.core import pseudonyms
from incident_corpus.studio import server as studio
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection
from tests import throwaway_postgres
from tests.helpers import REPO, SERVER_FIXTURES, invoke_cli

# Property-based tests (tests/test_cli_properties.py): the same 2,000 cases on every CI run; a longer,
# randomised search with `pytest --hypothesis-profile=long` (or HYPOTHESIS_PROFILE=long).
settings.register_profile("ci", max_examples=2000, derandomize=True, deadline=None, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=20_000, derandomize=False)
settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=200)  # a quick look while editing
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_saved_env: dict[str, str | None] = {}


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection reads the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a server fixture `integration`, written on it or not, so the quick
    loop (`-m "not integration and not browser"`, scripts/test.sh --quick) never starts a server."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.integration)


def pytest_configure(config: pytest.Config) -> None:
    """Each test run gets its own config folder, so the pseudonym key made on first use never lands in
    (or comes from) the developer's own ~/.config; commands run as subprocesses inherit it. Set here,
    before test modules are imported, since some compute pseudonyms at import."""
    for name in ("XDG_CONFIG_HOME", pseudonyms.KEY_ENV):
        _saved_env[name] = os.environ.pop(name, None)
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="incident-corpus-config-")
    # A fresh Hugging Face cache too: its key for a local folder can match a dataset built at the same
    # (reused) tmp path in an earlier session, and `load_dataset` then returns that session's rows.
    _saved_env["HF_DATASETS_CACHE"] = os.environ.get("HF_DATASETS_CACHE")
    os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="incident-corpus-hf-cache-")
    # The near-duplicate signature stores push keeps per project: never the developer's own state folder.
    _saved_env["INCIDENT_CORPUS_STATE_DIR"] = os.environ.get("INCIDENT_CORPUS_STATE_DIR")
    os.environ["INCIDENT_CORPUS_STATE_DIR"] = tempfile.mkdtemp(prefix="incident-corpus-state-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["XDG_CONFIG_HOME"], ignore_errors=True)
    shutil.rmtree(os.environ["HF_DATASETS_CACHE"], ignore_errors=True)
    shutil.rmtree(os.environ["INCIDENT_CORPUS_STATE_DIR"], ignore_errors=True)
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def studio_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The data folder of the live test studio (started here when the test command did not)."""
    given = os.environ.get("INCIDENT_CORPUS_TEST_STUDIO_DIR")
    if given and os.environ.get("LABEL_STUDIO_URL"):
        yield Path(given)
        return
    path = tmp_path_factory.mktemp("studio")
    try:
        status = studio.start(data_dir=path, port=studio.free_port(), timeout=240)
    except Exception as exc:  # a missing server fails the run, it never skips it
        pytest.fail(f"could not start a Label Studio for the tests: {exc}")
    creds = studio.read_credentials(path)
    os.environ["LABEL_STUDIO_URL"] = str(status.url)
    os.environ["LABEL_STUDIO_API_KEY"] = creds["token"]
    os.environ["INCIDENT_CORPUS_TEST_STUDIO_DIR"] = str(path)
    yield path
    studio.stop(data_dir=path)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[throwaway_postgres.Postgres]:
    """A throwaway PostgreSQL: the one scripts/test.sh started (INCIDENT_CORPUS_TEST_POSTGRES, the URL of
    its `postgres` database), or one started here. One that cannot start fails the run, never skips it."""
    given = os.environ.get("INCIDENT_CORPUS_TEST_POSTGRES")
    if given:
        yield throwaway_postgres.Postgres.from_url(given)
        return
    folder = tmp_path_factory.mktemp("postgres")
    try:
        server = throwaway_postgres.start(folder)
    except Exception as exc:
        throwaway_postgres.stop(folder)
        pytest.fail(f"could not start a throwaway PostgreSQL for the tests: {exc}")
    try:
        yield server
    finally:
        throwaway_postgres.stop(folder)


@pytest.fixture(scope="session")
def conn(studio_dir: Path) -> Connection:
    url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
    if not url or not key:
        pytest.fail("LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY must point at the test Label Studio")
    connection = Connection(url=url, api_key=key, timeout=60, retries=2)
    if not studio.whoami_ok(url, key, timeout=10):
        pytest.fail(f"the test Label Studio at {url} does not answer an authenticated request")
    return connection


@pytest.fixture()
def client(conn: Connection) -> Iterator[Client]:
    with Client(conn) as c:
        yield c


@pytest.fixture()
def project_title() -> str:
    """A fresh project per test keeps tests independent on one server."""
    return f"test {uuid.uuid4().hex[:10]}"


@pytest.fixture()
def cli_env(conn: Connection, tmp_path: Path) -> dict[str, str]:
    """Environment for CliRunner: the live server, and an empty studio dir so nothing leaks in."""
    return {"LABEL_STUDIO_URL": conn.url, "LABEL_STUDIO_API_KEY": conn.api_key,
            "INCIDENT_CORPUS_STUDIO_DIR": str(tmp_path / "no-studio")}


@pytest.fixture()
def samples_dir() -> Path:
    return REPO / "src" / "incident_corpus" / "samples"


@pytest.fixture()
def invoke() -> Any:
    """Run `annotate ARGS` in-process and assert its exit code (0 unless `code=` says otherwise)."""
    return invoke_cli

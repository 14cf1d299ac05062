"""`annotate studio start --database postgresql://…`: a team studio whose tasks live in PostgreSQL.

Against a throwaway PostgreSQL (password authentication over TCP): the tasks are rows of the `task`
table, `studio stop` stops the server, a restart (here on the development server, first under
gunicorn with 2 workers) finds them intact, and the password appears in no output, state file or log.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest

from incident_corpus.studio import server as studio
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection, read_credentials
from tests.helpers import invoke_cli, write_articles
from tests.throwaway_postgres import Postgres

pytestmark = pytest.mark.integration


def _start(args: list[str], env: dict[str, str | None]) -> dict:
    """`annotate studio start ARGS --json`; a failure shows the output, never the argv (it holds the password)."""
    result = invoke_cli(["studio", "start", *args, "--wait", "600", "--json"], env=env, code=None)  # type: ignore[arg-type]
    assert result.exit_code == 0, f"studio start exited {result.exit_code}:\n{result.output}"
    return dict(json.loads(result.stdout)) | {"_output": result.output}


def _rows(db_url: str, project_id: int) -> list[str]:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT data->>'article_id' FROM task WHERE project_id = %s ORDER BY id",
                            (project_id,)).fetchall()
    return [r[0] for r in rows]


def test_studio_on_postgresql_keeps_its_tasks_across_stop_and_restart(postgres: Postgres, tmp_path: Path) -> None:
    name = f"studio_{uuid.uuid4().hex[:8]}"
    db_url = postgres.create_database(name)
    data_dir = tmp_path / "studio"
    port = studio.free_port()
    # Only the embedded studio: nothing of the session's test server may leak in.
    env = {"LABEL_STUDIO_URL": None, "LABEL_STUDIO_API_KEY": None, "INCIDENT_CORPUS_STUDIO_DIR": str(data_dir)}
    info = _start(["--port", str(port), "--database", db_url, "--workers", "2"], env)
    shown = f"postgresql://incident@127.0.0.1:{postgres.port}/{name}"
    assert (info["database"], info["workers"], info["started_now"]) == (shown, 2, True)
    outputs = [info["_output"]]
    try:
        articles = write_articles(tmp_path / "a.jsonl", 5, tag="pg")
        pushed = invoke_cli(["push", str(articles), "--project", "team project", "--no-pre-annotate", "--json"],
                            env=env)  # type: ignore[arg-type]
        outputs.append(pushed.output)
        assert json.loads(pushed.stdout)["created"] == 5
        conn = Connection(url=info["url"], api_key=read_credentials(data_dir)["token"])
        with Client(conn) as client:
            project = client.get_project("team project")
            ids = sorted(client.tasks_by_article(project.id))
        assert sorted(_rows(db_url, project.id)) == ids and len(ids) == 5
        assert not list(data_dir.rglob("*.sqlite3"))  # nothing went to SQLite

        stopped = invoke_cli(["studio", "stop"], env=env)  # type: ignore[arg-type]
        assert stopped.output == "Label Studio stopped\n"
        assert not studio.pid_alive(info["pid"])
        assert studio.port_is_free(port)
        assert invoke_cli(["studio", "status"], env=env, code=3).exit_code == 3  # type: ignore[arg-type]
        # The rows outlive the server.
        assert sorted(_rows(db_url, project.id)) == ids
        # Without the database, a PostgreSQL studio refuses to come up empty on SQLite.
        refused = invoke_cli(["studio", "start", "--port", str(port)], env=env, code=1)  # type: ignore[arg-type]
        assert refused.output == (
            f"Error: the studio in {data_dir} keeps its data in PostgreSQL at {shown}; pass --database again "
            "(or set INCIDENT_CORPUS_STUDIO_DATABASE) to start it\n")

        again = _start(["--port", str(port)], {**env, "INCIDENT_CORPUS_STUDIO_DATABASE": db_url})
        outputs.append(again["_output"])
        assert again["workers"] is None  # the development server, same database
        with Client(conn) as client:
            assert client.get_project("team project").id == project.id
            assert sorted(client.tasks_by_article(project.id)) == ids
    finally:
        invoke_cli(["studio", "stop"], env=env, code=None)  # type: ignore[arg-type]
    assert postgres.password not in "".join(outputs)
    for path in data_dir.rglob("*"):
        if path.is_file() and path.stat().st_size < 50_000_000:
            assert postgres.password.encode() not in path.read_bytes(), path


def test_database_url_is_checked_before_anything_starts(postgres: Postgres, tmp_path: Path) -> None:
    env = {"INCIDENT_CORPUS_STUDIO_DIR": str(tmp_path / "s")}
    bad = invoke_cli(["studio", "start", "--database", "mysql://u:secretpw@h/db"], env=env, code=1)
    assert bad.output == ("Error: --database mysql://u:***@h/db: only PostgreSQL is supported; give "
                          "postgresql://USER[:PASSWORD]@HOST:PORT/DB (leave it out for the built-in SQLite)\n")
    wrong = f"postgresql://incident:not-the-password@127.0.0.1:{postgres.port}/postgres"
    refused = invoke_cli(["studio", "start", "--port", str(studio.free_port()), "--database", wrong], env=env, code=1)
    assert refused.output.startswith(f"Error: cannot connect to PostgreSQL at postgresql://incident@127.0.0.1:"
                                     f"{postgres.port}/postgres: ")
    assert "not-the-password" not in refused.output
    assert not (tmp_path / "s" / "studio.json").exists()


def test_database_parse_keeps_the_password_out_of_repr_and_display() -> None:
    db = studio.Database.parse("postgresql://ann%40team:p%3Ass@db.example:6543/corpus")
    assert (db.user, db.password, db.host, db.port, db.name) == ("ann@team", "p:ss", "db.example", 6543, "corpus")
    assert "p:ss" not in repr(db) and "p:ss" not in db.display
    assert db.env()["POSTGRE_PASSWORD"] == "p:ss" and db.env()["DJANGO_DB"] == "default"
    assert studio.Database.parse("postgresql://u@h/d").env()["POSTGRE_PASSWORD"] == ""  # never LS's "postgres"
    env = studio.server_env(base_data_dir=Path("/x"), creds={"username": "u", "password": "p", "token": "t"})
    assert env["DJANGO_DB"] == "sqlite"

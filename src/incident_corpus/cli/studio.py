"""`annotate studio ...`: the embedded Label Studio."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from incident_corpus.cli.options import emit_json, studio_dir_option
from incident_corpus.cli.params import Seconds
from incident_corpus.studio.connection import default_studio_dir


@click.group()
def studio() -> None:
    """Run a local Label Studio (127.0.0.1 unless --host) for maintainers who have none, or a small team."""


@studio.command("start")
@studio_dir_option
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help="Port to listen on; a busy port is refused.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything beyond loopback exposes the studio to the network (warned).")
@click.option("--database", "database_url", envvar="INCIDENT_CORPUS_STUDIO_DATABASE", default=None,
              help="postgresql://USER[:PASSWORD]@HOST:PORT/DB: keep the studio's data in PostgreSQL (a team server) "
                   "instead of SQLite. Also INCIDENT_CORPUS_STUDIO_DATABASE; the password is never printed or stored.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Run under gunicorn with N worker processes (Label Studio's own `start` has only Django's "
                   "one-process development server).")
@click.option("--wait", "timeout", type=Seconds(), default=180.0, show_default=True,
              help="Seconds to wait until the server answers an authenticated request.")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def studio_start(studio_dir: Path | None, port: int, host: str, database_url: str | None, workers: int | None,
                 timeout: float, as_json: bool) -> None:
    """Start the embedded Label Studio (or report the one already running)."""
    from incident_corpus.studio import server as st

    data_dir = studio_dir or default_studio_dir()
    database = st.Database.parse(database_url) if database_url else None
    if not st.is_loopback(host):
        click.echo(f"WARNING: binding {host}:{port} exposes this Label Studio (its login page and API) to every "
                   "machine that can reach this address. Use it only on a network you trust, behind a firewall "
                   "or a TLS proxy; the studio speaks plain HTTP.", err=True)
    status = st.start(data_dir=data_dir, port=port, timeout=timeout, database=database, workers=workers, host=host)
    if as_json:
        emit_json(status.as_dict() | st.credentials_summary(data_dir))
        return
    verb = "started" if status.started_now else "already running"
    server = f"gunicorn, {status.workers} workers" if status.workers else "development server"
    click.echo(f"Label Studio {verb} at {status.url} (PID {status.pid}; {server})")
    click.echo(f"login: {status.username}  (password: `annotate studio login`)")
    click.echo(f"data:  {data_dir}" + ("" if status.database == "sqlite" else f"; database {status.database}"))


@studio.command("stop")
@studio_dir_option
def studio_stop(studio_dir: Path | None) -> None:
    """Stop the embedded Label Studio by its PID."""
    from incident_corpus.studio import server as st

    stopped = st.stop(data_dir=studio_dir or default_studio_dir())
    click.echo("Label Studio stopped" if stopped else "Label Studio was not running")


@studio.command("status")
@studio_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def studio_status(studio_dir: Path | None, as_json: bool) -> None:
    """Is the embedded Label Studio running, and where?"""
    from incident_corpus.studio import server as st

    status = st.status(data_dir=studio_dir or default_studio_dir())
    if as_json:
        emit_json(status.as_dict())
    elif status.running:
        click.echo(f"running at {status.url} (PID {status.pid}); data in {status.data_dir}")
    else:
        click.echo(f"not running (data folder {status.data_dir}); start it with `annotate studio start`")
    sys.exit(0 if status.running else 3)


@studio.command("login")
@studio_dir_option
def studio_login(studio_dir: Path | None) -> None:
    """Print the web login (e-mail and password) of the embedded studio's admin user."""
    from incident_corpus.studio.connection import read_credentials

    creds = read_credentials(studio_dir or default_studio_dir())
    if not creds:
        raise click.ClickException("no embedded studio yet; run `annotate studio start` first")
    click.echo(f"e-mail:   {creds['username']}\npassword: {creds['password']}")

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
    """Run a local Label Studio (127.0.0.1 only) for maintainers who have none."""


@studio.command("start")
@studio_dir_option
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help="Port on 127.0.0.1; a busy port is refused.")
@click.option("--wait", "timeout", type=Seconds(), default=180.0, show_default=True,
              help="Seconds to wait until the server answers an authenticated request.")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def studio_start(studio_dir: Path | None, port: int, timeout: float, as_json: bool) -> None:
    """Start the embedded Label Studio (or report the one already running)."""
    from incident_corpus.studio import server as st

    data_dir = studio_dir or default_studio_dir()
    status = st.start(data_dir=data_dir, port=port, timeout=timeout)
    if as_json:
        emit_json(status.as_dict() | st.credentials_summary(data_dir))
        return
    verb = "started" if status.started_now else "already running"
    click.echo(f"Label Studio {verb} at {status.url} (PID {status.pid})")
    click.echo(f"login: {status.username}  (password: `annotate studio login`)")
    click.echo(f"data:  {data_dir}")


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

"""Options and helpers every command shares: connection settings, progress, JSON (errors: cli/errors.py)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from incident_corpus.cli.errors import remember_secret
from incident_corpus.cli.params import OutputPath, Seconds, ServerUrl
from incident_corpus.studio.connection import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    STUDIO_DIR_ENV,
    Connection,
    default_studio_dir,
    resolve_connection,
)

F = TypeVar("F", bound=Callable[..., Any])


def studio_dir_option(fn: F) -> F:
    return click.option(
        "--studio-dir", type=OutputPath(file_okay=False), envvar=STUDIO_DIR_ENV,
        default=None, show_envvar=True,
        help="Folder of the embedded Label Studio (data, credentials, log). Default: a per-user data folder.",
    )(fn)


@dataclass(frozen=True)
class ConnectionSettings:
    """What the user gave for --url/--api-key/--studio-dir/--timeout/--retries, resolved only when
    a command really talks to Label Studio (`push --dry-run` does not)."""

    url: str | None
    api_key: str | None = field(repr=False)
    studio_dir: Path | None
    timeout: float
    retries: int

    def connect(self) -> Connection:
        connection = resolve_connection(url=self.url, api_key=self.api_key,
                                        studio_dir=self.studio_dir or default_studio_dir(),
                                        timeout=self.timeout, retries=self.retries)
        remember_secret(connection.api_key)  # the embedded studio's token too: no message may show it
        return connection


def connection_options(fn: F) -> F:
    """--url/--api-key/--timeout/--retries (the label-studio-sdk's variable names) and --studio-dir,
    handed to the command as one `settings: ConnectionSettings` argument."""

    @functools.wraps(fn)
    def wrapper(*args: Any, url: str | None, api_key: str | None, studio_dir: Path | None, timeout: float,
                retries: int, **kwargs: Any) -> Any:
        remember_secret(api_key)
        settings = ConnectionSettings(url=url, api_key=api_key, studio_dir=studio_dir, timeout=timeout,
                                      retries=retries)
        return fn(*args, settings=settings, **kwargs)

    out: Any = wrapper
    out = click.option("--retries", type=click.IntRange(min=0, max=10), default=DEFAULT_RETRIES, show_default=True,
                       envvar="LABEL_STUDIO_RETRIES",
                       help="Retries (exponential backoff with jitter) of a request that failed for a reason that "
                            "may pass: connection lost, timeout, HTTP 429/5xx.")(out)
    out = click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
                       envvar="LABEL_STUDIO_TIMEOUT",
                       help="Seconds to wait for each request to Label Studio.")(out)
    out = click.option("--api-key", envvar="LABEL_STUDIO_API_KEY", show_envvar=True, default=None,
                       help="Label Studio API token. Default: the embedded studio's token.")(out)
    out = click.option("--url", type=ServerUrl(), envvar="LABEL_STUDIO_URL", show_envvar=True, default=None,
                       help="Label Studio URL. Default: the embedded studio.")(out)
    return studio_dir_option(out)  # type: ignore[no-any-return]


def project_option(fn: F) -> F:
    return click.option("--project", "project", required=True, envvar="INCIDENT_CORPUS_PROJECT", show_envvar=True,
                        help="Title of the Label Studio project.")(fn)


class Progress:
    """Counts on stderr: redrawn in place on a terminal, one line per stage otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self._last: str | None = None
        self._open = False

    def finish(self) -> None:
        """End a count that had no known total, so the summary starts on its own line."""
        if self._open:
            click.echo("", err=True)
            self._open = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self.quiet:
            return
        text = f"{stage}: {done}/{total}" if total is not None else f"{stage}: {done}"
        if self.tty:
            self._open = total is None or done < total
            click.echo(f"\r{text}", nl=not self._open, err=True)
        elif total is not None and done >= total and stage != self._last:
            click.echo(text, err=True)
            self._last = stage


def counter(progress: Progress, stage: str) -> Callable[[int], None]:
    """Adapt a running count of increments (what export reports) to the Progress display."""
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        progress(stage, done, None)

    return step


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str))

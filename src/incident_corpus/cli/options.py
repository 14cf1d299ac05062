"""Options and helpers every command shares: connection settings, progress, JSON (errors: cli/errors.py)."""

from __future__ import annotations

import functools
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from tqdm import tqdm

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
    return studio_dir_option(out)


def project_option(fn: F) -> F:
    return click.option("--project", "project", required=True, envvar="INCIDENT_CORPUS_PROJECT", show_envvar=True,
                        help="Title of the Label Studio project.")(fn)


class Progress:
    """Shows `progress(stage, done, total)` reports (core/progress.py) on stderr through tqdm.

    On a terminal: one tqdm bar per stage, redrawn in place. Otherwise (a pipe, a CI log): no
    redraws, one line per stage when it ends. Quiet (`--quiet`, `--json`): nothing. A stage ends
    when `done` reaches `total`, when the next stage starts, or at `close()`.
    """

    def __init__(self, quiet: bool, *, file: TextIO | None = None) -> None:
        self.quiet = quiet
        self.file = file if file is not None else sys.stderr  # read now: click's test runner swaps it
        self.tty = self.file.isatty()
        self._bar: tqdm | None = None
        self._shown: set[str] = set()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self.quiet:
            return
        if self._bar is None or self._bar.desc != stage:
            self.close()
            if stage in self._shown:  # a late report of a stage already shown: one line per stage
                return
            self._shown.add(stage)
            # Off a terminal tqdm never draws (delay=inf): `close()` writes the one line instead.
            self._bar = tqdm(desc=stage, total=total, file=self.file, leave=True, dynamic_ncols=True,
                             delay=0.0 if self.tty else math.inf)
        bar = self._bar
        if total != bar.total:
            bar.total = total
        bar.update(done - bar.n)
        if total is not None and done >= total:
            self.close()

    def close(self) -> None:
        """End the open stage (a count with no total, or one that stopped short) on its own line."""
        bar, self._bar = self._bar, None
        if bar is None:
            return
        if not self.tty:
            shape = "{desc}: {n_fmt}/{total_fmt}" if bar.total is not None else "{desc}: {n_fmt}"
            self.file.write(tqdm.format_meter(**{**bar.format_dict, "bar_format": shape + " [{elapsed}]"}) + "\n")
            self.file.flush()
        bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str))

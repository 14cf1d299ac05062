"""Parameter types: a usage mistake is found while parsing and exits 2 with click's message, before any work."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from incident_corpus.core.errors import InputError


class RegistryChoice(click.Choice):
    """A choice among a registry's names, read when the command runs (help, parsing), so a name
    registered after import (a plugin, a test) is a choice too."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        self._names = names
        super().__init__((), case_sensitive=True)

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return tuple(self._names())

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        """Ignored: the names come from the registry."""


class SplitRatios(click.ParamType):
    """`train/validation/test` fractions such as 0.8/0.1/0.1 (parsed by export.splits)."""

    name = "TRAIN/VAL/TEST"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from incident_corpus.export.splits import parse_split

        try:
            return parse_split(str(value))
        except InputError as exc:
            self.fail(str(exc).removeprefix(f"--split {value!r}: "), param, ctx)


class Seconds(click.ParamType):
    """A number of seconds above zero and at most a day (`nan`, `inf`, 0 or 1e308 would hang or fail deep in a
    socket)."""

    name = "SECONDS"
    MAX = 86_400.0

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or not 0 < seconds <= self.MAX:
            self.fail(f"{value!r}: give a number of seconds greater than 0 and at most {self.MAX:g}", param, ctx)
        return seconds


class OutputPath(click.Path):
    """A path we will create: like click.Path, and also refused when a folder above it is a file
    (`--out afile/sub`), which would otherwise fail only once the work is done."""

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True) -> None:
        super().__init__(file_okay=file_okay, dir_okay=dir_okay, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        for parent in Path(os.fsdecode(path)).parents:
            try:
                if parent.exists() and not parent.is_dir():
                    self.fail(f"{str(path)!r} cannot be created: {str(parent)!r} is a file, not a folder; "
                              "choose another path", param, ctx)
                if parent.is_dir():
                    break
            except OSError:  # an unreadable folder: the write itself will say what is wrong
                break
        return path


class ServerUrl(click.ParamType):
    """An http(s) URL with a host, e.g. http://localhost:8080 (checked the way the client will parse it)."""

    name = "URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import httpx

        text = str(value).strip()
        try:
            url = httpx.URL(text)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            self.fail(f"{text!r} is not a URL ({exc}); give one such as http://localhost:8080", param, ctx)
        if url.scheme not in ("http", "https") or not url.host:
            self.fail(f"{text!r} is not an http(s) URL with a host; give one such as http://localhost:8080", param, ctx)
        return text

"""Parameter types: a usage mistake is found while parsing and exits 2 with click's message, before any work."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from incident_corpus.core.errors import InputError


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
    """A finite number of seconds greater than zero (`nan`, `inf` and 0 would hang or fail deep in a socket)."""

    name = "SECONDS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds <= 0:
            self.fail(f"{value!r}: give a number of seconds greater than 0", param, ctx)
        return seconds


class OutputPath(click.Path):
    """A path we will create: like click.Path, and also refused when a folder above it is a file
    (`--out afile/sub`), which would otherwise fail only once the work is done."""

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True) -> None:
        super().__init__(file_okay=file_okay, dir_okay=dir_okay, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        for parent in Path(path).parents:
            try:
                if parent.exists() and not parent.is_dir():
                    self.fail(f"{str(path)!r} cannot be created: {str(parent)!r} is a file, not a folder; "
                              "choose another path", param, ctx)
                if parent.is_dir():
                    break
            except OSError:  # an unreadable folder: the write itself will say what is wrong
                break
        return path

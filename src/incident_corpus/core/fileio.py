"""Atomic file writes: a crash never leaves half a file where a good one was.

Write to a temp file in the target's folder, fsync, then `os.replace` over the target (and
fsync the folder so the rename survives a power cut). `replace_together` stages several files
and renames them only once every one is complete, so a set of outputs (annotations.jsonl,
quarantine.jsonl, report.json) is either all old or all new; `replace_folder` does the same for
a whole folder (a dataset).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened or synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _staged(path: str | Path, mode: str, *, encoding: str | None, perms: int | None) -> Iterator[tuple[IO[Any], str]]:
    """A complete, fsynced temp file beside `path` with its final permissions; removed on error."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes 0600 files; outputs get the mode a plain open() would give (or keep the old file's).
        if perms is None:
            try:
                perms = target.stat().st_mode & 0o777
            except FileNotFoundError:
                perms = 0o666 & ~_umask()
        os.chmod(tmp, perms)
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "\n") as fh:
            yield fh, tmp
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8",
                perms: int | None = None) -> Iterator[IO[Any]]:
    """Open a temp file beside `path`; on clean exit it replaces `path`, on error it is removed.

    `perms` fixes the file mode (e.g. 0o600 for secrets: the file is never readable by others,
    not even for a moment); by default an existing file keeps its mode and a new one follows the umask.
    """
    with _staged(path, mode, encoding=encoding, perms=perms) as (fh, tmp):
        yield fh
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(Path(path).parent)


class Staging:
    """Files written by `replace_together`: each goes to a temp file until all are complete."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self.pending: list[tuple[str, Path]] = []

    def open(self, path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8") -> IO[Any]:
        fh, tmp = self._stack.enter_context(_staged(path, mode, encoding=encoding, perms=None))
        self.pending.append((tmp, Path(path)))
        return fh

    def write_text(self, path: str | Path, text: str) -> None:
        self.open(path).write(text)

    def write_json(self, path: str | Path, obj: Any) -> None:
        self.write_text(path, pretty(obj))

    def write_jsonl(self, path: str | Path, rows: Iterable[Any]) -> int:
        return _write_rows(self.open(path), rows)


@contextlib.contextmanager
def replace_together() -> Iterator[Staging]:
    """Stage several files; only when the block ends cleanly are they all renamed into place."""
    with contextlib.ExitStack() as stack:
        staging = Staging(stack)
        yield staging
    # Every temp file is now complete and fsynced (the ExitStack closed them); an error above
    # removed them all and left the old files untouched.
    try:
        for tmp, target in staging.pending:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staging.pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    for folder in {target.parent for _, target in staging.pending}:
        _fsync_dir(folder)


@contextlib.contextmanager
def replace_folder(folder: str | Path) -> Iterator[Path]:
    """A new temp folder beside `folder` to fill; when the block succeeds it is swapped in for
    `folder` by renames (the old one is deleted only once the new one is in place); when it
    fails it is removed and `folder` is left as it was."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        yield tmp
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
            os.rmdir(old)
            os.rename(folder, old)
        try:
            os.rename(tmp, folder)
        except OSError:
            if old is not None:
                os.rename(old, folder)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_text(path: str | Path, text: str, *, perms: int | None = None) -> None:
    with atomic_open(path, "w", perms=perms) as fh:
        fh.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_open(path, "wb", encoding=None) as fh:
        fh.write(data)


def dumps(obj: Any) -> str:
    """The one JSON encoding used for every file we write: stable key order, real UTF-8."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def pretty(obj: Any) -> str:
    """The indented form of the same encoding, for JSON files people read (reports, state)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _write_rows(fh: IO[Any], rows: Iterable[Any]) -> int:
    n = 0
    for row in rows:
        fh.write(dumps(row))
        fh.write("\n")
        n += 1
    return n


def write_json(path: str | Path, obj: Any, *, perms: int | None = None) -> None:
    write_text(path, pretty(obj), perms=perms)

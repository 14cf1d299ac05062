"""The one error contract of `annotate`, applied once at the group level (docs/maintainers.md, "When things go wrong").

Every failure ends in one `Error: …` line on stderr: typed library errors (IncidentCorpusError) with
their own message, every OSError as `<what>, <which path>; <how to fix>`, anything unexpected as one
line that says how to see the traceback (`annotate --debug …` or INCIDENT_CORPUS_DEBUG=1). Usage
mistakes are click's (exit 2); no message carries the API token or the pseudonym key.
"""

from __future__ import annotations

import errno
import os
import signal
import threading
import traceback
from collections.abc import Iterable
from typing import Any

import click

from incident_corpus.core import pseudonyms
from incident_corpus.core.errors import IncidentCorpusError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_RUNNING = 0, 1, 2, 3
DEBUG_ENV = "INCIDENT_CORPUS_DEBUG"
SECRETS_KEY = "incident_corpus.secrets"

_SAME_AS_BEFORE = "the previous outputs were left as they were"
# errno -> (what went wrong, how to fix it)
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "choose another path, or move that file away"),
    errno.EISDIR: ("this is a folder, not a file", "give the path of a file"),
    errno.EACCES: ("permission denied", "check the permissions of the path (`ls -ld`), or choose another one"),
    errno.EPERM: ("operation not permitted", "check the permissions of the path (`ls -ld`), or choose another one"),
    errno.EEXIST: ("it already exists", "remove it or choose another path"),
    errno.ENOTEMPTY: ("the folder is not empty", "empty it or choose another folder"),
    errno.ENOSPC: ("no space left on the device", f"free some space or write somewhere else; {_SAME_AS_BEFORE}"),
    errno.EDQUOT: ("disk quota exceeded", f"free some space or write somewhere else; {_SAME_AS_BEFORE}"),
    errno.EFBIG: ("file too large for a file-size limit (`ulimit -f`) or the file system",
                  f"raise the limit or write to another file system; {_SAME_AS_BEFORE}"),
    errno.EROFS: ("read-only file system", "write to a folder on a writable file system (--out)"),
    errno.ENAMETOOLONG: ("the file name is too long", "use a shorter path"),
    errno.ELOOP: ("too many levels of symbolic links", "fix the link"),
    errno.EMFILE: ("too many open files", "raise the limit (`ulimit -n`) and try again"),
    errno.ENFILE: ("too many open files on the system", "close other programs and try again"),
    errno.EIO: ("input/output error", "check the disk (or network file system) and try again"),
    errno.ENXIO: ("no such device", "give the path of a regular file"),
    errno.EBUSY: ("the device or file is busy", "try again when it is free"),
}


def os_error_message(exc: OSError) -> str:
    """`<what>, <which path>; <how to fix>` for any OSError."""
    fallback = (exc.strerror or exc.__class__.__name__, "check the path and try again")
    what, fix = _OS_ERRORS.get(exc.errno or -1, fallback)
    names = [_name(f) for f in (exc.filename, exc.filename2) if f is not None]
    where = " → ".join(names) if names else "(the system did not name the file)"
    return f"{what}, {where}; {fix}"


def _name(filename: Any) -> str:
    return os.fsdecode(filename) if isinstance(filename, (str, bytes, os.PathLike)) else str(filename)


def remember_secret(value: str | None) -> None:
    """Note a secret the running command holds (an API token), so no error message can show it."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and value:
        ctx.meta.setdefault(SECRETS_KEY, set()).add(value)


def scrub(message: str, secrets: Iterable[str]) -> str:
    """Defence in depth: whatever produced the message, the secrets in play are cut out of it."""
    for secret in sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True):
        message = message.replace(secret, "<secret>")
    return message


def _secrets(ctx: click.Context) -> list[str]:
    found = list(ctx.meta.get(SECRETS_KEY, ()))
    found.append(os.environ.get("LABEL_STUDIO_API_KEY", ""))
    return found + pseudonyms.loaded_secrets()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _ignore_file_size_signal() -> None:
    """Past `ulimit -f` the kernel kills the process (SIGXFSZ) mid-write; ignored, the write fails with
    EFBIG instead, so the temp files are removed and the user reads one `Error:` line."""
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


class AnnotateGroup(click.Group):
    """The top-level group: every subcommand runs inside its one error handler."""

    def invoke(self, ctx: click.Context) -> Any:
        _ignore_file_size_signal()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.ClickException as exc:  # usage mistakes (exit 2) and messages the commands raise
            exc.message = scrub(exc.message, _secrets(ctx))  # type: ignore[misc]  # click types it Final
            raise
        except Exception as exc:
            raise self._failure(ctx, exc) from None

    def _failure(self, ctx: click.Context, exc: Exception) -> click.ClickException:
        debug = bool(ctx.params.get("debug"))
        secrets = _secrets(ctx)
        if debug:
            click.echo(scrub("".join(traceback.format_exception(exc)), secrets), err=True, nl=False)
        if isinstance(exc, IncidentCorpusError):
            message = str(exc)
        elif isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            message = "the output was closed before everything was written (a closed pipe); nothing else went wrong"
        elif isinstance(exc, OSError):
            message = os_error_message(exc)
        else:
            where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            at = f" in {os.path.basename(where.filename)}:{where.lineno}" if where else ""
            message = (f"unexpected {exc.__class__.__name__}{at}: {exc}; this is a bug in incident-corpus — "
                       + ("the traceback is above" if debug else
                          f"run with --debug (`annotate --debug …` or {DEBUG_ENV}=1) for the traceback"))
        return click.ClickException(_one_line(scrub(message, secrets)))

"""Reading annotations.jsonl for the export: every line checked (JSON, required fields, span
offsets) with file:line errors, streamed or indexed by article so 100k records never sit in
memory at once. Imports only core.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import ExportError, InputError

_REQUIRED = ("id", "article_id", "text", "spans", "relations")


@dataclass
class InputStats:
    """What the input annotations.jsonl held before resolving (for the card)."""

    records: int = 0
    articles: int = 0
    ground_truth: int = 0
    annotators: set[str] = field(default_factory=set)
    repairs: Counter = field(default_factory=Counter)


def _fix_hint(path: Path) -> str:
    return f"run `annotate validate {path}` to see every problem, or re-create the file with `annotate pull`"


def _check_line(line: str, path: Path, lineno: int, stats: InputStats) -> dict[str, Any] | None:
    """Parse and check one line of annotations.jsonl (None for a blank line) and count it in `stats`."""
    if not line.strip():
        return None
    fix = _fix_hint(path)
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg}); {fix}") from None
    if not isinstance(rec, dict) or any(k not in rec for k in _REQUIRED):
        missing = [k for k in _REQUIRED if not isinstance(rec, dict) or k not in rec]
        raise InputError(f"{path}:{lineno}: not an annotation record (missing {', '.join(missing)}); {fix}")
    text = rec["text"]
    for span in rec["spans"]:
        try:
            start, end, span_text = span["start"], span["end"], span["text"]
        except (KeyError, TypeError):
            raise InputError(f"{path}:{lineno}: record {rec['id']}: malformed span {span!r}; {fix}") from None
        if text[start:end] != span_text:
            raise InputError(
                f"{path}:{lineno}: record {rec['id']}: span {span.get('id')} says {span_text!r} but "
                f"text[{start}:{end}] is {text[start:end]!r}; {fix}"
            )
    stats.records += 1
    stats.ground_truth += bool(rec.get("ground_truth"))
    if rec.get("annotator"):
        stats.annotators.add(rec["annotator"])
    for repair in rec.get("repairs") or ():
        stats.repairs[repair.get("kind")] += 1
    return rec


def open_input(path: Path, mode: str) -> Any:
    """annotations.jsonl opened for reading, or an InputError that says to pull first."""
    try:
        return path.open(mode, encoding="utf-8") if "b" not in mode else path.open(mode)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the annotations file ({exc.strerror}); run `annotate pull` first"
        ) from None


def read_records(path: Path, stats: InputStats | None = None) -> Iterator[dict[str, Any]]:
    """Stream records from annotations.jsonl, failing with file:line on anything unusable."""
    stats = stats if stats is not None else InputStats()
    with open_input(path, "rb") as fh:
        for lineno, raw in enumerate(io.TextIOWrapper(fh, encoding="latin-1", newline=None), 1):
            # latin-1 splits lines as text mode does (lone CRs too) and maps bytes 1:1, so each line's bytes
            # can be decoded as UTF-8 with file:line in the message
            rec = _check_line(_decode(raw.encode("latin-1"), path, lineno), path, lineno, stats)
            if rec is not None:
                yield rec


def _decode(raw: bytes, path: Path, lineno: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}:{lineno}: not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at column "
                         f"{exc.start + 1}); give the annotations.jsonl written by `annotate pull` or `validate`"
                         ) from None


# Where an article's records are: byte offsets of their lines (the file is read again in pass 2),
# or the records themselves when the file has line breaks a byte scan would read differently.
Groups = dict[str, list[Any]]


def index_records(path: Path, stats: InputStats, on_text: Callable[[str, str], None] | None = None) -> Groups:
    """Pass 1: check every record (as read_records does) but keep only article_id -> line offsets.

    Holding 100k parsed records (each span a dict) took gigabytes; offsets take a few MB. A lone
    CR counts as a line break in text mode but not here, so such a file is held in memory instead.
    """
    groups: Groups = {}
    pos = 0
    with open_input(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if b"\r" in raw and (raw.count(b"\r") > 1 or not raw.endswith(b"\r\n")):
                groups.clear()
                fresh = InputStats()  # start the count again: the whole file is read once more
                for f in dataclasses.fields(stats):
                    setattr(stats, f.name, getattr(fresh, f.name))
                for whole in read_records(path, stats):
                    groups.setdefault(whole["article_id"], []).append(whole)
                    if on_text is not None:
                        on_text(whole["article_id"], whole["text"])
                return groups
            rec = _check_line(_decode(raw, path, lineno), path, lineno, stats)
            if rec is not None:
                groups.setdefault(rec["article_id"], []).append(pos)
                if on_text is not None:  # the near-duplicate grouping sketches each article as it passes
                    on_text(rec["article_id"], rec["text"])
            pos += len(raw)
    return groups


def load(fh: Any, item: Any, path: Path) -> dict[str, Any]:
    """Pass 2: the record an index entry stands for (a held record, or a line offset into `fh`)."""
    if isinstance(item, dict):
        return item
    fh.seek(item)
    rec = json.loads(fh.readline().decode("utf-8"))
    if not isinstance(rec, dict):
        raise ExportError(f"{path} changed while it was being exported; run the export again")
    return rec


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """report.json / agreement.json beside the input, for the card (None when missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None

"""`.jsonl` (and stdin): one article object per line, blank lines skipped, read line by line so memory
stays flat however many articles the file holds."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from incident_corpus.ingest.article import Article, InputProblem
from incident_corpus.ingest.decoding import EMPTY, text_of
from incident_corpus.ingest.records import from_record


def read(data: bytes, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    """A whole JSONL file's bytes (a UTF-16 file is decoded whole)."""
    text = text_of(data, name)
    if isinstance(text, InputProblem):
        yield text
        return
    yield from read_lines(text.split("\n"), name, max_bytes=max_bytes)


def stream(fh: BinaryIO, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    """A .jsonl batch line by line (a 100k-article file is ~300 MB). A UTF-16 file (BOM) is the
    exception: decoded whole."""
    head = fh.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        yield from read(head + fh.read(), name, max_bytes=max_bytes)
        return
    fh.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
    found = False
    for item in read_lines(fh, name, max_bytes=max_bytes):
        found = True
        yield item
    if not found:
        yield InputProblem(name, EMPTY)


def count(path: Path) -> int | None:
    """One item per non-blank line."""
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def read_lines(lines: Iterable[str | bytes], name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    """Articles from JSONL lines (text, or bytes decoded line by line: a bad line is one problem)."""
    for number, raw_line in enumerate(lines, 1):
        if isinstance(raw_line, bytes):
            try:
                raw_line = raw_line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield InputProblem(name, f"line {number}: not valid UTF-8 (invalid byte 0x{raw_line[exc.start]:02x} "
                                         f"at column {exc.start + 1}); re-save the input as UTF-8")
                continue
        line = raw_line.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputProblem(
                name,
                f"line {number}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line",
            )
            continue
        where = f"line {number}: "
        yield from_record(obj, name=name, where=where, source_file=f"{name}:{number}", unit="line",
                          max_bytes=max_bytes)

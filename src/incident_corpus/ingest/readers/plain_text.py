"""`.txt`: a news header (headline, byline, date line, photo captions) when the file starts with one,
then the body with trailing page boilerplate removed (the rules: articles.py's module doc)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from incident_corpus.ingest.article import Article, InputProblem
from incident_corpus.ingest.boilerplate import strip_boilerplate
from incident_corpus.ingest.dates import parse_date
from incident_corpus.ingest.decoding import EMPTY, text_of
from incident_corpus.ingest.normalize import normalize_text

_BYLINE_RE = re.compile(
    r"^by\s+(?P<author>[^|\d]{2,80}?)\s*(?:\|\s*(?P<source>[^|]{1,80}?))?\s*$", re.IGNORECASE
)
_CAPTION_RE = re.compile(r"\(photo:|\(photo credit|^photo:", re.IGNORECASE)
_HEADER_WINDOW = 3  # byline/date must be among the first lines after the headline


def read(data: bytes, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    text = text_of(data, name)
    yield text if isinstance(text, InputProblem) else from_txt(text, name)


@dataclass
class _Header:
    title: str | None = None
    author: str | None = None
    source: str | None = None
    published: str | None = None
    captions: list[str] = field(default_factory=list)
    body_start: int = 0  # index of the first line after the header


def _byline(line: str) -> tuple[str, str | None] | None:
    match = _BYLINE_RE.match(line.strip())
    if not match:
        return None
    author = match["author"].strip()
    if author[-1] in ".!?;:," or len(author.split()) > 8:
        return None
    return author, match["source"].strip() if match["source"] else None


def _parse_header(lines: list[str]) -> _Header | None:
    """The news header at the top of a .txt file, or None when the file does not have that shape."""
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    if not nonempty:
        return None
    header = _Header()
    first = lines[nonempty[0]].strip()
    k = 0
    if _byline(first) is None and parse_date(first) is None:
        header.title = first
        header.body_start = nonempty[0] + 1
        k = 1
    while k < len(nonempty) and k <= _HEADER_WINDOW:
        line = lines[nonempty[k]].strip()
        byline = _byline(line) if header.author is None else None
        date = parse_date(line) if byline is None and header.published is None else None
        if byline is not None:
            header.author, header.source = byline
        elif date is not None:
            header.published = date
        else:
            break
        header.body_start = nonempty[k] + 1
        k += 1
    if header.author is None and header.published is None:
        return None
    # A caption is never the last line: a body that merely mentions "(Photo:" stays the body.
    while k < len(nonempty) - 1 and _CAPTION_RE.search(lines[nonempty[k]].strip()):
        header.captions.append(lines[nonempty[k]].strip())
        header.body_start = nonempty[k] + 1
        k += 1
    return header


def from_txt(raw: str, name: str) -> Article | InputProblem:
    lines = normalize_text(raw).split("\n")
    header = _parse_header(lines) or _Header()
    body, removed = strip_boilerplate("\n".join(lines[header.body_start :]))
    if not normalize_text(body):
        return InputProblem(name, EMPTY)
    extra: dict[str, Any] = {}
    if header.captions:
        extra["captions"] = header.captions
    if removed:
        extra["boilerplate_removed"] = removed
    return Article(
        text=body,
        title=header.title,
        author=header.author,
        source=header.source,
        published=header.published,
        source_file=name,
        extra=extra,
    )

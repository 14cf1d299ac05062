"""Reading news articles from .txt, .json, .jsonl and .html files into `Article` objects.

Text normalisation (`normalize_text`)
-------------------------------------
Every annotation offset indexes the normalised text, so the rules below are applied exactly once,
before the text becomes a task, and must never change for existing data. In order:

1. CRLF and lone CR become LF; U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR become LF.
2. U+FEFF (byte-order mark / zero-width no-break space) is dropped wherever it appears.
3. All other C0 and C1 control characters (U+0000-U+001F, U+007F, U+0080-U+009F) are dropped,
   except LF and TAB.
4. Unicode NFC (after steps 1-3, so that removing a character cannot leave a non-NFC sequence).
5. Trailing whitespace (anything `str.isspace`, including NBSP) is stripped from every line.
6. Three or more consecutive newlines become exactly two: one blank line between paragraphs.
7. Leading and trailing whitespace of the whole text is stripped.

Spaces inside a line (double spaces, NBSP, tabs) are kept as they are. The function is idempotent.

Article ids
-----------
`article_id(text)` is the first 16 hex digits of the SHA-256 of the UTF-8 normalised text, so the
same article read from two files (different line endings, trailing spaces) gets the same id.

Input formats
-------------
* `.txt`: if the first non-empty lines look like a news header (headline, then a byline
  `By AUTHOR` / `By AUTHOR | OUTLET` and/or a date line such as `December 19, 2017`,
  `19 December 2017`, `Dec. 19, 2017`, `2017-12-19`, optionally after a weekday), the headline
  becomes `title`, the byline `author`/`source`, the date `published`, and photo-caption lines
  right after the header (containing `(Photo:` or `(Photo credit`, or starting with `Photo:`)
  go to `extra["captions"]`, as long as at least one body line follows them. Without a byline
  or date line the whole file is the body and `title` is None. Trailing page boilerplate is
  then removed from the end of the body, see `BOILERPLATE_LINES` and `BOILERPLATE_SUFFIXES`;
  whatever is removed is recorded in `extra["boilerplate_removed"]`.
* `.json`: one article object or a list of them; `.jsonl`: one article object per line (blank
  lines are skipped); `-` reads JSONL from stdin. `text` is required. `title`, `author`,
  `source`, `url`, `language` and `published` are known fields; every other field goes to
  `extra` as given. `published` is normalised to ISO 8601 when it parses, otherwise it is kept
  in `extra["published_raw"]`.
* `.html` / `.htm`: the article body and metadata are extracted by trafilatura (precision
  mode, no comments); paragraphs are separated by a blank line, a leading headline equal to
  the title is dropped, and trailing boilerplate is removed as for `.txt`.

Files are decoded as UTF-8 (a BOM is accepted) or UTF-16 with a BOM; other encodings are
reported, never guessed.

`max_bytes` is the largest article: the size of a `.txt`/`.html` file (checked before reading),
or the UTF-8 size of one item's text in a `.json`/`.jsonl` batch (a batch file itself has no limit).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Any, TextIO

__all__ = [
    "BOILERPLATE_LINES",
    "BOILERPLATE_SUFFIXES",
    "DATE_FORMATS",
    "SUPPORTED_EXTENSIONS",
    "Article",
    "InputProblem",
    "article_id",
    "count_items",
    "normalize_text",
    "parse_date",
    "read_articles",
]

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".json", ".jsonl", ".html", ".htm")

# Trailing page boilerplate: whole lines at the end of a body that match one of these
# (case-insensitive, full line) are removed, repeatedly, from the end.
BOILERPLATE_LINES: tuple[str, ...] = (
    r"Print Friendly, PDF & Email",
    r"Share this:?",
    r"Share on (?:Facebook|Twitter|X)",
    r"Click to share\b.{0,80}",
    r"Tweet",
    r"Print",
    r"Email",
    r"Advertisement",
    r"Related Articles:?",
    r"Related:?",
    r"Subscribe\b.{0,80}",
)
# Phrases also removed when glued to the end of the last line ("...seriously.”Print Friendly, ...").
# Only distinctive phrases: a sentence may legitimately end in "Email" or "Print".
BOILERPLATE_SUFFIXES: tuple[str, ...] = ("Print Friendly, PDF & Email",)

# Date forms accepted on a .txt date line and for a JSON `published` that is not ISO 8601.
DATE_FORMATS: tuple[str, ...] = (
    "%B %d, %Y",  # December 19, 2017
    "%B %d %Y",  # December 19 2017
    "%d %B %Y",  # 19 December 2017
    "%d %B, %Y",  # 19 December, 2017
    "%b. %d, %Y",  # Dec. 19, 2017
    "%b %d, %Y",  # Dec 19, 2017
    "%d %b %Y",  # 19 Dec 2017
    "%d %b. %Y",  # 19 Dec. 2017
    "%Y-%m-%d",  # 2017-12-19
)

_BOILERPLATE_RES = tuple(re.compile(p, re.IGNORECASE) for p in BOILERPLATE_LINES)
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_NEWLINES_RE = re.compile("\r\n|[\r\u2028\u2029]")
_MANY_NEWLINES_RE = re.compile("\n{3,}")
_BYLINE_RE = re.compile(
    r"^by\s+(?P<author>[^|\d]{2,80}?)\s*(?:\|\s*(?P<source>[^|]{1,80}?))?\s*$", re.IGNORECASE
)
_WEEKDAY_RE = re.compile(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:[a-z]*day)?\.?,?\s+", re.IGNORECASE
)
_CAPTION_RE = re.compile(r"\(photo:|\(photo credit|^photo:", re.IGNORECASE)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_KNOWN_FIELDS = ("title", "author", "source", "url", "language")
_HEADER_WINDOW = 3  # byline/date must be among the first lines after the headline
_HTML_EXTRA_FIELDS = ("description", "hostname", "categories", "tags", "license", "image", "pagetype")
_UNSUPPORTED_HINT = "use .txt, .json, .jsonl or .html"
_BATCH_EXTENSIONS = frozenset((".json", ".jsonl"))


def normalize_text(text: str) -> str:
    """The one normalisation every offset refers to; see the module docstring for the rules."""
    text = _NEWLINES_RE.sub("\n", text)
    text = _CONTROL_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip()


def article_id(text: str) -> str:
    """Content address of an article: equal normalised texts are the same article."""
    return content_hash(normalize_text(text))


def content_hash(normalised: str) -> str:
    """The article id of a text that is already normalised (a task's `data.text`)."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def _is_blank(text: str) -> bool:
    """Same answer as `not normalize_text(text)`, without normalising a whole (possibly huge) file."""
    stripped = text.strip()
    if not stripped:
        return True
    if not _CONTROL_RE.match(stripped):
        return False  # the first non-space character is content
    return not normalize_text(stripped)


@dataclass(frozen=True)
class Article:
    """One article as it becomes a Label Studio task; `text` is normalised on construction."""

    text: str
    title: str | None = None
    author: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    source_file: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False)
    # Readers that have just normalised the text say so, so it is not normalised twice.
    already_normalized: InitVar[bool] = False
    _id: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self, already_normalized: bool) -> None:
        normalised = self.text if already_normalized else normalize_text(self.text)
        if not normalised:
            raise ValueError("Article.text is empty after normalisation")
        object.__setattr__(self, "text", normalised)
        object.__setattr__(self, "_id", content_hash(normalised))

    @property
    def article_id(self) -> str:
        return self._id

    def task_data(self) -> dict[str, Any]:
        """The task `data` object of schema/task.schema.json."""
        return {
            "text": self.text,
            "article_id": self.article_id,
            "title": self.title,
            "author": self.author,
            "source": self.source,
            "published": self.published,
            "url": self.url,
            "language": self.language,
            "source_file": self.source_file,
            "extra": copy.deepcopy(self.extra),
        }


@dataclass(frozen=True)
class InputProblem:
    """An input that yields no article, reported instead of raised so one bad file stops nothing."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def parse_date(value: str) -> str | None:
    """ISO 8601 for a date in ISO or one of DATE_FORMATS (optionally after a weekday); else None."""
    value = value.strip()
    if _ISO_DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    if _ISO_DATETIME_RE.match(value):
        iso = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        try:
            return dt.datetime.fromisoformat(iso).isoformat()
        except ValueError:
            return None
    candidate = _WEEKDAY_RE.sub("", value, count=1)
    candidate = re.sub(r"\bSept\b", "Sep", candidate, flags=re.IGNORECASE)
    candidate = re.sub(r"\s+", " ", candidate)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(candidate, fmt).date().isoformat()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- reading


def read_articles(
    paths: Sequence[str | Path], *, max_bytes: int = 5_000_000, stdin: TextIO | None = None
) -> Iterator[Article | InputProblem]:
    """Lazily yield one Article or InputProblem per article, so a bad input never hides the good ones."""
    for given in paths:
        name = str(given)
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin
            # bytes, so a line that is not UTF-8 is reported as one bad input instead of ending the push
            yield from _read_jsonl_lines(getattr(stream, "buffer", stream), "<stdin>", max_bytes=max_bytes)
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, name, max_bytes=max_bytes, seen=set())
        elif path.exists():
            yield from _read_file(path, name, max_bytes=max_bytes)
        else:
            yield InputProblem(name, "no such file or directory; check the path")


def count_items(paths: Sequence[str | Path]) -> int | None:
    """How many items `read_articles` will yield, cheaply (for a progress total): a line count for
    .jsonl, one per other file; None when that needs a parse (.json batches) or cannot be known (stdin)."""
    total = 0
    for given in paths:
        if str(given) == "-":
            return None
        path = Path(given)
        files = [path] if not path.is_dir() else [
            Path(root) / f for root, dirs, names in os.walk(path, followlinks=True)
            for f in names if not f.startswith(".") and not any(part.startswith(".") for part in
                                                                Path(root).relative_to(path).parts)]
        for file in files:
            ext = file.suffix.lower()
            if ext == ".json":
                return None
            if ext != ".jsonl":
                total += 1
                continue
            try:
                with open(file, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
    return total


def _walk(folder: Path, name: str, *, max_bytes: int, seen: set[str]) -> Iterator[Article | InputProblem]:
    real = os.path.realpath(folder)
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        entries = sorted(os.listdir(folder))
    except OSError as exc:
        yield InputProblem(name, f"cannot list the folder ({exc.strerror}); check its permissions")
        return
    for entry in entries:
        if entry.startswith("."):
            continue
        child = folder / entry
        child_name = str(Path(name) / entry)
        if child.is_dir():
            yield from _walk(child, child_name, max_bytes=max_bytes, seen=seen)
        else:
            yield from _read_file(child, child_name, max_bytes=max_bytes)


def _read_file(path: Path, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = f"'{path.suffix}'" if path.suffix else "(no extension)"
        yield InputProblem(name, f"unsupported file type {shown}; {_UNSUPPORTED_HINT}")
        return
    if ext == ".jsonl":
        yield from _stream_jsonl(path, name, max_bytes=max_bytes)
        return
    try:
        size = path.stat().st_size
        # A .txt or .html file is one article; a .json/.jsonl batch holds many, so there the
        # limit applies to each article (in _from_record), not to the file.
        if size > max_bytes and ext not in _BATCH_EXTENSIONS:
            yield InputProblem(name, _too_big(size, max_bytes))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputProblem(name, f"cannot read the file ({exc.strerror}); check its permissions")
        return
    try:
        text = _decode(data)
    except _Unreadable as exc:
        yield InputProblem(name, exc.reason)
        return
    if _is_blank(text):
        yield InputProblem(name, "empty article text; add the text or remove the file")
        return
    if ext == ".txt":
        yield _from_txt(text, name)
    elif ext == ".jsonl":
        yield from _read_jsonl_lines(text.split("\n"), name, max_bytes=max_bytes)
    elif ext == ".json":
        yield from _from_json(text, name, max_bytes=max_bytes)
    else:
        yield _from_html(text, name)


def _stream_jsonl(path: Path, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    """A .jsonl batch line by line, so memory stays flat however many articles the file holds
    (a 100k-article file is ~300 MB). A UTF-16 file (BOM) is the exception: decoded whole."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
                data = head + fh.read()
            else:
                fh.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
                found = False
                for item in _read_jsonl_lines(fh, name, max_bytes=max_bytes):
                    found = True
                    yield item
                if not found:
                    yield InputProblem(name, "empty article text; add the text or remove the file")
                return
    except OSError as exc:
        yield InputProblem(name, f"cannot read the file ({exc.strerror}); check its permissions")
        return
    try:
        text = _decode(data)
    except _Unreadable as exc:
        yield InputProblem(name, exc.reason)
        return
    if _is_blank(text):
        yield InputProblem(name, "empty article text; add the text or remove the file")
        return
    yield from _read_jsonl_lines(text.split("\n"), name, max_bytes=max_bytes)


def _too_big(size: int, limit: int, *, fix: str = "split the file") -> str:
    shown, shown_limit = _human_size(size), _human_size(limit)
    if shown == shown_limit:
        shown, shown_limit = f"{size:,} bytes", f"{limit:,}-byte"
    return f"{shown} is over the {shown_limit} limit; {fix} or raise the limit with --max-bytes"


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _decode(data: bytes) -> str:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; anything else is reported, never guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Unreadable(
                f"has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason}); "
                "re-save the file as UTF-8"
            ) from None
    if b"\x00" in data:
        raise _Unreadable("looks like a binary file, not text; remove it or convert it to .txt/.jsonl")
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # offsets in messages count the BOM
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        raise _Unreadable(
            f"not valid UTF-8 (invalid byte 0x{data[offset]:02x} at offset {offset}); "
            "tried utf-8 and utf-16 (BOM); re-save the file as UTF-8"
        ) from None


# --------------------------------------------------------------------------- .txt


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


def _strip_boilerplate(text: str) -> tuple[str, list[str]]:
    """Remove trailing page boilerplate; return the text and what was removed, in document order."""
    lines = text.split("\n")
    removed: list[str] = []
    while True:
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            break
        last = lines[-1].strip()
        if any(pattern.fullmatch(last) for pattern in _BOILERPLATE_RES):
            removed.append(last)
            lines.pop()
            continue
        suffix = next((s for s in BOILERPLATE_SUFFIXES if last.endswith(s) and last[: -len(s)].strip()), None)
        if suffix is None:
            break
        removed.append(suffix)
        lines[-1] = last[: -len(suffix)].rstrip()
    removed.reverse()
    return "\n".join(lines), removed


def _from_txt(raw: str, name: str) -> Article | InputProblem:
    lines = normalize_text(raw).split("\n")
    header = _parse_header(lines) or _Header()
    body, removed = _strip_boilerplate("\n".join(lines[header.body_start :]))
    if not normalize_text(body):
        return InputProblem(name, "empty article text; add the text or remove the file")
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


# --------------------------------------------------------------------------- .json / .jsonl


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _from_record(
    obj: Any, *, name: str, where: str, source_file: str, unit: str, max_bytes: int
) -> Article | InputProblem:
    """One JSON article object; `where` prefixes reasons ("line 3: ") and `unit` names what to remove."""
    if not isinstance(obj, dict):
        return InputProblem(
            name, f"{where}expected a JSON object, got {_kind(obj)}; each {unit} must be one article object"
        )
    if "text" not in obj:
        return InputProblem(name, f'{where}missing required field "text"; put the article text in a "text" field')
    if not isinstance(obj["text"], str):
        return InputProblem(name, f'{where}field "text" must be a string')
    size = len(obj["text"].encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        fix = f"shorten it, remove the {unit}"
        return InputProblem(name, f"{where}article text: {_too_big(size, max_bytes, fix=fix)}")
    text = normalize_text(obj["text"])
    if not text:
        return InputProblem(name, f"{where}empty article text; add the text or remove the {unit}")
    meta: dict[str, str | None] = {}
    for key in _KNOWN_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return InputProblem(name, f'{where}field "{key}" must be a string or null, not {_kind(value)}')
        meta[key] = value.strip() or None if isinstance(value, str) else None
    extra = {k: v for k, v in obj.items() if k not in (*_KNOWN_FIELDS, "text", "published")}
    published = None
    raw_published = obj.get("published")
    if raw_published is not None and not (isinstance(raw_published, str) and not raw_published.strip()):
        published = parse_date(raw_published) if isinstance(raw_published, str) else None
        if published is None:
            extra["published_raw"] = raw_published
    return Article(text=text, published=published, source_file=source_file, extra=extra, already_normalized=True,
                   **meta)


def _read_jsonl_lines(lines: Iterable[str | bytes], name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
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
        yield _from_record(obj, name=name, where=where, source_file=f"{name}:{number}", unit="line",
                           max_bytes=max_bytes)


def _list_item_lines(text: str) -> list[int]:
    """1-based line on which each item of a top-level JSON list starts (the text is known to parse)."""
    decoder = json.JSONDecoder()
    whitespace = " \t\r\n"
    pos = text.index("[") + 1
    starts: list[int] = []
    while True:
        while text[pos] in whitespace:
            pos += 1
        if text[pos] == "]":
            return starts
        starts.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)
        while text[pos] in whitespace:
            pos += 1
        if text[pos] == ",":
            pos += 1


def _from_json(text: str, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputProblem(
            name,
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "fix the file (one article object, or a list of them)",
        )
        return
    if isinstance(data, dict):
        yield _from_record(data, name=name, where="", source_file=name, unit="file", max_bytes=max_bytes)
    elif isinstance(data, list):
        for obj, line in zip(data, _list_item_lines(text), strict=True):
            where = f"line {line}: "
            yield _from_record(obj, name=name, where=where, source_file=f"{name}:{line}", unit="list item",
                               max_bytes=max_bytes)
    else:
        yield InputProblem(
            name,
            f"expected a JSON object or a list of objects, got {_kind(data)}; "
            'put each article in an object with a "text" field',
        )


# --------------------------------------------------------------------------- .html


def _from_html(html: str, name: str) -> Article | InputProblem:
    import trafilatura  # slow to import; only needed for HTML input

    no_body = InputProblem(
        name, "no article body found in the HTML; save the article as .txt or check the page"
    )
    tree = trafilatura.load_html(html)
    if tree is None:
        return no_body
    language = tree.get("lang") or None
    # Precision mode without fallback extractors: navigation and share bars must not become "articles".
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        fast=True,
        favor_precision=True,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": dt.date.today().isoformat(),
        },
    )
    if doc is None or not doc.text:
        return no_body
    title = (doc.title or "").strip() or None
    paragraphs = [p for p in normalize_text(doc.text).split("\n") if p.strip()]
    if title and paragraphs and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]
    body, removed = _strip_boilerplate("\n\n".join(paragraphs))
    if not normalize_text(body):
        return no_body
    extra: dict[str, Any] = {}
    for key in _HTML_EXTRA_FIELDS:
        value = getattr(doc, key, None)
        if value:
            extra[key] = value
    if removed:
        extra["boilerplate_removed"] = removed
    published = parse_date(doc.date) if doc.date else None
    return Article(
        text=body,
        title=title,
        author=(doc.author or "").strip() or None,
        source=(doc.sitename or "").strip() or None,
        published=published,
        url=(doc.url or "").strip() or None,
        language=language.strip() if language else None,
        source_file=name,
        extra=extra,
    )

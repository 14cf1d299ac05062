"""Reading news articles from files and folders into `Article` objects, each file by the reader
registered for its extension (readers/: .txt, .json, .jsonl and .html built in).

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

Input formats (one module each under readers/)
-----------------------------------------------
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

A file whose extension has no registered reader is reported (`unsupported file type`); a reader
that needs an optional package that is not installed reports each of its files with the package
to install.

Text files are decoded as UTF-8 (a BOM is accepted) or UTF-16 with a BOM; other encodings are
reported, never guessed.

`max_bytes` is the largest article: the size of a `.txt`/`.html` file (checked before reading),
or the UTF-8 size of one item's text in a `.json`/`.jsonl` batch (a batch file itself has no limit).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from incident_corpus.ingest.article import Article, InputProblem
from incident_corpus.ingest.boilerplate import BOILERPLATE_LINES, BOILERPLATE_SUFFIXES
from incident_corpus.ingest.dates import DATE_FORMATS, parse_date
from incident_corpus.ingest.decoding import too_big
from incident_corpus.ingest.normalize import article_id, content_hash, normalize_text
from incident_corpus.ingest.readers import READERS, needs_message, supported_hint
from incident_corpus.ingest.readers.json_lines import read_lines

__all__ = [
    "BOILERPLATE_LINES",
    "BOILERPLATE_SUFFIXES",
    "DATE_FORMATS",
    "Article",
    "InputProblem",
    "article_id",
    "content_hash",
    "count_items",
    "normalize_text",
    "parse_date",
    "read_articles",
]


def read_articles(
    paths: Sequence[str | Path], *, max_bytes: int = 5_000_000, stdin: TextIO | None = None
) -> Iterator[Article | InputProblem]:
    """Lazily yield one Article or InputProblem per article, so a bad input never hides the good ones."""
    for given in paths:
        name = str(given)
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin
            # bytes, so a line that is not UTF-8 is reported as one bad input instead of ending the push
            yield from read_lines(getattr(stream, "buffer", stream), "<stdin>", max_bytes=max_bytes)
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, name, max_bytes=max_bytes, seen=set())
        elif path.exists():
            yield from _read_file(path, name, max_bytes=max_bytes)
        else:
            yield InputProblem(name, "no such file or directory; check the path")


def count_items(paths: Sequence[str | Path]) -> int | None:
    """How many items `read_articles` will yield, cheaply (for a progress total): what each file's reader
    counts (a line count for .jsonl), else one per file; None when that needs a parse (.json batches) or
    cannot be known (stdin)."""
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
            reader = READERS.get(file.suffix.lower())
            count = getattr(reader.load(), "count", None) if reader is not None and not reader.missing() else None
            if count is None:
                total += 1
                continue
            try:
                n = count(file)
            except OSError:
                n = 1
            if n is None:
                return None
            total += n
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
    """The file through the reader of its extension (its `stream` when it has one, else `read` of its bytes)."""
    ext = path.suffix.lower()
    reader = READERS.get(ext)
    if reader is None:
        shown = f"'{path.suffix}'" if path.suffix else "(no extension)"
        yield InputProblem(name, f"unsupported file type {shown}; {supported_hint()}")
        return
    missing = reader.missing()
    if missing is not None:
        yield InputProblem(name, needs_message(ext, missing))
        return
    module = reader.load()
    stream = getattr(module, "stream", None)
    try:
        if stream is not None:
            with open(path, "rb") as fh:
                yield from stream(fh, name, max_bytes=max_bytes)
            return
        size = path.stat().st_size
        # A single-article file is limited as a whole; in a batch the limit applies to each article.
        if size > max_bytes and not reader.batch:
            yield InputProblem(name, too_big(size, max_bytes))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputProblem(name, f"cannot read the file ({exc.strerror}); check its permissions")
        return
    yield from module.read(data, name, max_bytes=max_bytes)

"""One reader per input format, keyed by file extension: bytes in, an Article or an InputProblem out.

`READERS` is the registry: one module per format.

A reader module holds `read(data: bytes, name: str, *, max_bytes: int)`, yielding `Article` or
`InputProblem` items (one bad item never hides the good ones), and may hold `stream(fh, name, *,
max_bytes)` to read a binary handle instead of the whole file (JSONL batches) and `count(path)`, the
number of items for a progress total (None: unknown without a parse). `ingest/articles.py` walks
folders and hands each file to the reader of its extension. A reader that needs an optional package
names it in `needs`: where it is missing, each such file is reported with the package to install
instead of failing the run. Adding a format (say .pdf): its module here and a `Reader` entry.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Reader:
    """A registered input format: its extensions (the first one is the one messages name), the module
    holding `read`, whether a file holds many articles (`max_bytes` then limits each article, not the
    file), and the optional packages it imports."""

    extensions: tuple[str, ...]
    module: str
    batch: bool = False
    needs: tuple[str, ...] = ()

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)

    def missing(self) -> str | None:
        """The first package in `needs` that is not installed, or None."""
        return next((pkg for pkg in self.needs if importlib.util.find_spec(pkg) is None), None)


_BUILT_IN: tuple[Reader, ...] = (
    Reader((".txt",), "incident_corpus.ingest.readers.plain_text"),
    Reader((".json",), "incident_corpus.ingest.readers.json_file", batch=True),
    Reader((".jsonl",), "incident_corpus.ingest.readers.json_lines", batch=True),
    Reader((".html", ".htm"), "incident_corpus.ingest.readers.html_page", needs=("trafilatura",)),
)
READERS: dict[str, Reader] = {ext: reader for reader in _BUILT_IN for ext in reader.extensions}


def register(reader: Reader) -> None:
    """Add (or replace) the reader of each of its extensions (lower case, with the dot)."""
    for ext in reader.extensions:
        READERS[ext] = reader


def supported_hint() -> str:
    """'use .txt, .json, .jsonl or .html': each registered reader's first extension."""
    names = list(dict.fromkeys(reader.extensions[0] for reader in READERS.values()))
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"use {shown}"


def needs_message(ext: str, package: str) -> str:
    """The problem reported for a file whose reader needs a package that is not installed."""
    return (f"reading {ext} files needs the optional package '{package}', which is not installed; "
            f"install it (pip install {package}) or convert the file to .txt")

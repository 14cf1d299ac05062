"""`.json`: one article object, or a list of them (each item's line number in its messages)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from incident_corpus.ingest.article import Article, InputProblem
from incident_corpus.ingest.decoding import text_of
from incident_corpus.ingest.records import from_record, kind


def read(data: bytes, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    text = text_of(data, name)
    if isinstance(text, InputProblem):
        yield text
        return
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputProblem(
            name,
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "fix the file (one article object, or a list of them)",
        )
        return
    if isinstance(parsed, dict):
        yield from_record(parsed, name=name, where="", source_file=name, unit="file", max_bytes=max_bytes)
    elif isinstance(parsed, list):
        for obj, line in zip(parsed, _list_item_lines(text), strict=True):
            where = f"line {line}: "
            yield from_record(obj, name=name, where=where, source_file=f"{name}:{line}", unit="list item",
                              max_bytes=max_bytes)
    else:
        yield InputProblem(
            name,
            f"expected a JSON object or a list of objects, got {kind(parsed)}; "
            'put each article in an object with a "text" field',
        )


def count(path: Path) -> int | None:
    """Unknown without parsing the file."""
    return None


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

"""One JSON article object -> Article: the known fields, `extra`, the per-article size limit.
Shared by the .json and .jsonl readers (readers/json_file.py, readers/json_lines.py)."""

from __future__ import annotations

from typing import Any

from incident_corpus.ingest.article import Article, InputProblem
from incident_corpus.ingest.dates import parse_date
from incident_corpus.ingest.decoding import too_big
from incident_corpus.ingest.normalize import normalize_text

KNOWN_FIELDS = ("title", "author", "source", "url", "language")


def kind(value: Any) -> str:
    """A JSON value's kind as messages name it ("a string", "null", ...)."""
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


def from_record(
    obj: Any, *, name: str, where: str, source_file: str, unit: str, max_bytes: int
) -> Article | InputProblem:
    """One JSON article object; `where` prefixes reasons ("line 3: ") and `unit` names what to remove."""
    if not isinstance(obj, dict):
        return InputProblem(
            name, f"{where}expected a JSON object, got {kind(obj)}; each {unit} must be one article object"
        )
    if "text" not in obj:
        return InputProblem(name, f'{where}missing required field "text"; put the article text in a "text" field')
    if not isinstance(obj["text"], str):
        return InputProblem(name, f'{where}field "text" must be a string')
    size = len(obj["text"].encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        fix = f"shorten it, remove the {unit}"
        return InputProblem(name, f"{where}article text: {too_big(size, max_bytes, fix=fix)}")
    text = normalize_text(obj["text"])
    if not text:
        return InputProblem(name, f"{where}empty article text; add the text or remove the {unit}")
    meta: dict[str, str | None] = {}
    for key in KNOWN_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return InputProblem(name, f'{where}field "{key}" must be a string or null, not {kind(value)}')
        meta[key] = value.strip() or None if isinstance(value, str) else None
    extra = {k: v for k, v in obj.items() if k not in (*KNOWN_FIELDS, "text", "published")}
    published = None
    raw_published = obj.get("published")
    if raw_published is not None and not (isinstance(raw_published, str) and not raw_published.strip()):
        published = parse_date(raw_published) if isinstance(raw_published, str) else None
        if published is None:
            extra["published_raw"] = raw_published
    return Article(text=text, published=published, source_file=source_file, extra=extra, already_normalized=True,
                   **meta)

"""`.html` / `.htm`: the article body and metadata extracted by trafilatura (an optional package:
readers/__init__.py reports it when missing), paragraphs separated by a blank line, a leading
headline equal to the title dropped, trailing boilerplate removed as for .txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from incident_corpus.ingest.article import Article, InputProblem
from incident_corpus.ingest.boilerplate import strip_boilerplate
from incident_corpus.ingest.dates import parse_date
from incident_corpus.ingest.decoding import text_of
from incident_corpus.ingest.normalize import normalize_text

_HTML_EXTRA_FIELDS = ("description", "hostname", "categories", "tags", "license", "image", "pagetype")


def read(data: bytes, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    text = text_of(data, name)
    yield text if isinstance(text, InputProblem) else from_html(text, name)


def from_html(html: str, name: str) -> Article | InputProblem:
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
    if doc is None or isinstance(doc, dict) or not doc.text:  # a dict only with as_dict=True
        return no_body
    title = (doc.title or "").strip() or None
    paragraphs = [p for p in normalize_text(doc.text).split("\n") if p.strip()]
    if title and paragraphs and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]
    body, removed = strip_boilerplate("\n\n".join(paragraphs))
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

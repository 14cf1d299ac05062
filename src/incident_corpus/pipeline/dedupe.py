"""`annotate dedupe`: the near-duplicate groups of a folder of articles, before anything is pushed.
Texts are held zlib-compressed (about a third of their size) only to check the LSH candidate pairs."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from incident_corpus.core.progress import ProgressCallback
from incident_corpus.ingest.articles import InputProblem, read_articles
from incident_corpus.neardup.detect import DEFAULT_THRESHOLD, check_threshold
from incident_corpus.neardup.groups import Grouper


@dataclass
class DedupeResult:
    threshold: float
    articles: int = 0
    exact_duplicates: int = 0
    invalid: list[dict[str, str]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "articles": self.articles, "exact_duplicates": self.exact_duplicates,
                "near_duplicate_groups": len(self.groups),
                "articles_in_near_duplicate_groups": sum(len(g["members"]) for g in self.groups),
                "invalid": self.invalid, "groups": self.groups}


def dedupe(*, paths: Sequence[str | Path], threshold: float = DEFAULT_THRESHOLD, max_bytes: int = 5_000_000,
           stdin: TextIO | None = None, progress: ProgressCallback | None = None) -> DedupeResult:
    """Group the articles of `paths` (ingest's reading and normalisation, as push would see them)."""
    result = DedupeResult(threshold=check_threshold(threshold))
    grouper = Grouper(threshold)
    texts: dict[str, bytes] = {}
    about: dict[str, dict[str, Any]] = {}
    for item in read_articles(paths, max_bytes=max_bytes, stdin=stdin):
        if isinstance(item, InputProblem):
            result.invalid.append({"source": item.source, "reason": item.reason})
            continue
        if item.article_id in texts:
            result.exact_duplicates += 1
            continue
        texts[item.article_id] = zlib.compress(item.text.encode("utf-8"), 1)
        about[item.article_id] = {"article_id": item.article_id, "source": item.source_file, "title": item.title}
        grouper.add(item.article_id, item.text)
        result.articles += 1
        if progress is not None and result.articles % 1000 == 0:
            progress("sketch", result.articles, None)
    grouping = grouper.finish(lambda aid: zlib.decompress(texts[aid]).decode("utf-8"))
    pairs: dict[str, list[dict[str, Any]]] = {}
    for m in sorted(grouping.matches, key=lambda m: (m.key, m.of)):
        pairs.setdefault(grouping.group_of[m.key], []).append(m.as_dict())
    for gid, members in sorted(grouping.groups().items()):
        result.groups.append({"group": gid, "members": [about[a] for a in members], "pairs": pairs.get(gid, [])})
    return result

"""What reading yields: an `Article` (normalised on construction) or an `InputProblem`."""

from __future__ import annotations

import copy
from dataclasses import InitVar, dataclass, field
from typing import Any

from incident_corpus.ingest.normalize import content_hash, normalize_text


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

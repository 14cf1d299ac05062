"""Annotation records as the quality checks see them, and the one way they are ordered.

A `Candidate` is a record as far as conversion from Label Studio could build it, with every
`Reason` it failed; sort and recency keys never raise on malformed ids or timestamps, so a bad
record is quarantined rather than breaking the order of the good ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


@dataclass
class Reason:
    """One problem with a candidate record; `covers` lists the schema paths it already explains."""

    check: str
    message: str
    span_id: str | None = None
    covers: tuple[tuple[Any, ...], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "message": self.message, "span_id": self.span_id}


@dataclass
class Candidate:
    """A record as far as it could be built, the LS annotation it came from, and what went wrong."""

    record: dict[str, Any]
    raw_annotation: dict[str, Any] | None
    reasons: list[Reason] = field(default_factory=list)
    # Region ids that could not become spans (already reported), so relations to them are not
    # reported a second time as dangling.
    broken_regions: frozenset[str] = frozenset()


def sort_key(value: Any) -> tuple[int, Any]:
    """Orders ints before anything else, so malformed ids never break sorting."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (0, value)
    return (1, repr(value))


def record_sort_key(record: Mapping[str, Any]) -> tuple[Any, ...]:
    return (sort_key(record.get("task_id")), sort_key(record.get("annotation_id")), repr(record.get("id")))


def span_sort_key(span: Mapping[str, Any]) -> tuple[Any, ...]:
    return (sort_key(span.get("start")), sort_key(span.get("end")), repr(span.get("label")),
            repr(span.get("id")))


def sort_spans(spans: list[Any]) -> None:
    """Sort spans by (start, end, label, id) in place; malformed spans sort after good ones."""
    try:
        spans.sort(key=lambda s: (s["start"], s["end"], s["label"], s["id"]))
        if all(type(s["start"]) is int and type(s["end"]) is int for s in spans):
            return
    except (TypeError, KeyError):
        pass
    spans.sort(key=lambda s: span_sort_key(s) if isinstance(s, dict) else ((2, 0), (2, 0), repr(s), ""))


def where(record: Mapping[str, Any]) -> str:
    """The prefix every reason message starts with, naming the task and annotation."""
    return f"task {record.get('task_id')}, annotation {record.get('annotation_id')}"



def recency_key(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """Orders records oldest → newest by updated_at, then annotation_id (LS may drop microseconds,
    so timestamps are parsed rather than compared as strings)."""
    return (timestamp_key(record.get("updated_at")), sort_key(record.get("annotation_id")))


def timestamp_key(value: Any) -> tuple[int, float, str]:
    if not isinstance(value, str) or not value:
        return (0, 0.0, "")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return (1, 0.0, value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return (2, parsed.timestamp(), value)

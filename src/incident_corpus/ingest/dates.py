"""Publication dates: ISO 8601 from the forms news pages and bylines use (DATE_FORMATS)."""

from __future__ import annotations

import datetime as dt
import re

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

_WEEKDAY_RE = re.compile(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:[a-z]*day)?\.?,?\s+", re.IGNORECASE
)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


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

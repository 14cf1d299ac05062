"""Trailing page boilerplate ("Share this", "Print Friendly, PDF & Email", ...) removed from a body's end."""

from __future__ import annotations

import re

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

_BOILERPLATE_RES = tuple(re.compile(p, re.IGNORECASE) for p in BOILERPLATE_LINES)


def strip_boilerplate(text: str) -> tuple[str, list[str]]:
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

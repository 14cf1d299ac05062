"""Surface variation that carries no signal, taken out before the rules read a text: runs of spaces and
tabs (PDF conversion: `wounding  twelve  police  officers`) become one space.

spaCy makes a whitespace token of every run longer than one space, and such a token breaks every
phrase and every walk of the rules (`claimed  responsibility` is not `claimed responsibility`).
The rules therefore read the squeezed text, and the runner maps their spans back to the caller's
offsets, so that `text[start:end]` still holds (the span keeps the original spaces inside it).
"""

from __future__ import annotations

import re

_RUN = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")


def squeeze(text: str) -> tuple[str, list[int] | None]:
    """The text with each run of spaces or tabs as one space, and for each of its characters the index
    of that character in `text` (None when nothing changed)."""
    if "  " not in text and "\t" not in text and "\u00a0" not in text:
        return text, None  # substring tests in C: much cheaper than the regex on the common clean text
    parts: list[str] = []
    where: list[int] = []
    last = 0
    for m in _RUN.finditer(text):
        parts.append(text[last:m.start()])
        where.extend(range(last, m.start()))
        parts.append(" ")
        where.append(m.start())
        last = m.end()
    parts.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(parts), where

"""Bytes to text for the text readers, and the size messages every reader shares."""

from __future__ import annotations

from incident_corpus.ingest.article import InputProblem
from incident_corpus.ingest.normalize import is_blank

EMPTY = "empty article text; add the text or remove the file"


class Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode(data: bytes) -> str:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; anything else is reported, never guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Unreadable(
                f"has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason}); "
                "re-save the file as UTF-8"
            ) from None
    if b"\x00" in data:
        raise Unreadable("looks like a binary file, not text; remove it or convert it to .txt/.jsonl")
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # offsets in messages count the BOM
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        raise Unreadable(
            f"not valid UTF-8 (invalid byte 0x{data[offset]:02x} at offset {offset}); "
            "tried utf-8 and utf-16 (BOM); re-save the file as UTF-8"
        ) from None


def text_of(data: bytes, name: str) -> str | InputProblem:
    """A text file's text, or the problem that makes it no article (not decodable, or blank)."""
    try:
        text = decode(data)
    except Unreadable as exc:
        return InputProblem(name, exc.reason)
    if is_blank(text):
        return InputProblem(name, EMPTY)
    return text


def too_big(size: int, limit: int, *, fix: str = "split the file") -> str:
    shown, shown_limit = _human_size(size), _human_size(limit)
    if shown == shown_limit:
        shown, shown_limit = f"{size:,} bytes", f"{limit:,}-byte"
    return f"{shown} is over the {shown_limit} limit; {fix} or raise the limit with --max-bytes"


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"

"""`near_duplicate_group` on every record of annotations.jsonl (`annotate pull`, `annotate validate`): the
near-duplicate groups of the written records' texts (neardup.groups, at its default threshold, the one
push and export use), each record carrying the smallest article_id of its group, its own when it has no
near-duplicate. Export computes the groups again from the texts it reads (its records may come from
anywhere); both run the same grouping over the same texts, so they agree.

Pull streams: each record is written with its own article_id as the group (group ids are article ids, all
of one length), the articles are sketched as they pass (a signature each, no text kept), and once the
file is complete only the lines of articles whose group is another article are patched, in place."""

from __future__ import annotations

import array
import functools
import json
from collections.abc import Iterable
from typing import IO, Any

from incident_corpus.core.errors import InputError
from incident_corpus.neardup.groups import Grouper, Grouping, group_texts
from incident_corpus.neardup.sketching import CHUNK

FIELD = "near_duplicate_group"
_AID = b'"article_id":"'  # the first such key of a line is the record's own (the keys before it are scalars)
_GROUP = b'"' + FIELD.encode() + b'":"'  # the last such key of a line is the record's (later keys are fixed)


def assign(records: Iterable[dict[str, Any]]) -> Grouping:
    """Set each record's group (the records are in memory: validate, and pull's whole-export path)."""
    records = list(records)
    texts: dict[str, str] = {}
    for rec in records:
        texts.setdefault(rec["article_id"], rec["text"])
    grouping = group_texts(texts)
    for rec in records:
        rec[FIELD] = grouping.group_of.get(rec["article_id"], rec["article_id"])
    return grouping


def _text(line: bytes) -> str:
    """The record's text, decoded from its line without parsing the rest: `"text":"` appears unescaped only
    as a key, and the top-level one is the last (only updated_at, a date, follows it in key order)."""
    s = line.decode()
    text, _ = json.decoder.scanstring(s, s.rindex('"text":"') + 8)  # type: ignore[attr-defined]
    return str(text)


def _article_id(line: bytes) -> str:
    at = line.find(_AID) + len(_AID)
    return line[at:line.index(b'"', at)].decode()


class StreamedGroups:
    """mark() each record before it is dumped, add_line() each line written, patch(fh) once the file is complete."""

    def __init__(self) -> None:
        # A streamed pull holds little: the texts waiting to be sketched are one sketching chunk, not BATCH.
        self.grouper = Grouper(batch=CHUNK)

    @staticmethod
    def mark(record: dict[str, Any]) -> None:
        """The placeholder: the record's own article_id, as long as any group id."""
        record[FIELD] = record["article_id"]

    def add_line(self, article_id: str, line: bytes) -> None:
        """A record line as it is written, in the file's order: the article's first text is the one grouped,
        as export groups the first text of each article it reads."""
        if article_id not in self.grouper:
            self.grouper.add(article_id, _text(line))

    def patch(self, fh: IO[bytes]) -> Grouping:
        """Check the candidate pairs on texts read back from `fh`, then rewrite the group ids that differ."""
        fh.flush()
        offsets: dict[str, int] = {}

        @functools.lru_cache(maxsize=64)  # a group of k articles is k²/2 pairs: read each text once, mostly
        def text_of(aid: str) -> str:
            if not offsets:  # the first call: the pairs are all known, find their articles' first lines
                needed = {k for pair in self.grouper.pairs for k in pair}
                for at, aid_ in _lines(fh):
                    if aid_ in needed:
                        offsets.setdefault(aid_, at)
            fh.seek(offsets[aid])
            return str(json.loads(fh.readline())["text"])

        grouping = self.grouper.finish(text_of, keep_matches=False)
        moved = {a: g for a, g in grouping.group_of.items() if a != g}
        if moved:
            where, to = array.array("q"), []  # the lines to patch: where the group id starts, the new one
            for at, (own, start) in _lines(fh, keep=True):
                if own in moved:
                    if len(moved[own]) != len(own):  # article ids are 16 hex digits (the schema's pattern)
                        raise InputError(f"annotations.jsonl: article_id {own!r} is not 16 hex digits; "
                                         "validate the export (annotate validate) to find the record")
                    where.append(at + start)
                    to.append(moved[own])
            for at, group in zip(where, to, strict=True):
                fh.seek(at)
                fh.write(group.encode())
            fh.flush()
        fh.seek(0, 2)
        return grouping


def _lines(fh: IO[bytes], *, keep: bool = False) -> Iterable[tuple[int, Any]]:
    """(offset, article_id) of every line, or (offset, (article_id, where its group id starts in the line))."""
    fh.seek(0)
    at = 0
    while line := fh.readline():
        aid = _article_id(line)
        yield at, ((aid, line.rfind(_GROUP) + len(_GROUP)) if keep else aid)
        at += len(line)

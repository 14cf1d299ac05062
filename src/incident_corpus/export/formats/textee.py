"""TextEE / OneIE layout: textee/{train,dev,test}.jsonl, one line per article, the events of events.py.

Each line is TextEE's processed-data record: `doc_id`, `wnd_id` (one window: the whole article),
`text`, `lang`, `tokens` (the non-space tokens of the `tokens` config), `entity_mentions`
(every PERPETRATOR, CASUALTY and CLAIM span, `entity_type` = its label, attached or not),
`event_mentions` (one per ATTACK span: `event_type` "Conflict:Attack", `trigger`, and `arguments`
by `entity_id` with roles Attacker / Victim / Claim) and `relation_mentions` (`claimed_by`, Arg-1 the
CLAIM, Arg-2 the PERPETRATOR). `start`/`end` are token offsets (end exclusive) of the tokens the
span touches; `char_start`/`char_end` keep the exact character offsets, and `text` is always
text[char_start:char_end]. As in ACE-style data, `dev` is the validation split.
"""

from __future__ import annotations

import bisect
import contextlib
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

from incident_corpus.core.fileio import atomic_open, dumps
from incident_corpus.core.labels import TEXTEE_NAMES, TRIGGER_LABEL
from incident_corpus.export.formats import ExportOptions, PreparedDoc, WriterResult
from incident_corpus.export.formats.events import events_of

EVENT_TYPE = TEXTEE_NAMES[TRIGGER_LABEL]
ROLE_NAMES: dict[str, str] = {label: name for label, name in TEXTEE_NAMES.items() if label != TRIGGER_LABEL}
FILE_NAMES: dict[str, str] = {"train": "train.jsonl", "validation": "dev.jsonl", "test": "test.jsonl"}
_ENTITY_ATTRS = ("perpetrator_kind", "outcome", "count_min", "count_max", "count_approximate", "claim_status")
# An entity's attribute keys in the order `dumps` (sort_keys) writes them: these sort before its "end" key,
# the others after its "id" key.
_ATTRS_BEFORE_END = tuple(sorted(k for k in _ENTITY_ATTRS if k < "end"))
_ATTRS_AFTER_ID = tuple(sorted(k for k in _ENTITY_ATTRS if k > "id"))
if set(_ATTRS_BEFORE_END + _ATTRS_AFTER_ID) != set(_ENTITY_ATTRS):
    raise RuntimeError("textee: an entity attribute sorts among the entity's own keys; textee_line needs a new slot")


def _token_range(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """Token offsets [first, last + 1) of the tokens a character span touches (at least one token)."""
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end)
    first = min(first, max(len(starts) - 1, 0))
    return first, max(last, first + 1)


def textee_record(doc: PreparedDoc) -> dict[str, Any]:
    """One article in the TextEE layout (see the module doc)."""
    es = events_of(doc)
    rec, spans, starts, ends = doc.record, doc.spans, doc.token_starts, doc.token_ends
    text = rec["text"]
    aid = rec["article_id"]
    wnd = f"{aid}-0"
    # Where each span sits, found once: an entity is also an argument of its events and of claimed_by.
    where = []
    for s in spans:
        a, b = _token_range(starts, ends, s["start"], s["end"])
        where.append({"text": s["text"], "start": a, "end": b, "char_start": s["start"], "char_end": s["end"]})

    entity_id = {}
    entities: list[dict[str, Any]] = []
    for i, s in enumerate(spans):
        if s["label"] == TRIGGER_LABEL:
            continue
        entity_id[i] = f"{wnd}-E{len(entities)}"
        entities.append({"id": entity_id[i], "entity_type": s["label"], **where[i],
                         **{k: s[k] for k in _ENTITY_ATTRS if s[k] is not None}})
    events = []
    for k, ev in enumerate(es.events):
        t = spans[ev.trigger]
        events.append({
            "id": f"{wnd}-EV{k}",
            "event_id": ev.event_id,
            "event_type": EVENT_TYPE,
            "trigger": where[ev.trigger],
            "arguments": [{"entity_id": entity_id[a], "role": ROLE_NAMES[spans[a]["label"]], **where[a]}
                          for a in ev.arguments],
            "attack_type": t["attack_type"],
            "attack_stage": t["attack_stage"],
        })
    relations = [
        {"id": f"{wnd}-R{k}", "relation_type": "claimed_by",
         "arguments": [{"entity_id": entity_id[claim], "role": "Arg-1", **where[claim]},
                       {"entity_id": entity_id[perp], "role": "Arg-2", **where[perp]}]}
        for k, (claim, perp) in enumerate(sorted(es.claimant.items()))
    ]
    return {
        "doc_id": aid,
        "wnd_id": wnd,
        "text": text,
        "lang": "en",
        "tokens": [text[a:b] for a, b in zip(starts, ends, strict=True)],
        "entity_mentions": entities,
        "event_mentions": events,
        "relation_mentions": relations,
    }


def _json(value: Any) -> str:
    """`value` as `dumps` writes it inside a line: strings with the encoder json.dumps uses
    (ensure_ascii=False), exact ints and bools by hand, anything else through `dumps` itself."""
    if type(value) is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    return dumps(value)


_SEP = "\x1f"  # a control character: json writes it as the six characters of _SEP_ESCAPED
_SEP_ESCAPED = "\\u001f"


def _tokens_json(text: str, starts: list[int], ends: list[int]) -> str:
    """The inside of the "tokens" array, as `dumps` writes it.

    Escaping each of an article's ~600 tokens on its own was half of this format's cost. Joined by a
    separator, they are escaped in one call and the escaped separators become '","'. That is exact
    when the text holds neither the separator nor a backslash (the only way an escaped token could
    contain the separator's escape); any other text takes the token-by-token way.
    """
    pieces = map(text.__getitem__, map(slice, starts, ends))
    if not starts:
        return ""
    if _SEP in text or "\\" in text:
        return ",".join(map(encode_basestring, pieces))
    return encode_basestring(_SEP.join(pieces)).replace(_SEP_ESCAPED, '","')


def textee_line(doc: PreparedDoc) -> str:
    """`dumps(textee_record(doc))`, the same characters, written without the dicts.

    Building a dict per span, entity and argument and then sorting every dict's keys in json.dumps
    was most of this format's cost (~0.6 ms an article of a 10k export). Here each span's JSON
    pieces are made once and joined in the sorted key order `dumps` gives (a test compares the two
    on every fixture and on strings that need escaping).
    """
    es = events_of(doc)
    rec, spans, starts, ends = doc.record, doc.spans, doc.token_starts, doc.token_ends
    text = rec["text"]
    aid = rec["article_id"]
    wnd = f"{aid}-0"
    # Per span: '"char_end":..,"char_start":..', '"end":..' and '"start":..,"text":..' (the `where` keys,
    # which entities and arguments interleave with their own keys in sorted order).
    chars, tok_end, tail = [], [], []
    for s in spans:
        start, end = s["start"], s["end"]
        a, b = _token_range(starts, ends, start, end)
        if type(start) is not int or type(end) is not int:  # (a bool slices a string too)
            start, end = _json(start), _json(end)
        chars.append(f'"char_end":{end},"char_start":{start}')
        tok_end.append(f'"end":{b}')
        tail.append(f'"start":{a},"text":{_json(s["text"])}')

    entity_id: dict[int, str] = {}
    entities: list[str] = []
    for i, s in enumerate(spans):
        if s["label"] == TRIGGER_LABEL:
            continue
        eid = entity_id[i] = encode_basestring(f"{wnd}-E{len(entities)}")
        before = "".join(f'"{k}":{_json(s[k])},' for k in _ATTRS_BEFORE_END if s[k] is not None)
        after = "".join(f'"{k}":{_json(s[k])},' for k in _ATTRS_AFTER_ID if s[k] is not None)
        entities.append(f'{{{chars[i]},{before}{tok_end[i]},"entity_type":{_json(s["label"])},"id":{eid},'
                        f'{after}{tail[i]}}}')

    def argument(i: int, role: str) -> str:
        return f'{{{chars[i]},{tok_end[i]},"entity_id":{entity_id[i]},"role":"{role}",{tail[i]}}}'

    events = []
    for k, ev in enumerate(es.events):
        t, g = spans[ev.trigger], ev.trigger
        arguments = ",".join(argument(a, ROLE_NAMES[spans[a]["label"]]) for a in ev.arguments)
        events.append(f'{{"arguments":[{arguments}],"attack_stage":{_json(t["attack_stage"])},'
                      f'"attack_type":{_json(t["attack_type"])},"event_id":{_json(ev.event_id)},'
                      f'"event_type":"{EVENT_TYPE}","id":{encode_basestring(f"{wnd}-EV{k}")},'
                      f'"trigger":{{{chars[g]},{tok_end[g]},{tail[g]}}}}}')
    relations = [
        f'{{"arguments":[{argument(claim, "Arg-1")},{argument(perp, "Arg-2")}],'
        f'"id":{encode_basestring(f"{wnd}-R{k}")},"relation_type":"claimed_by"}}'
        for k, (claim, perp) in enumerate(sorted(es.claimant.items()))
    ]
    tokens = _tokens_json(text, starts, ends)
    return (f'{{"doc_id":{_json(aid)},"entity_mentions":[{",".join(entities)}],'
            f'"event_mentions":[{",".join(events)}],"lang":"en","relation_mentions":[{",".join(relations)}],'
            f'"text":{encode_basestring(text)},"tokens":[{tokens}],'
            f'"wnd_id":{encode_basestring(wnd)}}}')


class TextEEWriter:
    """Streams one JSONL line per article into its split's file (atomic: renamed into place on close)."""

    def __init__(self, folder: Path, options: ExportOptions) -> None:
        self.folder = folder / "textee"
        self._stack = contextlib.ExitStack()
        self._files: dict[str, IO[Any]] = {}
        self._rows = dict.fromkeys(FILE_NAMES, 0)

    def __enter__(self) -> TextEEWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)  # type: ignore[arg-type]

    def _file(self, split: str) -> IO[Any]:
        fh = self._files.get(split)
        if fh is None:
            fh = self._files[split] = self._stack.enter_context(atomic_open(self.folder / FILE_NAMES[split]))
        return fh

    def add(self, doc: PreparedDoc) -> None:
        fh = self._file(doc.split)
        fh.write(textee_line(doc))
        fh.write("\n")
        self._rows[doc.split] += 1

    def close(self) -> WriterResult:
        for split in FILE_NAMES:  # every split gets a file, an empty split an empty one
            self._file(split)
        self._stack.close()
        return WriterResult(paths=[self.folder / FILE_NAMES[s] for s in FILE_NAMES], rows={"textee": self._rows})


def open_writer(folder: Path, options: ExportOptions) -> TextEEWriter:
    return TextEEWriter(folder, options)

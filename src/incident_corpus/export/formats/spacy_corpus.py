"""spaCy training corpus: spacy/{train,dev,test}.spacy (DocBin), trainable by `spacy train` as is.

Large splits are sharded so memory stays flat: a split of up to SPACY_SHARD_DOCS docs (spacy_worker.py)
is one file (`train.spacy`, as always); a bigger one is a folder of DocBins of that many docs each
(`train/00000.spacy`, `train/00001.spacy`, …), which `spacy train --paths.train spacy/train` reads
as one corpus (spaCy's Corpus walks a folder for .spacy files). Only one DocBin per split is in
memory at a time.

Docs come from the project tokenizer (the same tokens as the HF "tokens" config, plus
spaCy's whitespace tokens). `doc.ents` holds the spans kept by the overlap policy
(align.py), `doc.spans["sc"]` holds every span (overlaps kept) for a spancat model.
Relations: `doc.user_data["relations"]` is a list of {"head": i, "tail": j, "type": name},
i and j indices into `doc.spans["sc"]` (head = the relation's `from` span: PERPETRATOR,
CASUALTY or CLAIM; tail = its `to` span), sorted by (head, tail, type). Each Doc carries its own,
so splitting a DocBin into shards keeps them; read them back with `relations_of(doc)`.
spaCy calls the validation split "dev". All three files are always written; an empty
split is a valid empty DocBin.

Memory: the DocBin keeps only ORTH/SPACY/ENT_IOB/ENT_TYPE per token (3 uint64 a token,
~15 KB per 3 KB article), not the default twelve attributes, plus each Doc's user_data (the relations).
Its string table holds what those attributes and the span labels need (the token texts, the labels):
`LeanDocBin` leaves out the norms, lemmas, tags and the like that `DocBin.add` collects for every token
whatever the attrs (spaCy recomputes a token's norm from its text when it reads the corpus back).

Where the work happens: `Shards` is the one place the shards are made. With a tokenizer worker
(export/workers.py), the worker tokenizes, and this format's `WorkerPart` there places the spans
(`place_packed`: spaCy's span-group bytes without a Span object) and packs the shards, and the
export's own process compresses and writes them (spacy_worker.py), so that process never builds a
Doc; otherwise `SpacyWriter` does it all here (`place`).
"""

from __future__ import annotations

import contextlib
import struct
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy
import srsly
from spacy.attrs import IDS, IDX, IS_SPACE, LENGTH, SPACY
from spacy.tokens import Doc, DocBin, Span

from incident_corpus.core.fileio import write_bytes
from incident_corpus.export.formats import ExportOptions, PreparedDoc, WriterResult, spacy_worker
from incident_corpus.export.formats.spacy_worker import compress_shard

SPAN_KEY = "sc"
FILE_NAMES: dict[str, str] = {"train": "train.spacy", "validation": "dev.spacy", "test": "test.spacy"}
DOC_ATTRS: tuple[str, ...] = ("ORTH", "ENT_IOB", "ENT_TYPE")
RELATIONS_KEY = "relations"
Span3 = tuple[int, int, str]  # (start, end, label) characters, or (head, tail, type) for a relation


def annotate_doc(sdoc: Doc, text: str, kept: Sequence[Any], spans: Sequence[Span3],
                 relations: Sequence[Span3]) -> Doc:
    """Set ents (the overlap policy's `kept`, Aligned), spans["sc"] (all spans) and the relations on a Doc.

    `text` is the Doc's text (the one it was tokenized from: `Doc.text` would rebuild it token by
    token); `spans` and `relations` are the PreparedDoc's, as tuples (what a tokenizer worker is sent).
    """
    ents = place(sdoc, text, kept, spans, relations)
    sdoc.ents = [Span(sdoc, first, last, label=label) for first, last, label in ents]
    return sdoc


def place(sdoc: Doc, text: str, kept: Sequence[Any], spans: Sequence[Span3],
          relations: Sequence[Span3]) -> list[tuple[int, int, str]]:
    """annotate_doc without setting the ents: they come back as (first, last, label) token ranges,
    which `LeanDocBin.add` writes straight into its entity columns (what `doc.ents = ...` would set).

    Spans are placed as `Doc.char_span(start, end, alignment_mode="expand")` places them (see
    `_expand`, which finds the same tokens without building a Token object per step).
    """
    arr = sdoc.to_array([IDX, LENGTH])
    idx, length = arr[:, 0].tolist(), arr[:, 1].tolist()
    ents = []
    for a in kept:
        bounds = _expand(idx, length, len(text), a.start, a.end)
        if bounds is not None:
            ents.append((bounds[0], bounds[1], a.label))
    group: list[Span] = []
    position: dict[int, int] = {}  # index in doc.spans -> index in the span group
    for i, (start, end, label) in enumerate(spans):
        bounds = _expand(idx, length, len(text), start, end)
        if bounds is None:
            continue
        first, last = bounds
        if last > first and text[idx[first]:idx[last - 1] + length[last - 1]].strip():  # span.text.strip()
            position[i] = len(group)
            group.append(Span(sdoc, first, last, label=label))
    sdoc.spans[SPAN_KEY] = group
    sdoc.user_data[RELATIONS_KEY] = [
        {"head": position[head], "tail": position[tail], "type": typ}
        for head, tail, typ in relations
        if head in position and tail in position
    ]
    return ents


class PackedSpans(NamedTuple):
    """What `LeanDocBin.add` takes from a Doc's spans and user_data, made without a Span object."""

    span_groups: bytes  # doc.spans.to_bytes()
    user_data: bytes  # srsly.msgpack_dumps(doc.user_data)
    labels: set[str]  # the span labels (the strings DocBin.add collects from the spans)


_SPAN_STRUCT = struct.Struct(">QQQllll")  # SpanGroup.to_bytes: id, kb_id, label, start, end, start_char, end_char


def place_packed(sdoc: Any, text: str, kept: Sequence[Any], spans: Sequence[Span3], relations: Sequence[Span3],
                 idx: list[int], length: list[int]) -> tuple[list[tuple[int, int, str]], PackedSpans]:
    """`place`, leaving the Doc as it is: the ents, and the bytes `doc.spans.to_bytes()` and the user data
    would have after `place` (spaCy's SpanGroup layout, written here).

    A Span object per span and spaCy's serialisation of each were a fifth of the worker's spaCy work.
    The same bytes (a test compares them with `place` + LeanDocBin.add).
    """
    ents = []
    n = len(text)
    for a in kept:
        bounds = _expand(idx, length, n, a.start, a.end)
        if bounds is not None:
            ents.append((bounds[0], bounds[1], a.label))
    add_string = sdoc.vocab.strings.add
    packed: list[bytes] = []
    labels: set[str] = set()
    position: dict[int, int] = {}  # index in doc.spans -> index in the span group
    for i, (start, end, label) in enumerate(spans):
        bounds = _expand(idx, length, n, start, end)
        if bounds is None:
            continue
        first, last = bounds
        if last > first:
            start_char, end_char = idx[first], idx[last - 1] + length[last - 1]
            if text[start_char:end_char].strip():  # span.text.strip()
                position[i] = len(packed)
                # Span(sdoc, first, last, label=label): no id, no kb_id, chars from its first and last tokens
                packed.append(_SPAN_STRUCT.pack(0, 0, add_string(label), first, last, start_char, end_char))
                labels.add(label)
    group = srsly.msgpack_dumps({"name": SPAN_KEY, "attrs": {}, "spans": packed})
    user_data = {RELATIONS_KEY: [
        {"head": position[head], "tail": position[tail], "type": typ}
        for head, tail, typ in relations
        if head in position and tail in position
    ]}
    return ents, PackedSpans(srsly.msgpack_dumps({group: [SPAN_KEY]}), srsly.msgpack_dumps(user_data), labels)


def _expand(idx: list[int], length: list[int], n_chars: int, start: int, end: int) -> tuple[int, int] | None:
    """The token range `Doc.char_span(start, end, alignment_mode="expand")` gives, or None where it gives None.

    A token owns its characters and its trailing whitespace (spaCy's token_by_char), so the tokens
    tile the text: the owner of character c is the last token starting at or before it.
    """
    if not (0 <= start < n_chars and 0 < end <= n_chars):
        return None
    first = bisect_right(idx, start) - 1
    if start == idx[first] + length[first]:  # in the whitespace after a token: the next one
        first += 1
    return first, bisect_right(idx, end - 1)


def span_tuples(doc: PreparedDoc) -> tuple[list[Span3], list[Span3]]:
    """The PreparedDoc's spans and relations as the tuples `annotate_doc` takes."""
    return ([(s["start"], s["end"], s["label"]) for s in doc.spans],
            [(r["head"], r["tail"], r["type"]) for r in doc.relations])


def to_spacy_doc(doc: PreparedDoc) -> Doc:
    """Set ents (overlap policy applied) and spans["sc"] (all spans) on the already tokenized Doc."""
    return annotate_doc(doc.doc, doc.record["text"], doc.kept, *span_tuples(doc))


def relations_of(sdoc: Any) -> list[tuple[Any, Any, str]]:
    """(head Span, tail Span, type) for each relation stored on a Doc by this exporter."""
    group = sdoc.spans[SPAN_KEY]
    return [(group[r["head"]], group[r["tail"]], r["type"]) for r in sdoc.user_data.get(RELATIONS_KEY, [])]


class LeanDocBin(DocBin):
    """A DocBin whose string table holds only what its attrs and span labels need.

    `DocBin.add` stores nine strings per token (text, tag, lemma, norm, morph, dep and three entity
    strings) whatever the attrs; for ORTH/ENT_IOB/ENT_TYPE only the texts and the entity labels are
    ever looked up on reading (Doc(words=ORTH hashes), from_array(ENT_TYPE), span labels). Those are
    collected from the attribute columns, each new hash once. A plain `DocBin` reads the files.
    """

    _HASHED = ("ORTH", "ENT_TYPE")  # columns holding string hashes (ENT_IOB holds 0-3)

    def __init__(self, attrs: Sequence[str] = DOC_ATTRS, store_user_data: bool = True) -> None:
        super().__init__(attrs=list(attrs), store_user_data=store_user_data)
        names = {IDS[name]: name for name in DOC_ATTRS}
        if any(a not in names for a in self.attrs):
            raise ValueError(f"LeanDocBin stores only {DOC_ATTRS}, not {self.attrs}")
        self._columns = [k for k, a in enumerate(self.attrs) if names[a] in self._HASHED]
        self._iob, self._type = self.attrs.index(IDS["ENT_IOB"]), self.attrs.index(IDS["ENT_TYPE"])
        self._seen: set[int] = {0}
        self.strings.add("")  # as DocBin.add leaves it (unset attributes): the same table for empty docs

    # What `columns` adds after the stored attrs and SPACY: what the tokenizer worker needs of each token.
    EXTRA = (IDX, LENGTH, IS_SPACE)

    def columns(self, doc: Any) -> Any:
        """One `to_array` for a non-empty doc: the stored attrs, SPACY, then EXTRA (IDX, LENGTH, IS_SPACE).

        `add(doc, ents, columns=...)` takes it instead of asking the Doc twice more; the worker reads
        its token offsets and `place` its IDX/LENGTH from the same array (one call instead of four).
        """
        return doc.to_array([*self.attrs, SPACY, *self.EXTRA])

    def add(self, doc: Any, ents: Sequence[tuple[int, int, str]] | None = None, columns: Any = None,
            packed: PackedSpans | None = None) -> None:
        """DocBin.add; `ents` (non-overlapping (first, last, label) token ranges, from `place`) stand for
        `doc.ents = ...`: every other token is "O", as that assignment leaves it, at a fraction of its cost.
        `columns`: `self.columns(doc)`, when the caller has it; `packed` (from `place_packed`) stands for
        the Doc's spans and user data (the same bytes either way)."""
        n_attrs = len(self.attrs)
        if columns is not None and len(doc):
            array = columns[:, :n_attrs].copy()  # with ents given, the entity columns are rewritten below
            spaces = columns[:, n_attrs]
        else:
            array = doc.to_array(self.attrs)
            if len(array.shape) == 1:
                array = array.reshape((array.shape[0], 1))
            spaces = doc.to_array(SPACY)
        if ents is not None:
            iob, typ = array[:, self._iob], array[:, self._type]
            iob[:], typ[:] = 2, 0
            add_string = doc.vocab.strings.add
            for first, last, label in ents:
                iob[first], iob[first + 1:last], typ[first:last] = 3, 1, add_string(label)
        self.tokens.append(array)
        self.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        if len(array):
            new = set(numpy.unique(array[:, self._columns]).tolist()) - self._seen
            if new:
                lookup = doc.vocab.strings
                self.strings.update(lookup[h] for h in new)
                self._seen |= new
        self.cats.append(doc.cats)
        if packed is not None:
            if self.store_user_data:
                self.user_data.append(packed.user_data)
            self.span_groups.append(packed.span_groups)
            self.strings.update(packed.labels)
            return
        if self.store_user_data:
            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
        self.span_groups.append(doc.spans.to_bytes())
        strings = doc.vocab.strings
        for group in doc.spans.values():
            for span in group:
                self.strings.add(span.label_)
                if span.kb_id in strings:
                    self.strings.add(span.kb_id_)
                if span.id in strings:
                    self.strings.add(span.id_)


    def packed(self) -> bytes:
        """`to_bytes()` before its zlib step: `zlib.decompress(to_bytes())` (a test checks it).

        So the compression, a sixth of the tokenizer worker's spaCy work, can run in the other process.
        """
        for tokens in self.tokens:
            if len(tokens.shape) != 2:
                raise ValueError(f"LeanDocBin: a token array of shape {tokens.shape}, not 2-D")
        tokens = numpy.vstack(self.tokens) if self.tokens else numpy.asarray([])
        spaces = numpy.vstack(self.spaces) if self.spaces else numpy.asarray([])
        msg = {
            "version": self.version,
            "attrs": self.attrs,
            "tokens": tokens.tobytes("C"),
            "spaces": spaces.tobytes("C"),
            "lengths": numpy.asarray([len(t) for t in self.tokens], dtype="int32").tobytes("C"),
            "strings": sorted(self.strings),
            "cats": self.cats,
            "flags": self.flags,
            "span_groups": self.span_groups,
        }
        if self.store_user_data:
            msg["user_data"] = self.user_data
        packed: bytes = srsly.msgpack_dumps(msg)
        return packed


@contextlib.contextmanager
def one_msgpack_lookup() -> Iterator[None]:
    """Look srsly's msgpack encoders up once instead of on every `msgpack_dumps` call.

    srsly asks catalogue for its encoders each time it builds a Packer, and catalogue scans every
    installed package's entry points and the whole function registry to answer. DocBin.add packs
    three times per Doc (user_data, the span groups, each group), which made that scan about 40% of
    a spaCy export. Nothing registers encoders during an export, so one answer stands for all; the
    bytes written are the same (tests compare them).
    """
    from srsly.msgpack import msgpack_encoders

    if "get_all" in vars(msgpack_encoders):  # already inside one (another writer)
        yield
        return
    found = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: found  # an instance attribute shadows the method
    try:
        yield
    finally:
        del msgpack_encoders.get_all


class Shards:
    """One DocBin per split, each written out as the split's next shard when it reaches `shard_docs`.

    The one writer of spacy/ (see the module doc); `close()` writes what is left (a split that
    never filled a shard is one file) and returns every path and the docs per split.
    `write=False` (the tokenizer worker): a finished shard is kept in `pending` as (path, packed bytes)
    for another process to compress and write (`compress_shard`), instead of being written here.
    """

    def __init__(self, folder: Path, shard_docs: int, *, write: bool = True) -> None:
        self.folder = Path(folder) / "spacy"
        self.shard_docs = shard_docs
        self.write = write
        self.pending: list[tuple[str, bytes]] = []
        self._bins = {split: LeanDocBin() for split in FILE_NAMES}
        self._rows = dict.fromkeys(FILE_NAMES, 0)
        self._shards: dict[str, list[Path]] = {}  # splits already past shard_docs: their shard files

    def columns(self, sdoc: Any, split: str) -> Any:
        """`LeanDocBin.columns` of the split's DocBin (the array `add` takes as `columns`)."""
        return self._bins[split].columns(sdoc)

    def add(self, sdoc: Any, split: str, ents: Sequence[tuple[int, int, str]] | None = None,
            columns: Any = None, packed: PackedSpans | None = None) -> None:
        self._bins[split].add(sdoc, ents, columns, packed)
        self._rows[split] += 1
        if len(self._bins[split]) >= self.shard_docs:
            self._write_shard(split)

    def _write_shard(self, split: str) -> None:
        """Write the split's full DocBin as its next shard and start an empty one."""
        shards = self._shards.setdefault(split, [])
        path = self.folder / Path(FILE_NAMES[split]).stem / f"{len(shards):05d}.spacy"
        self._put(path, self._bins[split])
        shards.append(path)
        self._bins[split] = LeanDocBin()

    def _put(self, path: Path, docbin: LeanDocBin) -> None:
        if self.write:
            write_bytes(path, compress_shard(docbin.packed()))
        else:
            self.pending.append((str(path), docbin.packed()))

    def take_pending(self) -> list[tuple[str, bytes]]:
        """The shards finished since the last call, for the caller to compress and write (write=False)."""
        out, self.pending = self.pending, []
        return out

    def close(self) -> WriterResult:
        paths = []
        for split, name in FILE_NAMES.items():
            if split in self._shards:
                if len(self._bins[split]):
                    self._write_shard(split)
                paths.extend(self._shards[split])
            else:
                path = self.folder / name
                self._put(path, self._bins[split])
                paths.append(path)
            self._bins[split] = LeanDocBin()  # release memory split by split
        return WriterResult(paths=paths, rows={"spacy": dict(self._rows)})


class SpacyWriter:
    """The spaCy format in this process: the Docs the export tokenized here, annotated and sharded."""

    def __init__(self, folder: Path, options: ExportOptions) -> None:
        self._stack = contextlib.ExitStack()
        self._shards = Shards(folder, spacy_worker.SPACY_SHARD_DOCS)

    def __enter__(self) -> SpacyWriter:
        self._stack.enter_context(one_msgpack_lookup())
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def add(self, doc: PreparedDoc) -> None:
        ents = place(doc.doc, doc.record["text"], doc.kept, *span_tuples(doc))
        self._shards.add(doc.doc, doc.split, ents)

    def close(self) -> WriterResult:
        return self._shards.close()


class WorkerPart:
    """The spaCy format in the tokenizer worker (export/workers.py): it reads each Doc's token offsets
    from the DocBin's own columns (one `to_array`), places the spans without Span objects and packs
    the shards, which it hands back for the export's process to compress and write (spacy_worker.py).
    `shard_docs` is the export process's SPACY_SHARD_DOCS."""

    def __init__(self, folder: str, shard_docs: int) -> None:
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(one_msgpack_lookup())
        self._shards = Shards(Path(folder), shard_docs, write=False)
        self._columns: Any = None  # the last `offsets` call's array, for the `add` of the same article

    def offsets(self, sdoc: Any, split: str) -> tuple[list[int], list[int]] | None:
        if not len(sdoc):
            return None
        columns = self._columns = self._shards.columns(sdoc, split)  # the DocBin's columns, IDX, LENGTH, IS_SPACE
        idx, length, space = columns[:, -3], columns[:, -2], columns[:, -1]
        keep = space == 0
        starts = idx[keep]
        return starts.tolist(), (starts + length[keep]).tolist()

    def add(self, a: Any) -> None:
        columns, self._columns = self._columns, None
        if columns is not None:
            ents, packed = place_packed(a.sdoc, a.text, a.kept, a.spans, a.relations, columns[:, -3].tolist(),
                                        columns[:, -2].tolist())
            self._shards.add(a.sdoc, a.split, ents, columns, packed)
        else:
            self._shards.add(a.sdoc, a.split, place(a.sdoc, a.text, a.kept, a.spans, a.relations))

    def take(self) -> list[tuple[str, bytes]]:
        return self._shards.take_pending()

    def finish(self) -> tuple[WriterResult, list[tuple[str, bytes]]]:
        try:
            result = self._shards.close()
            return result, self._shards.take_pending()
        finally:
            self._stack.close()


def open_writer(folder: Path, options: ExportOptions) -> SpacyWriter:
    return SpacyWriter(folder, options)

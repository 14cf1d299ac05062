"""spaCy training corpus: spacy/{train,dev,test}.spacy (DocBin), trainable by `spacy train` as is.

Large splits are sharded so memory stays flat: a split of up to SHARD_DOCS docs is one file
(`train.spacy`, as always); a bigger one is a folder of DocBins of SHARD_DOCS docs each
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
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.tokens import DocBin

from incident_corpus.core.fileio import write_bytes
from incident_corpus.export.formats import ExportOptions, PreparedDoc, WriterResult

SPAN_KEY = "sc"
FILE_NAMES: dict[str, str] = {"train": "train.spacy", "validation": "dev.spacy", "test": "test.spacy"}
DOC_ATTRS: tuple[str, ...] = ("ORTH", "ENT_IOB", "ENT_TYPE")
SHARD_DOCS = 1000  # docs per DocBin: a split above this is written as a folder of shards
RELATIONS_KEY = "relations"


def to_spacy_doc(doc: PreparedDoc):  # -> spacy.tokens.Doc
    """Set ents (overlap policy applied) and spans["sc"] (all spans) on the already tokenized Doc."""
    sdoc = doc.doc
    ents = []
    for a in doc.kept:
        ent = sdoc.char_span(a.start, a.end, label=a.label, alignment_mode="expand")
        if ent is not None:
            ents.append(ent)
    sdoc.ents = ents
    group = []
    position: dict[int, int] = {}  # index in doc.spans -> index in the span group
    for i, s in enumerate(doc.spans):
        span = sdoc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
        if span is not None and span.text.strip():
            position[i] = len(group)
            group.append(span)
    sdoc.spans[SPAN_KEY] = group
    sdoc.user_data[RELATIONS_KEY] = [
        {"head": position[r["head"]], "tail": position[r["tail"]], "type": r["type"]}
        for r in doc.relations
        if r["head"] in position and r["tail"] in position
    ]
    return sdoc


def relations_of(sdoc: Any) -> list[tuple[Any, Any, str]]:
    """(head Span, tail Span, type) for each relation stored on a Doc by this exporter."""
    group = sdoc.spans[SPAN_KEY]
    return [(group[r["head"]], group[r["tail"]], r["type"]) for r in sdoc.user_data.get(RELATIONS_KEY, [])]


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


class SpacyWriter:
    def __init__(self, folder: Path, options: ExportOptions) -> None:
        self.folder = folder / "spacy"
        self._stack = contextlib.ExitStack()
        self._bins = {split: DocBin(attrs=list(DOC_ATTRS), store_user_data=True) for split in FILE_NAMES}
        self._rows = {split: 0 for split in FILE_NAMES}
        self._shards: dict[str, list[Path]] = {}  # splits already past SHARD_DOCS: their shard files

    def __enter__(self) -> SpacyWriter:
        self._stack.enter_context(one_msgpack_lookup())
        return self

    def __exit__(self, *exc: object) -> None:
        self._bins.clear()
        self._stack.close()

    def add(self, doc: PreparedDoc) -> None:
        split = doc.split
        self._bins[split].add(to_spacy_doc(doc))
        self._rows[split] += 1
        if len(self._bins[split]) >= SHARD_DOCS:
            self._write_shard(split)

    def _write_shard(self, split: str) -> None:
        """Write the split's full DocBin as its next shard and start an empty one like it."""
        old = self._bins[split]
        shards = self._shards.setdefault(split, [])
        path = self.folder / Path(FILE_NAMES[split]).stem / f"{len(shards):05d}.spacy"
        write_bytes(path, old.to_bytes())
        shards.append(path)
        self._bins[split] = DocBin(attrs=old.attrs, store_user_data=old.store_user_data)

    def close(self) -> WriterResult:
        paths = []
        for split, name in FILE_NAMES.items():
            if split in self._shards:
                if len(self._bins[split]):
                    self._write_shard(split)
                paths.extend(self._shards[split])
            else:
                path = self.folder / name
                write_bytes(path, self._bins[split].to_bytes())
                paths.append(path)
            self._bins[split] = DocBin(attrs=list(DOC_ATTRS), store_user_data=True)  # release memory split by split
        return WriterResult(paths=paths, rows={"spacy": dict(self._rows)})


def open_writer(folder: Path, options: ExportOptions) -> SpacyWriter:
    return SpacyWriter(folder, options)

"""The export's speed/memory paths must write byte-identical files to the plain ones.

Big inputs take paths small fixtures never reach (a tokenizer worker process, records read back by
byte offset, a lone-CR fallback); these tests force them on the fixture and compare every file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy

from incident_corpus.export import build as export_mod
from incident_corpus.export import workers
from incident_corpus.export.build import export
from incident_corpus.export.formats import spacy_corpus, spacy_worker, textee
from incident_corpus.export.records import read_records

FIXTURE = Path(__file__).parent / "data" / "records" / "annotations.jsonl"
RATIOS = (0.5, 0.25, 0.25)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != "README.md"}


def _card(folder: Path) -> str:
    return (folder / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("policy", ["ground-truth", "majority"])
def test_tokenizer_worker_writes_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                policy: str) -> None:
    plain = tmp_path / "plain"
    export(input_path=FIXTURE, out_dir=plain, split=RATIOS, resolve_policy=policy, command="x")
    pools = _force_worker(monkeypatch)
    pooled = tmp_path / "pooled"
    export(input_path=FIXTURE, out_dir=pooled, split=RATIOS, resolve_policy=policy, command="x")
    assert len(pools) == 1 and pools[0] is not None  # the worker really ran
    assert _files(pooled) == _files(plain)
    assert _card(pooled) == _card(plain)


def _force_worker(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make the fixture take the worker path; the list collects each export's Pool."""
    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(workers, "_spare_cpus", lambda: 1)
    pools: list[Any] = []
    real_pool = export_mod.tokenizer_pool

    @contextlib.contextmanager
    def spy(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real_pool(*args, **kwargs) as pool:
            pools.append(pool)
            yield pool

    monkeypatch.setattr(export_mod, "tokenizer_pool", spy)
    return pools


@pytest.mark.parametrize("shard_docs", [1000, 2])
def test_the_worker_writes_the_same_spacy_corpus_and_every_other_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shard_docs: int) -> None:
    """`--format all` with the worker: it builds and shards the DocBins itself, byte for byte as here."""
    monkeypatch.setattr(spacy_worker, "SPACY_SHARD_DOCS", shard_docs)  # the worker is told, not re-imported
    every = ("hf", "spacy", "textee")
    plain = tmp_path / "plain"
    export(input_path=FIXTURE, out_dir=plain, split=RATIOS, formats=every, command="x")
    pools = _force_worker(monkeypatch)
    pooled = tmp_path / "pooled"
    result = export(input_path=FIXTURE, out_dir=pooled, split=RATIOS, formats=every, command="x")
    assert len(pools) == 1 and pools[0] is not None and "spacy" in pools[0].links  # the worker wrote the corpus
    # ... and, the busier process, sent its BIO tags back: this process wrote the HF `tokens` config
    assert pools[0].busy and pools[0].tags and set(pools[0].links) == {"spacy"}
    files = _files(pooled)
    assert files == _files(plain)
    assert _card(pooled) == _card(plain)
    assert any(name.startswith("spacy/train/") for name in files) == (shard_docs == 2)
    assert result.rows["spacy"] == {"train": 4, "validation": 2, "test": 2}
    assert {p.relative_to(pooled).as_posix() for p in result.paths} >= {n for n in files if n.startswith("spacy/")}


@pytest.mark.parametrize("formats_", [("spacy", "textee"), ("hf", "textee")])
def test_a_failing_export_stops_the_worker_before_its_temp_folder_goes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats_: tuple[str, ...]) -> None:
    """An error in this process while the worker writes shards or holds the tokens config leaves no folder
    behind, not even a temp one."""
    monkeypatch.setattr(spacy_worker, "SPACY_SHARD_DOCS", 1)  # every doc is a shard file the worker writes
    monkeypatch.setattr(export_mod, "PIPE_BATCH", 1)  # batches still in the worker when this process fails
    _force_worker(monkeypatch)
    added = 0

    def failing_add(self: Any, doc: Any) -> None:
        nonlocal added
        added += 1
        if added == 5:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(textee.TextEEWriter, "add", failing_add)
    out = tmp_path / "ds"
    with pytest.raises(OSError, match="No space left"):
        export(input_path=FIXTURE, out_dir=out, split=RATIOS, formats=formats_)
    assert list(tmp_path.iterdir()) == []


def test_the_lean_docbin_reads_back_as_the_same_docs_as_spacys_own(tmp_path: Path) -> None:
    """LeanDocBin drops only strings nothing reads: a fresh vocab gets the same tokens, norms, ents,
    spans and relations from it as from spaCy's DocBin with the same attrs, and a smaller file."""
    from spacy.tokens import DocBin

    from incident_corpus.core.nlp import tokenizer
    from incident_corpus.export.counts import parse_count
    from incident_corpus.export.prepare import prepare

    recs = list(read_records(FIXTURE))
    lean, full = spacy_corpus.LeanDocBin(), DocBin(attrs=list(spacy_corpus.DOC_ATTRS), store_user_data=True)
    for rec in recs:
        doc, _ = prepare(rec, "train", tokenizer()(rec["text"]), parse_count=parse_count)
        sdoc = spacy_corpus.to_spacy_doc(doc)
        lean.add(sdoc)
        full.add(sdoc)
    lean.add(tokenizer()(""))  # an empty doc too
    full.add(tokenizer()(""))

    def read(data: bytes) -> list[Any]:
        nlp = spacy.blank("en")  # a fresh vocab: only the file's strings
        out = []
        for d in DocBin().from_bytes(data).get_docs(nlp.vocab):
            out.append(([(t.text, t.whitespace_, t.norm_, t.lower_, t.ent_iob_, t.ent_type_) for t in d],
                        [(e.start, e.end, e.label_) for e in d.ents],
                        [(s.start, s.end, s.label_) for s in d.spans.get(spacy_corpus.SPAN_KEY, [])],
                        d.user_data.get(spacy_corpus.RELATIONS_KEY)))
        return out

    lean_bytes, full_bytes = lean.to_bytes(), full.to_bytes()
    got = read(lean_bytes)
    assert got == read(full_bytes)
    assert len(got) == len(recs) + 1 and any(ents for _, ents, _, _ in got) and any(rel for *_, rel in got)
    assert len(lean_bytes) < len(full_bytes)
    assert lean.strings < full.strings
    # The writers' path: ents written into the columns by LeanDocBin.add, not set on the Doc (the same bytes).
    fast = spacy_corpus.LeanDocBin()
    for rec in recs:
        doc, _ = prepare(rec, "train", tokenizer()(rec["text"]), parse_count=parse_count)
        fast.add(doc.doc, spacy_corpus.place(doc.doc, rec["text"], doc.kept, *spacy_corpus.span_tuples(doc)))
        assert not doc.doc.ents  # really not set on the Doc
    fast.add(tokenizer()(""), [])
    assert fast.to_bytes() == lean_bytes
    # The worker's path: one to_array per doc, the spans packed without Span objects (the same bytes).
    worker = spacy_corpus.LeanDocBin()
    for rec in recs:
        doc, _ = prepare(rec, "train", tokenizer()(rec["text"]), parse_count=parse_count)
        columns = worker.columns(doc.doc)
        idx, length = columns[:, -3].tolist(), columns[:, -2].tolist()
        ents, packed = spacy_corpus.place_packed(doc.doc, rec["text"], doc.kept, *spacy_corpus.span_tuples(doc),
                                                 idx, length)
        worker.add(doc.doc, ents, columns, packed)
        assert not doc.doc.spans and not doc.doc.user_data  # the Doc is left as it was
    worker.add(tokenizer()(""), [])
    assert worker.to_bytes() == lean_bytes
    # What the worker hands over (packed, compressed by this process) is spaCy's to_bytes, empty or not,
    # at a faster zlib level: the same bytes once decompressed, and DocBin reads it as it reads its own.
    import zlib

    shard = spacy_corpus.compress_shard(fast.packed())
    assert zlib.decompress(shard) == zlib.decompress(lean_bytes)
    assert read(shard) == got
    empty = spacy_corpus.LeanDocBin()
    assert zlib.decompress(spacy_corpus.compress_shard(empty.packed())) == zlib.decompress(empty.to_bytes())
    with pytest.raises(ValueError, match="stores only"):
        spacy_corpus.LeanDocBin(attrs=["ORTH", "LEMMA"])


def test_lone_cr_input_falls_back_to_reading_in_memory(tmp_path: Path) -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    lone_cr = tmp_path / "cr.jsonl"
    lone_cr.write_bytes(("\r".join(lines) + "\r").encode("utf-8"))
    outs = {}
    for name, path in (("lf", FIXTURE), ("crlf", crlf), ("cr", lone_cr)):
        outs[name] = tmp_path / name
        export(input_path=path, out_dir=outs[name], split=RATIOS, command="x")
    assert _files(outs["crlf"]) == _files(outs["lf"])
    assert _files(outs["cr"]) == _files(outs["lf"])


def test_records_are_not_modified_by_resolving_without_a_copy(tmp_path: Path) -> None:
    """resolve_group(private=True) hands back the parsed record itself; export must not need a copy."""
    from incident_corpus.quality.resolve import ResolveResult, resolve, resolve_group

    recs = list(read_records(FIXTURE))
    by_copy = resolve(recs, policy="ground-truth").records
    result = ResolveResult(policy="ground-truth")
    groups: dict[str, list] = {}
    for r in recs:
        groups.setdefault(r["article_id"], []).append(r)
    private = [resolve_group(groups[a], policy="ground-truth", result=result, private=True) for a in sorted(groups)]
    assert private == by_copy
    assert result.counts() == resolve(recs, policy="ground-truth").counts()


def test_span_placement_is_spacys_char_span_expand_on_every_character_pair() -> None:
    """annotate_doc places spans without Doc.char_span; on texts with runs of spaces, newlines, edges
    and trailing whitespace it must give char_span(..., "expand")'s tokens (or None) for every pair."""
    from spacy.attrs import IDX, LENGTH

    from incident_corpus.core.nlp import tokenizer

    texts = ["", " ", "Gunmen  killed\n\nnine people.  ", "  A bomb (IED) exploded; 3 died. ", "x",
             " ".join(r["text"] for r in read_records(FIXTURE))[:300]]
    checked = 0
    for text in texts:
        doc = tokenizer()(text)
        arr = doc.to_array([IDX, LENGTH])
        idx, length = arr[:, 0].tolist(), arr[:, 1].tolist()
        for start in range(-1, len(text) + 2):
            for end in range(start, len(text) + 2):
                span = doc.char_span(start, end, alignment_mode="expand") if start >= 0 else None
                want = None if span is None else (span.start, span.end)
                assert spacy_corpus._expand(idx, length, len(text), start, end) == want, (text, start, end)
                checked += 1
    assert checked > 45_000


def test_with_a_worker_this_process_never_imports_spacy(tmp_path: Path) -> None:
    """With a worker, every spaCy object lives there: `--format all` here imports no spaCy at all."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from incident_corpus.export import workers\n"
        "from incident_corpus.export.build import export\n"
        "workers.PARALLEL_MIN_BYTES = 0\n"
        "workers._spare_cpus = lambda: 1\n"
        f"r = export(input_path=Path({str(FIXTURE)!r}), out_dir=Path({str(tmp_path / 'ds')!r}),\n"
        "           formats=('hf', 'spacy', 'textee'))\n"
        "assert r.rows['spacy'] and all(p.exists() for p in r.paths)\n"
        "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
    assert (tmp_path / "ds" / "spacy" / "train.spacy").is_file()


def test_fewer_gc_passes_turns_the_gc_off_collects_every_n_articles_and_restores_it() -> None:
    import gc
    import weakref

    from incident_corpus.core.gcpasses import fewer_gc_passes

    class Node:
        pass

    def cycle() -> weakref.ref:
        a, b = Node(), Node()
        a.other, b.other = b, a  # garbage only the cyclic GC frees
        return weakref.ref(a)

    assert gc.isenabled()
    with fewer_gc_passes(every=3) as passes:
        assert not gc.isenabled()
        ref = cycle()
        passes.tick(2)
        assert ref() is not None  # not yet: fewer than `every` articles since the last collection
        passes.tick()
        assert ref() is None
    assert gc.isenabled()


def test_parquet_rows_added_before_their_schema_make_the_same_file(tmp_path: Path) -> None:
    """The worker gets the tokens schema after its first rows: the file is the one a known schema makes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from incident_corpus.export.formats.parquet import ParquetTables, data_file

    schema = pa.schema([("id", pa.string()), ("n", pa.int64())])
    rows = [{"id": f"r{i}", "n": i} for i in range(2500)]
    for name, late in (("early", False), ("late", True)):
        tables = ParquetTables(tmp_path / name, {"c": None if late else schema}, batch_rows=1000)
        for k, row in enumerate(rows):
            if late and k == 1700:
                tables.set_schema("c", schema)
            tables.add("c", "train", [row])
        assert tables.close().rows == {"c": {"train": 2500}}
    path = data_file("c", "train")
    assert (tmp_path / "late" / path).read_bytes() == (tmp_path / "early" / path).read_bytes()
    assert pq.ParquetFile(tmp_path / "late" / path).metadata.num_row_groups == 3
    never = ParquetTables(tmp_path / "never", {"c": None})
    never.add("c", "train", rows[:3])
    with pytest.raises(RuntimeError, match="before its schema"):
        never.close()


@pytest.mark.parametrize("formats_", [("spacy",), ("textee",), ("hf", "textee"), ("spacy", "textee")])
def test_the_worker_writes_the_same_files_for_each_mix_of_formats(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats_: tuple[str, ...]) -> None:
    """Whichever formats ask for the worker's token view (tokens config, DocBins, TextEE offsets), the files
    and the card's counts (tokens and kept spans, counted by the worker) are the in-process ones."""
    plain = tmp_path / "plain"
    expected = export(input_path=FIXTURE, out_dir=plain, split=RATIOS, formats=formats_, command="x")
    pools = _force_worker(monkeypatch)
    pooled = tmp_path / "pooled"
    result = export(input_path=FIXTURE, out_dir=pooled, split=RATIOS, formats=formats_, command="x")
    assert len(pools) == 1 and pools[0] is not None
    assert _files(pooled) == _files(plain)
    assert _card(pooled) == _card(plain)
    assert (result.tokens, result.entities, result.alignment) == (expected.tokens, expected.entities,
                                                                  expected.alignment)
    assert sum(result.tokens.values()) > 0 and sum(sum(v.values()) for v in result.entities.values()) > 0

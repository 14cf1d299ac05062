"""The ingest reader registry: a new input format is one module registered by extension (here a
throwaway "PDF" reader living in this test module), picked up by reading, counting and the messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_corpus.ingest import readers
from incident_corpus.ingest.articles import Article, InputProblem, count_items, read_articles
from incident_corpus.ingest.readers import READERS, Reader

MAGIC = b"%PDF-test\n"


def read(data: bytes, name: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    """A throwaway reader: a 'PDF' is MAGIC then one page of UTF-8 text per form feed."""
    if not data.startswith(MAGIC):
        yield InputProblem(name, "not a PDF; re-export it")
        return
    for k, page in enumerate(data[len(MAGIC):].decode("utf-8").split("\f"), 1):
        yield Article(text=page, source_file=f"{name}#page{k}")


@pytest.fixture
def pdf(monkeypatch: pytest.MonkeyPatch) -> Reader:
    reader = Reader((".pdf",), __name__)
    monkeypatch.setitem(READERS, ".pdf", reader)
    return reader


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "a.pdf").write_bytes(MAGIC + b"Gunmen attacked a hotel.\fTwo people were killed.")
    (tmp_path / "b.txt").write_text("A bomb exploded in the market.", encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.7 not ours")
    return tmp_path


def test_an_unregistered_extension_is_reported_with_the_registered_ones(tmp_path: Path) -> None:
    items = list(read_articles([_folder(tmp_path)]))
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert [p.reason for p in problems] == ["unsupported file type '.pdf'; use .txt, .json, .jsonl or .html"] * 2
    assert [i.text for i in items if isinstance(i, Article)] == ["A bomb exploded in the market."]


def test_a_registered_reader_is_read_counted_and_named(tmp_path: Path, pdf: Reader) -> None:
    folder = _folder(tmp_path)
    items = list(read_articles([folder]))
    assert [(i.source_file, i.text) for i in items if isinstance(i, Article)] == [
        (f"{folder / 'a.pdf'}#page1", "Gunmen attacked a hotel."),
        (f"{folder / 'a.pdf'}#page2", "Two people were killed."),
        (str(folder / "b.txt"), "A bomb exploded in the market."),
    ]
    assert [str(i) for i in items if isinstance(i, InputProblem)] == [f"{folder / 'c.pdf'}: not a PDF; re-export it"]
    assert count_items([folder]) == 3  # no `count` in the reader: one per file
    assert readers.supported_hint() == "use .txt, .json, .jsonl, .html or .pdf"
    (tmp_path / "d.doc").write_bytes(b"x")
    assert str(next(iter(read_articles([tmp_path / "d.doc"])))).endswith("use .txt, .json, .jsonl, .html or .pdf")


def test_a_single_article_reader_gets_the_size_limit(tmp_path: Path, pdf: Reader) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(MAGIC + b"x" * 100)
    [item] = read_articles([path], max_bytes=50)
    assert isinstance(item, InputProblem) and "over the 50 bytes limit" in item.reason


def test_a_missing_optional_package_is_named_per_file_and_stops_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(READERS, ".docx", Reader((".docx",), __name__, needs=("incident_corpus_no_such_package",)))
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "b.txt").write_text("A bomb exploded in the market.", encoding="utf-8")
    items = list(read_articles([tmp_path]))
    assert isinstance(items[0], InputProblem)
    assert items[0].reason == ("reading .docx files needs the optional package 'incident_corpus_no_such_package', "
                               "which is not installed; install it (pip install incident_corpus_no_such_package) "
                               "or convert the file to .txt")
    assert isinstance(items[1], Article)


def test_every_built_in_reader_module_has_read_and_its_extensions_are_registered() -> None:
    for ext, reader in READERS.items():
        assert ext in reader.extensions and ext == ext.lower() and ext.startswith(".")
        assert callable(reader.load().read), reader.module
    assert set(READERS) == {".txt", ".json", ".jsonl", ".html", ".htm"}

"""Find and check the spaCy corpus `annotate export --format spacy` wrote, before any training starts.

We train from the spaCy corpus rather than the Hugging Face folder: it already holds the tokens
and the overlap policy of the exports (doc.ents), spaCy's own `spacy.Corpus.v1` reader streams it
(a file, or a directory of .spacy shards for a big corpus), and the generated config.cfg then
points at the same files a user would pass to `spacy train`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import InputError
from incident_corpus.core.labels import LABELS

# Our split names → the file stems `annotate export` writes (spaCy says "dev").
SPLIT_STEMS: dict[str, str] = {"train": "train", "validation": "dev", "test": "test"}
_EXPORT_HINT = "run `annotate export --format spacy` (or `--format all`) first"


@dataclass
class CorpusSplit:
    name: str
    path: Path  # a .spacy file or a directory of them, as given to spacy.Corpus.v1
    files: list[Path]
    articles: int = 0
    spans: Counter[str] = field(default_factory=Counter)


@dataclass
class Corpus:
    folder: Path
    splits: dict[str, CorpusSplit]
    data_hash: str

    def counts(self) -> dict[str, int]:
        return {name: s.articles for name, s in self.splits.items()}

    def as_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "data_hash": self.data_hash, "articles": self.counts(),
                "spans": {name: dict(s.spans) for name, s in self.splits.items()}}


def spacy_folder(in_dir: Path) -> Path:
    """`export/dataset` (holding spacy/) or the spacy folder itself."""
    if not in_dir.exists():
        raise InputError(f"{in_dir}: no such folder; {_EXPORT_HINT}, or pass --in DIR")
    if not in_dir.is_dir():
        raise InputError(f"{in_dir}: is a file; pass the dataset folder `annotate export` wrote (--in DIR)")
    if (in_dir / "spacy").is_dir():
        return in_dir / "spacy"
    if any((in_dir / f"{stem}.spacy").exists() or (in_dir / stem).is_dir() for stem in SPLIT_STEMS.values()):
        return in_dir
    raise InputError(f"{in_dir}: no spaCy corpus here (no spacy/ folder with train.spacy, dev.spacy, test.spacy); "
                     f"{_EXPORT_HINT}")


def split_files(path: Path) -> list[Path]:
    """A .spacy file, or every .spacy file under a directory (sorted, like spaCy's reader)."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.spacy") if p.is_file())


def read_docs(files: list[Path], vocab: Any) -> Iterator[Any]:
    """Docs of a split; a file that is not a DocBin is an InputError naming it."""
    from spacy.tokens import DocBin

    for f in files:
        try:
            docbin = DocBin().from_bytes(f.read_bytes())
        except Exception as exc:  # msgpack/zlib/KeyError: whatever a foreign or cut file raises
            raise InputError(f"{f}: not a spaCy DocBin ({type(exc).__name__}); export the corpus again "
                             f"with `annotate export --format spacy`") from None
        yield from docbin.get_docs(vocab)


def load_corpus(in_dir: Path) -> Corpus:
    """Locate the three splits, count articles and spans, check labels; refuse what cannot train."""
    from incident_corpus.core.nlp import blank_nlp

    folder = spacy_folder(in_dir)
    vocab = blank_nlp().vocab
    splits: dict[str, CorpusSplit] = {}
    digest = hashlib.sha256()
    for name, stem in SPLIT_STEMS.items():
        path = folder / f"{stem}.spacy"
        if not path.exists() and (folder / stem).is_dir():
            path = folder / stem
        if not path.exists():
            raise InputError(f"{folder}: the {name} split ({stem}.spacy, or a folder {stem}/ of .spacy files) is "
                             f"missing; {_EXPORT_HINT} so that all three splits are written")
        files = split_files(path)
        if not files:
            raise InputError(f"{path}: a folder with no .spacy file for the {name} split; {_EXPORT_HINT}")
        split = CorpusSplit(name=name, path=path, files=files)
        for f in files:
            digest.update(f"{name}/{f.relative_to(folder)}\0".encode())
            digest.update(f.read_bytes())
        for doc in read_docs(files, vocab):
            split.articles += 1
            split.spans.update(ent.label_ for ent in doc.ents)
        splits[name] = split
    corpus = Corpus(folder=folder, splits=splits, data_hash=digest.hexdigest())
    check_corpus(corpus)
    return corpus


def check_corpus(corpus: Corpus) -> None:
    """Refuse what cannot train at all; an empty validation split is fine (`train` then runs a fixed step
    budget: with the first two or three annotated articles a 0.8/0.1/0.1 split leaves it empty)."""
    train, dev = corpus.splits["train"], corpus.splits["validation"]
    if train.articles + dev.articles == 0:
        raise InputError(f"{train.path}: the train split holds no article (nor does validation); annotate and pull "
                         f"more work, then `annotate export --format spacy` again")
    foreign = sorted({label for s in corpus.splits.values() for label in s.spans} - set(LABELS))
    if foreign:
        raise InputError(f"{corpus.folder}: labels {', '.join(foreign)} are not incident-corpus labels "
                         f"({', '.join(LABELS)}, core/labels.py); export this project's annotations with "
                         f"`annotate export`, not a corpus made for another scheme")
    if not sum(train.spans.values()) + sum(dev.spans.values()):
        raise InputError(f"{train.path}: the train split has {train.articles} articles but not one labelled span; "
                         f"the model would learn nothing — annotate spans, pull and export again")


def training_paths(corpus: Corpus) -> tuple[Path, Path, bool]:
    """(train, dev, fixed_budget): with both splits, train on train and pick the best checkpoint on
    validation; with only one of them, train on it for the whole step budget (no article to choose on)."""
    train, dev = corpus.splits["train"], corpus.splits["validation"]
    if train.articles and dev.articles:
        return train.path, dev.path, False
    only = train if train.articles else dev
    return only.path, only.path, True

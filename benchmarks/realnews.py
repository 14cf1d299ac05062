"""The real-news texts, read from ../shared at run time (never copied into the project).

Offsets in benchmarks/data/real-news.gold.jsonl refer to these texts exactly as push would
store them: WikiEvents `text` through `normalize_text`; the Quetta .txt through `read_articles`
(its title, byline, date and photo caption become metadata, the body is the task text).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from incident_corpus.ingest.articles import Article, normalize_text, read_articles

ROOT = Path(__file__).resolve().parents[1]

def _shared() -> Path:
    """../shared from the project root ($INCIDENT_SHARED overrides; a git worktree one level deeper finds it too)."""
    if os.environ.get("INCIDENT_SHARED"):
        return Path(os.environ["INCIDENT_SHARED"])
    for up in ROOT.parents[:2]:
        if (up / "shared" / "real-news").is_dir():
            return up / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()
WIKIEVENTS_DEV = SHARED / "real-news" / "wikievents_dev.jsonl"
QUETTA = SHARED / "examples" / "quetta-church-2017.txt"
QUETTA_ID = "quetta-church-2017"
GOLD = ROOT / "benchmarks" / "data" / "real-news.gold.jsonl"


def wikievents_records(path: Path = WIKIEVENTS_DEV) -> list[dict] | None:
    """The WikiEvents dev records, or None when ../shared is not there (a fresh clone)."""
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_texts() -> dict[str, str] | None:
    """doc id -> the normalised text annotators see; None when ../shared is missing."""
    records = wikievents_records()
    if records is None or not QUETTA.exists():
        return None
    texts = {r["doc_id"]: normalize_text(r["text"]) for r in records}
    quetta = next(a for a in read_articles([QUETTA]) if isinstance(a, Article))
    texts[QUETTA_ID] = quetta.text
    return texts


def read_gold(path: Path = GOLD) -> list[dict]:
    """The gold rows (the `_meta` header line skipped)."""
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if "_meta" not in r]


RAMS_GOLD_GLOB = "rams*.gold.jsonl"  # one file per annotator (benchmarks/data/README.md)


def gold_paths() -> list[Path]:
    """Every real-news gold file: the 21 older texts, then the RAMS windows' files."""
    return [GOLD, *sorted(GOLD.parent.glob(RAMS_GOLD_GLOB))]


def read_all_gold() -> list[dict]:
    """All real-news gold rows, each with its `split` ('dev' or 'sealed') and `file`; a RAMS row's split
    must be the one fixed in rams.split.jsonl, and no text may be annotated twice."""
    from benchmarks import rams

    fixed = rams.read_split()
    rows: list[dict] = []
    seen: set[str] = set()
    for path in gold_paths():
        for row in read_gold(path):
            doc_id, split = row["doc_id"], row.get("split", "dev")
            if doc_id in seen:
                raise ValueError(f"{path.name}: {doc_id} is annotated in two gold files; keep one")
            if doc_id in fixed and fixed[doc_id]["split"] != split:
                raise ValueError(f"{path.name}: {doc_id} says split {split!r}, rams.split.jsonl says "
                                 f"{fixed[doc_id]['split']!r}; the split file decides")
            seen.add(doc_id)
            rows.append({**row, "split": split, "file": path.name})
    return rows


def all_texts() -> dict[str, str] | None:
    """Every text a real-news gold file may refer to (WikiEvents dev, Quetta, the chosen RAMS windows);
    None when ../shared is missing."""
    from benchmarks import rams

    texts, windows = load_texts(), rams.load_texts()
    if texts is None or windows is None:
        return None
    return texts | windows

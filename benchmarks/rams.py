"""The RAMS windows of the real-news gold: which windows, which split, and their texts.

The selection and the dev/sealed split are fixed by rules that never look at a window's text: the
selection by RAMS's event type, the order and the split by sha256 of the window's `doc_key` and of
its article's `source_url`. They were written down (benchmarks/data/rams.split.jsonl) before any
window was annotated and before any rule work, so the sealed part cannot have been picked to suit
the rules. `python -m benchmarks.rams` rewrites the split file from ../shared and fails if the rule
would now give a different one.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

from benchmarks import ROOT
from benchmarks.realnews import SHARED

RAMS_DEV = SHARED / "real-news" / "rams_dev.jsonl"
SPLIT_FILE = ROOT / "benchmarks" / "data" / "rams.split.jsonl"
WINDOWS = 72  # at least 70 new texts (issue 28)
EXISTING_DEV_TEXTS = 21  # real-news.gold.jsonl, all dev: the rules were tuned on them
ON_TOPIC = "conflict.attack."  # preferred: the window's event is an attack
FILL = ("life.die.deathcausedbyviolentevents", "life.injure.injurycausedbyviolentevents")


def _h(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def select(rows: list[dict], n: int = WINDOWS) -> list[dict]:
    """All attack windows, then violent deaths and injuries up to `n`, each group in sha256(doc_key)
    order; the chosen windows are then numbered in sha256(doc_key) order (the selection index)."""
    def etype(r: dict) -> str:
        return r["events"][0]["type"] if r.get("events") else ""

    attack = sorted((r for r in rows if etype(r).startswith(ON_TOPIC)), key=lambda r: _h(r["doc_key"]))
    fill = sorted((r for r in rows if etype(r) in FILL), key=lambda r: _h(r["doc_key"]))
    chosen = (attack + fill)[:n]
    return sorted(chosen, key=lambda r: _h(r["doc_key"]))


def split(chosen: list[dict], *, existing_dev: int = EXISTING_DEV_TEXTS) -> dict[str, str]:
    """source_url -> 'sealed' | 'dev': articles in sha256(source_url) order are sealed until at least
    half of the new articles are and the sealed windows make at least a third of all real-news texts."""
    urls = sorted({r["source_url"] for r in chosen}, key=_h)
    windows = {u: sum(r["source_url"] == u for r in chosen) for u in urls}
    need = math.ceil((existing_dev + len(chosen)) / 3)
    out: dict[str, str] = {}
    sealed_articles = sealed_windows = 0
    for url in urls:
        if sealed_articles < math.ceil(len(urls) / 2) or sealed_windows < need:
            out[url] = "sealed"
            sealed_articles += 1
            sealed_windows += windows[url]
        else:
            out[url] = "dev"
    return out


def manifest(rows: list[dict]) -> list[dict]:
    """One row per chosen window: selection index, batch, annotator, split.

    Batch 1: the 72 windows of `select`, annotator by index parity (even / odd). Batch 2 (added after
    batch 1 was annotated, before any of batch 2 was read): every other window, in sha256(doc_key)
    order; a window of a batch-1 article keeps that article's split, new articles are split by the
    same rule among themselves; one annotator ("batch2")."""
    chosen = select(rows)
    by_url = split(chosen)
    out = [{"index": k, "batch": 1, "doc_key": r["doc_key"], "source_url": r["source_url"],
            "event_type": r["events"][0]["type"] if r.get("events") else "",
            "split": by_url[r["source_url"]], "annotator": "even" if k % 2 == 0 else "odd"}
           for k, r in enumerate(chosen)]
    taken = {r["doc_key"] for r in chosen}
    rest = sorted((r for r in rows if r["doc_key"] not in taken), key=lambda r: _h(r["doc_key"]))
    new = [r for r in rest if r["source_url"] not in by_url]
    by_url = by_url | split(new, existing_dev=0)
    out += [{"index": len(chosen) + k, "batch": 2, "doc_key": r["doc_key"], "source_url": r["source_url"],
             "event_type": r["events"][0]["type"] if r.get("events") else "",
             "split": by_url[r["source_url"]], "annotator": "batch2"} for k, r in enumerate(rest)]
    return out


def read_rows(path: Path = RAMS_DEV) -> list[dict] | None:
    """The RAMS dev windows, or None when ../shared is not there (a fresh clone)."""
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_split(path: Path = SPLIT_FILE) -> dict[str, dict]:
    """doc_key -> its manifest row (split, annotator, index)."""
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {r["doc_key"]: r for r in rows if "_meta" not in r}


def load_texts() -> dict[str, str] | None:
    """doc_key -> the text annotators see (`text` through normalize_text) for the chosen windows."""
    from incident_corpus.ingest.articles import normalize_text

    rows = read_rows()
    if rows is None:
        return None
    keys = set(read_split())
    return {r["doc_key"]: normalize_text(r["text"]) for r in rows if r["doc_key"] in keys}


def main(argv: list[str]) -> int:
    rows = read_rows()
    if rows is None:
        print(f"{RAMS_DEV} is missing", file=sys.stderr)
        return 1
    made = manifest(rows)
    if SPLIT_FILE.exists() and "--write" not in argv:
        kept = read_split()
        if {k: (v["split"], v["index"]) for k, v in kept.items()} != {r["doc_key"]: (r["split"], r["index"])
                                                                      for r in made}:
            print("the split rule now gives a different split than rams.split.jsonl", file=sys.stderr)
            return 1
        print(f"rams.split.jsonl agrees with the rule ({len(made)} windows)")
        return 0
    header = {"_meta": {
        "what": "RAMS dev windows chosen for the real-news gold, with their dev/sealed split (no text)",
        "rule": "benchmarks/rams.py: attack windows then violent deaths/injuries, sha256(doc_key) order; "
                "articles sealed in sha256(source_url) order until >= half of them and >= 1/3 of all "
                "real-news texts; never looks at the text",
        "annotator": "batch 1: even selection index -> rams-even.gold.jsonl, odd -> rams-odd.gold.jsonl; "
                     "batch 2 (every other window, added later by the same kind of rule) -> rams-batch2.gold.jsonl"}}
    lines = [json.dumps(header)] + [json.dumps(r) for r in made]
    SPLIT_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sealed = [r for r in made if r["split"] == "sealed"]
    print(f"{len(made)} windows from {len({r['source_url'] for r in made})} articles; sealed {len(sealed)} windows "
          f"from {len({r['source_url'] for r in sealed})} articles -> {SPLIT_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

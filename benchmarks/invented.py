"""Invented attack reports annotated by fresh readers of the guideline (benchmarks/data/invented.gold.jsonl).

Each report was written and annotated by someone who read only schema/guideline.md and
../shared/guideline-decisions.md, never the rules: a check of the rules against readers of the contract
on the report shapes users bring (trials, lists of the dead, Indian English, capitals, headlines). The
`dev` part was read while rules were written (an upper bound, like the team gold); the `held-out` part's
errors were never read: it is only scored in aggregate. The texts ship with the project (no ../shared).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import ROOT

GOLD = ROOT / "benchmarks" / "data" / "invented.gold.jsonl"
SPLITS = ("held-out", "dev")  # report order: the part nobody tuned on first


def read_rows(path: Path = GOLD) -> list[dict]:
    """The report rows (the `_meta` header line skipped)."""
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if "_meta" not in r]


def invented_set(path: Path = GOLD) -> dict[str, tuple[list[str], list[list[dict]]]]:
    """split -> (texts, gold spans)."""
    rows = read_rows(path)
    for r in rows:
        for span in r["spans"]:
            span.setdefault("attributes", {})  # some readers set no attributes: scored as not given
    return {split: ([r["text"] for r in rows if r["split"] == split], [r["spans"] for r in rows if r["split"] == split])
            for split in SPLITS}

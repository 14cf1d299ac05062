"""Agreement between two annotators of the same RAMS windows (batch 2 was annotated twice, independently).

Gold against gold, per label, aggregated over all windows (sealed ones included: no rule output is
involved and no individual span is printed). Overlap F1 between two careful readers is the ceiling a
rule set can be expected to reach on these texts.
Run: python -m benchmarks.gold_agreement
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import ROOT
from benchmarks.preannotate import read_jsonl, span_scores

FIRST = ROOT / "benchmarks" / "data" / "rams-batch2.gold.jsonl"
SECOND = ROOT / "benchmarks" / "data" / "second-annotator" / "rams-batch2.jsonl"


def agreement(first: Path = FIRST, second: Path = SECOND) -> dict[str, dict]:
    """Per label scores of the second annotator's spans against the first's, over the shared windows."""
    a = {r["doc_id"]: r["spans"] for r in read_jsonl(first) if "_meta" not in r}
    b = {r["doc_id"]: r["spans"] for r in read_jsonl(second) if "_meta" not in r}
    shared = sorted(set(a) & set(b))
    return span_scores([a[d] for d in shared], [b[d] for d in shared])


if __name__ == "__main__":
    print(json.dumps(agreement(), indent=1))

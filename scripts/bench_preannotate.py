"""Score the rule pre-annotator on the gold set and time it: benchmarks/preannotate.py.

Usage: python scripts/bench_preannotate.py [--gold tests/data/gold/gold.jsonl] [--n 10000]
       [--size 3000] [--json]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.preannotate import main

if __name__ == "__main__":
    raise SystemExit(main())

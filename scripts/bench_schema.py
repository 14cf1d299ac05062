"""push's and pull's schema predicate, jsonschema-rs against the old fastschema: benchmarks/schema.py.

Usage: python scripts/bench_schema.py [--n 10000] [--seed 13] [--repeat 3] [--sides ...] [--json]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.schema import main

if __name__ == "__main__":
    raise SystemExit(main())

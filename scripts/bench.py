"""Speed and memory of each stage against its baseline: the pipeline benchmark in benchmarks/bench.py.

Usage: python scripts/bench.py [--n 10000] [--seed 13] [--stages push,repush,preannotate,pull,hf,conll,all,scale,
       neardup-push,neardup-push-pre,neardup-export,neardup-index]
       [--scale 10000,30000,100000] [--repeat 1] [--workdir DIR] [--keep] [--json]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench import main

if __name__ == "__main__":
    raise SystemExit(main())

"""Pre-annotation quality (real news sealed and dev, WikiEvents dev, the team's gold set, the texts upper-cased;
rules-1 vs the current rules) and speed: benchmarks/preannotate.py.

Usage: python scripts/bench_preannotate.py [--n 10000] [--size 3000] [--repeat 3] [--model PIPELINE]
       [--errors real-news|wikievents|team] [--json]      (--n 0 skips the timing)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.preannotate import main

if __name__ == "__main__":
    raise SystemExit(main())

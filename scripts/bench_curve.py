"""`annotate train` benchmarks (training time, predict speed, learning curve): benchmarks/curve.py.

Usage: python scripts/bench_curve.py [--part speed,curve] [--n-train 500] [--steps N] [--curve-steps 150]
       [--folds 3] [--sizes 5,10,20,0] [--json]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.curve import main

if __name__ == "__main__":
    raise SystemExit(main())

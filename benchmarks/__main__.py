"""`python -m benchmarks`: the pipeline benchmark (benchmarks.bench)."""

from benchmarks.bench import main

raise SystemExit(main())

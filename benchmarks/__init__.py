"""Benchmarks: speed and peak RSS of each stage against the baseline a user would otherwise run.

Not part of the installed package; run from the repository (`python scripts/bench.py`, `python -m
benchmarks`). May import incident_corpus, never the other way round. See benchmarks/README.md.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

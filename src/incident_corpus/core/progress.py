"""The one shape of a progress report: `progress(stage, done, total)`.

`stage` names the step ("build", "pre-annotate", "import", "articles"), `done` is the running
count so far (never an increment) and `total` the count it will reach, or None when unknown.
Library code calls it and never draws anything; the cli shows it (cli/options.py, through tqdm).
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[str, int, int | None], None]

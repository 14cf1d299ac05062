"""Progress on stderr: tqdm bars on a terminal, one line per stage elsewhere, nothing when quiet.

CliRunner's stderr is not a terminal, so the command tests see what a CI log gets.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from incident_corpus.cli.options import Progress
from tests.helpers import DATA, invoke_cli, write_articles

LINE = r"{stage}: {count} \[\d\d:\d\d\]"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def report(progress: Progress) -> None:
    """What push and export report: running counts, a stage with a total and one without."""
    for done in range(0, 1001, 200):
        progress("build", done, 1000)
    progress("import", 0, 3)
    progress("import", 3, 3)
    progress("articles", 5, None)
    progress("articles", 10, None)


def test_off_a_terminal_each_stage_is_one_line_with_its_final_count() -> None:
    out = io.StringIO()
    with Progress(False, file=out) as progress:
        report(progress)
        progress("build", 1000, 1000)  # a late repeat of a finished stage adds no line
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert len(lines) == 3
    for line, (stage, count) in zip(lines, [("build", "1000/1000"), ("import", "3/3"), ("articles", "10")],
                                    strict=True):
        assert re.fullmatch(LINE.format(stage=stage, count=count), line), line


def test_a_stage_that_stops_short_is_closed_by_the_next_one_with_the_count_it_reached() -> None:
    out = io.StringIO()
    with Progress(False, file=out) as progress:
        progress("build", 4, 5)  # the fifth article was invalid: no report of 5/5
        progress("import", 0, 0)
    assert [ln.split(" [")[0] for ln in out.getvalue().splitlines()] == ["build: 4/5", "import: 0/0"]


def test_on_a_terminal_tqdm_redraws_each_stage_in_place() -> None:
    out = Terminal()
    with Progress(False, file=out) as progress:
        report(progress)
    text = out.getvalue()
    assert text.count("\n") == 3  # each stage ends on its own line
    assert "\rbuild: 100%|" in text and "1000/1000" in text
    assert "\rimport: 100%|" in text and "\rarticles: 10it" in text


def test_quiet_shows_nothing_anywhere() -> None:
    for out in (io.StringIO(), Terminal()):
        with Progress(True, file=out) as progress:
            report(progress)
        assert out.getvalue() == ""


def test_push_dry_run_prints_one_line_per_stage_and_nothing_with_quiet_or_json(tmp_path: Path) -> None:
    src = write_articles(tmp_path / "a.jsonl", 450)
    base = ["push", str(src), "--project", "p", "--dry-run", "--no-pre-annotate", "--out", str(tmp_path / "t.json")]
    shown = invoke_cli(base)
    assert re.fullmatch(LINE.format(stage="build", count="450/450") + "\n", shown.stderr), shown.stderr
    assert shown.stdout.startswith("tasks file: ")
    assert invoke_cli([*base, "--quiet"]).stderr == ""
    as_json = invoke_cli([*base, "--json"])
    assert as_json.stderr == "" and json.loads(as_json.stdout)["articles"] == 450


def test_export_reports_running_counts_as_one_line(tmp_path: Path) -> None:
    records = DATA / "records" / "annotations.jsonl"
    shown = invoke_cli(["export", "--in", str(records), "--out", str(tmp_path / "ds")])
    assert re.fullmatch(LINE.format(stage="articles", count="8/8") + "\n", shown.stderr), shown.stderr
    assert invoke_cli(["export", "--in", str(records), "--out", str(tmp_path / "ds"), "-q"]).stderr == ""
    as_json = invoke_cli(["export", "--in", str(records), "--out", str(tmp_path / "ds"), "--json"])
    assert as_json.stderr == "" and json.loads(as_json.stdout)["input_records"] == 9

"""The contributors' loop (`scripts/test.sh --quick`, `pytest -m "not integration and not browser"`)
selects no test that needs a Label Studio, PostgreSQL or a browser, so it stays quick and needs no
server. The suite is collected in a child pytest (collection only) and every test's fixtures and
markers are read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers import REPO, SERVER_FIXTURES

QUICK = "not integration and not browser"
PROBE = """
import json, os

def pytest_collection_finish(session):
    rows = [{"id": item.nodeid, "fixtures": sorted(getattr(item, "fixturenames", ())),
             "marks": sorted({m.name for m in item.iter_markers()})} for item in session.items]
    with open(os.environ["QUICK_SELECTION_OUT"], "w", encoding="utf-8") as f:
        json.dump(rows, f)
"""


def collect(tmp_path: Path, *args: str) -> list[dict[str, Any]]:
    (tmp_path / "quick_probe.py").write_text(PROBE, encoding="utf-8")
    out = tmp_path / "items.json"
    env = {**os.environ, "QUICK_SELECTION_OUT": str(out),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "quick_probe",
                           "-p", "no:cacheprovider", *args, "tests"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_quick_selection_needs_no_server_and_no_browser(tmp_path: Path) -> None:
    quick = collect(tmp_path, "-m", QUICK)
    assert len(quick) > 300, f"the quick selection holds only {len(quick)} tests"
    needs_server = [i["id"] for i in quick if SERVER_FIXTURES & set(i["fixtures"])]
    assert not needs_server, "tests in the quick loop that use a server fixture:\n" + "\n".join(needs_server)
    marked = [i["id"] for i in quick if {"integration", "browser"} & set(i["marks"])]
    assert not marked, "tests in the quick loop marked integration or browser:\n" + "\n".join(marked)
    assert not any(i["id"].startswith("tests/test_browser.py") for i in quick)


def test_the_quick_loop_is_the_documented_one() -> None:
    """The script and the page say the same selection this test checks."""
    assert f'-m "{QUICK}"' in (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert f'pytest -m "{QUICK}"' in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")

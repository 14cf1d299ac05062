"""Helpers the tests share (import them from here, never from conftest)."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
# The conftest fixtures that start or reach a live server: a test using one is an integration test.
SERVER_FIXTURES = frozenset({"studio_dir", "conn", "client", "cli_env", "postgres"})


def invoke_cli(args: Sequence[str], *, code: int | None = 0, env: Mapping[str, str] | None = None,
               input: str | bytes | None = None, **kwargs: Any) -> Result:
    """`annotate ARGS` through click's CliRunner; fails with the output when the exit code is not `code`
    (pass `code=None` to check it yourself)."""
    from incident_corpus.cli import cli

    result = CliRunner().invoke(cli, list(args), env=dict(env or {}), input=input, **kwargs)
    if code is not None and result.exit_code != code:
        raise AssertionError(f"annotate {' '.join(args)} exited {result.exit_code}, expected {code}:\n"
                             f"{result.output}\n{result.exception!r}")
    return result


def copy_studio(src: Path, dst: Path) -> Path:
    """A migrated data dir copied: a new server on it starts in seconds instead of ~30."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("studio.json", "server.log"))
    return dst


def write_articles(path: Path, n: int, *, offset: int = 0, tag: str = "") -> Path:
    """A JSONL batch of n distinct short articles (`tag` keeps them distinct across tests on one server)."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(offset, offset + n):
            text = (f"Article {tag}{i}. Gunmen attacked a police post in district {i}, killing {i % 7 + 2} "
                    "officers. No group has claimed responsibility.")
            fh.write(json.dumps({"text": text, "title": f"Report {i}", "source": "Test Wire"}) + "\n")
    return path


def stop_serve(proc: subprocess.Popen[str]) -> None:
    """Stop a process from `start_serve`: SIGTERM, then SIGKILL if it has not exited within 15 s."""
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(15)


def start_serve(args: list[str], env: dict[str, str], *,
                timeout: float = 90) -> tuple[subprocess.Popen[str], list[str], dict[str, Any]]:
    """`annotate serve --json ARGS` as a process; returns it, its stderr lines (growing) and the ready JSON."""
    proc = subprocess.Popen([sys.executable, "-m", "incident_corpus", "serve", "--json", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    out: queue.Queue[str] = queue.Queue()

    def pump(stream: Any, sink: Any) -> None:
        for line in stream:
            sink(line)

    threading.Thread(target=pump, args=(proc.stderr, lines.append), daemon=True).start()
    threading.Thread(target=pump, args=(proc.stdout, out.put), daemon=True).start()
    deadline = time.monotonic() + timeout
    buf = ""
    while time.monotonic() < deadline:
        try:
            buf += out.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        try:
            return proc, lines, json.loads(buf)
        except ValueError:
            continue
    proc.kill()
    raise AssertionError(f"annotate serve did not get ready (exit {proc.poll()}):\n{''.join(lines)}")

"""Byte-compare what `annotate` writes at an old revision and in the working tree.

Usage: python scripts/compare_outputs.py [REV] [--server] [--keep DIR]      (REV defaults to 222a32e)

Both sides get the same inputs (the working tree's bundled samples and tests/data fixtures, by
absolute path) and run the same commands, each in its own folder with the same relative output
paths: `push --dry-run` on the samples (text and --json, with and without pre-annotations),
`validate` on the tests/data/ls exports and the records fixture, and `export --format all` on the
annotations those validations wrote. REV's `src/` and `schema/` come from `git archive` into a
temp folder (no worktree is registered in the shared repository); each side runs as
`python -m incident_corpus` with PYTHONPATH pointing at its own src/. Every file written, and
every command's exit code, stdout and stderr, must be identical byte for byte. The outputs carry
no timestamps and the card's "How this was produced" command line is the same on both sides
because the arguments are. Ignored, because they are variable or changed on purpose: progress
lines on stderr (`STAGE: N/M [elapsed]`; issue 11 moved progress onto tqdm, which adds the
elapsed time and a line for short stages); every other stderr line is compared.

`--server` adds `pull` and `status` (text and --json), both sides reading one project on a live
Label Studio (LABEL_STUDIO_URL/API_KEY, else a throwaway one) seeded with synthetic annotated
tasks (benchmarks.synthetic). The one thing ignored is inherently variable: the time stamp in
the name of pull's raw snapshot (raw/<UTC time>.json), replaced by <time> in file names and
console output. Exit 0 when everything matches, 1 with a list of differences.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REV = "222a32e"
SAMPLES = ROOT / "src" / "incident_corpus" / "samples"
DATA = ROOT / "tests" / "data"


STAMP = re.compile(r"\d{8}T\d{6}Z(-\d+)?")
PROGRESS = re.compile(r"^[a-z][\w -]*: \d+(/\d+)?( \[[^\]\n]*\])?\n", re.MULTILINE)
Command = tuple[str, list[str]]


def live_commands(project: str) -> list[Command]:
    """pull and status of one project; both sides read it, neither changes it."""
    return [
        ("pull-text", ["pull", "--project", project, "--out", "pull/text"]),
        ("pull-json", ["pull", "--project", project, "--out", "pull/json", "--json"]),
        ("status-text", ["status", "--project", project]),
        ("status-json", ["status", "--project", project, "--json"]),
    ]


def commands() -> list[Command]:
    """(name, annotate arguments); outputs are relative, so both sides print the same paths."""
    ls, records = DATA / "ls", DATA / "records" / "annotations.jsonl"
    return [
        ("push-text", ["push", str(SAMPLES), "--project", "compare", "--dry-run", "--out", "tasks/text.json"]),
        ("push-json", ["push", str(SAMPLES), "--project", "compare", "--dry-run", "--out", "tasks/json.json",
                       "--json"]),
        ("push-plain", ["push", str(SAMPLES), "--project", "compare", "--dry-run", "--no-pre-annotate",
                        "--out", "tasks/plain.json", "--json"]),
        ("validate-trouble", ["validate", str(ls / "trouble_export.json"), "--out", "validate/trouble"]),
        ("validate-trouble-json", ["validate", str(ls / "trouble_export.json"), "--out", "validate/trouble-json",
                                   "--json", "--strict"]),
        ("validate-truncated", ["validate", str(ls / "truncated_export.json"), "--out", "validate/truncated"]),
        ("validate-records", ["validate", str(records), "--out", "validate/records", "--json"]),
        ("export-trouble", ["export", "--in", "validate/trouble/annotations.jsonl", "--out", "datasets/trouble",
                            "--format", "all"]),
        ("export-records", ["export", "--in", "validate/records/annotations.jsonl", "--out", "datasets/records",
                            "--format", "all", "--json"]),
        ("export-fixture", ["export", "--in", str(records), "--out", "datasets/fixture", "--format", "all",
                            "--seed", "7", "--split", "0.5/0.25/0.25", "--resolve", "majority", "--json"]),
    ]


def extract(rev: str, dest: Path) -> Path:
    """REV's src/ and schema/ under dest (git archive: nothing is registered in the repository)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src", "schema"],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def run_side(src: Path, work: Path, cmds: list[Command], *, server: dict[str, str] | None = None) -> None:
    """Run every command with `src` first on the path; console output goes under work/_console/.

    `server` (LABEL_STUDIO_URL/API_KEY) is the only Label Studio a command may reach."""
    work.mkdir(parents=True, exist_ok=True)
    console = work / "_console"
    console.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LABEL_STUDIO_", "INCIDENT_CORPUS_", "HF_"))}
    env.update(PYTHONPATH=str(src), NO_COLOR="1", COLUMNS="100", **(server or {}))
    probe = subprocess.run([sys.executable, "-c", "import incident_corpus; print(incident_corpus.__file__)"],
                           env=env, cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    if not Path(probe).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"compare: {src} is not the incident_corpus Python imports ({probe})")
    for name, args in cmds:
        proc = subprocess.run([sys.executable, "-m", "incident_corpus", *args], env=env, cwd=work,
                              capture_output=True)
        (console / f"{name}.stdout").write_bytes(STAMP.sub("<time>", proc.stdout.decode()).encode())
        stderr = PROGRESS.sub("", STAMP.sub("<time>", proc.stderr.decode()))
        (console / f"{name}.stderr").write_bytes(stderr.encode())
        (console / f"{name}.exit").write_text(f"{proc.returncode}\n")
    for raw in sorted(work.glob("pull/*/raw/*.json")):
        raw.rename(raw.with_name(STAMP.sub("<time>", raw.name)))


def run_live(old_src: Path, base: Path) -> int:
    """Seed a project on a live Label Studio, then pull and status it from both sides; commands run."""
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from benchmarks.server import Server

    (base / "studio").mkdir()
    server = Server(base / "studio")
    title = f"compare-outputs {random.Random().getrandbits(32):08x}"
    try:
        pid = server.create_project(title)
        server.import_annotated(pid, Path("synthetic.jsonl"), 40, 13)
        keys = {k: server.env[k] for k in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")}
        run_side(old_src, base / "old", live_commands(title), server=keys)
        run_side(ROOT / "src", base / "new", live_commands(title), server=keys)
    finally:
        server.close(keep=False, prefix=title)
    return len(live_commands(title))


def compare_trees(old: Path, new: Path) -> list[str]:
    """Every difference between two folders: files only on one side, and files whose bytes differ."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}

    a, b = files(old), files(new)
    out = [f"only in the old outputs: {name}" for name in sorted(a.keys() - b.keys())]
    out += [f"only in the new outputs: {name}" for name in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        x, y = a[name].read_bytes(), b[name].read_bytes()
        if x == y:
            continue
        try:
            diff = list(difflib.unified_diff(x.decode().splitlines(), y.decode().splitlines(), "old", "new",
                                             lineterm="", n=1))[:12]
        except UnicodeDecodeError:
            first = next(i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q) if len(x) == len(y) \
                else min(len(x), len(y))
            diff = [f"binary, {len(x)} vs {len(y)} bytes, first difference at byte {first}"]
        out.append(f"differs: {name}\n    " + "\n    ".join(diff))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", nargs="?", default=DEFAULT_REV, help=f"the old revision (default {DEFAULT_REV})")
    ap.add_argument("--server", action="store_true", help="also pull and status one project on a live Label Studio")
    ap.add_argument("--keep", type=Path, default=None, help="leave both sides' outputs in this folder")
    args = ap.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="incident-corpus-compare-"))
    if args.keep:
        shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True, exist_ok=True)
    try:
        old_src = extract(args.rev, base / "rev")
        print(f"compare: running {len(commands())} commands at {args.rev} and in the working tree", file=sys.stderr)
        run_side(old_src, base / "old", commands())
        run_side(ROOT / "src", base / "new", commands())
        ran = len(commands()) + (run_live(old_src, base) if args.server else 0)
        problems = compare_trees(base / "old", base / "new")
        n = sum(1 for p in (base / "new").rglob("*") if p.is_file())
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    if problems:
        print(f"{len(problems)} difference(s) between {args.rev} and the working tree:")
        print("\n".join(problems))
        return 1
    print(f"identical: {n} files (outputs + exit code, stdout, stderr of {ran} commands) at "
          f"{args.rev} and in the working tree")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The exit-code table of docs/maintainers.md "When things go wrong", one test per row, and the `Error:`
line contract: typed errors and OSErrors as one line naming the path and the fix, bugs as one line pointing at --debug,
never a traceback without --debug, never a secret."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from incident_corpus.cli.errors import os_error_message
from incident_corpus.core import pseudonyms
from incident_corpus.core.errors import InputError
from incident_corpus.studio import server as studio
from tests.helpers import DATA, REPO, invoke_cli

TROUBLE = DATA / "ls" / "trouble_export.json"
TRUNCATED = DATA / "ls" / "truncated_export.json"
RECORDS = DATA / "records" / "annotations.jsonl"


def _error_line(output: str) -> str:
    """The output ends in exactly one `Error:` line and holds no traceback."""
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, output
    return lines[0]


def _documented_exit_codes() -> dict[int, str]:
    text = (REPO / "docs" / "maintainers.md").read_text(encoding="utf-8")
    return {int(code): meaning for code, meaning in re.findall(r"^\| `(\d)` \| ([^|]+) \|", text, flags=re.M)}


def test_the_documented_table_lists_exactly_the_codes_tested_here() -> None:
    assert sorted(_documented_exit_codes()) == [0, 1, 2, 3]


# -- row 0: done ----------------------------------------------------------------------------------

def test_exit_0_when_the_command_did_its_work(tmp_path: Path) -> None:
    result = invoke_cli(["validate", str(TROUBLE), "--out", str(tmp_path / "v"), "-q"], code=0)
    assert "Error" not in result.output and (tmp_path / "v" / "annotations.jsonl").is_file()


# -- row 1: bad data, server, files ----------------------------------------------------------------

def test_exit_1_for_bad_data(tmp_path: Path) -> None:
    result = invoke_cli(["validate", str(TRUNCATED), "--out", str(tmp_path / "v")], code=1)
    line = _error_line(result.output)
    assert str(TRUNCATED) in line and "download the export again" in line


def test_exit_1_when_the_server_cannot_be_reached(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{studio.free_port()}"
    result = invoke_cli(["status", "--project", "p", "--url", dead, "--api-key", "k" * 40, "--retries", "0",
                         "--timeout", "1"], code=1)
    assert _error_line(result.output).startswith(f"Error: cannot reach Label Studio at {dead}")


def test_exit_1_for_a_file_that_cannot_be_written_names_it_and_the_fix(tmp_path: Path) -> None:
    out = tmp_path / "v"
    invoke_cli(["validate", str(TROUBLE), "--out", str(out), "-q"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "report.json").unlink()
    (out / "report.json").mkdir()  # a folder where report.json must go
    result = invoke_cli(["validate", str(TROUBLE), "--out", str(out)], code=1)
    line = _error_line(result.output)
    assert line == f"Error: this is a folder, not a file, {out / 'report.json'}; give the path of a file"
    # all or nothing: the two files that could have been replaced were not
    assert (out / "annotations.jsonl").read_bytes() == before["annotations.jsonl"]
    assert (out / "quarantine.jsonl").read_bytes() == before["quarantine.jsonl"]
    assert sorted(p.name for p in out.iterdir()) == sorted(before)  # no temp file left


def test_exit_1_for_a_bug_is_one_line_and_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    from incident_corpus.quality import outputs

    def broken(**_: object) -> None:
        raise KeyError("spans")

    monkeypatch.setattr(outputs, "validate_file", broken)
    args = ["validate", str(TROUBLE), "--out", str(tmp_path / "v")]
    plain = invoke_cli(args, code=1)
    line = _error_line(plain.output)
    assert line.startswith("Error: unexpected KeyError in test_error_contract.py:")
    assert line.endswith("run with --debug (`annotate --debug …` or INCIDENT_CORPUS_DEBUG=1) for the traceback")
    for how in (["--debug", *args], args):
        shown = invoke_cli(how, code=1, env={"INCIDENT_CORPUS_DEBUG": "1"} if how is args else None)
        assert "Traceback (most recent call last)" in shown.output and "KeyError: 'spans'" in shown.output
        assert shown.output.rstrip().splitlines()[-1].startswith("Error: unexpected KeyError")


def test_no_message_carries_the_api_token_or_the_pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from incident_corpus.pipeline import pull

    token = "TOKEN-" + "7" * 34
    key = pseudonyms.pseudonym_key().decode()

    def leaky(**_: object) -> None:
        raise InputError(f"server said: Authorization: Token {token}; key {key}")

    monkeypatch.setattr(pull, "pull", leaky)
    result = invoke_cli(["pull", "--project", "p", "--url", "http://127.0.0.1:9", "--api-key", token], code=1)
    assert _error_line(result.output) == "Error: server said: Authorization: Token <secret>; key <secret>"
    debug = invoke_cli(["--debug", "pull", "--project", "p", "--url", "http://127.0.0.1:9", "--api-key", token],
                       code=1)
    assert "Traceback" in debug.output and token not in debug.output and key not in debug.output


@pytest.mark.parametrize(("code", "what", "fix"), [
    (errno.ENOSPC, "no space left on the device", "free some space"),
    (errno.EFBIG, "file too large", "raise the limit"),
    (errno.EROFS, "read-only file system", "writable file system"),
    (errno.EACCES, "permission denied", "check the permissions"),
    (errno.ENOTDIR, "a part of the path is a file, not a folder", "choose another path"),
])
def test_every_os_error_reads_what_which_path_how_to_fix(code: int, what: str, fix: str) -> None:
    message = os_error_message(OSError(code, os.strerror(code), "/data/out/annotations.jsonl"))
    assert re.fullmatch(rf"{re.escape(what)}[^,]*, /data/out/annotations\.jsonl; .*{fix}.*", message), message
    assert os_error_message(OSError(code, os.strerror(code))).startswith(what)  # no path: still one line


# -- row 2: usage mistakes, found while parsing -------------------------------------------------------

@pytest.mark.parametrize(("args", "says"), [
    (["export", "--split", "0.5/0.5"], "Invalid value for '--split': expected three fractions"),
    (["export", "--split", "0.8/0.1/0.2"], "Invalid value for '--split'"),
    (["export", "--seed", "abc"], "Invalid value for '--seed'"),
    (["validate", "nope.json"], "Invalid value for 'FILE': File 'nope.json' does not exist"),
    (["validate", str(TROUBLE), "--out", "afile/sub"], "'afile' is a file, not a folder"),
    (["export", "--in", str(RECORDS), "--out", str(RECORDS)], "is a file"),
    (["status", "--project", "p", "--timeout", "0"], "Invalid value for '--timeout'"),
    (["studio", "start", "--port", "70000"], "Invalid value for '--port'"),
    (["status", "--project", "p", "--timeout", "1e308"], "Invalid value for '--timeout'"),
    (["status", "--project", "p", "--url", "http://[::1"], "Invalid value for '--url'"),
    (["pull", "--project", "p", "--url", "localhost:8080"], "is not an http(s) URL with a host"),
    (["pull", "--strict"], "Missing option '--project'"),
    (["no-such-command"], "No such command"),
])
def test_exit_2_for_usage_mistakes(args: list[str], says: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    result = invoke_cli(args, code=2)
    assert says in result.output and "Traceback" not in result.output
    assert "Usage:" in result.output


# -- row 3: studio status, not running ---------------------------------------------------------------

def test_exit_3_when_the_embedded_studio_is_not_running(tmp_path: Path) -> None:
    result = invoke_cli(["studio", "status", "--studio-dir", str(tmp_path / "none")], code=3)
    assert "not running" in result.output and "annotate studio start" in result.output


# -- what the property test (test_cli_properties.py) found, pinned ------------------------------------

def test_non_utf8_lines_on_stdin_are_bad_inputs_and_the_good_ones_still_go_through(tmp_path: Path) -> None:
    good = b'{"text": "Gunmen attacked a police post, killing two officers."}\n'
    result = invoke_cli(["push", "-", "--project", "p", "--dry-run", "--no-pre-annotate", "--out",
                         str(tmp_path / "t.json")], code=1, input=b"\x80\x81 not text\n" + good)
    assert "invalid: <stdin>: line 1: not valid UTF-8 (invalid byte 0x80 at column 1)" in result.output
    assert "1 tasks built" in result.output and "Traceback" not in result.output


def test_export_of_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "annotations.jsonl"
    bad.write_bytes(RECORDS.read_bytes() + "Caf\xe9\n".encode("latin-1"))
    result = invoke_cli(["export", "--in", str(bad), "--out", str(tmp_path / "d")], code=1)
    lines = RECORDS.read_bytes().count(b"\n")
    assert _error_line(result.output) == (f"Error: {bad}:{lines + 1}: not UTF-8 text (invalid byte 0xe9 at column 4); "
                                          "give the annotations.jsonl written by `annotate pull` or `validate`")
    assert not (tmp_path / "d").exists()

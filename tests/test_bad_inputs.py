"""One case per line of trouble, through the command line: the exact message, the exit code, and
that nothing valid was lost. Inputs for push are in tests/data/inputs/bad, Label Studio exports
for pull/validate in tests/data/ls (trouble_export.json holds one kind of trouble per task)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.ingest.articles import Article, read_articles
from incident_corpus.studio.client import Client
from tests import helpers

DATA = helpers.DATA
BAD = DATA / "inputs" / "bad"
GOOD = DATA / "inputs" / "good" / "plain.txt"
LS = DATA / "ls"
TRIED = "tried utf-8 and utf-16 (BOM); re-save the file as UTF-8"
REDRAW = "redraw the region in Label Studio"


def dry_push(tmp_path: Path, *paths: Path | str, extra: tuple[str, ...] = (), stdin: str | None = None) -> Any:
    out = tmp_path / "tasks.json"
    result = CliRunner().invoke(cli, ["push", *map(str, paths), "--project", "bad inputs", "--dry-run", "--json",
                                      "--no-pre-annotate", "--out", str(out), *extra], input=stdin,
                                env={"LABEL_STUDIO_URL": None, "LABEL_STUDIO_API_KEY": None})
    summary = json.loads(result.stdout)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    return result, summary, tasks


def texts_of(path: Path) -> set[str]:
    return {a.text for a in read_articles([path]) if isinstance(a, Article)}


# -- push ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "reason"), [
    ("empty.txt", "empty article text; add the text or remove the file"),
    ("whitespace.txt", "empty article text; add the text or remove the file"),
    ("binary.txt", "looks like a binary file, not text; remove it or convert it to .txt/.jsonl"),
    ("invalid_utf8.txt", f"not valid UTF-8 (invalid byte 0xff at offset 38); {TRIED}"),
    ("latin1.txt", f"not valid UTF-8 (invalid byte 0xe9 at offset 16); {TRIED}"),
    ("broken.jsonl", "line 2: not valid JSON (Expecting ',' delimiter at column 26); fix or remove the line"),
    ("no_text.json", 'missing required field "text"; put the article text in a "text" field'),
    ("no_body.html", "no article body found in the HTML; save the article as .txt or check the page"),
    ("unsupported.pdf", "unsupported file type '.pdf'; use .txt, .json, .jsonl or .html"),
])
def test_push_reports_each_bad_input_exactly_and_keeps_the_good_ones(tmp_path: Path, name: str, reason: str) -> None:
    result, summary, tasks = dry_push(tmp_path, BAD / name, GOOD)
    assert result.exit_code == 1
    assert summary["invalid"] == [{"source": str(BAD / name), "reason": reason}]
    expected = texts_of(GOOD) | (texts_of(BAD / name) if name == "broken.jsonl" else set())
    assert {t["data"]["text"] for t in tasks} == expected
    assert len(tasks) == (3 if name == "broken.jsonl" else 1)  # broken.jsonl's lines 1 and 3 are fine


def test_push_accepts_utf16_with_a_bom(tmp_path: Path) -> None:
    result, summary, tasks = dry_push(tmp_path, BAD / "utf16_bom.txt")
    assert result.exit_code == 0, result.output
    assert summary["invalid"] == []
    assert [t["data"]["text"] for t in tasks] == [
        "Explosion at the Rivière-Haute café injured three people, police said."]


def test_push_refuses_a_file_over_max_bytes_and_a_missing_path(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 400, encoding="utf-8")
    missing = tmp_path / "nothere.txt"
    result, summary, tasks = dry_push(tmp_path, huge, missing, GOOD, extra=("--max-bytes", "1000"))
    assert result.exit_code == 1
    assert summary["invalid"] == [
        {"source": str(huge),
         "reason": "2.0 kB is over the 1.0 kB limit; split the file or raise the limit with --max-bytes"},
        {"source": str(missing), "reason": "no such file or directory; check the path"},
    ]
    assert [t["data"]["text"] for t in tasks] == sorted(texts_of(GOOD))


def test_push_reports_a_broken_line_on_stdin(tmp_path: Path) -> None:
    lines = '{"text": "A bomb exploded at the station."}\n{"text": \n'
    result, summary, tasks = dry_push(tmp_path, "-", stdin=lines)
    assert result.exit_code == 1
    assert summary["invalid"] == [
        {"source": "<stdin>",
         "reason": "line 2: not valid JSON (Expecting value at column 10); fix or remove the line"}]
    assert [t["data"]["text"] for t in tasks] == ["A bomb exploded at the station."]


def test_push_sends_duplicate_articles_once_and_says_so(tmp_path: Path) -> None:
    result, summary, tasks = dry_push(tmp_path, BAD / "dup_a.txt", BAD / "dup_b.txt")
    assert result.exit_code == 0, result.output
    assert summary["duplicates"] == [{"article_id": "055dcabc163e0c33", "kept": str(BAD / "dup_a.txt"),
                                      "also_in": [str(BAD / "dup_b.txt")]}]
    assert [t["data"]["article_id"] for t in tasks] == ["055dcabc163e0c33"]


@pytest.mark.integration
def test_live_push_of_the_bad_folder_prints_every_problem_and_lands_every_good_article(
    cli_env: dict[str, str], client: Client, project_title: str,
) -> None:
    result = CliRunner().invoke(cli, ["push", str(BAD), "--project", project_title, "--no-pre-annotate"],
                                env=cli_env)
    assert result.exit_code == 1
    project = client.get_project(project_title)
    lines = result.stderr.splitlines()
    assert [ln for ln in lines if ln.startswith(("invalid:", "duplicate:"))] == [
        f"invalid: {BAD / 'binary.txt'}: looks like a binary file, not text; remove it or convert it to .txt/.jsonl",
        f"invalid: {BAD / 'broken.jsonl'}: line 2: not valid JSON (Expecting ',' delimiter at column 26); "
        "fix or remove the line",
        f"invalid: {BAD / 'empty.txt'}: empty article text; add the text or remove the file",
        f"invalid: {BAD / 'invalid_utf8.txt'}: not valid UTF-8 (invalid byte 0xff at offset 38); {TRIED}",
        f"invalid: {BAD / 'latin1.txt'}: not valid UTF-8 (invalid byte 0xe9 at offset 16); {TRIED}",
        f"invalid: {BAD / 'no_body.html'}: no article body found in the HTML; save the article as .txt or check "
        "the page",
        f'invalid: {BAD / "no_text.json"}: missing required field "text"; put the article text in a "text" field',
        f"invalid: {BAD / 'unsupported.pdf'}: unsupported file type '.pdf'; use .txt, .json, .jsonl or .html",
        f"invalid: {BAD / 'whitespace.txt'}: empty article text; add the text or remove the file",
        f"duplicate: {BAD / 'dup_b.txt'} hold the same article as {BAD / 'dup_a.txt'} (article_id 055dcabc163e0c33); "
        "pushed once",
    ]
    assert result.stdout == (f"project {project_title!r} (id {project.id}) (project created): 4 created, "
                             "0 already present, 1 duplicates in input, 9 invalid inputs\n")
    expected = {a.article_id for a in read_articles([BAD]) if isinstance(a, Article)}
    assert sorted(client.tasks_by_article(project.id)) == sorted(expected)


# -- validate (the checks pull runs) ----------------------------------------------------------

QUARANTINED = {
    201: [("offsets", f"task 2, annotation 201, span b2: end 999 is past the end of the text (41 characters); "
                      f"{REDRAW}")],
    301: [("offsets", f"task 3, annotation 301, span n1: start -3 is negative; {REDRAW}")],
    401: [("offsets", "task 4, annotation 401, span i1: start 17 is not before end 10 (empty or inverted span); "
                      f"{REDRAW}")],
    501: [("label", "task 5, annotation 501, span v1: unknown label 'VICTIM' (known: ATTACK, PERPETRATOR, "
                    "CASUALTY, CLAIM); relabel the region in Label Studio")],
    601: [("conversion", "task 6, annotation 601: result item 1 (region u1): unknown from_name 'severity' for a "
                         "choices item (expected attack_type, attack_stage, perpetrator_kind, outcome, "
                         "claim_status); the project's label config is not ours — replace it with `annotate push "
                         "--update-config` and fix the region")],
    701: [("span_text", "task 7, annotation 701, span m2: span text 'stormed' does not match the article text at "
                        f"11:18 ('tormed '); {REDRAW}")],
    801: [("relation_ends", "task 8, annotation 801, relation e1→r9: to_id 'r9' is not a span of this annotation; "
                            "delete the relation in Label Studio and draw it again")],
}


@pytest.fixture(scope="module")
def trouble(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("trouble")
    result = CliRunner().invoke(cli, ["validate", str(LS / "trouble_export.json"), "--out", str(out), "--json"])
    quarantine = [json.loads(line) for line in (out / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()]
    records = [json.loads(line) for line in (out / "annotations.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"result": result, "report": json.loads(result.stdout), "out": out,
            "quarantine": {q["record"]["annotation_id"]: q for q in quarantine},
            "records": {r["annotation_id"]: r for r in records}}


@pytest.mark.parametrize("annotation_id", sorted(QUARANTINED))
def test_validate_quarantines_each_kind_of_trouble_with_its_exact_message(trouble: dict[str, Any],
                                                                          annotation_id: int) -> None:
    entry = trouble["quarantine"][annotation_id]
    assert [(r["check"], r["message"]) for r in entry["reasons"]] == QUARANTINED[annotation_id]
    assert entry["raw_annotation"]["id"] == annotation_id  # the annotator's work is kept verbatim
    in_report = next(q for q in trouble["report"]["quarantine"] if q["annotation_id"] == annotation_id)
    assert in_report["reasons"] == entry["reasons"]


def test_validate_keeps_everything_valid_repairs_utf16_and_counts_the_rest(trouble: dict[str, Any]) -> None:
    assert trouble["result"].exit_code == 0
    records = trouble["records"]
    assert sorted(records) == [101, 102, 901, 1001, 1101, 1201]
    assert [r["kind"] for r in records[901]["repairs"]] == ["utf16_offsets"] * 3  # UTF-16 offsets repaired
    assert all(records[901]["text"][s["start"]:s["end"]] == s["text"] for s in records[901]["spans"])
    assert records[1201]["spans"] == [] and records[1201]["relations"] == []  # an empty result is a valid record
    assert 103 not in records and 103 not in trouble["quarantine"]  # the cancelled annotation is only counted
    report = trouble["report"]
    assert report["skipped"] == {"cancelled": 1, "drafts": 2}
    assert report["totals"]["valid"] == 6 and report["totals"]["quarantined"] == 8 and report["totals"]["empty"] == 1
    assert set(trouble["quarantine"]) == set(QUARANTINED) | {1401}


def test_strict_exit_codes(trouble: dict[str, Any], tmp_path: Path) -> None:
    runner = CliRunner()
    strict = runner.invoke(cli, ["validate", str(LS / "trouble_export.json"), "--out", str(tmp_path / "s"),
                                 "--strict", "-q"])
    assert strict.exit_code == 1  # something was quarantined
    clean = runner.invoke(cli, ["validate", str(trouble["out"] / "annotations.jsonl"), "--out", str(tmp_path / "c"),
                                "--strict", "-q"])
    assert clean.exit_code == 0


@pytest.mark.parametrize(("content", "message"), [
    (None, "{path}: not valid JSON at line 1 column 1501 (Expecting ',' delimiter); the file looks truncated — "
           "download the export again"),
    (b"", "{path}: the file is empty; download the export again"),
    (b"\x00\x01\x02\xff", "{path}: not UTF-8 text (bad byte at offset 3); give the JSON export Label Studio wrote, "
                          "not a converted copy"),
    (b'{"id": "x"', "{path}: line 1 is not valid JSON at column 11 (Expecting ',' delimiter); the file looks "
                    "truncated — download the export again"),
], ids=["truncated-export", "empty", "binary", "truncated-jsonl"])
def test_an_unreadable_export_fails_clearly_and_leaves_the_last_good_outputs(
    trouble: dict[str, Any], tmp_path: Path, content: bytes | None, message: str,
) -> None:
    if content is None:
        path = LS / "truncated_export.json"
    else:
        path = tmp_path / ("bad.jsonl" if content.startswith(b"{") else "bad.json")
        path.write_bytes(content)
    out = trouble["out"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = CliRunner().invoke(cli, ["validate", str(path), "--out", str(out), "--json"])
    assert result.exit_code == 1
    assert result.output == f"Error: {message.format(path=path)}\n"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

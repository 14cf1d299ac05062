"""`annotate pull` and `annotate validate` against annotations made through the live server's API."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.core import resources
from incident_corpus.ingest.articles import Article
from incident_corpus.studio.client import Client
from incident_corpus.studio.tasks import build_task, instructions_html

pytestmark = pytest.mark.integration

T_FULL = ("Gunmen stormed the Velmora market on Sunday, killing nine shoppers and wounding 14 others. "
          "The Red Hand Front claimed responsibility in a statement.")
T_EMOJI = "Witnesses posted “🙏 pray for Dunmore” on Friday. Police said a bomb killed three passengers."
T_SPACES = "The blast killed  nine  workers at the depot."
T_BADLABEL = "A car bomb exploded near the ministry, officials said."
T_BADREL = "Militants ambushed a convoy, killing four soldiers."
T_EMPTY = "The bridge reopened after repairs on Monday."


def span(rid: str, text: str, sub: str, label: str, *, attrs: dict[str, str] | None = None,
         utf16: bool = False, shown: str | None = None) -> list[dict[str, Any]]:
    """Result items for one region as the Label Studio UI makes them."""
    start = text.index(sub)
    end = start + len(sub)
    if utf16:  # offsets as JavaScript counts them
        start, end = (len(text[:i].encode("utf-16-le")) // 2 for i in (start, end))
    value = {"start": start, "end": end, "text": shown if shown is not None else sub}
    items = [{"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
              "value": {**value, "labels": [label]}}]
    for name, choice in (attrs or {}).items():
        items.append({"id": rid, "from_name": name, "to_name": "text", "type": "choices",
                      "value": {**value, "choices": [choice]}})
    return items


def rel(a: str, b: str, kind: str) -> dict[str, Any]:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [kind]}


@pytest.fixture()
def annotated(client: Client, project_title: str) -> dict[str, Any]:
    """A project with one task per case, annotated through the API by two annotators."""
    project = client.create_project(title=project_title, label_config=resources.label_config(),
                                    instructions_html=instructions_html())
    texts = [T_FULL, T_EMOJI, T_SPACES, T_BADLABEL, T_BADREL, T_EMPTY]
    tasks = [build_task(Article(text=t, title=f"case {i}").task_data()) for i, t in enumerate(texts)]
    ids = dict(zip(texts, client.import_tasks(project.id, tasks), strict=True))
    second = client.sdk.users.create(username=f"ann{uuid.uuid4().hex[:6]}",
                                     email=f"second-{uuid.uuid4().hex[:6]}@example.org", password="x" * 16)

    full = [*span("r1", T_FULL, "Gunmen", "PERPETRATOR", attrs={"perpetrator_kind": "individual"}),
            *span("r2", T_FULL, "stormed", "ATTACK", attrs={"attack_type": "armed_assault"}),
            *span("r3", T_FULL, "nine shoppers", "CASUALTY", attrs={"outcome": "killed"}),
            *span("r4", T_FULL, "14 others", "CASUALTY", attrs={"outcome": "injured"}),
            *span("r5", T_FULL, "The Red Hand Front", "PERPETRATOR", attrs={"perpetrator_kind": "organisation"}),
            *span("r6", T_FULL, "claimed responsibility", "CLAIM", attrs={"claim_status": "claimed"}),
            rel("r1", "r2", "perpetrator_of"), rel("r3", "r2", "casualty_of"), rel("r4", "r2", "casualty_of"),
            rel("r6", "r5", "claimed_by"), rel("r6", "r2", "claim_for")]
    create = client.sdk.annotations.create
    made = {
        "full": create(id=ids[T_FULL], result=full, lead_time=42.5).id,
        "second": create(id=ids[T_FULL], result=[*span("s1", T_FULL, "stormed", "ATTACK"),
                                                  *span("s2", T_FULL, "nine shoppers", "CASUALTY")],
                         completed_by=second.id).id,
        "cancelled": create(id=ids[T_FULL], result=[], was_cancelled=True, completed_by=second.id).id,
        "emoji": create(id=ids[T_EMOJI], result=[*span("e1", T_EMOJI, "bomb", "ATTACK", utf16=True),
                                                 *span("e2", T_EMOJI, "three passengers", "CASUALTY", utf16=True,
                                                       attrs={"outcome": "killed"})]).id,
        "spaces": create(id=ids[T_SPACES], result=span("w1", T_SPACES, "nine  workers", "CASUALTY",
                                                       shown="nine workers")).id,
        "badlabel": create(id=ids[T_BADLABEL], result=span("b1", T_BADLABEL, "car bomb", "WEAPON")).id,
        "badrel": create(id=ids[T_BADREL], result=[*span("m1", T_BADREL, "ambushed", "ATTACK"),
                                                   rel("m1", "m9", "casualty_of")]).id,
        "empty": create(id=ids[T_EMPTY], result=[]).id,
    }
    return {"project": project, "task_ids": ids, "annotations": made}


def records_by_annotation(path: Path) -> dict[int, dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {r["annotation_id"]: r for r in rows}


def test_pull_sorts_every_case_into_records_repairs_and_quarantine(
    annotated: dict[str, Any], cli_env: dict[str, str], project_title: str, tmp_path: Path,
) -> None:
    out = tmp_path / "export"
    result = CliRunner().invoke(cli, ["pull", "--project", project_title, "--out", str(out), "--json"], env=cli_env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    made = annotated["annotations"]

    raw = sorted((out / "raw").glob("*.json"))
    assert len(raw) == 1
    raw_tasks = json.loads(raw[0].read_bytes())
    assert {t["id"] for t in raw_tasks} == set(annotated["task_ids"].values())

    records = records_by_annotation(out / "annotations.jsonl")
    assert set(records) == {made["full"], made["second"], made["emoji"], made["spaces"], made["empty"]}
    validator = resources.annotation_validator()
    for rec in records.values():
        assert list(validator.iter_errors(rec)) == []
        for s in rec["spans"]:
            assert rec["text"][s["start"]:s["end"]] == s["text"]

    full = records[made["full"]]
    assert full["text"] == T_FULL
    assert full["lead_time"] == 42.5
    assert full["meta"]["title"] == "case 0"
    assert full["annotator"].startswith("ann-") and "@" not in json.dumps(full)
    assert [(s["label"], s["text"], s["attributes"]) for s in full["spans"]] == [
        ("PERPETRATOR", "Gunmen", {"perpetrator_kind": "individual"}),
        ("ATTACK", "stormed", {"attack_type": "armed_assault"}),
        ("CASUALTY", "nine shoppers", {"outcome": "killed"}),
        ("CASUALTY", "14 others", {"outcome": "injured"}),
        ("PERPETRATOR", "The Red Hand Front", {"perpetrator_kind": "organisation"}),
        ("CLAIM", "claimed responsibility", {"claim_status": "claimed"}),
    ]
    assert sorted((r["from_id"], r["to_id"], r["type"]) for r in full["relations"]) == [
        ("r1", "r2", "perpetrator_of"), ("r3", "r2", "casualty_of"), ("r4", "r2", "casualty_of"),
        ("r6", "r2", "claim_for"), ("r6", "r5", "claimed_by")]
    assert full["repairs"] == []
    assert records[made["second"]]["annotator"] != full["annotator"]

    emoji = records[made["emoji"]]
    assert [s["text"] for s in emoji["spans"]] == ["bomb", "three passengers"]
    assert [(r["kind"], r["span_id"]) for r in emoji["repairs"]] == [("utf16_offsets", "e1"), ("utf16_offsets", "e2")]

    spaces = records[made["spaces"]]
    assert spaces["spans"][0]["text"] == "nine  workers"
    assert [r["kind"] for r in spaces["repairs"]] == ["span_text_rebuilt"]

    assert records[made["empty"]]["spans"] == []

    quarantine = [json.loads(line) for line in (out / "quarantine.jsonl").read_text().splitlines()]
    reasons = {q["record"]["annotation_id"]: [(r["check"], r["span_id"]) for r in q["reasons"]] for q in quarantine}
    assert reasons == {made["badlabel"]: [("label", "b1")], made["badrel"]: [("relation_ends", "m1")]}
    assert all(q["raw_annotation"]["id"] == q["record"]["annotation_id"] for q in quarantine)

    assert report["totals"]["valid"] == 5
    assert report["totals"]["quarantined"] == 2
    assert report["skipped"]["cancelled"] == 1
    assert report["repairs"]["utf16_offsets"] == 2
    assert report["repairs"]["span_text_rebuilt"] == 1
    agreement = json.loads((out / "agreement.json").read_text())
    assert agreement["articles_with_multiple_annotators"] == 1


def test_pull_twice_changes_nothing_and_validate_agrees(
    annotated: dict[str, Any], cli_env: dict[str, str], project_title: str, tmp_path: Path,
) -> None:
    out = tmp_path / "export"
    runner = CliRunner()
    names = ["annotations.jsonl", "quarantine.jsonl", "report.json", "agreement.json"]
    first = runner.invoke(cli, ["pull", "--project", project_title, "--out", str(out), "-q"], env=cli_env)
    assert first.exit_code == 0, first.output
    before = {n: (out / n).read_bytes() for n in names}
    second = runner.invoke(cli, ["pull", "--project", project_title, "--out", str(out), "-q", "--strict"],
                           env=cli_env)
    assert second.exit_code == 1, "--strict must fail when something is quarantined"
    assert {n: (out / n).read_bytes() for n in names} == before
    assert len(list((out / "raw").glob("*.json"))) == 2

    raw = sorted((out / "raw").glob("*.json"))[-1]
    offline = tmp_path / "offline"
    checked = runner.invoke(cli, ["validate", str(raw), "--out", str(offline), "-q"])
    assert checked.exit_code == 0, checked.output
    for n in ("annotations.jsonl", "quarantine.jsonl"):
        assert (offline / n).read_bytes() == before[n], n
    # validating the records again finds them all valid and unchanged
    again = runner.invoke(cli, ["validate", str(out / "annotations.jsonl"), "--out", str(tmp_path / "again"), "-q"])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / "annotations.jsonl").read_bytes() == before["annotations.jsonl"]


def test_pull_of_a_missing_project_lists_the_ones_that_exist(
    cli_env: dict[str, str], client: Client, project_title: str, tmp_path: Path,
) -> None:
    client.create_project(title=project_title, label_config=resources.label_config(), instructions_html="<p/>")
    result = CliRunner().invoke(cli, ["pull", "--project", "no such project", "--out", str(tmp_path)], env=cli_env)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: no project titled 'no such project' at {cli_env['LABEL_STUDIO_URL']}; "
                                    "projects there: ")
    assert repr(project_title) in result.output
    assert result.output.endswith("Create it with `annotate push PATH --project TITLE`\n")
    assert not (tmp_path / "annotations.jsonl").exists()


def test_with_emails_adds_the_annotators_address_and_keeps_the_pseudonym(
    annotated: dict[str, Any], cli_env: dict[str, str], client: Client, project_title: str, tmp_path: Path,
) -> None:
    runner = CliRunner()
    plain, named = tmp_path / "plain", tmp_path / "named"
    for out, extra in ((plain, []), (named, ["--with-emails"])):
        result = runner.invoke(cli, ["pull", "--project", project_title, "--out", str(out), "-q", *extra],
                               env=cli_env)
        assert result.exit_code == 0, result.output
    without = records_by_annotation(plain / "annotations.jsonl")
    with_ = records_by_annotation(named / "annotations.jsonl")
    me = client.get_json("/api/current-user/whoami", what="read the current user")
    full = annotated["annotations"]["full"]
    assert with_[full]["annotator_email"] == me["email"]
    assert with_[full]["annotator"] == without[full]["annotator"]
    assert "annotator_email" not in without[full]
    assert me["email"] not in (plain / "annotations.jsonl").read_text(encoding="utf-8")

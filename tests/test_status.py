"""`annotate status` against the live Label Studio, on a project whose every figure is known."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.core import resources
from incident_corpus.core.pseudonyms import pseudonym
from incident_corpus.core.scoring import score_spans
from incident_corpus.pipeline.status import Score, StatusResult, project_status, render_text
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection

TEXT = "Gunmen stormed the hotel in Harlow Bay and killed six guests; the Front claimed it at dawn."


def region(rid: str, start: int, end: int, label: str, **choices: str) -> list[dict[str, Any]]:
    value = {"start": start, "end": end, "text": TEXT[start:end]}
    items = [{"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
              "value": {**value, "labels": [label]}}]
    items += [{"id": rid, "from_name": name, "to_name": "text", "type": "choices", "value": {**value, "choices": [c]}}
              for name, c in choices.items()]
    return items


def task(n: int, *, prediction: list[dict[str, Any]] | None = None,
         annotation: list[dict[str, Any]] | None = None, by: int | None = None) -> dict[str, Any]:
    t: dict[str, Any] = {"data": {"text": TEXT, "article_id": f"status-{n}"}, "meta": {"article_id": f"status-{n}"}}
    if prediction is not None:
        t["predictions"] = [{"model_version": "incident-rules-test", "score": 0.5, "result": prediction}]
    if annotation is not None:
        t["annotations"] = [{"result": annotation, "completed_by": by, "was_cancelled": False}]
    return t


@pytest.fixture()
def known_project(client: Client, project_title: str) -> dict[str, Any]:
    """Six tasks: 3 completed (2 with predictions, by two users), 1 skipped, 2 left."""
    other = client.sdk.users.create(email=f"status-{uuid.uuid4().hex[:8]}@example.org",
                                    username=f"status{uuid.uuid4().hex[:8]}")
    admin = int(client.check()["user_id"])
    project = client.create_project(title=project_title, label_config=resources.label_config(),
                                    instructions_html="<p>test</p>")
    tasks = [
        # exact ATTACK; CASUALTY widened by the annotator (overlap match only); choices and a relation ignored
        task(1, prediction=region("p1", 7, 14, "ATTACK") + region("p2", 54, 60, "CASUALTY"),
             annotation=region("p1", 7, 14, "ATTACK", attack_type="armed_assault") + region(
                 "a2", 50, 60, "CASUALTY", outcome="killed") + [
                 {"from_id": "a2", "to_id": "p1", "type": "relation", "direction": "right",
                  "labels": ["casualty_of"]}], by=admin),
        # exact PERPETRATOR; the predicted CLAIM deleted; an ATTACK the rules missed added
        task(2, prediction=region("p1", 0, 6, "PERPETRATOR") + region("p2", 72, 79, "CLAIM"),
             annotation=region("p1", 0, 6, "PERPETRATOR") + region("a1", 7, 14, "ATTACK"), by=other.id),
        task(3, prediction=region("p1", 7, 14, "ATTACK")),  # skipped below
        task(4, annotation=region("a1", 50, 60, "CASUALTY"), by=admin),  # no prediction: not scored
        task(5, prediction=region("p1", 7, 14, "ATTACK")),  # left
        task(6),  # left
    ]
    ids = client.import_tasks(project.id, tasks)
    assert len(ids) == 6
    client.sdk.annotations.create(id=ids[2], result=[], was_cancelled=True)
    return {"project": project, "task_ids": ids, "admin": admin, "other": int(other.id),
            "other_email": other.email, "users": client.users()}


def expected_scores() -> dict[str, dict[str, tuple[int, int, int]]]:
    # (tp, n_pred, n_gold)
    return {
        "exact": {"ATTACK": (1, 1, 2), "PERPETRATOR": (1, 1, 1), "CASUALTY": (0, 1, 1), "CLAIM": (0, 1, 0),
                  "micro": (2, 4, 4)},
        "overlap": {"ATTACK": (1, 1, 2), "PERPETRATOR": (1, 1, 1), "CASUALTY": (1, 1, 1), "CLAIM": (0, 1, 0),
                    "micro": (3, 4, 4)},
    }


@pytest.mark.integration
def test_status_counts_every_figure_exactly_with_one_export(
    conn: Connection, known_project: dict[str, Any], project_title: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real_get, real_export = Client.get_json, Client.export_snapshot

    def spy_get(self: Client, path: str, **kw: Any) -> Any:
        calls.append(path)
        return real_get(self, path, **kw)

    def spy_export(self: Client, project_id: int, **kw: Any) -> bytes:
        calls.append(f"export {kw}")
        return real_export(self, project_id, **kw)

    monkeypatch.setattr(Client, "get_json", spy_get)
    monkeypatch.setattr(Client, "export_snapshot", spy_export)
    r = project_status(connection=conn, project=project_title)

    exports = [c for c in calls if c.startswith("export")]
    assert exports == ["export {'finished_only': True, 'with_predictions': True, 'tasks': 6}"]
    # a fixed number of requests, whatever the number of tasks (task overlaps and ML backends included)
    assert len(calls) <= 10, calls

    assert (r.project, r.project_id) == (project_title, known_project["project"].id)
    assert (r.tasks_total, r.tasks_completed, r.tasks_skipped, r.tasks_left) == (6, 3, 1, 2)
    assert r.annotations == 3
    users = known_project["users"]
    admin, other = known_project["admin"], known_project["other"]
    assert r.by_annotator == {pseudonym(email=users[admin], user_id=admin): 2,
                              pseudonym(email=users[other], user_id=other): 1}
    assert r.label_counts == {"ATTACK": 2, "PERPETRATOR": 1, "CASUALTY": 2, "CLAIM": 0}
    assert (r.compared_annotations, r.without_prediction) == (2, 1)
    got = {mode: {label: (s.tp, s.n_pred, s.n_gold) for label, s in per.items()}
           for mode, per in r.prediction_scores.items()}
    assert got == expected_scores()
    exact, overlap = r.prediction_scores["exact"], r.prediction_scores["overlap"]
    assert (exact["ATTACK"].precision, exact["ATTACK"].recall) == (1.0, 0.5)
    assert exact["ATTACK"].f1 == pytest.approx(2 / 3)
    assert (exact["CLAIM"].precision, exact["CLAIM"].recall, exact["CLAIM"].f1) == (0.0, 0.0, 0.0)
    assert (exact["micro"].precision, exact["micro"].recall, exact["micro"].f1) == (0.5, 0.5, 0.5)
    assert (overlap["micro"].precision, overlap["micro"].recall, overlap["micro"].f1) == (0.75, 0.75, 0.75)


@pytest.mark.integration
def test_status_cli_text_and_json(cli_env: dict[str, str], known_project: dict[str, Any], project_title: str) -> None:
    runner = CliRunner()
    as_json = runner.invoke(cli, ["status", "--project", project_title, "--json"], env=cli_env)
    assert as_json.exit_code == 0, as_json.output
    d = json.loads(as_json.stdout)
    assert {k: d[k] for k in ("tasks_total", "tasks_completed", "tasks_skipped", "tasks_left", "annotations",
                              "compared_annotations", "without_prediction")} == {
        "tasks_total": 6, "tasks_completed": 3, "tasks_skipped": 1, "tasks_left": 2, "annotations": 3,
        "compared_annotations": 2, "without_prediction": 1}
    assert d["prediction_scores"]["exact"]["ATTACK"] == {"tp": 1, "n_pred": 1, "n_gold": 2, "precision": 1.0,
                                                         "recall": 0.5, "f1": 0.6667}
    assert d["prediction_scores"]["overlap"]["micro"]["f1"] == 0.75
    assert known_project["other_email"] not in as_json.output  # pseudonyms only

    text = runner.invoke(cli, ["status", "--project", project_title], env=cli_env)
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[1] == "tasks: 6 total, 3 completed, 1 skipped, 2 left"
    assert lines[2] == "submitted annotations: 3"
    assert "spans: ATTACK 2, PERPETRATOR 1, CASUALTY 2, CLAIM 0" in lines
    attack = next(line for line in lines if line.startswith("ATTACK "))
    assert attack.split() == ["ATTACK", "1.000", "0.500", "0.667", "1.000", "0.500", "0.667", "1", "2"]
    claim = next(line for line in lines if line.startswith("CLAIM "))
    assert claim.split() == ["CLAIM", "0.000", "-", "0.000", "0.000", "-", "0.000", "1", "0"]
    assert known_project["other_email"] not in text.output


@pytest.mark.integration
def test_status_of_a_missing_project_names_the_fix(cli_env: dict[str, str], conn: Connection) -> None:
    result = CliRunner().invoke(cli, ["status", "--project", f"no such {uuid.uuid4().hex}"], env=cli_env)
    assert result.exit_code == 1
    assert "no project titled" in result.output and "annotate push" in result.output


def test_overlap_matches_each_annotated_span_once() -> None:
    gold = [(0, 5, "ATTACK"), (6, 10, "ATTACK")]
    pred = [(0, 10, "ATTACK"), (2, 4, "ATTACK"), (20, 25, "CLAIM")]
    scores = score_spans([(gold, pred)])
    # the long prediction takes the first span; the short one overlaps only that span, already taken
    assert scores["overlap"]["ATTACK"] == Score(tp=1, n_pred=2, n_gold=2)
    assert scores["exact"]["ATTACK"] == Score(tp=0, n_pred=2, n_gold=2)
    assert scores["exact"]["micro"] == Score(tp=0, n_pred=3, n_gold=2)
    assert scores["overlap"]["micro"].precision == pytest.approx(1 / 3)
    assert scores["overlap"]["CLAIM"] == Score(tp=0, n_pred=1, n_gold=0)


def test_render_text_without_annotations_is_short(tmp_path: Path) -> None:
    r = StatusResult(project="p", project_id=3, tasks_total=10, tasks_completed=0, tasks_skipped=0,
                     tasks_left=10, annotations=0, prediction_scores=score_spans([]))
    assert render_text(r) == "project 'p' (id 3)\ntasks: 10 total, 0 completed, 0 skipped, 10 left\n" \
                             "submitted annotations: 0"

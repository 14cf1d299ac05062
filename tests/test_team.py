"""Working as a team against the live Label Studio: overlap through the server's next-task stream,
the review round trip (disagreement → review task → curator wins in export), and the status audit."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

from incident_corpus.core import resources
from incident_corpus.core.pseudonyms import pseudonym
from incident_corpus.pipeline.status import project_status
from incident_corpus.studio import labelconfig
from incident_corpus.studio.auth import session_pat
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection
from incident_corpus.studio.results import spans_to_result

TEXT = "Gunmen killed two guards at the Velmora depot today and the Front claimed it in a statement."


def at(phrase: str) -> tuple[int, int]:
    i = TEXT.index(phrase)
    return i, i + len(phrase)


def span(sid: str, phrase: str, label: str, **attributes: str) -> dict[str, Any]:
    start, end = at(phrase)
    return {"id": sid, "start": start, "end": end, "label": label, "text": phrase, "attributes": attributes}


def rel(a: str, b: str, typ: str) -> dict[str, str]:
    return {"from_id": a, "to_id": b, "type": typ}


def signup(conn: Connection, client: Client) -> tuple[Connection, int]:
    """An annotator account made the way docs/teams-and-servers.md says (the invite link), and its own
    Personal Access Token, made as Account & Settings does (the server's default: legacy tokens are off)."""
    link = client.invite_link()
    email = f"annotator-{uuid.uuid4().hex[:8]}@example.org"
    with httpx.Client(base_url=conn.url, follow_redirects=False, timeout=30) as browser:
        browser.get(link)
        r = browser.post(link, data={"email": email, "password": "Velmora-depot-2026",
                                     "csrfmiddlewaretoken": browser.cookies.get("csrftoken")},
                         headers={"Referer": link})
        assert r.status_code == 302, r.text[:300]
        token = session_pat(browser)
    me = Connection(url=conn.url, api_key=token, timeout=conn.timeout, retries=conn.retries)
    with Client(me) as c:
        return me, int(c.check()["user_id"])


def test_signup_needs_the_invite_link(conn: Connection, client: Client) -> None:
    """The one setting beyond telemetry where the embedded studio differs from `label-studio start`:
    LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK (the studio may be a team's, bound beyond loopback). The invite
    link, the README's way to add annotators, works with it; without it (Label Studio's default) anyone who
    reaches the server may also sign up, which nothing in the tool relies on."""
    email = f"open-{uuid.uuid4().hex[:8]}@example.org"
    with httpx.Client(base_url=conn.url, follow_redirects=False, timeout=30) as browser:
        browser.get("/user/signup/")
        r = browser.post("/user/signup/", data={"email": email, "password": "Velmora-depot-2026",
                                                "csrfmiddlewaretoken": browser.cookies.get("csrftoken")},
                         headers={"Referer": f"{conn.url}/user/signup/"})
        assert r.status_code == 403
        assert browser.get("/api/current-user/whoami").status_code == 401
    assert email not in client.users().values()
    _, uid = signup(conn, client)
    assert client.users()[uid].startswith("annotator-")


def write_jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "title": f"T{i}", "source": "Test Wire"}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    return path


@pytest.mark.integration
def test_overlap_two_annotators_through_next_task(conn: Connection, client: Client, cli_env: dict[str, str],
                                                  project_title: str, tmp_path: Path, invoke: Any) -> None:
    tag = uuid.uuid4().hex[:8]
    src = write_jsonl(tmp_path / "a.jsonl", [f"Report {tag} {i}: gunmen attacked a post, killing {i + 2}."
                                             for i in range(3)])
    out = json.loads(invoke(["push", str(src), "--project", project_title, "--overlap", "2", "--json"],
                            env=cli_env).output)
    assert out["created"] == 3 and out["overlap"] == {"annotators": 2, "percent": 100}
    pid = out["project_id"]
    info = client.project_info(pid)
    assert (info["maximum_annotations"], info["overlap_cohort_percentage"]) == (2, 100)
    all_ids = {t["id"] for t in client.task_overlaps(pid)}

    served: dict[int, list[int]] = {}
    for who in ("a", "b"):
        me, uid = signup(conn, client)
        served[uid] = []
        with Client(me) as annotator:
            while (task := annotator.next_task(pid)) is not None:
                assert task["id"] not in served[uid], "the stream served the same task twice to one annotator"
                served[uid].append(task["id"])
                annotator.create_annotation(task["id"], [], lead_time=5.0)
                row = next(t for t in client.task_overlaps(pid) if t["id"] == task["id"])
                # finished only once the second annotator has submitted
                assert row["is_labeled"] is (who == "b"), (who, row)
        if who == "a":
            status = project_status(connection=conn, project=project_title)
            assert status.task_groups == [{"overlap": 2, "tasks": 3, "finished": 0, "annotations": 3, "owed": 3}]
    assert [set(ids) for ids in served.values()] == [all_ids, all_ids]
    status = project_status(connection=conn, project=project_title)
    assert status.task_groups == [{"overlap": 2, "tasks": 3, "finished": 3, "annotations": 6, "owed": 0}]

    invoke(["pull", "--project", project_title, "--out", str(tmp_path / "export"), "--quiet"], env=cli_env)
    records = [json.loads(line) for line in (tmp_path / "export" / "annotations.jsonl").read_text().splitlines()]
    expected = {pseudonym(email=None, user_id=uid) for uid in served}
    assert len(records) == 6
    by_article: dict[str, set[str]] = {}
    for r in records:
        by_article.setdefault(r["article_id"], set()).add(r["annotator"])
    assert list(by_article.values()) == [expected] * 3

    # an existing project: 3 annotators on half the tasks → the server puts round(1.5) = 2 tasks in the cohort
    set_out = json.loads(invoke(["project", "set", "--project", project_title, "--overlap", "3",
                                 "--overlap-share", "0.5", "--json"], env=cli_env).output)
    assert (set_out["annotators"], set_out["percent"]) == (3, 50)
    groups = {g["overlap"]: g["tasks"] for g in project_status(connection=conn, project=project_title).task_groups}
    assert groups == {3: 2, 1: 1}


@pytest.mark.integration
def test_review_round_trip(conn: Connection, client: Client, cli_env: dict[str, str], project_title: str,
                           tmp_path: Path, invoke: Any) -> None:
    agreed_text = f"Report {uuid.uuid4().hex[:8]}: a bomb hit the market."
    src = write_jsonl(tmp_path / "a.jsonl", [TEXT.replace("today", f"today ({project_title})"), agreed_text])
    invoke(["push", str(src), "--project", project_title, "--no-pre-annotate", "--overlap", "2", "--quiet"],
           env=cli_env)
    proj = client.get_project(project_title)
    tasks = {t["data"]["text"]: t for t in client.get_json(
        "/api/tasks/", params={"project": proj.id, "include": "id,data"}, what="list")["tasks"]}
    disputed = next(t for text, t in tasks.items() if text != agreed_text)
    agreed = tasks[agreed_text]
    text = disputed["data"]["text"]

    def sp(sid: str, phrase: str, label: str, **attrs: str) -> dict[str, Any]:
        i = text.index(phrase)
        return {"id": sid, "start": i, "end": i + len(phrase), "label": label, "text": phrase, "attributes": attrs}

    version_a = [sp("a1", "Gunmen", "PERPETRATOR"), sp("a2", "killed", "ATTACK"),
                 sp("a3", "two guards", "CASUALTY", outcome="killed")]
    version_b = [sp("b1", "Gunmen", "PERPETRATOR"), sp("b2", "killed", "ATTACK"),
                 sp("b3", "guards", "CASUALTY", outcome="injured")]  # boundary and outcome differ
    bomb = {"id": "x1", "start": agreed_text.index("bomb"), "end": agreed_text.index("bomb") + 4,
            "label": "ATTACK", "text": "bomb", "attributes": {}}
    users = []
    for version, rels in ((version_a, [rel("a1", "a2", "perpetrator_of"), rel("a3", "a2", "casualty_of")]),
                          (version_b, [rel("b1", "b2", "perpetrator_of")])):  # a relation only A drew
        me, uid = signup(conn, client)
        users.append(uid)
        with Client(me) as annotator:
            annotator.create_annotation(disputed["id"], spans_to_result(version, rels), lead_time=20.0)
            annotator.create_annotation(agreed["id"], spans_to_result([bomb]), lead_time=4.0)
    names = sorted(pseudonym(email=None, user_id=u) for u in users)

    review_title = f"{project_title} review"
    first = json.loads(invoke(["review", "--project", project_title, "--json"], env=cli_env).output)
    assert first["articles_multi"] == 2 and len(first["disagreements"]) == 1
    d = first["disagreements"][0]
    assert d["article_id"] == disputed["data"]["article_id"] and d["annotators"] == names
    assert any("outcome" in r for r in d["reasons"]) and any("relation" in r for r in d["reasons"])
    assert (first["created"], first["already_present"], first["review_project_created"]) == (1, 0, True)
    rproj = client.get_project(review_title)
    review_tasks = json.loads(client.export_snapshot(rproj.id, finished_only=False, with_predictions=True))
    assert len(review_tasks) == 1
    (rtask,) = review_tasks
    assert rtask["data"]["text"] == text and rtask["data"]["article_id"] == d["article_id"]
    assert sorted(p["model_version"] for p in rtask["predictions"]) == names
    assert not labelconfig.diff(resources.label_config(), rproj.label_config)

    again = json.loads(invoke(["review", "--project", project_title, "--json"], env=cli_env).output)
    assert (again["created"], again["already_present"], again["review_project_created"]) == (0, 1, False)
    assert client.task_count(rproj.id) == 1

    # the curator (here the admin) settles it through the API
    settled = [sp("c1", "Gunmen", "PERPETRATOR"), sp("c2", "killed", "ATTACK"),
               sp("c3", "two guards", "CASUALTY", outcome="killed")]
    curator_ann = client.create_annotation(rtask["id"], spans_to_result(settled, [rel("c1", "c2", "perpetrator_of"),
                                                                                   rel("c3", "c2", "casualty_of")]))
    invoke(["pull", "--project", project_title, "--out", str(tmp_path / "export"), "--quiet"], env=cli_env)
    invoke(["pull", "--project", review_title, "--out", str(tmp_path / "export-review"), "--quiet"], env=cli_env)
    agreement = json.loads((tmp_path / "export" / "agreement.json").read_text())
    assert agreement["attributes"]["outcome"]["items"] == 1 and agreement["relations"]["matches"] == 1
    invoke(["export", "--in", str(tmp_path / "export" / "annotations.jsonl"), "--out", str(tmp_path / "ds"),
            "--resolve", "reviewed", "--reviewed", str(tmp_path / "export-review" / "annotations.jsonl"),
            "--split", "1/0/0", "--quiet"], env=cli_env)
    rows = {r["article_id"]: r for r in pq.read_table(tmp_path / "ds" / "data" / "spans" /
                                                      "train-00000-of-00001.parquet").to_pylist()}
    won = rows[d["article_id"]]
    assert won["annotation_id"] == curator_ann
    assert won["annotator"] == pseudonym(email=None, user_id=int(client.check()["user_id"]))
    assert [(s["text"], s.get("outcome")) for s in won["spans"] if s["text"] == "two guards"] == [
        ("two guards", "killed")]
    assert rows[agreed["data"]["article_id"]]["annotator"] in names  # not reviewed: ground-truth policy
    card = (tmp_path / "ds" / "README.md").read_text()
    assert "1 article(s) were adjudicated" in card and "Cohen's κ over token BIO tags" in card


@pytest.mark.integration
def test_status_audit_counts_known_edits(conn: Connection, client: Client, project_title: str) -> None:
    project = client.create_project(title=project_title, label_config=resources.label_config(),
                                    instructions_html="<p>test</p>")
    prediction = [span("p1", "Gunmen", "PERPETRATOR"), span("p2", "killed", "ATTACK"),
                  span("p3", "guards", "CASUALTY", outcome="killed"), span("p4", "claimed it", "CLAIM")]
    ids = client.import_tasks(project.id, [
        {"data": {"text": TEXT, "article_id": f"audit-{project_title}-1"},
         "predictions": [{"model_version": "incident-rules-test", "result": spans_to_result(prediction)}]},
        {"data": {"text": TEXT, "article_id": f"audit-{project_title}-2"}},
    ])
    me, uid = signup(conn, client)
    with Client(me) as annotator:
        # kept: Gunmen, killed; changed: guards → "two guards"; deleted: the CLAIM; added: "the Front"
        annotator.create_annotation(ids[0], spans_to_result([
            span("p1", "Gunmen", "PERPETRATOR"), span("p2", "killed", "ATTACK"),
            span("p3", "two guards", "CASUALTY", outcome="killed"), span("a4", "the Front", "PERPETRATOR")]),
            lead_time=12.0)
        annotator.create_annotation(ids[1], spans_to_result([span("a1", "killed", "ATTACK")]), lead_time=30.0)
    status = project_status(connection=conn, project=project_title)
    who = pseudonym(email=None, user_id=uid)
    per = status.audit["by_annotator"][who]
    got = {label: (c["kept"], c["changed"], c["deleted"], c["added"]) for label, c in per["labels"].items()}
    assert got == {"ATTACK": (1, 0, 0, 0), "PERPETRATOR": (1, 0, 0, 1), "CASUALTY": (0, 1, 0, 0),
                   "CLAIM": (0, 0, 1, 0)}
    assert per["total"]["kept_share"] == 0.5
    assert per["lead_time_median"]["with_predictions"] == 12.0
    assert per["lead_time_median"]["without_predictions"] == 30.0
    as_json = status.as_dict()
    assert as_json["audit"]["overall"]["total"]["predicted"] == 4
    assert as_json["task_groups"] == [{"overlap": 1, "tasks": 2, "finished": 2, "annotations": 2, "owed": 0}]


@pytest.mark.parametrize("share", ["0", "1.5"])
def test_overlap_share_out_of_range_is_refused(share: str, invoke: Any, tmp_path: Path) -> None:
    res = invoke(["project", "set", "--project", "x", "--overlap", "2", "--overlap-share", share,
                  "--url", "http://127.0.0.1:9"], code=2)
    assert "--overlap-share" in res.output


def test_blind_share_leaves_the_same_articles_without_predictions(tmp_path: Path, invoke: Any,
                                                                  samples_dir: Path) -> None:
    def blind_ids(share: str) -> set[str]:
        out = tmp_path / f"tasks-{share}.json"
        summary = json.loads(invoke(["push", str(samples_dir), "--project", "blind", "--dry-run", "--out", str(out),
                                     "--blind-share", share, "--json"]).output)
        tasks = json.loads(out.read_text(encoding="utf-8"))
        without = {t["data"]["article_id"] for t in tasks if not t.get("predictions")}
        assert summary["blind"] == len(without)
        assert summary["predictions"] == len(tasks) - len(without)
        return without

    everyone = {t["data"]["article_id"] for t in json.loads(
        (tmp_path / "tasks-1.json").read_text(encoding="utf-8"))} if blind_ids("1") else set()
    assert len(everyone) >= 8
    assert blind_ids("0") == set()
    half, more = blind_ids("0.5"), blind_ids("0.8")
    assert half <= more <= everyone and blind_ids("0.5") == half  # stable, and a larger share keeps the smaller's
    assert 0 < len(half) < len(everyone)

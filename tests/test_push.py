"""`annotate push` against the live Label Studio."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.core import resources
from incident_corpus.ingest.articles import Article, InputProblem, read_articles
from incident_corpus.studio.client import Client
from tests import helpers
from tests.helpers import write_articles

pytestmark = pytest.mark.integration
DATA = helpers.DATA


def distinct_articles(path: Path) -> dict[str, Article]:
    return {a.article_id: a for a in read_articles([path]) if isinstance(a, Article)}


def project_tasks(client: Client, title: str) -> dict[str, list[int]]:
    project = client.get_project(title)
    return client.tasks_by_article(project.id)


def test_push_samples_creates_one_task_per_article_with_metadata_and_predictions(
    cli_env: dict[str, str], client: Client, project_title: str, samples_dir: Path,
) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["push", str(samples_dir), "--project", project_title, "--json"], env=cli_env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    expected = distinct_articles(samples_dir)
    assert summary["created"] == len(expected) >= 8
    assert summary["project_created"] is True
    assert summary["predictions"] == len(expected)

    by_article = project_tasks(client, project_title)
    assert sorted(by_article) == sorted(expected)
    assert all(len(ids) == 1 for ids in by_article.values())

    project = client.get_project(project_title)
    tasks = json.loads(client.export_snapshot(project.id, finished_only=False, with_predictions=True))
    assert len(tasks) == len(expected)
    for task in tasks:
        article = expected[task["data"]["article_id"]]
        assert task["data"] == article.task_data()
        assert len(task["predictions"]) == 1
        pred = task["predictions"][0]
        assert pred["model_version"].startswith("incident-rules-")
        for item in pred["result"]:
            if "value" in item:
                v = item["value"]
                assert task["data"]["text"][v["start"]:v["end"]] == v["text"]
    with_header = [a for a in expected.values() if a.source_file and a.source_file.endswith(".txt")]
    assert with_header and all(a.title and a.published for a in with_header)
    assert any(t["predictions"][0]["result"] for t in tasks), "the rules found nothing in any sample"


def test_push_again_creates_nothing(cli_env: dict[str, str], project_title: str, samples_dir: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["push", str(samples_dir), "--project", project_title, "--no-pre-annotate", "--json"],
                          env=cli_env)
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["push", str(samples_dir), "--project", project_title, "--json"], env=cli_env)
    assert again.exit_code == 0, again.output
    a, b = json.loads(first.stdout), json.loads(again.stdout)
    assert b["created"] == 0
    assert b["already_present"] == a["created"]
    assert b["project_created"] is False


def test_re_push_in_batches_pre_annotates_only_the_new_articles_and_writes_them_all(
    cli_env: dict[str, str], client: Client, project_title: str, tmp_path: Path,
) -> None:
    """Push streams its input in batches: what the project holds is not pre-annotated again, and a
    tasks file (--out) still gets every article, across batch boundaries, with duplicates dropped."""
    runner = CliRunner()
    first = write_articles(tmp_path / "first.jsonl", 7, tag="rb")
    done = runner.invoke(cli, ["push", str(first), "--project", project_title, "--json"], env=cli_env)
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["predictions"] == 7
    both = tmp_path / "both.jsonl"
    both.write_text(first.read_text(encoding="utf-8") * 2
                    + write_articles(tmp_path / "new.jsonl", 5, offset=7, tag="rb").read_text(encoding="utf-8"),
                    encoding="utf-8")
    out = tmp_path / "tasks.json"
    again = runner.invoke(cli, ["push", str(both), "--project", project_title, "--batch-size", "3",
                                "--out", str(out), "--json"], env=cli_env)
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert (summary["read"], summary["articles"], summary["created"], summary["already_present"]) == (19, 12, 5, 7)
    assert len(summary["duplicates"]) == 7
    assert summary["predictions"] == 12  # the tasks file asks for all twelve, pre-annotated
    written = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(t["data"]["article_id"] for t in written) == sorted(distinct_articles(both))
    assert all(len(t["predictions"]) == 1 for t in written)
    tasks = project_tasks(client, project_title)
    assert len(tasks) == 12 and all(len(ids) == 1 for ids in tasks.values())
    without_file = runner.invoke(cli, ["push", str(both), "--project", project_title, "--json"], env=cli_env)
    assert json.loads(without_file.stdout)["predictions"] == 0  # nothing new: nothing to pre-annotate


def settled_task_count(client: Client, project_id: int, *, quiet_s: float = 3.0, limit_s: float = 60.0) -> int:
    """The project's task count once it has stopped changing for ``quiet_s`` seconds."""
    count, since, deadline = client.task_count(project_id), time.monotonic(), time.monotonic() + limit_s
    while time.monotonic() - since < quiet_s and time.monotonic() < deadline:
        time.sleep(0.2)
        now = client.task_count(project_id)
        if now != count:
            count, since = now, time.monotonic()
    return count


def test_push_killed_half_way_then_rerun_gives_exactly_one_task_per_article(
    conn, client: Client, project_title: str, tmp_path: Path,
) -> None:
    src = write_articles(tmp_path / "many.jsonl", 300)
    env = {**os.environ, "LABEL_STUDIO_URL": conn.url, "LABEL_STUDIO_API_KEY": conn.api_key}
    cmd = [sys.executable, "-m", "incident_corpus", "push", str(src), "--project", project_title,
           "--no-pre-annotate", "--batch-size", "2", "--quiet"]
    # Create the project first so the count below can be polled from the start.
    subprocess.run([*cmd[:4], str(write_articles(tmp_path / "one.jsonl", 1, offset=1000)), *cmd[5:]],
                   env=env, check=True, timeout=120)
    project = client.get_project(project_title)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    count = 0
    while time.monotonic() < deadline and proc.poll() is None:
        count = client.task_count(project.id)
        if count >= 21:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait(timeout=30)
    # The server finishes an import the killed client had in flight (gunicorn does), so wait for
    # the count to settle before using it: a task committed after the kill is not a duplicate.
    count_after_kill = settled_task_count(client, project.id)
    assert proc.returncode == -signal.SIGKILL, "the push finished before it could be interrupted"
    assert 21 <= count_after_kill < 301

    rerun = subprocess.run([*cmd[:-1], "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["created"] == 301 - count_after_kill
    by_article = client.tasks_by_article(project.id)
    assert len(by_article) == 301
    assert all(len(ids) == 1 for ids in by_article.values())


def test_two_pushes_at_once_end_with_one_task_per_article(conn, client: Client, project_title: str,
                                                          tmp_path: Path) -> None:
    a = write_articles(tmp_path / "a.jsonl", 120)
    b = write_articles(tmp_path / "b.jsonl", 120, offset=60)  # 60 articles in both
    env = {**os.environ, "LABEL_STUDIO_URL": conn.url, "LABEL_STUDIO_API_KEY": conn.api_key}
    base = [sys.executable, "-m", "incident_corpus", "push", "--project", project_title, "--no-pre-annotate",
            "--batch-size", "10", "--json"]
    subprocess.run([*base[:4], str(write_articles(tmp_path / "seed.jsonl", 1, offset=5000)), *base[4:]],
                   env=env, check=True, capture_output=True, timeout=120)
    procs = [subprocess.Popen([*base[:4], str(p), *base[4:]], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for p in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    created = sum(json.loads(out)["created"] for out, _ in outs)
    assert created == 180
    by_article = project_tasks(client, project_title)
    assert len(by_article) == 181
    assert all(len(ids) == 1 for ids in by_article.values())


def test_push_heals_duplicate_tasks_made_outside_it(cli_env: dict[str, str], client: Client,
                                                   project_title: str, tmp_path: Path) -> None:
    src = write_articles(tmp_path / "few.jsonl", 5)
    runner = CliRunner()
    assert runner.invoke(cli, ["push", str(src), "--project", project_title, "--no-pre-annotate", "-q"],
                         env=cli_env).exit_code == 0
    project = client.get_project(project_title)
    # Someone imports the same task file again by hand (Label Studio does not dedupe imports).
    articles = [a for a in read_articles([src]) if isinstance(a, Article)]
    client.import_tasks(project.id, [{"data": a.task_data(), "meta": {"article_id": a.article_id}}
                                     for a in articles[:2]])
    assert client.task_count(project.id) == 7
    result = runner.invoke(cli, ["push", str(src), "--project", project_title, "--json"], env=cli_env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["duplicate_tasks_removed"] == 2
    assert summary["created"] == 0
    assert client.task_count(project.id) == 5


def test_tasks_made_elsewhere_without_meta_are_known_by_their_data(client: Client, project_title: str,
                                                                  tmp_path: Path) -> None:
    """The listing reads meta.article_id only (no article text); a task someone imported by hand with
    data.article_id but no meta is still found, by the in_list query and by the full listing."""
    src = write_articles(tmp_path / "few.jsonl", 4)
    articles = [a for a in read_articles([src]) if isinstance(a, Article)]
    project = client.create_project(title=project_title, label_config=resources.label_config(),
                                     instructions_html="")
    client.import_tasks(project.id, [{"data": a.task_data(), "meta": {"article_id": a.article_id}}
                                     for a in articles[:2]])
    client.import_tasks(project.id, [{"data": a.task_data()} for a in articles[2:]])
    ids = [a.article_id for a in articles]
    for found in (client.tasks_by_article(project.id, ids), client.tasks_by_article(project.id)):
        assert sorted(found) == sorted(ids) and all(len(t) == 1 for t in found.values())


def test_config_conflict_refuses_with_what_differs_then_update_config(
    cli_env: dict[str, str], client: Client, project_title: str, samples_dir: Path,
) -> None:
    other = resources.label_config().replace('<Label value="CLAIM" background="#2ca02c" hotkey="4"/>',
                                             '<Label value="THREAT" background="#2ca02c" hotkey="4"/>')
    client.create_project(title=project_title, label_config=other, instructions_html="<p>old</p>")
    runner = CliRunner()
    result = runner.invoke(cli, ["push", str(samples_dir), "--project", project_title], env=cli_env)
    assert result.exit_code == 1
    project = client.get_project(project_title)
    assert result.output == (
        f"Error: project '{project_title}' (id {project.id}) at {cli_env['LABEL_STUDIO_URL']} has a label config "
        "that differs from incident-corpus's: labels 'label': the project lacks CLAIM; labels 'label': the project "
        "has THREAT which ours does not. Nothing was pushed. To replace it with ours run again with "
        "--update-config (annotations using labels ours lacks would be orphaned), or push to a new project with "
        "another --project title\n"
    )
    assert client.task_count(project.id) == 0
    fixed = runner.invoke(cli, ["push", str(samples_dir), "--project", project_title, "--update-config", "--json"],
                          env=cli_env)
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.stdout)["config_updated"] is True
    assert client.get_project(project_title).label_config.strip() == resources.label_config().strip()


def test_dry_run_writes_schema_valid_tasks_without_a_server(tmp_path: Path, samples_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    env = {"LABEL_STUDIO_URL": "http://127.0.0.1:9", "LABEL_STUDIO_API_KEY": "unused-token"}
    result = runner.invoke(cli, ["push", str(samples_dir), "--project", "Dry Run Demo", "--dry-run"], env=env)
    assert result.exit_code == 0, result.output
    path = tmp_path / "tasks" / "dry-run-demo.json"
    assert f"tasks file: {Path('tasks') / 'dry-run-demo.json'}" in result.output
    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert len(tasks) == len(distinct_articles(samples_dir))
    validator = resources.task_validator()
    for task in tasks:
        assert list(validator.iter_errors(task)) == []
        assert task["predictions"][0]["model_version"].startswith("incident-rules-")


def test_bad_inputs_are_reported_and_good_files_still_land(cli_env: dict[str, str], client: Client,
                                                           project_title: str) -> None:
    bad, good = DATA / "inputs" / "bad", DATA / "inputs" / "good"
    expected_problems = [str(p) for p in read_articles([bad]) if isinstance(p, InputProblem)]
    good_articles = distinct_articles(good) | distinct_articles(bad)
    runner = CliRunner()
    result = runner.invoke(cli, ["push", str(good), str(bad), "--project", project_title, "--no-pre-annotate",
                                 "--json"], env=cli_env)
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert sorted(f"{p['source']}: {p['reason']}" for p in summary["invalid"]) == sorted(expected_problems)
    assert len(expected_problems) >= 8
    assert summary["created"] == len(good_articles)
    assert summary["duplicates"], "dup_a/dup_b must be reported as one article"
    assert sorted(project_tasks(client, project_title)) == sorted(good_articles)


def test_push_reads_jsonl_from_stdin(cli_env: dict[str, str], client: Client, project_title: str) -> None:
    lines = "\n".join(json.dumps({"text": f"Attack number {i} killed {i} people.", "url": f"https://example.org/{i}"})
                      for i in range(3))
    result = CliRunner().invoke(cli, ["push", "-", "--project", project_title, "--json"], input=lines, env=cli_env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == 3
    assert len(project_tasks(client, project_title)) == 3

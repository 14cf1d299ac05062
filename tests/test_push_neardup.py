"""Near-duplicates at push, through the real Label Studio: each story once by default, every version
with `meta.near_duplicate_of` under `--near-duplicates keep`, nothing new on a second push, and a store
that follows the project (a task deleted in the UI, tasks imported without the store)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from incident_corpus.ingest.articles import Article, read_articles
from incident_corpus.studio.client import Client

pytestmark = pytest.mark.integration
DATA = Path(__file__).parent / "data" / "neardup"
ORDER = ("original", "reprint", "updated", "printview", "brief", "same_attack_other_story")


def variants_jsonl(tmp_path: Path, names: tuple[str, ...] = ORDER) -> tuple[Path, dict[str, str]]:
    """The story and its variants as one JSONL batch, the full story first; name -> article_id."""
    arts = {Path(str(a.source_file)).stem: a for a in read_articles([DATA]) if isinstance(a, Article)}
    path = tmp_path / f"variants-{len(names)}.jsonl"
    path.write_text("".join(json.dumps({"text": arts[n].text, "title": arts[n].title}) + "\n" for n in names),
                    encoding="utf-8")
    return path, {n: arts[n].article_id for n in names}


def push(invoke: Any, env: dict[str, str], path: Path, title: str, *extra: str) -> dict[str, Any]:
    out = invoke(["push", str(path), "--project", title, "--no-pre-annotate", "--json", *extra], env=env).stdout
    return json.loads(out)


def metas(client: Client, title: str) -> dict[str, dict[str, Any]]:
    project = client.get_project(title)
    rows = client.get_json("/api/tasks/", params={"project": project.id, "include": "id,meta", "page_size": 100},
                           what="list tasks")["tasks"]
    return {r["meta"]["article_id"]: r["meta"] for r in rows}


def test_each_story_is_pushed_once_and_a_second_push_creates_nothing(
    invoke: Any, cli_env: dict[str, str], client: Client, project_title: str, tmp_path: Path,
) -> None:
    path, ids = variants_jsonl(tmp_path)
    first = push(invoke, cli_env, path, project_title)
    assert first["created"] == 2
    held = {n["article_id"]: n for n in first["near_duplicates"]}
    assert set(held) == {ids[n] for n in ("reprint", "updated", "printview", "brief")}
    assert all(not n["pushed"] and n["duplicate_of"] == ids["original"] for n in held.values())
    assert held[ids["brief"]]["kind"] == "contained" and held[ids["reprint"]]["kind"] == "jaccard"
    assert held[ids["updated"]]["source"] == f"{path}:3" and 0.8 <= held[ids["updated"]]["similarity"] < 0.9
    assert sorted(metas(client, project_title)) == sorted([ids["original"], ids["same_attack_other_story"]])

    again = push(invoke, cli_env, path, project_title)
    assert again["created"] == 0 and again["already_present"] == 2 and len(again["near_duplicates"]) == 4
    assert len(metas(client, project_title)) == 2


def test_keep_pushes_every_version_with_near_duplicate_of(
    invoke: Any, cli_env: dict[str, str], client: Client, project_title: str, tmp_path: Path,
) -> None:
    path, ids = variants_jsonl(tmp_path)
    first = push(invoke, cli_env, path, project_title, "--near-duplicates", "keep")
    assert first["created"] == 6 and all(n["pushed"] for n in first["near_duplicates"])
    meta = metas(client, project_title)
    assert {a: m.get("near_duplicate_of") for a, m in meta.items()} == {
        ids["original"]: None, ids["same_attack_other_story"]: None,
        **{ids[n]: ids["original"] for n in ("reprint", "updated", "printview", "brief")}}
    again = push(invoke, cli_env, path, project_title, "--near-duplicates", "keep")
    assert again["created"] == 0 and again["already_present"] == 6 and again["near_duplicates"] == []


def test_a_story_deleted_in_the_ui_no_longer_holds_its_reprint_back(
    invoke: Any, cli_env: dict[str, str], client: Client, project_title: str, tmp_path: Path,
) -> None:
    path, ids = variants_jsonl(tmp_path, ("original",))
    push(invoke, cli_env, path, project_title)
    (task_id,) = client.tasks_by_article(client.get_project(project_title).id)[ids["original"]]
    client.delete_task(task_id)
    reprint, rid = variants_jsonl(tmp_path, ("reprint",))
    second = push(invoke, cli_env, reprint, project_title)
    assert second["created"] == 1 and second["near_duplicates"] == []
    assert list(metas(client, project_title)) == [rid["reprint"]]


def test_a_project_pushed_without_the_store_is_read_once_from_the_server(
    invoke: Any, cli_env: dict[str, str], client: Client, project_title: str, tmp_path: Path,
) -> None:
    path, ids = variants_jsonl(tmp_path, ("original", "same_attack_other_story"))
    push(invoke, cli_env, path, project_title, "--near-duplicates", "off")
    shutil.rmtree(Path(os.environ["INCIDENT_CORPUS_STATE_DIR"]) / "signatures", ignore_errors=True)
    rest, rid = variants_jsonl(tmp_path, ("updated", "brief"))
    second = push(invoke, cli_env, rest, project_title)
    assert second["near_duplicate_sync"] == {"removed": 0, "added": 2}
    assert second["created"] == 0
    assert {n["article_id"]: n["duplicate_of"] for n in second["near_duplicates"]} == {
        rid["updated"]: ids["original"], rid["brief"]: ids["original"]}

"""The labelling UI in a real Chromium: what an annotator sees, and what `pull` gets back from it.

The article has curly quotes and an emoji (an astral character: one code point, two UTF-16
units) before the span drawn by hand, so a change in how Label Studio counts offsets shows up
here. Measured with label-studio 1.23.2: the browser stores code point offsets (not UTF-16),
exactly the characters dragged over, and pull needs no repair. It does not trim: a drag that
starts or ends on the neighbouring spaces stores them in the span (" nine passengers ").

Needs Debian's chromium (scripts/install_browser.sh). A missing browser fails the test.
A failed browser step saves a screenshot under test-artifacts/ and names it in the failure.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from incident_corpus.core import resources
from incident_corpus.pipeline.pull import pull
from incident_corpus.pipeline.push import push
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection, read_credentials

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.timeout(120)]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STEP_TIMEOUT_MS = 15_000

ARTICLE = ("Witnesses posted “🙏 stay safe” minutes before the bomb blast. The explosion killed nine passengers "
           "and injured 14 others at the depot.")
TARGET = "nine passengers"

# Client rects of `needle` in the rendered article text, found with a DOM Range over its text nodes
# (highlights split the text into several nodes, so offsets are counted over all of them).
FIND_RECTS = """([needle]) => {
  const root = document.querySelector('.lsf-richtext__container');
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let full = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, full.length]); full += walker.currentNode.data; }
  const at = full.indexOf(needle);
  if (at < 0) return null;
  const locate = (k, isEnd) => {
    for (const [n, off] of nodes) {
      if (k >= off && (k < off + n.data.length || (isEnd && k === off + n.data.length))) return [n, k - off];
    }
    return null;
  };
  const range = document.createRange();
  const [sn, so] = locate(at, false); const [en, eo] = locate(at + needle.length, true);
  range.setStart(sn, so); range.setEnd(en, eo);
  return Array.from(range.getClientRects()).filter(r => r.width > 0)
    .map(r => ({x: r.x, y: r.y, w: r.width, h: r.height}));
}"""


class Steps:
    """Runs named browser steps; a failing one leaves a screenshot and names it in the failure."""

    def __init__(self, page: Any, test_name: str) -> None:
        self.page = page
        self.prefix = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name)
        self.started = time.monotonic()

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.prefix}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        self.page.screenshot(path=str(path))
        return path

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            try:
                where = f"screenshot: {self.shot('FAILED-' + name)}"
            except Exception as shot_exc:  # a dead page cannot be photographed
                where = f"no screenshot ({shot_exc})"
            elapsed = time.monotonic() - self.started
            pytest.fail(f"browser step {name!r} failed after {elapsed:.1f}s: {exc}\n{where}", pytrace=False)


@pytest.fixture()
def page(request: pytest.FixtureRequest) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"{CHROMIUM} is missing; install it with scripts/install_browser.sh")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            pg = browser.new_page(viewport={"width": 1400, "height": 900})
            pg.set_default_timeout(STEP_TIMEOUT_MS)
            pg.set_default_navigation_timeout(30_000)
            yield pg
        finally:
            browser.close()


def wait_for(what: str, fn: Callable[[], Any], *, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.25)


def log_in(page: Any, url: str, creds: dict[str, str]) -> None:
    page.goto(f"{url}/user/login")
    page.fill("input[name=email]", creds["username"])
    page.fill("input[name=password]", creds["password"])
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda u: "/user/login" not in u)


def open_task(page: Any, url: str, project_id: int, task_id: int) -> None:
    """The labelling view of one task, once its text and its first region are drawn."""
    page.goto(f"{url}/projects/{project_id}/data?task={task_id}")
    page.locator(".lsf-richtext__container").wait_for()
    page.locator(".lsf-outliner-item").first.wait_for()


def drag_across(page: Any, needle: str) -> None:
    """Select `needle` the way a person does: press on its first letter, drag, release on its last."""
    rects = page.evaluate(FIND_RECTS, [needle])
    assert rects, f"{needle!r} is not in the rendered article text"
    first, last = rects[0], rects[-1]
    page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["w"] - 1, last["y"] + last["h"] / 2, steps=8)
    page.mouse.up()


def test_annotator_labels_in_the_browser_and_pull_gets_exact_offsets(
    page: Any, conn: Connection, client: Client, studio_dir: Path, project_title: str, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    article = tmp_path / "dunmore-depot.txt"
    article.write_text(ARTICLE + "\n", encoding="utf-8")
    pushed = push(paths=[article], project=project_title, connection=conn, pre_annotate=True)
    assert pushed.ok and pushed.created == 1 and pushed.predictions == 1, pushed
    task_id = pushed.task_ids[0]
    exported = json.loads(client.export_snapshot(pushed.project_id, finished_only=False, with_predictions=True))
    text = exported[0]["data"]["text"]
    assert text == ARTICLE
    prediction = exported[0]["predictions"][0]["result"]
    predicted_spans = {item["id"]: item["value"] for item in prediction if item["type"] == "labels"}
    predicted_target = [rid for rid, v in predicted_spans.items() if v["text"] == TARGET]
    assert predicted_target, f"the rules no longer pre-annotate {TARGET!r}: {predicted_spans}"
    deleted = set(predicted_target)
    cp_start = text.index(TARGET)
    utf16_start = len(text[:cp_start].encode("utf-16-le")) // 2
    assert utf16_start == cp_start + 1, "the emoji before the span must make the two offset kinds differ"

    creds = read_credentials(studio_dir)
    steps = Steps(page, request.node.name)

    with steps.step("login"):
        log_in(page, conn.url, creds)

    with steps.step("open task"):
        open_task(page, conn.url, pushed.project_id, task_id)
        shown = page.locator(".lsf-richtext__container").text_content()
        assert shown == text, f"the browser shows {shown!r}, the task holds {text!r}"

    with steps.step("labels and hotkeys"):
        labels = [re.sub(r"\s+", " ", t).strip() for t in page.locator(".lsf-labels .lsf-label").all_inner_texts()]
        assert labels == ["ATTACK 1", "PERPETRATOR 2", "CASUALTY 3", "CLAIM 4"]

    with steps.step("instructions"):
        heading = resources.guideline_markdown().splitlines()[0].lstrip("# ").strip()
        page.get_by_role("button", name="Instructions").click()
        page.get_by_text(heading, exact=True).wait_for(state="visible")
        page.get_by_text("Labels at a glance", exact=True).wait_for(state="visible")
        steps.shot("instructions")
        page.keyboard.press("Escape")
        page.get_by_text(heading, exact=True).wait_for(state="hidden")

    with steps.step("pre-annotations visible"):
        for rid, v in predicted_spans.items():
            mark = page.locator(f".htx-highlight[data-start='{v['start']}'][data-end='{v['end']}']")
            assert mark.count() == 1, f"prediction {rid} ({v['text']!r}) is not highlighted at {v['start']}:{v['end']}"
            assert mark.text_content() == v["text"]
            assert (mark.get_attribute("data-label") or "").endswith(":" + v["labels"][0])
        outline = page.locator(".lsf-outliner-item").all_inner_texts()
        assert len(outline) == len(predicted_spans), outline
        steps.shot("pre-annotated")

    with steps.step("delete the predicted span"):
        page.locator(".lsf-outliner-item", has_text=TARGET).click()
        page.keyboard.press("Backspace")
        wait_for("the predicted region to go", lambda: page.locator(".lsf-outliner-item", has_text=TARGET).count() == 0)
        page.keyboard.press("Escape")

    with steps.step("draw CASUALTY by hand"):
        page.keyboard.press("3")
        drag_across(page, TARGET)
        page.locator(".lsf-outliner-item", has_text=TARGET).wait_for()

    with steps.step("set outcome killed"):
        page.locator(".lsf-outliner-item", has_text=TARGET).click()
        page.get_by_text("Casualty outcome", exact=True).wait_for(state="visible")
        page.locator("label.lsf-choice__checkbox:visible", has_text="killed").click()
        assert page.locator("input[name=killed]").is_checked()
        steps.shot("labelling-view")

    with steps.step("draw relation to ATTACK"):
        relations = page.locator(".lsf-relations__item")
        page.get_by_role("button", name="Create Relation").click()
        page.locator(".lsf-outliner-item", has_text="explosion").click()
        page.locator(".lsf-panel-tabs__tab", has_text="Relations").first.click()
        kept = [r for r in prediction if r["type"] == "relation" and not {r["from_id"], r["to_id"]} & deleted]
        wait_for("the new relation", lambda: relations.count() == len(kept) + 1)
        new = relations.last
        new.hover()
        new.get_by_role("button", name="Show Relation Labels").click()
        trigger = new.locator(".lsf-relation-meta [data-testid^=select-trigger]")
        assert trigger.inner_text().strip() == "Select labels", "the last relation is not the new, unlabelled one"
        trigger.click()
        page.get_by_role("option", name="casualty_of").click()
        page.keyboard.press("Escape")
        assert trigger.inner_text().strip() == "casualty_of"

    with steps.step("submit"):
        page.get_by_role("button", name="Submit current annotation").click()
        wait_for("the annotation to reach the server", lambda: client.sdk.annotations.list(id=task_id))
        steps.shot("submitted")

    result = pull(connection=conn, project=project_title, out_dir=tmp_path / "export")
    records = [json.loads(line) for line in (tmp_path / "export" / "annotations.jsonl").read_text("utf-8").splitlines()]
    assert [r["task_id"] for r in records] == [task_id], (records, result.outputs)
    record = records[0]
    casualty = [s for s in record["spans"] if s["label"] == "CASUALTY" and s["text"] == TARGET]
    assert len(casualty) == 1, record["spans"]
    span = casualty[0]
    assert span["id"] not in predicted_target, "the span must be the one drawn by hand, not the prediction"
    assert text[span["start"]:span["end"]] == TARGET
    assert span["attributes"] == {"outcome": "killed"}
    attack = next(s for s in record["spans"] if s["label"] == "ATTACK" and s["text"] == "explosion")
    assert {"from_id": span["id"], "to_id": attack["id"], "type": "casualty_of"} in record["relations"]

    # What the browser stored, before any repair: code points, no surrounding whitespace.
    raw = json.loads(result.raw_path.read_text(encoding="utf-8"))
    stored = [item for item in raw[0]["annotations"][0]["result"]
              if item.get("id") == span["id"] and item["type"] == "labels"]
    assert len(stored) == 1, stored
    assert (stored[0]["value"]["start"], stored[0]["value"]["end"], stored[0]["value"]["text"]) == (
        cp_start, cp_start + len(TARGET), TARGET), f"Label Studio stored {stored[0]['value']} (UTF-16 start would be " \
                                                   f"{utf16_start}, code point start is {cp_start})"
    assert stored[0].get("origin") == "manual"
    assert record.get("repairs", []) == [], f"pull repaired the browser's annotation: {record['repairs']}"


def test_a_task_imported_without_predictions_opens_with_the_backends_suggestions(
    page: Any, conn: Connection, client: Client, studio_dir: Path, project_title: str, tmp_path: Path,
    request: pytest.FixtureRequest, cli_env: dict[str, str],
) -> None:
    """`annotate serve --connect`: opening a task makes Label Studio ask the backend, and the annotator
    sees its suggestions highlighted at the offsets the backend computed."""
    import os

    import httpx

    from incident_corpus.pipeline.serve import load_predictor
    from incident_corpus.studio.server import free_port
    from tests.helpers import start_serve, stop_serve

    article = tmp_path / "dunmore-depot.txt"
    article.write_text(ARTICLE + "\n", encoding="utf-8")
    pushed = push(paths=[article], project=project_title, connection=conn, pre_annotate=False)
    assert pushed.ok and pushed.created == 1 and pushed.predictions == 0, pushed
    task_id = pushed.task_ids[0]
    expected = next(load_predictor(None).annotate_many([ARTICLE]))["spans"]
    assert expected, "the rules find nothing in the article: the test would prove nothing"
    proc, _log, ready = start_serve(["--project", project_title, "--connect", "--port", str(free_port()),
                                      "--retrain-after", "1", "--max-steps", "5", "--workdir", str(tmp_path / "serve")],
                                     {**os.environ, **cli_env})
    try:
        creds = read_credentials(studio_dir)
        steps = Steps(page, request.node.name)
        with steps.step("login"):
            log_in(page, conn.url, creds)
        with steps.step("open the task: the backend's suggestions are highlighted"):
            open_task(page, conn.url, pushed.project_id, task_id)
            for span in expected:
                mark = page.locator(f".htx-highlight[data-start='{span['start']}'][data-end='{span['end']}']")
                assert mark.count() == 1, f"{span['text']!r} is not highlighted at {span['start']}:{span['end']}"
                assert mark.text_content() == span["text"]
                assert (mark.get_attribute("data-label") or "").endswith(":" + span["label"])
            steps.shot("live-predictions")
        with steps.step("submit: the annotation reaches the backend and starts a retraining"):
            page.get_by_role("button", name="Submit current annotation").click()
            wait_for("the annotation to reach the server", lambda: client.sdk.annotations.list(id=task_id),
                     timeout=60)
            # Training on submit sends START_TRAINING from the annotation's post_save, before the
            # ANNOTATION_CREATED webhook: wait for both.
            wait_for("the webhook and a started retraining", lambda: (
                h := httpx.get(f"{ready['url']}/health", timeout=10).json())["training"]["started"] >= 1
                and h["events"].get("ANNOTATION_CREATED", 0) >= 1, timeout=60)
        preds = client.get_json("/api/predictions/", params={"task": task_id}, what="list predictions")
        # Label Studio itself may store the same live prediction twice (the task view and the Data Manager
        # both ask when the page opens); every one of them is the backend's.
        assert preds and {p["model_version"] for p in preds} == {ready["model_version"]}
    finally:
        stop_serve(proc)


def test_marking_one_mention_with_auto_annotation_on_brings_back_its_other_mentions(
    page: Any, conn: Connection, client: Client, studio_dir: Path, project_title: str, tmp_path: Path,
    request: pytest.FixtureRequest, cli_env: dict[str, str],
) -> None:
    """Interactive pre-annotation: with Auto-Annotation on, the span an annotator marks goes to the backend as
    `context`, and the other mentions of the same name come back as suggestions in the labelling view."""
    import os

    from incident_corpus.studio.server import free_port
    from tests.helpers import start_serve, stop_serve

    # No role evidence for the name, so the rules propose none of its mentions (incident-rules-4 reads "named
    # the gunman as Omar Haddad" as one, incident-rules-8 "Omar Haddad acted alone"): what comes back is the
    # backend's answer to the marked span alone.
    text = ("Omar Haddad was seen near the market on Monday. Haddad had trained abroad, and a court later heard "
            "that Omar Haddad left the city after the bombing.")
    from incident_corpus.preannotate import Preannotator

    assert [s for s in Preannotator().annotate(text)["spans"] if s["label"] == "PERPETRATOR"] == [], \
        "the test's premise: the rules alone propose no mention of the name"
    article = tmp_path / "haddad.txt"
    article.write_text(text + "\n", encoding="utf-8")
    pushed = push(paths=[article], project=project_title, connection=conn, pre_annotate=False)
    task_id = pushed.task_ids[0]
    proc, lines, _ready = start_serve(["--project", project_title, "--connect", "--port", str(free_port()),
                                       "--workdir", str(tmp_path / "serve")], {**os.environ, **cli_env})
    try:
        steps = Steps(page, request.node.name)
        with steps.step("login"):
            log_in(page, conn.url, read_credentials(studio_dir))
        with steps.step("open the task and turn Auto-Annotation on"):
            page.goto(f"{conn.url}/projects/{pushed.project_id}/data?task={task_id}")
            page.locator(".lsf-richtext__container").wait_for()
            page.get_by_text("Auto-Annotation", exact=True).click()
        with steps.step("mark one mention as PERPETRATOR"):
            page.locator(".lsf-labels .lsf-label", has_text="PERPETRATOR").click()
            drag_across(page, "Omar Haddad")
            steps.shot("marked")
        with steps.step("the backend answered with the other mentions"):
            wait_for("the backend's interactive answer", lambda: [
                line for line in lines if re.search(r"2 other mention\(s\) of \d+ marked span", line)], timeout=30)
            for phrase, at in (("Haddad", text.index("Haddad had")), ("Omar Haddad", text.rindex("Omar Haddad"))):
                mark = page.locator(f".htx-highlight[data-start='{at}'][data-end='{at + len(phrase)}']")
                wait_for(f"{phrase!r} at {at} highlighted", lambda m=mark: m.count() >= 1)
                assert (mark.first.get_attribute("data-label") or "").endswith(":PERPETRATOR")
            steps.shot("other-mentions")
    finally:
        stop_serve(proc)

"""Building Label Studio tasks from articles: data, meta and pre-annotation predictions.

A task's `data.text` is the normalised article text that every offset refers to, forever.
`meta.article_id` repeats the id because listing `meta` is cheaper than listing `data`.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from incident_corpus.core import fileio, resources
from incident_corpus.studio.results import spans_to_result


def build_task(data: dict[str, Any], *, prediction: dict[str, Any] | None = None,
               model_version: str | None = None) -> dict[str, Any]:
    task: dict[str, Any] = {"data": data, "meta": {"article_id": data["article_id"]}}
    if prediction is not None and model_version:
        task["predictions"] = [{
            "model_version": model_version,
            "score": round(float(prediction.get("score", 0.5)), 4),
            "result": spans_to_result(prediction["spans"], prediction.get("relations", ())),
        }]
    return task


def task_problems(task: dict[str, Any]) -> list[str]:
    """Schema errors plus the offset check the server does not do: text[start:end] == span text."""
    fast = resources.fast_check("task.schema.json")
    problems = [] if fast is not None and fast(task) else [
        f"{'/'.join(map(str, e.absolute_path)) or '(task)'}: {e.message}"
        for e in resources.task_validator().iter_errors(task)]
    text = task.get("data", {}).get("text", "")
    for pred in task.get("predictions", []):
        for item in pred.get("result", []):
            value = item.get("value")
            if not value or "start" not in value:
                continue
            if text[value["start"]:value["end"]] != value.get("text"):
                problems.append(f"prediction region {item.get('id')}: text[{value['start']}:{value['end']}] "
                                f"is not {value.get('text')!r}")
    return problems


@contextlib.contextmanager
def write_tasks_stream(path: Path) -> Iterator[Callable[[dict[str, Any]], None]]:
    """`write(task)` appends to a JSON array importable in the Label Studio UI; the file replaces
    the old one only when the block ends without an error (atomic), so a task list of any length
    is written without being held in memory."""
    n = 0
    with fileio.atomic_open(path) as fh:
        fh.write("[\n")

        def write(task: dict[str, Any]) -> None:
            nonlocal n
            fh.write(",\n" if n else "")
            fh.write(json.dumps(task, ensure_ascii=False, sort_keys=True))
            n += 1

        yield write
        fh.write("\n]\n")


@functools.cache
def instructions_html() -> str:
    """The guideline as the HTML Label Studio shows in its Instructions panel."""
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("commonmark").enable("table").render(resources.guideline_markdown())
    return html

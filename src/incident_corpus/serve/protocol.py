"""The ML backend protocol as label-studio 1.23.2 speaks it (`label_studio/ml/api_connector.py`).

What the server sends:
  GET  /health                    → 200 JSON (anything but an error counts as connected)
  POST /setup    {project, schema, hostname, access_token, extra_params}
                                  → {"model_version": ...}; called before every prediction round
  POST /predict  {tasks: [task...], project, label_config, params: {login, password, context}}
                                  → {"results": [{"result": [...], "score": s, "model_version": v}, ...]}
                                    one per task, in order (a count mismatch makes the server retry
                                    task by task, or drop every prediction)
  POST /webhook  {action, project, annotation?, task?, ...} for every action of the project (the
                 server creates the webhook with send_for_all_actions), and START_TRAINING when the
                 user presses "Start training"
  POST /train    {annotations, project, label_config, params} (legacy path when the webhook flag is off)

These functions check what arrives and raise `BadRequest` with a status and a message that names
the field; they never touch the model. Unknown fields are ignored (the server adds new ones).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from incident_corpus.core.labels import LABELS_NAME, TEXT_NAME

# Actions that change what a model could learn from (webhook "action" values).
ANNOTATION_ACTIONS = frozenset({"ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATION_DELETED",
                                "ANNOTATIONS_CREATED", "ANNOTATIONS_DELETED"})
TRAIN_ACTIONS = frozenset({"START_TRAINING"})


class BadRequest(Exception):
    """A request the backend cannot serve; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class PredictTask:
    """One task to predict: its id (if the server sent one) and the text every offset refers to."""

    id: Any
    text: str


def parse_json(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 that says what is wrong with it."""
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(400, f"the request body is not valid JSON ({exc}); send a JSON object") from None
    if not isinstance(value, dict):
        raise BadRequest(400, f"the request body is a JSON {type(value).__name__}, not an object")
    return value


def parse_predict(body: dict[str, Any], *, max_tasks: int) -> list[PredictTask]:
    """The tasks of a /predict request; every task must carry `data.text` as a string."""
    tasks = body.get("tasks")
    if not isinstance(tasks, list):
        raise BadRequest(422, '"tasks" must be a list of Label Studio tasks ({"id": ..., "data": {"text": ...}})')
    if len(tasks) > max_tasks:
        raise BadRequest(413, f"{len(tasks)} tasks in one request is over the limit of {max_tasks}; "
                              "send fewer tasks per request")
    out: list[PredictTask] = []
    for i, task in enumerate(tasks):
        where = f"tasks[{i}]" + (f" (task {task.get('id')})" if isinstance(task, dict) and "id" in task else "")
        if not isinstance(task, dict):
            raise BadRequest(422, f"{where} is not a task object")
        data = task.get("data")
        if not isinstance(data, dict):
            raise BadRequest(422, f'{where} has no "data" object')
        text = data.get(TEXT_NAME)
        if not isinstance(text, str):
            raise BadRequest(422, f'{where} has no "data.{TEXT_NAME}" string; this backend labels the '
                                  f'incident-corpus config, whose text field is "{TEXT_NAME}"')
        out.append(PredictTask(id=task.get("id"), text=text))
    return out


def check_label_config(body: dict[str, Any], *, ours: str, key: str) -> None:
    """Refuse a project whose label config is not ours: our spans would be meaningless there."""
    from incident_corpus.studio import labelconfig

    theirs = body.get(key)
    if theirs is None:
        return
    if not isinstance(theirs, str):
        raise BadRequest(422, f'"{key}" must be the project\'s label config as an XML string')
    try:
        problems = [d for d in labelconfig.diff(ours, theirs) if not d.startswith("layout:")]
    except Exception as exc:  # InputError for XML that does not parse
        raise BadRequest(422, f'"{key}" is not a label config this backend can read: {exc}') from None
    if problems:
        raise BadRequest(422, "the project's label config is not incident-corpus's ("
                              + "; ".join(problems) + "); connect this backend only to projects made by "
                              "`annotate push`")


def annotation_id(body: dict[str, Any]) -> int | None:
    """The id of the annotation a webhook is about (`annotation.id`), if it names one."""
    annotation = body.get("annotation")
    value = annotation.get("id") if isinstance(annotation, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def announced_total(body: dict[str, Any]) -> int | None:
    """The project's annotation count as the server saw it when it posted this webhook
    (`project.total_annotations_number`: START_TRAINING carries it, and no annotation id)."""
    project = body.get("project")
    value = project.get("total_annotations_number") if isinstance(project, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


@dataclass(frozen=True)
class ContextRegion:
    """A span the annotator marked (interactive pre-annotation sends it as `params.context`)."""

    start: int
    end: int
    label: str


def parse_context(body: dict[str, Any]) -> list[ContextRegion]:
    """The labelled text regions of `params.context.result` (what the labelling view sends when an annotator
    marks a span with interactive pre-annotation on); other result types are ignored."""
    params = body.get("params")
    context = params.get("context") if isinstance(params, dict) else None
    if context is None:
        return []
    result = context.get("result") if isinstance(context, dict) else None
    if not isinstance(result, list):
        raise BadRequest(422, '"params.context" must be an object with a "result" list (the regions the '
                              "annotator marked)")
    regions = []
    for i, item in enumerate(result):
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, dict) or (item.get("type") != "labels" and item.get("from_name") != LABELS_NAME):
            continue
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end and isinstance(labels, list)
                and len(labels) == 1 and isinstance(labels[0], str)):
            raise BadRequest(422, f"params.context.result[{i}] is not a text region with integer start < end and "
                                  "one label")
        regions.append(ContextRegion(start=start, end=end, label=labels[0]))
    return regions

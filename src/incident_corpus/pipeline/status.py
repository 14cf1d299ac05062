"""`annotate status`: how far a project is, who did the work, and how much the pre-annotations held up.

Built to stay fast on a 10k-task project: task counts come from the client's filtered task
listings that ask for one row each (`Client.task_counts`), and everything else from ONE export
snapshot with predictions inlined — never one request per task. This module only summarises;
what to ask Label Studio, and how, is the client's business.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from incident_corpus.core.errors import LabelStudioError
from incident_corpus.core.labels import LABELS, LABELS_NAME
from incident_corpus.core.pseudonyms import annotator_pseudonym
from incident_corpus.core.scoring import Score, Span, score_spans
from incident_corpus.studio.connection import Connection


@dataclass
class StatusResult:
    project: str
    project_id: int
    tasks_total: int
    tasks_completed: int  # at least one submitted (not cancelled) annotation
    tasks_skipped: int  # only cancelled annotations
    tasks_left: int
    annotations: int  # submitted annotations counted below
    by_annotator: dict[str, int] = field(default_factory=dict)  # pseudonym -> submitted annotations
    label_counts: dict[str, int] = field(default_factory=dict)  # spans per label over submitted annotations
    compared_annotations: int = 0  # submitted annotations of tasks that have a prediction
    without_prediction: int = 0  # submitted annotations of tasks without one (not scored)
    # mode ("exact"/"overlap") -> label or "micro" -> Score
    prediction_scores: dict[str, dict[str, Score]] = field(default_factory=dict)
    # model_version -> {"annotations": n, "scores": mode -> label or "micro" -> Score}: does a new model help?
    by_model_version: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["prediction_scores"] = {mode: {k: s.as_dict() for k, s in per.items()}
                                  for mode, per in self.prediction_scores.items()}
        d["by_model_version"] = {v: {"annotations": m["annotations"], "scores": {
            mode: {k: s.as_dict() for k, s in per.items()} for mode, per in m["scores"].items()}}
            for v, m in self.by_model_version.items()}
        return d


def project_status(*, connection: Connection, project: str) -> StatusResult:
    """Counts from the API plus one export snapshot (with predictions) for the annotation figures."""
    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        proj = client.get_project(project)
        # With one annotation per task, "finished" is "has a submitted annotation": export only those.
        finished_only = client.max_annotations(proj.id) <= 1
        counts = client.task_counts(proj.id)
        raw = client.export_snapshot(proj.id, finished_only=finished_only, with_predictions=True, tasks=counts.total)
        users = client.users()
    try:
        tasks = json.loads(raw)
    except ValueError as exc:
        raise LabelStudioError(f"the export of project {project!r} is not valid JSON ({exc}); try again") from None
    result = StatusResult(project=project, project_id=proj.id, tasks_total=counts.total,
                          tasks_completed=counts.completed, tasks_skipped=counts.skipped,
                          tasks_left=max(0, counts.total - counts.completed - counts.skipped), annotations=0)
    summarise_export(tasks, users=users, into=result)
    return result


def summarise_export(tasks: Iterable[Mapping[str, Any]], *, users: Mapping[int, str], into: StatusResult) -> None:
    """Fill the annotation figures of `into` from a JSON export (cancelled annotations left out)."""
    by_annotator: Counter[str] = Counter()
    label_counts: Counter[str] = Counter()
    pairs: list[tuple[list[Span], list[Span]]] = []
    by_version: dict[str, list[tuple[list[Span], list[Span]]]] = {}
    for task in tasks:
        prediction = _latest(task.get("predictions") or [])
        for ann in task.get("annotations") or []:
            if not isinstance(ann, Mapping) or ann.get("was_cancelled"):
                continue
            into.annotations += 1
            by_annotator[annotator_pseudonym(ann.get("completed_by"), users)] += 1  # the pseudonym pull writes
            gold = spans_of(ann.get("result"))
            label_counts.update(label for _, _, label in gold)
            if prediction is None:
                into.without_prediction += 1
                continue
            into.compared_annotations += 1
            pairs.append((gold, spans_of(prediction.get("result"))))
            by_version.setdefault(str(prediction.get("model_version") or "(none)"), []).append(pairs[-1])
    into.by_annotator = dict(sorted(by_annotator.items()))
    into.label_counts = {label: label_counts.get(label, 0) for label in LABELS} | {
        k: v for k, v in sorted(label_counts.items()) if k not in LABELS}
    into.prediction_scores = score_spans(pairs)  # predictions (second) against annotations (first)
    into.by_model_version = {v: {"annotations": len(p), "scores": score_spans(p)}
                             for v, p in sorted(by_version.items())}


def spans_of(result: Any) -> list[Span]:
    """(start, end, label) of the label regions of an LS result list; anything malformed is skipped."""
    out: list[Span] = []
    if not isinstance(result, list):
        return out
    for item in result:
        if not isinstance(item, Mapping) or item.get("type") != "labels" or item.get("from_name") != LABELS_NAME:
            continue
        value = item.get("value") or {}
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        if isinstance(start, int) and isinstance(end, int) and isinstance(labels, list):
            out.extend((start, end, str(label)) for label in labels)
    return out


def render_text(r: StatusResult) -> str:
    """A few lines and two small tables for a terminal."""
    lines = [
        f"project {r.project!r} (id {r.project_id})",
        f"tasks: {r.tasks_total} total, {r.tasks_completed} completed, {r.tasks_skipped} skipped, "
        f"{r.tasks_left} left",
        f"submitted annotations: {r.annotations}",
    ]
    if r.by_annotator:
        lines.append("by annotator: " + ", ".join(f"{who} {n}" for who, n in r.by_annotator.items()))
    if r.label_counts:
        lines.append("spans: " + ", ".join(f"{label} {n}" for label, n in r.label_counts.items()))
    if r.compared_annotations:
        lines.append("")
        lines.append(f"pre-annotations vs submitted annotations ({r.compared_annotations} annotations"
                     + (f"; {r.without_prediction} without a prediction not scored" if r.without_prediction else "")
                     + "):")
        header = f"{'label':<12} {'exact P':>8} {'R':>6} {'F1':>6}   {'overlap P':>9} {'R':>6} {'F1':>6}   " \
                 f"{'pred':>5} {'gold':>5}"
        lines.append(header)
        exact, overlap = r.prediction_scores["exact"], r.prediction_scores["overlap"]
        for label in exact:
            e, o = exact[label], overlap[label]
            lines.append(f"{label:<12} {_p(e):>8} {_r(e):>6} {_f(e):>6}   {_p(o):>9} {_r(o):>6} {_f(o):>6}   "
                         f"{e.n_pred:>5} {e.n_gold:>5}")
        if len(r.by_model_version) > 1:
            lines.append("")
            lines.append("by model_version (micro F1, exact / overlap):")
            for version, m in r.by_model_version.items():
                e, o = m["scores"]["exact"]["micro"], m["scores"]["overlap"]["micro"]
                lines.append(f"  {version}: {_f(e)} / {_f(o)} over {m['annotations']} annotations")
    elif r.annotations:
        lines.append("no submitted annotation has a prediction to compare with")
    return "\n".join(lines)


def _p(s: Score) -> str:
    return f"{s.precision:.3f}" if s.n_pred else "-"  # no prediction of this label: undefined


def _r(s: Score) -> str:
    return f"{s.recall:.3f}" if s.n_gold else "-"


def _f(s: Score) -> str:
    return f"{s.f1:.3f}" if s.n_pred or s.n_gold else "-"


def _latest(predictions: list[Any]) -> Mapping[str, Any] | None:
    """The newest prediction of a task: the one the annotator was shown."""
    preds = [p for p in predictions if isinstance(p, Mapping)]
    if not preds:
        return None
    return max(preds, key=lambda p: (str(p.get("created_at") or ""), p.get("id") if isinstance(p.get("id"), int)
                                     else -1))


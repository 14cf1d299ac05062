"""`annotate status`: how far a project is, who did the work, and how much the pre-annotations held up.

Built to stay fast on a 10k-task project: task counts come from the client's filtered task
listings that ask for one row each (`Client.task_counts`), and everything else from ONE export
snapshot with predictions inlined — never one request per task. This module only summarises;
what to ask Label Studio, and how, is the client's business.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
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
    # What serves the project live (`annotate serve --connect`): the project's model_version, its ML
    # backends (title, url, state) and how many tasks carry a prediction of that model_version.
    model_version: str | None = None
    ml_backends: list[dict[str, Any]] = field(default_factory=list)
    tasks_with_current_predictions: int | None = None
    overlap: dict[str, int] = field(default_factory=dict)  # maximum_annotations, overlap_cohort_percentage
    # per task group (tasks wanting the same number of annotations): tasks, finished, annotations, owed
    task_groups: list[dict[str, int]] = field(default_factory=list)
    agreement: dict[str, Any] | None = None  # quality.agreement over the exported valid records
    audit: dict[str, Any] | None = None  # quality.audit: predicted spans kept/changed/deleted, lead times
    # The trained model's merge with the rules (meta.json): {"model_version", "chosen_on", "labels": per label
    # source, threshold, support, reason}; None when no model folder was found
    merge: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["prediction_scores"] = {mode: {k: s.as_dict() for k, s in per.items()}
                                  for mode, per in self.prediction_scores.items()}
        d["by_model_version"] = {v: {"annotations": m["annotations"], "scores": {
            mode: {k: s.as_dict() for k, s in per.items()} for mode, per in m["scores"].items()}}
            for v, m in self.by_model_version.items()}
        return d


def model_merge(model: Path | None, model_version: str | None) -> dict[str, Any] | None:
    """The merge decision of a trained model: MODEL is its folder, or an `annotate serve --workdir` (then the
    folder of the project's model_version under models/, else the current one). None when there is none."""
    if model is None or not model.is_dir():
        return None
    candidates = [model]
    if model_version and "+" in model_version:
        candidates.append(model / "models" / model_version.split("+", 1)[1])
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        candidates.append(Path(json.loads((model / "current.json").read_text(encoding="utf-8"))["model_dir"]))
    for folder in candidates:
        try:
            block = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["incident_corpus"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        merge = block.get("merge") or {}
        return {"model": str(folder), "model_version": block.get("model_version"),
                "chosen_on": merge.get("chosen_on"), "min_support": merge.get("min_support"),
                "labels": {label: {k: v.get(k) for k in ("source", "threshold", "support", "reason")}
                           for label, v in (merge.get("labels") or {}).items()}}
    return None


def project_status(*, connection: Connection, project: str, model: Path | None = None) -> StatusResult:
    """Counts from the API plus one export snapshot (with predictions) for the annotation figures; with
    `model`, the merge decision of the trained model (why it is or is not used per label)."""
    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        proj = client.get_project(project)
        info = client.project_info(proj.id)
        overlaps = client.task_overlaps(proj.id)
        # With one annotation per task, "finished" is "has a submitted annotation": export only those.
        finished_only = int(info.get("maximum_annotations") or 1) <= 1
        counts = client.task_counts(proj.id)
        model_version = info.get("model_version") or None
        backends = [{"title": b.get("title"), "url": b.get("url"), "state": b.get("readable_state")}
                    for b in client.ml_backends(proj.id)]
        current = client.tasks_predicted_by(proj.id, model_version) if model_version else None
        raw = client.export_snapshot(proj.id, finished_only=finished_only, with_predictions=True, tasks=counts.total)
        users = client.users()
    try:
        tasks = json.loads(raw)
    except ValueError as exc:
        raise LabelStudioError(f"the export of project {project!r} is not valid JSON ({exc}); try again") from None
    result = StatusResult(project=project, project_id=proj.id, tasks_total=counts.total,
                          tasks_completed=counts.completed, tasks_skipped=counts.skipped,
                          tasks_left=max(0, counts.total - counts.completed - counts.skipped), annotations=0,
                          model_version=model_version, ml_backends=backends, tasks_with_current_predictions=current)
    summarise_export(tasks, users=users, into=result)
    result.overlap = {"maximum_annotations": int(info.get("maximum_annotations") or 1),
                      "overlap_cohort_percentage": int(info.get("overlap_cohort_percentage") or 100)}
    result.task_groups = task_groups(overlaps)
    from incident_corpus.quality.audit import audit_export
    from incident_corpus.quality.checks import check_export

    if any(_submitted(t) > 1 for t in tasks):  # validation costs seconds on 10k tasks: only when there is overlap
        from incident_corpus.export.align import annotators_bio

        _, result.agreement = check_export(tasks=tasks, users=users, tagger=annotators_bio)
    result.audit = audit_export(tasks, users=users)
    result.merge = model_merge(model, model_version)
    return result


def _submitted(task: Mapping[str, Any]) -> int:
    return sum(1 for a in task.get("annotations") or [] if isinstance(a, Mapping) and not a.get("was_cancelled"))


def task_groups(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, int]]:
    """Tasks grouped by how many annotations each wants (its `overlap`), with the annotations still owed:
    a task the server counts finished (is_labeled) owes none, any other overlap − submitted."""
    groups: dict[int, dict[str, int]] = {}
    for row in rows:
        want = int(row.get("overlap") or 1)
        g = groups.setdefault(want, {"overlap": want, "tasks": 0, "finished": 0, "annotations": 0, "owed": 0})
        done = int(row.get("total_annotations") or 0)
        g["tasks"] += 1
        g["annotations"] += done
        if row.get("is_labeled"):
            g["finished"] += 1
        else:
            g["owed"] += max(0, want - done)
    return [groups[k] for k in sorted(groups, reverse=True)]


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
    for b in r.ml_backends:
        lines.append(f"ML backend: {b['title']} at {b['url']} ({b['state']})")
    if r.model_version:
        lines.append(f"model_version: {r.model_version} ({r.tasks_with_current_predictions} of {r.tasks_total} "
                     "tasks carry its predictions)")
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
    if r.merge:
        from incident_corpus.preannotate.policy import describe

        lines += ["", f"merge of {r.merge['model_version']} with the rules (chosen on {r.merge['chosen_on']}):"]
        lines += [f"  {line}" for line in describe(r.merge)]
    lines.extend(_team_lines(r))
    return "\n".join(lines)


def _team_lines(r: StatusResult) -> list[str]:
    """Overlap and owed annotations, agreement, and the pre-annotation audit."""
    from incident_corpus.quality.reporter import extra_agreement

    lines: list[str] = []
    if r.overlap:
        lines += ["", f"overlap: {r.overlap['maximum_annotations']} annotator(s) per task on "
                      f"{r.overlap['overlap_cohort_percentage']} % of the tasks"]
    for g in r.task_groups:
        lines.append(f"  tasks wanting {g['overlap']} annotation(s): {g['tasks']} tasks, {g['finished']} finished, "
                     f"{g['annotations']} annotations, {g['owed']} still owed")
    a = r.agreement
    if a and a["articles_with_multiple_annotators"]:
        micro = a["overall"]["micro"]
        lines.append(f"agreement over {a['articles_with_multiple_annotators']} article(s) with ≥2 annotators: "
                     f"overlap F1 {_opt(micro['overlap_f1'])}, exact F1 {_opt(micro['exact_f1'])}"
                     + extra_agreement(a))
    au = r.audit
    if au and au["annotations_compared"]:
        lines += ["", f"pre-annotation audit ({au['annotations_compared']} annotations from a prediction): "
                      "predicted spans kept / changed / deleted, spans added"]
        lines.append(f"{'annotator':<16} {'label':<12} {'pred':>5} {'kept':>10} {'changed':>10} {'deleted':>10} "
                     f"{'added':>6}")
        for who, d in au["by_annotator"].items():
            for label, c in [*d["labels"].items(), ("all", d["total"])]:
                if not (c["predicted"] or c["added"]):
                    continue
                lines.append(f"{who:<16} {label:<12} {c['predicted']:>5} {_share(c, 'kept'):>10} "
                             f"{_share(c, 'changed'):>10} {_share(c, 'deleted'):>10} {c['added']:>6}")
        lead = au["overall"]["lead_time_median"]
        lines.append(f"median lead_time: {_opt(lead['with_predictions'], 's')} with a prediction "
                     f"({lead['annotations_with']}), {_opt(lead['without_predictions'], 's')} without "
                     f"({lead['annotations_without']})")
    return lines


def _share(c: Mapping[str, Any], key: str) -> str:
    share = c[f"{key}_share"]
    return f"{c[key]} ({share:.0%})" if share is not None else str(c[key])


def _opt(x: float | None, unit: str = "") -> str:
    return "n/a" if x is None else f"{x:.3f}" if not unit else f"{x:.1f} {unit}"


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


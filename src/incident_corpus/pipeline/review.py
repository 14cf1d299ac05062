"""`annotate review`: articles whose annotators disagree → one task each in a review project.

Each review task carries every annotator's latest version of the article as a prediction whose
`model_version` is the annotator's pseudonym, so a curator sees them side by side ("Compare All")
and submits the settled version; `annotate export --resolve reviewed` then prefers it.

An article disagrees when, for any pair of its annotators, the span overlap F1 is below
`min_agreement`, or a matched span has different attributes, or a relation is drawn by one and not
the other (see quality.agreement.compare). Idempotent like push: the review project is keyed by
`article_id` (the content hash of the text), so a re-run adds only articles not there yet.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from incident_corpus.core import resources
from incident_corpus.core.errors import InputError, LabelStudioError
from incident_corpus.core.progress import ProgressCallback
from incident_corpus.pipeline.project import ensure_project
from incident_corpus.studio.connection import Connection

if TYPE_CHECKING:
    pass

DEFAULT_MIN_AGREEMENT = 0.8
CURATOR_GUIDELINE = "curator_guideline.md"


@dataclass
class ReviewResult:
    project: str
    project_id: int
    review_project: str
    review_project_id: int | None = None
    review_project_created: bool = False
    min_agreement: float = DEFAULT_MIN_AGREEMENT
    records: int = 0  # valid records of the project (quarantined ones are not compared)
    articles_multi: int = 0  # articles with two or more annotators
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    created: int = 0
    already_present: int = 0
    invalid: list[dict[str, str]] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("task_ids")
        return d


def default_review_title(project: str) -> str:
    return f"{project} review"


def find_disagreements(records: Sequence[Mapping[str, Any]], *,
                       min_agreement: float) -> tuple[int, list[dict[str, Any]]]:
    """(articles with ≥2 annotators, one entry per disagreeing article with the reasons and versions)."""
    from incident_corpus.quality.agreement import compare, latest_by_annotator

    by_article = latest_by_annotator(records)
    multi = 0
    out: list[dict[str, Any]] = []
    for article_id in sorted(by_article):
        versions = by_article[article_id]
        if len(versions) < 2:
            continue
        multi += 1
        reasons: list[str] = []
        boundaries: list[str] = []  # alone they do not send an article to review; listed when it is sent
        lowest: float | None = None
        for a, b in itertools.combinations(sorted(versions), 2):
            cmp = compare(versions[a], versions[b])
            f1 = cmp.overlap_f1
            if f1 is not None and (lowest is None or f1 < lowest):
                lowest = f1
            if f1 is not None and f1 < min_agreement:
                reasons.append(f"{a} vs {b}: span overlap F1 {f1:.3f} < {min_agreement:g}")
            for c in cmp.attribute_conflicts:
                start, end, label = c["span"]
                reasons.append(f"{a} vs {b}: {c['attribute']} of {label} {start}-{end}: "
                               f"{c['values'][0]} / {c['values'][1]}")
            if cmp.relation_conflicts:
                reasons.append(f"{a} vs {b}: {cmp.relation_conflicts} relation(s) drawn by only one")
            boundaries.extend(f"{a} vs {b}: {x['label']} boundary {x['start']}-{x['end']} / {y['start']}-{y['end']}"
                              for x, y in cmp.matches if (x["start"], x["end"]) != (y["start"], y["end"]))
        if reasons:
            reasons.extend(boundaries)
            out.append({"article_id": article_id, "annotators": sorted(versions),
                        "lowest_overlap_f1": None if lowest is None else round(lowest, 4), "reasons": reasons,
                        "versions": [versions[w] for w in sorted(versions)]})
    return multi, out


def review_task(entry: Mapping[str, Any], *, project: str, project_id: int) -> dict[str, Any]:
    """The review task of one disagreeing article: its data as pushed, one prediction per annotator."""
    from incident_corpus.studio.results import spans_to_result

    first = entry["versions"][0]
    data: dict[str, Any] = {"text": first["text"], "article_id": entry["article_id"]}
    for key, value in (first.get("meta") or {}).items():
        if key != "extra" and value is not None:
            data[key] = value
    predictions = [{"model_version": rec["annotator"],
                    "result": spans_to_result(rec["spans"], rec["relations"])} for rec in entry["versions"]]
    return {
        "data": data,
        "meta": {"article_id": entry["article_id"], "review": {
            "project": project, "project_id": project_id,
            "annotators": entry["annotators"],
            "annotation_ids": [rec["annotation_id"] for rec in entry["versions"]],
            "versions_hash": versions_hash(entry["versions"]),
            "reasons": entry["reasons"][:20]}},
        "predictions": predictions,
    }


def versions_hash(versions: list[Mapping[str, Any]]) -> str:
    """A content hash of what the annotators said (kept on the task, to spot versions edited since)."""
    body = json.dumps([[v["annotator"], v["spans"], v["relations"]] for v in versions], sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


@functools.cache
def curator_instructions_html() -> str:
    from markdown_it import MarkdownIt

    md = resources.read_text(CURATOR_GUIDELINE) + "\n\n" + resources.guideline_markdown()
    html: str = MarkdownIt("commonmark").enable("table").render(md)
    return html


def review(
    *,
    connection: Connection,
    project: str,
    review_project: str | None = None,
    min_agreement: float = DEFAULT_MIN_AGREEMENT,
    progress: ProgressCallback | None = None,
) -> ReviewResult:
    """Compare the project's annotators article by article and push the disagreements for review."""
    if not 0 <= min_agreement <= 1:
        raise InputError(f"--min-agreement must be between 0 and 1, not {min_agreement}")
    from incident_corpus.pipeline.push import push_lock
    from incident_corpus.quality.checks import check_export
    from incident_corpus.studio.client import Client
    from incident_corpus.studio.tasks import task_problems

    title = review_project or default_review_title(project)
    if title == project:
        raise InputError(f"--review-project must differ from --project ({project!r}): review tasks would mix "
                         "with the annotators' tasks")
    with Client(connection) as client:
        client.check()
        proj = client.get_project(project)
        result = ReviewResult(project=project, project_id=proj.id, review_project=title,
                              min_agreement=min_agreement)
        raw = client.export_snapshot(proj.id, tasks=proj.task_count)
        users = client.users()
        try:
            tasks = json.loads(raw)
        except ValueError as exc:
            raise LabelStudioError(f"the export of project {project!r} is not valid JSON ({exc}); try again") from None
        validation, _ = check_export(tasks=tasks, users=users)
        result.records = len(validation.records)
        result.articles_multi, found = find_disagreements(validation.records, min_agreement=min_agreement)
        result.disagreements = [{k: v for k, v in d.items() if k != "versions"} for d in found]
        if not found:
            return result
        ensured = ensure_project(client, title=title, instructions=curator_instructions_html, kind="review project",
                                 on_conflict="; give another --review-project title")
        target, result.review_project_created = ensured.project, ensured.created
        result.review_project_id = target.id
        review_tasks = []
        for entry in found:
            task = review_task(entry, project=project, project_id=proj.id)
            problems = task_problems(task)
            if problems:
                result.invalid.append({"source": entry["article_id"], "reason": "; ".join(problems)})
                continue
            review_tasks.append(task)
        with push_lock(connection.url, target.id):
            ids = [t["data"]["article_id"] for t in review_tasks]
            present = client.tasks_by_article(target.id, ids)
            missing = [t for t in review_tasks if t["data"]["article_id"] not in present]
            result.already_present = len(review_tasks) - len(missing)
            if missing:  # retried only after re-checking which articles landed (see Client.import_new_tasks)
                imported = client.import_new_tasks(target.id, missing)
                result.task_ids, result.created = imported.task_ids, imported.count
        if progress:
            progress("review tasks", result.created, len(review_tasks))
    return result

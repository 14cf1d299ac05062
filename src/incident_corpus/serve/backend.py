"""The state `annotate serve` predicts from: the current predictor, its model_version, and retraining.

Predictions are built exactly as `annotate push` builds them (`studio.tasks.build_task` plus
`task_problems`, the label-config and `text[start:end]` checks), so a task looks the same whether
it was pre-annotated at push time or live.

Retraining runs in one background thread at a time. Annotation webhooks are counted; once
`retrain_after` of them have arrived a training starts, and events that arrive while it runs
only count towards the next one, so a burst of N webhooks causes one retrain, not N. The job
(handed in by `pipeline.serve`) returns a new predictor; it is swapped in under a lock, so a
request is served wholly by the old or wholly by the new one. A failed job keeps the old
predictor and its message is kept for `/health`; the next annotation webhook then retries at once
(not after another `retrain_after` of them), so a training that failed on too few annotations comes
back as soon as there is one more.

The job gets the ids of the annotations the webhooks announced since the last training: without Redis
Label Studio posts the webhook from inside the request that creates the annotation, so the job must
make sure its pull sees them (pipeline.serve waits, bounded, until the server shows them).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from incident_corpus.ingest.articles import content_hash
from incident_corpus.serve.protocol import ANNOTATION_ACTIONS, TRAIN_ACTIONS, ContextRegion, PredictTask
from incident_corpus.studio.tasks import build_task, task_problems

log = logging.getLogger("incident_corpus.serve")


class Predictor(Protocol):
    """What push and serve predict with: rules, a trained model, or both merged."""

    version: str  # the model_version its predictions carry

    def annotate_many(self, texts: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Yield {"spans", "relations", "score"} per text, in order."""
        ...


@dataclass(frozen=True)
class Announced:
    """What the webhooks since the last training announced: the training's pull must see it."""

    ids: frozenset[int] = frozenset()  # annotations created or updated
    total: int | None = None  # the project's annotation count in the latest webhook that carried it


RetrainJob = Callable[[Announced], Predictor]


@dataclass
class TrainingState:
    running: bool = False
    started: int = 0
    finished: int = 0
    failed: int = 0
    last_error: str | None = None  # why the last failed training failed (kept after a later success)
    last_outcome: str | None = None  # "finished" or "failed"
    retry_due: bool = False  # the last training failed: the next annotation webhook retries
    last_finished_at: float | None = None
    last_duration_s: float | None = None


class Backend:
    """Serves predictions from one predictor at a time and retrains it in the background."""

    def __init__(self, *, predictor: Predictor, retrain: RetrainJob | None = None, retrain_after: int = 0) -> None:
        self._predictor = predictor
        self._retrain = retrain
        self.retrain_after = retrain_after
        self._swap_lock = threading.Lock()
        # spaCy pipelines are not documented as thread-safe: one prediction batch at a time
        # (the GIL would serialise the CPU work anyway).
        self._predict_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.pending = 0
        self.announced: set[int] = set()  # annotation ids of created/updated webhooks since the last start
        self.announced_total: int | None = None
        self.events: Counter[str] = Counter()
        self.training = TrainingState()

    @property
    def model_version(self) -> str:
        return self._predictor.version

    # -- predictions ---------------------------------------------------------------------------

    def predict(self, tasks: list[PredictTask]) -> list[dict[str, Any]]:
        """One result per task, in order: {"result", "score", "model_version"}."""
        with self._swap_lock:
            predictor = self._predictor
        version = predictor.version
        with self._predict_lock:
            predictions = list(predictor.annotate_many(t.text for t in tasks))
        return [self._answer(task, prediction, version) for task, prediction in zip(tasks, predictions, strict=True)]

    def predict_mentions(self, tasks: list[PredictTask], regions: list[ContextRegion]) -> list[dict[str, Any]]:
        """Interactive pre-annotation: per task, every other mention of the entities the annotator marked
        (`regions`, from the request's context), under the marked label; the marked spans themselves are
        the annotator's and are not repeated."""
        from incident_corpus.preannotate.mentions import other_mentions

        version = self.model_version
        out = []
        for task in tasks:
            taken = [(r.start, r.end) for r in regions]
            spans: list[dict[str, Any]] = []
            for region in regions:
                if region.end > len(task.text):
                    continue
                for start, end in other_mentions(task.text, region.start, region.end, taken=taken):
                    taken.append((start, end))
                    spans.append({"id": f"e{len(spans) + 1}", "start": start, "end": end, "label": region.label,
                                  "text": task.text[start:end], "attributes": {}})
            spans.sort(key=lambda x: (x["start"], x["end"]))
            log.info("task %s: %d other mention(s) of %d marked span(s)", task.id, len(spans), len(regions))
            out.append(self._answer(task, {"spans": spans, "relations": [], "score": 1.0}, version))
        return out

    @staticmethod
    def _answer(task: PredictTask, prediction: dict[str, Any], version: str) -> dict[str, Any]:
        built = build_task({"text": task.text, "article_id": content_hash(task.text)},
                           prediction=prediction, model_version=version)
        problems = task_problems(built)
        if problems:
            # Never hand the server a region whose offsets do not hold: an empty prediction
            # costs the annotator nothing, a wrong one costs a correction.
            log.warning("task %s: prediction dropped: %s", task.id, "; ".join(problems))
            return {"result": [], "score": 0.0, "model_version": version}
        result: dict[str, Any] = built["predictions"][0]
        return result

    # -- webhooks and training -------------------------------------------------------------------

    def webhook(self, action: str, annotation_id: int | None = None, total: int | None = None) -> bool:
        """Count an event; start a training when enough annotations changed, or at once after a failed
        one. True if one started."""
        with self._state_lock:
            self.events[action] += 1
            changed = action in ANNOTATION_ACTIONS
            if total is not None:
                self.announced_total = total
            if changed:
                self.pending += 1
                if annotation_id is not None and not action.endswith("DELETED"):
                    self.announced.add(annotation_id)
            due = action in TRAIN_ACTIONS or (self.retrain_after > 0 and (
                self.pending >= self.retrain_after or (changed and self.training.retry_due)))
        return self.start_training(reason=action) if due else False

    def start_training(self, *, reason: str) -> bool:
        """Start the retrain job in the background unless one is running (then the events wait)."""
        if self._retrain is None:
            return False
        with self._state_lock:
            if self.training.running:
                return False
            self.training.running = True
            self.training.started += 1
            self.pending = 0
            self.training.retry_due = False
            announced = Announced(ids=frozenset(self.announced), total=self.announced_total)
            self.announced = set()
            self._thread = threading.Thread(target=self._train, args=(reason, announced), name="retrain",
                                            daemon=True)
            self._thread.start()
        return True

    def _train(self, reason: str, announced: Announced) -> None:
        assert self._retrain is not None
        t0 = time.monotonic()
        log.info("training started (%s); serving %s meanwhile", reason, self.model_version)
        try:
            new = self._retrain(announced)
        except Exception as exc:  # a failed training must never take the service down
            message = str(exc) or type(exc).__name__
            log.error("training failed, still serving %s: %s", self.model_version, message)
            with self._state_lock:
                self.training.failed += 1
                self.training.last_error = message
                self.training.last_outcome = "failed"
                self.training.retry_due = True
        else:
            with self._swap_lock:
                old, self._predictor = self._predictor.version, new
            log.info("training finished: now serving %s (was %s)", new.version, old)
            with self._state_lock:
                self.training.finished += 1
                self.training.last_outcome = "finished"
        finally:
            with self._state_lock:
                self.training.running = False
                self.training.last_finished_at = time.time()
                self.training.last_duration_s = round(time.monotonic() - t0, 3)
                again = self.retrain_after > 0 and self.pending >= self.retrain_after
        if again:
            self.start_training(reason="annotations changed during the last training")

    def wait_for_training(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def health(self) -> dict[str, Any]:
        with self._state_lock:
            t = self.training
            return {
                "status": "UP",
                "model_class": "incident-corpus",
                "model_version": self.model_version,
                "retrain_after": self.retrain_after,
                "annotations_since_training": self.pending,
                "training": {"running": t.running, "started": t.started, "finished": t.finished,
                             "failed": t.failed, "last_outcome": t.last_outcome, "last_error": t.last_error,
                             "retry_at_next_annotation": t.retry_due, "last_duration_s": t.last_duration_s},
                "events": dict(self.events),
            }

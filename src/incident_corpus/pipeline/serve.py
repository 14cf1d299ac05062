"""`annotate serve`: the ML backend a Label Studio project calls, wired to push's predictions,
pull's checks, export and `annotate train`.

- Predictions: the same predictor push uses (rules, a trained model, or both), through
  `serve.backend.Backend`, which builds them with push's own `build_task` / `task_problems`.
- `--connect`: registers the backend in the project (once: an existing registration with the
  same URL is updated, never duplicated), turns on interactive pre-annotations, retrieval of
  predictions when a task opens and training on submit, sets sampling to "Uncertainty sampling"
  and the project's `model_version` to the backend's. The backend's *title* is its model_version:
  Label Studio retrieves predictions for a task only when the project's model_version equals the
  backend's title, and its uncertainty sampling only looks at predictions whose model_version
  equals the project's, so one name serves both.
- Retraining: pull (quarantine applies: invalid annotations never train the model) → export the
  spaCy corpus → `annotate train`'s code, in a run folder under `workdir`; the finished model is
  renamed into `workdir/models/<model_version>` and only then `workdir/current.json` is replaced
  (atomically). A backend killed mid-training restarts on the model `current.json` names: the
  previous or the new one, never a half-written one.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core import fileio, resources
from incident_corpus.core.errors import InputError, LabelStudioError
from incident_corpus.serve.backend import Announced, Backend, Predictor
from incident_corpus.studio.connection import Connection

log = logging.getLogger("incident_corpus.serve")

DEFAULT_PORT = 9090
UNCERTAINTY = "Uncertainty sampling"  # label_studio.projects.models.Project.UNCERTAINTY
RETRAIN_SPLIT = (0.8, 0.2, 0.0)
ANNOUNCED_WAIT_S = 30.0  # at most this long for the server to show the annotations its webhooks announced


@dataclass(frozen=True)
class Connected:
    """Where the backend was registered."""

    project_id: int
    backend_id: int
    created: bool
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {"project_id": self.project_id, "backend_id": self.backend_id, "created": self.created,
                "url": self.url}


def load_predictor(model: str | Path | None) -> Predictor:
    """Rules alone, or rules and a model: exactly what `annotate push [--model M]` pre-annotates with."""
    from incident_corpus.preannotate.model import make_preannotator

    pre: Predictor = make_preannotator(model=str(model) if model is not None else None, rules=True)
    merge = getattr(pre, "merge_summary", None)
    if merge:
        from incident_corpus.preannotate.policy import describe

        for line in describe(merge):
            log.info("%s merge: %s", pre.version, line)
    return pre


def current_model(workdir: Path) -> Path | None:
    """The model the last finished retraining left (None when there is none or it is gone)."""
    try:
        pointer = json.loads((workdir / "current.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    model_dir = Path(str(pointer.get("model_dir", "")))
    return model_dir if (model_dir / "meta.json").is_file() else None


def clean_runs(workdir: Path) -> int:
    """Remove run folders a killed training left behind; return how many."""
    removed = 0
    for run in (workdir / "runs").glob("run-*") if (workdir / "runs").is_dir() else ():
        shutil.rmtree(run, ignore_errors=True)
        removed += 1
    return removed


def connect_backend(*, connection: Connection, project: str, backend_url: str, model_version: str,
                    retrain_after: int) -> Connected:
    """Register (or update) the backend in PROJECT and set the project up for model-in-the-loop."""
    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        client.check()
        proj = client.get_project(project)
        mine = [b for b in client.ml_backends(proj.id) if str(b.get("url", "")).rstrip("/") == backend_url]
        try:
            if mine:
                backend = client.update_ml_backend(int(mine[0]["id"]), url=backend_url, project_id=proj.id,
                                                   title=model_version, is_interactive=True, auto_update=True)
                created = False
            else:
                backend = client.add_ml_backend(proj.id, url=backend_url, title=model_version, interactive=True)
                created = True
        except LabelStudioError as exc:
            if exc.status == 400:
                raise LabelStudioError(
                    f"Label Studio at {connection.url} refused the ML backend at {backend_url}: {exc}. "
                    "A Label Studio started by hand refuses backends on loopback addresses: start it with "
                    "ML_BLOCK_LOCAL_IP=false and SSRF_PROTECTION_ENABLED=false (the embedded studio does), "
                    "or serve on an address it can reach (--host)"
                ) from None
            raise
        client.set_project(proj.id, what="set the project's sampling and model version",
                           sampling=UNCERTAINTY, model_version=model_version, show_collab_predictions=True,
                           evaluate_predictions_automatically=True,
                           min_annotations_to_start_training=max(0, retrain_after))
    return Connected(project_id=proj.id, backend_id=int(backend["id"]), created=created, url=backend_url)


def make_retrain_job(*, connection: Callable[[], Connection], project: str, workdir: Path,
                     max_steps: int | None, seed: int, folds: int = 5,
                     on_new_version: Callable[[str], None] | None = None) -> Callable[[Announced], Predictor]:
    """The job `Backend` runs in its background thread."""

    def job(announced: Announced) -> Predictor:
        from incident_corpus.export.build import export
        from incident_corpus.pipeline.pull import pull
        from incident_corpus.train.config import DEFAULT_MAX_STEPS
        from incident_corpus.train.trainer import train

        (workdir / "runs").mkdir(parents=True, exist_ok=True)
        run = Path(tempfile.mkdtemp(prefix="run-", dir=workdir / "runs"))
        try:
            conn = connection()
            wait_until_visible(conn, project, announced, timeout=ANNOUNCED_WAIT_S)
            pulled = pull(connection=conn, project=project, out_dir=run / "pull")
            if not pulled.validation.totals["valid"]:
                raise InputError(f"project {project!r} has no valid finished annotation to train on yet")
            # No test split: every annotated article either trains or picks the checkpoint.
            export(input_path=run / "pull" / "annotations.jsonl", out_dir=run / "dataset", formats=("spacy",),
                   split=RETRAIN_SPLIT, seed=seed, command="annotate serve (retraining)")
            trained = train(in_dir=run / "dataset", out=run / "model", seed=seed, folds=folds,
                            max_steps=DEFAULT_MAX_STEPS if max_steps is None else max_steps)
            version = trained.model_version
            final = workdir / "models" / version
            if not final.exists():
                final.parent.mkdir(parents=True, exist_ok=True)
                (run / "model").rename(final)
            fileio.write_json(workdir / "current.json", {"model_dir": str(final.resolve()), "model_version": version})
        finally:
            shutil.rmtree(run, ignore_errors=True)
        predictor = load_predictor(final)
        if on_new_version is not None:
            on_new_version(predictor.version)
        return predictor

    return job


def wait_until_visible(conn: Connection, project: str, announced: Announced, *, timeout: float,
                       sleep: Callable[[float], None] | None = None) -> list[str]:
    """Wait (at most `timeout` s) until the server shows what the webhooks announced: each announced
    annotation, and at least the announced annotation count (START_TRAINING carries only the count).
    Return what it never showed. Label Studio 1.23.2 posts these webhooks from inside the request that
    saves the annotation (synchronously, without Redis); it commits before, but a database that commits
    at the end of the request would let a pull started at once miss the annotation that triggered it."""
    import time

    from incident_corpus.studio.client import Client

    pause = sleep or time.sleep
    missing = set(announced.ids)
    short: int | None = announced.total
    started = time.monotonic()
    rounds = 0
    with Client(conn) as client:
        project_id = client.get_project(project).id if short is not None else None
        while missing or short is not None:
            rounds += 1
            for ann in sorted(missing):
                try:
                    client.get_json(f"/api/annotations/{ann}/", what=f"read annotation {ann}")
                except LabelStudioError as exc:
                    if exc.status != 404:
                        raise
                else:
                    missing.discard(ann)
            if short is not None and project_id is not None:
                seen = client.project_info(project_id).get("total_annotations_number")
                if not isinstance(seen, int) or seen >= short:
                    short = None
            if (not missing and short is None) or time.monotonic() >= started + timeout:
                break
            pause(0.5)
    if rounds > 1:
        log.info("waited %.1f s for the server to show the annotations the webhooks announced",
                 time.monotonic() - started)
    never = [f"annotation {a}" for a in sorted(missing)] + ([f"{short} annotations"] if short is not None else [])
    if never:
        log.warning("training without %s: announced by webhooks, not shown by the server after %.0f s "
                    "(deleted meanwhile?)", ", ".join(never), timeout)
    return never


def serve(*, connection: Callable[[], Connection] | None, model: str | Path | None, host: str, port: int,
          project: str | None, connect: bool, retrain_after: int, workdir: Path, max_steps: int | None = None,
          seed: int = 13, folds: int = 5, on_ready: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Serve until interrupted. `on_ready` gets the URL (and the registration) once the server listens."""
    import uvicorn

    from incident_corpus.serve.app import create_app

    if connect and not project:
        raise InputError("--connect needs --project TITLE: the project to register the backend in")
    if retrain_after and not project:
        raise InputError("--retrain-after needs --project TITLE: the project whose annotations train the model")
    workdir = Path(workdir)
    clean_runs(workdir)
    start_model = model if model is not None else current_model(workdir)
    predictor = load_predictor(start_model)
    url = f"http://{host}:{port}"
    registered: dict[str, Connected] = {}

    def new_version(version: str) -> None:
        reg = registered.get("backend")
        if reg is None or connection is None:
            return
        from incident_corpus.studio.client import Client

        # Renaming the backend moves the project's model_version along (MLBackend.save in the server).
        with Client(connection()) as client:
            client.update_ml_backend(reg.backend_id, url=reg.url, project_id=reg.project_id, title=version)

    job = None
    if project and connection is not None:
        job = make_retrain_job(connection=connection, project=project, workdir=workdir, max_steps=max_steps,
                               seed=seed, folds=folds, on_new_version=new_version)
    backend = Backend(predictor=predictor, retrain=job, retrain_after=retrain_after)
    app = create_app(backend, label_config=resources.read_text("label_config.xml"))
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def when_up() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.should_exit:
            return
        info: dict[str, Any] = {"url": url, "model_version": backend.model_version, "workdir": str(workdir)}
        try:
            if connect and connection is not None and project:
                reg = connect_backend(connection=connection(), project=project, backend_url=url,
                                      model_version=backend.model_version, retrain_after=retrain_after)
                registered["backend"] = reg
                info["connected"] = reg.as_dict()
        except BaseException as exc:  # reported by serve() after the server stops
            failure.append(exc)
            server.should_exit = True
            return
        if on_ready is not None:
            on_ready(info)

    _check_port(host, port)
    threading.Thread(target=when_up, name="serve-ready", daemon=True).start()
    try:
        server.run()
    except SystemExit:  # uvicorn exits the process when it cannot bind; the check above makes that rare
        server.started = False
    if failure:
        raise failure[0]
    if not server.started:
        raise InputError(f"could not listen on {url}; choose another --port or --host")


def _check_port(host: str, port: int) -> None:
    """Refuse a busy port with a message (uvicorn would log it and exit the process)."""
    import socket

    try:
        with socket.create_server((host, port), reuse_port=False):
            pass
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); the port is in use or the "
                         "address is not this machine's: choose another --port or --host") from None

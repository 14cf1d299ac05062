"""`annotate serve`: the ML backend Label Studio calls for live predictions and retraining."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from incident_corpus.cli.errors import scrub
from incident_corpus.cli.options import ConnectionSettings, connection_options, emit_json
from incident_corpus.cli.params import OutputPath
from incident_corpus.core import pseudonyms


class _JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                           "logger": record.name, "message": record.getMessage()}, ensure_ascii=False)


class _Scrub(logging.Filter):
    """Defence in depth: no log line may carry the API token or a pseudonym key, whatever logged it
    (the same scrubbing as the group's `Error:` lines)."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message, [self.secret or "", *pseudonyms.loaded_secrets()])
        if clean != message:
            record.msg, record.args = clean, None
        return True


def _setup_logging(*, json_logs: bool, secret: str | None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JSONFormatter() if json_logs else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.addFilter(_Scrub(secret))
    for name in ("incident_corpus", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


@click.command("serve")
@click.option("--model", default=None, help="A pipeline made by `annotate train` (folder) to predict with beside "
                                            "the rules. Default: the last retrained model in --workdir, else "
                                            "the rules alone.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=9090, show_default=True, help="Port to listen on.")
@click.option("--project", default=None, envvar="INCIDENT_CORPUS_PROJECT", show_envvar=True,
              help="Title of the Label Studio project whose annotations retrain the model.")
@click.option("--connect", is_flag=True, help="Register this backend in --project (once), with interactive "
                                              "pre-annotations, training on submit and uncertainty sampling.")
@click.option("--retrain-after", type=click.IntRange(min=0), default=0, show_default=True,
              help="Retrain after this many new, changed or deleted annotations (0: only when Label Studio "
                   "asks, e.g. its Start Training button).")
@click.option("--max-steps", type=click.IntRange(min=1), default=None,
              help="Training steps of each retraining (default: `annotate train`'s).")
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="Cross-validation folds of each retraining's merge choice (`annotate train --folds`).")
@click.option("--workdir", type=OutputPath(file_okay=False), default=Path("export/serve"),
              show_default=True, help="Folder for retraining runs and retrained models.")
@click.option("--json-logs", is_flag=True, help="Log one JSON object per line on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the ready message as JSON on stdout.")
@connection_options
def serve_cmd(model: str | None, host: str, port: int, project: str | None, connect: bool, retrain_after: int,
              max_steps: int | None, folds: int, workdir: Path, json_logs: bool, as_json: bool,
              settings: ConnectionSettings) -> None:
    """Serve predictions to Label Studio (its ML backend protocol) and retrain on annotators' work.

    \b
    annotate serve --project TITLE --connect --retrain-after 20
    """
    from incident_corpus.pipeline.serve import serve
    from incident_corpus.studio.server import is_loopback

    _setup_logging(json_logs=json_logs, secret=settings.api_key)
    if not is_loopback(host):
        click.echo(f"WARNING: listening on {host}, beyond this machine's loopback: anyone who can reach "
                   f"{host}:{port} can read predictions and trigger training. There is no authentication.",
                   err=True)
    needs_server = connect or retrain_after > 0 or project is not None

    def ready(info: dict[str, Any]) -> None:
        if as_json:
            emit_json(info)
        else:
            reg = info.get("connected")
            extra = (f"; {'registered in' if reg['created'] else 'already registered in'} project id "
                     f"{reg['project_id']} (backend id {reg['backend_id']})") if reg else ""
            click.echo(f"serving {info['model_version']} at {info['url']}{extra}", err=True)
        sys.stdout.flush()

    serve(connection=settings.connect if needs_server else None, model=model, host=host, port=port,
          project=project, connect=connect, retrain_after=retrain_after, workdir=workdir, max_steps=max_steps,
          folds=folds, on_ready=ready)

"""The `annotate` command line: each command parses options, calls one library function and
renders its result. Typed library errors become click errors here and nowhere else."""

from __future__ import annotations

import functools
import json
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from incident_corpus import __version__
from incident_corpus.config import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    STUDIO_DIR_ENV,
    Connection,
    default_studio_dir,
    resolve_connection,
)
from incident_corpus.errors import IncidentCorpusError

F = TypeVar("F", bound=Callable[..., Any])


def _scrub(message: str, secret: str | None) -> str:
    """Defence in depth: no message may carry the token, whatever produced it."""
    if secret and len(secret) >= 6:
        message = message.replace(secret, "<api-key>")
    return message


def handle_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except IncidentCorpusError as exc:
            settings = kwargs.get("settings")
            raise click.ClickException(_scrub(str(exc), settings.api_key if settings else None)) from None
    return wrapper  # type: ignore[return-value]


def studio_dir_option(fn: F) -> F:
    return click.option(
        "--studio-dir", type=click.Path(file_okay=False, path_type=Path), envvar=STUDIO_DIR_ENV,
        default=None, show_envvar=True,
        help="Folder of the embedded Label Studio (data, credentials, log). Default: a per-user data folder.",
    )(fn)


@dataclass(frozen=True)
class ConnectionSettings:
    """What the user gave for --url/--api-key/--studio-dir/--timeout/--retries, resolved only when
    a command really talks to Label Studio (`push --dry-run` does not)."""

    url: str | None
    api_key: str | None = field(repr=False)
    studio_dir: Path | None
    timeout: float
    retries: int

    def connect(self) -> Connection:
        return resolve_connection(url=self.url, api_key=self.api_key,
                                  studio_dir=self.studio_dir or default_studio_dir(),
                                  timeout=self.timeout, retries=self.retries)


def connection_options(fn: F) -> F:
    """--url/--api-key/--timeout/--retries (the label-studio-sdk's variable names) and --studio-dir,
    handed to the command as one `settings: ConnectionSettings` argument."""

    @functools.wraps(fn)
    def wrapper(*args: Any, url: str | None, api_key: str | None, studio_dir: Path | None, timeout: float,
                retries: int, **kwargs: Any) -> Any:
        settings = ConnectionSettings(url=url, api_key=api_key, studio_dir=studio_dir, timeout=timeout,
                                      retries=retries)
        return fn(*args, settings=settings, **kwargs)

    out: Any = wrapper
    out = click.option("--retries", type=click.IntRange(min=0, max=10), default=DEFAULT_RETRIES, show_default=True,
                       envvar="LABEL_STUDIO_RETRIES",
                       help="Retries (exponential backoff with jitter) of a request that failed for a reason that "
                            "may pass: connection lost, timeout, HTTP 429/5xx.")(out)
    out = click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True,
                       envvar="LABEL_STUDIO_TIMEOUT",
                       help="Seconds to wait for each request to Label Studio.")(out)
    out = click.option("--api-key", envvar="LABEL_STUDIO_API_KEY", show_envvar=True, default=None,
                       help="Label Studio API token. Default: the embedded studio's token.")(out)
    out = click.option("--url", envvar="LABEL_STUDIO_URL", show_envvar=True, default=None,
                       help="Label Studio URL. Default: the embedded studio.")(out)
    return studio_dir_option(out)  # type: ignore[no-any-return]


def project_option(fn: F) -> F:
    return click.option("--project", "project", required=True, envvar="INCIDENT_CORPUS_PROJECT", show_envvar=True,
                        help="Title of the Label Studio project.")(fn)


class Progress:
    """Counts on stderr: redrawn in place on a terminal, one line per stage otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self._last: str | None = None
        self._open = False

    def finish(self) -> None:
        """End a count that had no known total, so the summary starts on its own line."""
        if self._open:
            click.echo("", err=True)
            self._open = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self.quiet:
            return
        text = f"{stage}: {done}/{total}" if total is not None else f"{stage}: {done}"
        if self.tty:
            self._open = total is None or done < total
            click.echo(f"\r{text}", nl=not self._open, err=True)
        elif total is not None and done >= total and stage != self._last:
            click.echo(text, err=True)
            self._last = stage


def _counter(progress: Progress, stage: str) -> Callable[[int], None]:
    """Adapt a running count of increments (what export reports) to the Progress display."""
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        progress(stage, done, None)

    return step


def _emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="annotate")
def cli() -> None:
    """incident-corpus: news articles about attacks → Label Studio → a labelled NLP corpus.

    \b
    annotate studio start        local Label Studio (embedded default)
    annotate push PATH...        articles → tasks with pre-annotations
    annotate pull                completed annotations → validated records (export/)
    annotate validate FILE       the same checks offline on a Label Studio export
    annotate export              records → Hugging Face dataset / spaCy corpus
    annotate status              progress and pre-annotation quality of a project
    """


# -- studio ----------------------------------------------------------------------------------

@cli.group()
def studio() -> None:
    """Run a local Label Studio (127.0.0.1 only) for maintainers who have none."""


@studio.command("start")
@studio_dir_option
@click.option("--port", type=int, default=8080, show_default=True, help="Port on 127.0.0.1; a busy port is refused.")
@click.option("--wait", "timeout", type=float, default=180.0, show_default=True,
              help="Seconds to wait until the server answers an authenticated request.")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@handle_errors
def studio_start(studio_dir: Path | None, port: int, timeout: float, as_json: bool) -> None:
    """Start the embedded Label Studio (or report the one already running)."""
    from incident_corpus import studio as st

    data_dir = studio_dir or default_studio_dir()
    status = st.start(data_dir=data_dir, port=port, timeout=timeout)
    if as_json:
        _emit_json(status.as_dict() | st.credentials_summary(data_dir))
        return
    verb = "started" if status.started_now else "already running"
    click.echo(f"Label Studio {verb} at {status.url} (PID {status.pid})")
    click.echo(f"login: {status.username}  (password: `annotate studio login`)")
    click.echo(f"data:  {data_dir}")


@studio.command("stop")
@studio_dir_option
@handle_errors
def studio_stop(studio_dir: Path | None) -> None:
    """Stop the embedded Label Studio by its PID."""
    from incident_corpus import studio as st

    stopped = st.stop(data_dir=studio_dir or default_studio_dir())
    click.echo("Label Studio stopped" if stopped else "Label Studio was not running")


@studio.command("status")
@studio_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@handle_errors
def studio_status(studio_dir: Path | None, as_json: bool) -> None:
    """Is the embedded Label Studio running, and where?"""
    from incident_corpus import studio as st

    status = st.status(data_dir=studio_dir or default_studio_dir())
    if as_json:
        _emit_json(status.as_dict())
    elif status.running:
        click.echo(f"running at {status.url} (PID {status.pid}); data in {status.data_dir}")
    else:
        click.echo(f"not running (data folder {status.data_dir}); start it with `annotate studio start`")
    sys.exit(0 if status.running else 3)


@studio.command("login")
@studio_dir_option
@handle_errors
def studio_login(studio_dir: Path | None) -> None:
    """Print the web login (e-mail and password) of the embedded studio's admin user."""
    from incident_corpus.config import read_credentials

    creds = read_credentials(studio_dir or default_studio_dir())
    if not creds:
        raise click.ClickException("no embedded studio yet; run `annotate studio start` first")
    click.echo(f"e-mail:   {creds['username']}\npassword: {creds['password']}")


@cli.command("samples")
def samples() -> None:
    """Print the folder of the bundled sample articles (for `annotate push "$(annotate samples)"`)."""
    from importlib import resources

    click.echo(str(resources.files("incident_corpus") / "samples"))


# -- push ------------------------------------------------------------------------------------

@cli.command()
@click.argument("paths", nargs=-1, required=True)
@project_option
@connection_options
@click.option("--pre-annotate/--no-pre-annotate", default=True, show_default=True,
              help="Add rule-based predictions the annotators correct.")
@click.option("--model", default=None, help="Optional installed spaCy pipeline to help the rules.")
@click.option("--dry-run", is_flag=True, help="Only write the task file (default tasks/<project>.json); no server.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the tasks to this JSON file (importable in the Label Studio UI).")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Tasks per import request.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Largest article accepted: a .txt/.html file, or one item of a .json/.jsonl batch.")
@click.option("--update-config", is_flag=True, help="Replace an existing project's different label config with ours.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary; the exit code tells.")
@handle_errors
def push(paths: tuple[str, ...], project: str, settings: ConnectionSettings, pre_annotate: bool,
         model: str | None, dry_run: bool, out: Path | None,
         batch_size: int, max_bytes: int, update_config: bool, as_json: bool, quiet: bool) -> None:
    """Send articles (.txt, .json, .jsonl, .html, folders, - for JSONL on stdin) to PROJECT as tasks.

    Exactly one task per distinct article: running it again creates nothing new.
    Exit code 0 only when every input was valid.
    """
    from incident_corpus.push import push as do_push

    connection = None if dry_run else settings.connect()
    result = do_push(
        paths=paths, project=project, connection=connection, pre_annotate=pre_annotate, model=model,
        dry_run=dry_run, out=out, batch_size=batch_size, max_bytes=max_bytes, update_config=update_config,
        stdin=sys.stdin, progress=Progress(quiet or as_json),
    )
    if as_json:
        _emit_json(result.as_dict())
    elif not quiet:
        _render_push(result)
    sys.exit(0 if result.ok else 1)


def _render_push(r: Any) -> None:
    for problem in r.invalid:
        click.echo(f"invalid: {problem['source']}: {problem['reason']}", err=True)
    for dup in r.duplicates:
        others = ", ".join(str(s) for s in dup["also_in"])
        click.echo(f"duplicate: {others} hold the same article as {dup['kept']} (article_id {dup['article_id']}); "
                   "pushed once", err=True)
    if r.tasks_file:
        click.echo(f"tasks file: {r.tasks_file}")
    if r.dry_run:
        click.echo(f"dry run: {r.articles} tasks built ({r.predictions} with pre-annotations), "
                   f"{len(r.invalid)} invalid inputs; nothing sent")
        return
    made = " (project created)" if r.project_created else ""
    click.echo(f"project {r.project!r} (id {r.project_id}){made}: {r.created} created, "
               f"{r.already_present} already present, {len(r.duplicates)} duplicates in input, "
               f"{len(r.invalid)} invalid inputs")
    if r.duplicate_tasks_removed:
        click.echo(f"removed {r.duplicate_tasks_removed} duplicate unannotated tasks")


# -- pull / validate -------------------------------------------------------------------------

def _render_validation(validation: Any, agreement: Any, outputs: dict[str, Path], *, as_json: bool,
                       quiet: bool, extra: dict[str, Any]) -> None:
    from incident_corpus import report

    if as_json:
        _emit_json(report.to_json(validation, agreement=agreement) | {"files": {k: str(v) for k, v in outputs.items()}}
                   | extra)
        return
    if not quiet:
        click.echo(report.render_text(validation, agreement=agreement), err=True)
        for name, path in outputs.items():
            click.echo(f"{name}: {path}")


def _quarantined(validation: Any) -> int:
    return len(validation.quarantine)


@cli.command()
@project_option
@connection_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Folder for raw/, annotations.jsonl, quarantine.jsonl, report.json.")
@click.option("--with-emails", is_flag=True, help="Keep annotators' e-mail addresses (personal data) in the records.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything was quarantined.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No report on stderr.")
@handle_errors
def pull(project: str, settings: ConnectionSettings, out_dir: Path, with_emails: bool, strict: bool,
         as_json: bool, quiet: bool) -> None:
    """Fetch PROJECT's completed annotations as validated records; quarantine what fails."""
    from incident_corpus.pull import pull as do_pull

    result = do_pull(connection=settings.connect(), project=project,
                     out_dir=out_dir, with_emails=with_emails)
    outputs = {"raw": result.raw_path, **result.outputs}
    _render_validation(result.validation, result.agreement, outputs, as_json=as_json, quiet=quiet,
                       extra={"project": project, "project_id": result.project_id})
    sys.exit(1 if strict and _quarantined(result.validation) else 0)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export/validate"),
              show_default=True, help="Folder for annotations.jsonl, quarantine.jsonl, report.json.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything was quarantined.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No report on stderr.")
@handle_errors
def validate(file: Path, out_dir: Path, strict: bool, as_json: bool, quiet: bool) -> None:
    """Run pull's checks offline on a Label Studio JSON export or an annotations.jsonl."""
    from incident_corpus.validate import validate_file

    validation, agreement, outputs = validate_file(path=file, out_dir=out_dir)
    _render_validation(validation, agreement, outputs, as_json=as_json, quiet=quiet, extra={"input": str(file)})
    sys.exit(1 if strict and _quarantined(validation) else 0)


# -- export ----------------------------------------------------------------------------------

@cli.command("export")
@click.option("--in", "input_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("export/annotations.jsonl"), show_default=True, help="Records written by `annotate pull`.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export/dataset"),
              show_default=True, help="Dataset folder (replaced as a whole).")
@click.option("--split", default="0.8/0.1/0.1", show_default=True, help="train/validation/test ratios.")
@click.option("--seed", type=int, default=13, show_default=True, help="Seed of the deterministic split.")
@click.option("--resolve", "resolve_policy", type=click.Choice(["ground-truth", "latest", "majority"]),
              default="ground-truth", show_default=True, help="Which annotation of an article to keep.")
@click.option("--format", "fmt", type=click.Choice(["hf", "spacy", "all"]), default="hf", show_default=True)
@click.option("--license", "license_", default="other", show_default=True, help="License field of the dataset card.")
@click.option("--push-to-hub", "push_to_hub", default=None, metavar="REPO",
              help="Upload the folder as a Hugging Face dataset (token from HF_TOKEN).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary.")
@handle_errors
def export_cmd(input_path: Path, out_dir: Path, split: str, seed: int, resolve_policy: str, fmt: str,
               license_: str, push_to_hub: str | None, as_json: bool, quiet: bool) -> None:
    """Build a Hugging Face dataset (spans + tokens configs) and/or a spaCy corpus."""
    from incident_corpus.export import export as do_export
    from incident_corpus.splits import parse_split

    formats = ("hf", "spacy") if fmt == "all" else (fmt,)
    command = "annotate " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    progress = Progress(quiet or as_json)
    result = do_export(input_path=input_path, out_dir=out_dir, split=parse_split(split), seed=seed,
                       resolve_policy=resolve_policy, formats=formats, license=license_, command=command,
                       push_to_hub=push_to_hub, progress=None if quiet or as_json else _counter(progress, "articles"))
    progress.finish()
    if as_json:
        _emit_json(result.as_dict())
    elif not quiet:
        _render_export(result)


def _render_export(r: Any) -> None:
    splits = ", ".join(f"{name} {n}" for name, n in r.articles.items())
    click.echo(f"{r.input_records} records → {sum(r.articles.values())} articles ({splits}); "
               f"{r.annotators} annotators")
    a = r.alignment
    click.echo(f"tokens view: {a.get('kept', 0)} of {a.get('spans', 0)} spans kept, "
               f"{a.get('dropped_overlap', 0)} dropped by the overlap policy, {a.get('dropped_empty', 0)} empty, "
               f"{a.get('expanded', 0)} expanded to token boundaries")
    click.echo(f"written to {r.out_dir}" + (f" and uploaded to {r.hub_url}" if r.hub_url else ""))


# -- status ----------------------------------------------------------------------------------

@cli.command("status")
@project_option
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@handle_errors
def status_cmd(project: str, settings: ConnectionSettings, as_json: bool) -> None:
    """Progress of PROJECT: tasks done/skipped/left, work per annotator, labels, pre-annotation F1."""
    from incident_corpus.status import project_status, render_text

    result = project_status(connection=settings.connect(), project=project)
    if as_json:
        _emit_json(result.as_dict())
    else:
        click.echo(render_text(result))


def main() -> None:  # pragma: no cover
    cli(prog_name="annotate")

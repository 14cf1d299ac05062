"""The embedded Label Studio: a local server for maintainers who have none, or a small team server.

Binds 127.0.0.1 unless told otherwise, keeps its data in a per-user folder, creates an admin user on
first start and then, through the server's own API as the Account & Settings page does, that user's
Personal Access Token (stored mode 0600 as `token` in credentials.json, never printed), switches off
telemetry, Sentry and the version check, and is stopped by its PID. Facts this relies on were measured
on label-studio 1.23.2: it reads LABEL_STUDIO_* and also bare HOST/PORT/USERNAME/PASSWORD, and it
moves silently to port+1 when the port is busy (so we refuse a busy port first).

Authentication is Label Studio's default, as on a team's own server: no LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN,
so the organization refuses legacy `Token` auth and every command uses the PAT (a data dir made before
this, with a legacy token in its credentials and legacy tokens on, keeps working: the client reads the
kind from the token). What still differs from `label-studio start`'s defaults, on purpose: telemetry,
Sentry and the version check are off (no effect on the API); signup needs an invite link
(LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK: the studio may be bound beyond loopback for a team, and the
documented way to add annotators is the invite link, which works either way); and on a loopback bind only,
ML_BLOCK_LOCAL_IP / SSRF_PROTECTION_ENABLED are off so `annotate serve` on the same machine can register.

Team mode, from the installed 1.23.2 source: the database is chosen by Label Studio's own
settings (`DJANGO_DB=default` + `POSTGRE_*`, core/settings/base.py; `psycopg` 3 ships with the
server). `label-studio start` can only run Django's development server (one process, no
worker option; `APP_WEBSERVER` merely names the server); the package ships a WSGI
application (`label_studio.core.wsgi`) but neither uWSGI nor gunicorn. So `workers=N` runs
`label-studio init` once (migrations + admin user) and then gunicorn with N sync workers on
that WSGI application.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

import httpx

from incident_corpus.core import fileio
from incident_corpus.core.errors import ConfigError, PortBusyError, StudioError
from incident_corpus.studio.auth import TokenAuth, exchanger, log_in, plain_client, session_pat
from incident_corpus.studio.connection import read_credentials, read_state

DEFAULT_PORT = 8080
HOST = "127.0.0.1"
ADMIN_EMAIL = "admin@incident-corpus.local"
# Settings Label Studio would otherwise pick up from the caller's environment.
_STRAY_ENV = ("HOST", "PORT", "USERNAME", "PASSWORD", "LABEL_STUDIO_HOST", "LABEL_STUDIO_PORT")
# Database settings Label Studio reads (bare, LABEL_STUDIO_ and HEARTEX_ prefixed): always set by us.
_DB_ENV = ("DJANGO_DB", "DATABASE_NAME", "POSTGRE_NAME", "POSTGRE_USER", "POSTGRE_PASSWORD", "POSTGRE_HOST",
           "POSTGRE_PORT")
DATABASE_ENV = "INCIDENT_CORPUS_STUDIO_DATABASE"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# gunicorn kills a sync worker silent for longer than this: a snapshot export of 100k tasks is built
# inside one request (minutes on 2 CPUs), so the limit is generous, not gunicorn's 30 s.
WORKER_TIMEOUT_S = 3600


@dataclass(frozen=True)
class Database:
    """A PostgreSQL database for the studio; the password stays out of repr(), state files and logs."""

    user: str
    host: str
    port: int
    name: str
    password: str = field(default="", repr=False)

    @classmethod
    def parse(cls, url: str) -> Database:
        """postgresql://USER[:PASSWORD]@HOST[:PORT]/DB, percent-encoding allowed in user and password."""
        parts = urlsplit(url)
        shown = cls._redact_url(url)
        if parts.scheme not in ("postgresql", "postgres"):
            raise ConfigError(f"--database {shown}: only PostgreSQL is supported; give "
                              "postgresql://USER[:PASSWORD]@HOST:PORT/DB (leave it out for the built-in SQLite)")
        try:
            port = parts.port or 5432
        except ValueError:
            raise ConfigError(f"--database {shown}: the port is not a number; give postgresql://USER@HOST:PORT/DB"
                              ) from None
        name = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not parts.username or not name or "/" in name:
            raise ConfigError(f"--database {shown}: a user, a host and a database name are needed, as in "
                              "postgresql://USER[:PASSWORD]@HOST:PORT/DB")
        return cls(user=unquote(parts.username), host=parts.hostname, port=port, name=name,
                   password=unquote(parts.password or ""))

    @staticmethod
    def _redact_url(url: str) -> str:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)
        user = netloc[0].split(":", 1)[0]
        return parts._replace(netloc=f"{user}:***@{netloc[1]}").geturl()

    @property
    def display(self) -> str:
        """The URL without its password: safe to print, log and keep in state files."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{self.user}@{host}:{self.port}/{self.name}"

    def env(self) -> dict[str, str]:
        """Label Studio's own settings for it (an empty password stays empty, never LS's default)."""
        return {"DJANGO_DB": "default", "POSTGRE_NAME": self.name, "POSTGRE_USER": self.user,
                "POSTGRE_PASSWORD": self.password, "POSTGRE_HOST": self.host, "POSTGRE_PORT": str(self.port)}

    def check(self) -> None:
        """Connect once before starting the server, so a wrong URL is one clear line, not a server log."""
        try:
            import psycopg
        except ImportError:
            raise StudioError("PostgreSQL needs psycopg, which ships with label-studio; install it with "
                              "`pip install 'incident-corpus[studio]'`") from None
        try:
            psycopg.connect(host=self.host, port=self.port, user=self.user, password=self.password,
                            dbname=self.name, connect_timeout=10).close()
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            if self.password:
                reason = reason.replace(self.password, "***")
            raise StudioError(f"cannot connect to PostgreSQL at {self.display}: {reason}; check the URL, that the "
                              "server runs and that the database exists (createdb)") from None


@dataclass(frozen=True)
class StudioStatus:
    running: bool
    url: str | None
    pid: int | None
    data_dir: Path
    username: str | None
    started_now: bool = False
    database: str = "sqlite"
    workers: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"running": self.running, "url": self.url, "pid": self.pid, "data_dir": str(self.data_dir),
                "username": self.username, "started_now": self.started_now, "database": self.database,
                "workers": self.workers}


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens there. SO_REUSEADDR as the server sets it, so connections
    in TIME_WAIT from an earlier server do not count as busy."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _state_int(state: dict[str, object], key: str) -> int | None:
    """An integer field of studio.json (port, workers); None when missing or edited into another type."""
    value = state.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _state_pid(state: dict[str, object]) -> int | None:
    """studio.json's server PID, or None unless it is an integer above 1. Never 1 (init) nor `true`
    (read as 1): `stop` signals the PID's process group, and killpg(1) is kill(-1), every process."""
    pid = _state_int(state, "pid")
    return pid if pid is not None and pid > 1 else None


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def label_studio_executable() -> str:
    beside = Path(sys.executable).with_name("label-studio")
    if beside.exists():
        return str(beside)
    found = shutil.which("label-studio")
    if found:
        return found
    raise StudioError(
        "Label Studio is not installed in this environment; install it with "
        "`pip install 'incident-corpus[studio]'` (label-studio==1.23.2)"
    )


def ensure_credentials(data_dir: Path) -> dict[str, str]:
    """Create the admin login once; the file is readable only by its owner. The token (`token`) is added
    once the server runs (`ensure_token`)."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # the database in it holds the token too
    creds = read_credentials(data_dir)
    if creds.get("username") and creds.get("password"):
        return creds
    creds = {"username": ADMIN_EMAIL, "password": secrets.token_urlsafe(16)}
    path = data_dir / "credentials.json"
    fileio.write_json(path, creds, perms=0o600)  # 0600 from the first byte, then renamed into place
    return creds


def ensure_token(data_dir: Path, url: str, creds: dict[str, str], *, timeout: float = 30.0) -> dict[str, str]:
    """The admin's Personal Access Token, made once through the running server's API (log in, POST
    /api/token/, as the UI does) and kept in credentials.json as `token` (0600)."""
    if creds.get("token"):
        return creds
    try:
        with plain_client(url, timeout=timeout, follow_redirects=False) as browser:
            log_in(browser, email=creds["username"], password=creds["password"])
            token = session_pat(browser)
    except httpx.HTTPError as exc:
        raise StudioError(f"Label Studio at {url} runs but would not make a Personal Access Token for "
                          f"{creds['username']} ({type(exc).__name__}); see {data_dir / 'server.log'}") from None
    creds = {**creds, "token": token}
    fileio.write_json(data_dir / "credentials.json", creds, perms=0o600)
    return creds


def server_env(*, base_data_dir: Path, creds: dict[str, str], database: Database | None = None,
               host: str = HOST) -> dict[str, str]:
    db_names = {f"{prefix}{name}" for name in _DB_ENV for prefix in ("", "LABEL_STUDIO_", "HEARTEX_")}
    env = {k: v for k, v in os.environ.items() if k not in _STRAY_ENV and k not in db_names and k != DATABASE_ENV}
    env.update(database.env() if database else {"DJANGO_DB": "sqlite"})
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(base_data_dir),
        "LABEL_STUDIO_USERNAME": creds["username"],
        "LABEL_STUDIO_PASSWORD": creds["password"],
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
    })
    if is_loopback(host):
        # `annotate serve` (the ML backend) listens on loopback too, and Label Studio refuses ML backends
        # and webhooks on local addresses unless both are off. Only for a studio nobody else can reach:
        # a studio bound beyond loopback keeps the server's SSRF protection.
        env.update({"ML_BLOCK_LOCAL_IP": "false", "SSRF_PROTECTION_ENABLED": "false"})
    return env


def whoami_ok(url: str, token: str, *, timeout: float = 3.0) -> bool:
    """Whether the server answers an authenticated request with this token (either kind)."""
    if not token:
        return False
    try:
        with plain_client(url, timeout=timeout) as plain:
            auth = TokenAuth(token, exchange=exchanger(plain))
            r = plain.get("/api/current-user/whoami", auth=auth)
    except httpx.HTTPError:
        return False
    return r.status_code == 200


def _up(url: str) -> bool:
    """Whether the server answers at all (`/health` needs no token: the first start has none yet)."""
    try:
        return httpx.get(f"{url}/health", timeout=3.0).status_code == 200
    except httpx.HTTPError:
        return False


def status(*, data_dir: Path) -> StudioStatus:
    state = read_state(data_dir)
    creds = read_credentials(data_dir)
    pid = _state_pid(state)
    url = state.get("url")
    running = bool(pid_alive(pid) and url and whoami_ok(str(url), creds.get("token", "")))
    return StudioStatus(running=running, url=str(url) if url else None, pid=pid if running else None,
                        data_dir=data_dir, username=creds.get("username"),
                        database=str(state.get("database") or recorded_database(data_dir) or "sqlite"),
                        workers=_state_int(state, "workers") if running else None)


def recorded_database(data_dir: Path) -> str | None:
    """The PostgreSQL (display form, no password) this data dir was last started on, if any."""
    try:
        return str(json.loads((data_dir / "database.json").read_text(encoding="utf-8"))["database"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def start(*, data_dir: Path, port: int = DEFAULT_PORT, timeout: float = 180.0, database: Database | None = None,
          workers: int | None = None, host: str = HOST) -> StudioStatus:
    """Start the server, or return the one already running from this data dir.

    `database` puts it on PostgreSQL (remembered, without the password, in database.json: a data dir
    that was on PostgreSQL refuses to start on SQLite and show an empty studio). `workers` runs
    gunicorn with that many workers instead of Django's development server.
    """
    current = status(data_dir=data_dir)
    if current.running:
        return current
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers {workers}: give at least 1 (or leave it out for the development server)")
    recorded = recorded_database(data_dir)
    if database is None and recorded:
        raise ConfigError(f"the studio in {data_dir} keeps its data in PostgreSQL at {recorded}; pass "
                          f"--database again (or set {DATABASE_ENV}) to start it")
    state = read_state(data_dir)
    if pid_alive(_state_pid(state)):
        raise StudioError(
            f"a Label Studio process (PID {state.get('pid')}) from {data_dir} is running but does not answer "
            f"at {state.get('url')}; stop it with `annotate studio stop` and start again"
        )
    if not port_is_free(port, host if host != "localhost" else HOST):
        raise PortBusyError(
            f"port {port} on {host} is already in use by another program; choose another port with "
            f"`annotate studio start --port N` or stop that program"
        )
    exe = label_studio_executable()
    gunicorn = gunicorn_executable(exe) if workers is not None else None
    if database is not None:
        database.check()
    creds = ensure_credentials(data_dir)
    base = data_dir / "label-studio"
    base.mkdir(parents=True, exist_ok=True)
    if database is not None:
        fileio.write_json(data_dir / "database.json", {"database": database.display})
    url = f"http://{HOST if host in ('0.0.0.0', '::') else host}:{port}"  # a wildcard bind is reached on loopback
    log_path = data_dir / "server.log"
    env = server_env(base_data_dir=base, creds=creds, database=database, host=host)
    deadline = time.monotonic() + timeout
    with open(log_path, "ab") as log:
        if gunicorn is None:
            argv = [exe, "start", "--no-browser", "--internal-host", host, "--port", str(port)]
        else:
            _initialise(exe, env=env, cwd=base, log=log, log_path=log_path, deadline=deadline)
            argv = gunicorn_argv(gunicorn, host=host, port=port, workers=int(workers or 1))
            env["DJANGO_SETTINGS_MODULE"] = "label_studio.core.settings.label_studio"
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env, cwd=base, start_new_session=True)
    started: dict[str, object] = {"pid": proc.pid, "url": url, "port": port, "host": host,
                                  "database": database.display if database else "sqlite", "workers": workers,
                                  "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    fileio.write_json(data_dir / "studio.json", started)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _forget(data_dir)
            raise StudioError(
                f"Label Studio exited with code {proc.returncode} while starting; see {log_path}"
            )
        if not creds.get("token") and _up(url):
            try:
                creds = ensure_token(data_dir, url, creds)
            except StudioError:
                _terminate(proc.pid)
                _forget(data_dir)
                raise
        if whoami_ok(url, creds.get("token", "")):
            return StudioStatus(running=True, url=url, pid=proc.pid, data_dir=data_dir,
                                username=creds["username"], started_now=True, database=str(started["database"]),
                                workers=workers)
        time.sleep(0.5)
    _terminate(proc.pid)
    _forget(data_dir)
    raise StudioError(
        f"Label Studio did not answer an authenticated request at {url} within {timeout:.0f} s; "
        f"see {log_path} (a first start runs database migrations, ~30 s)"
    )


def gunicorn_executable(label_studio_exe: str) -> str:
    """gunicorn from the environment Label Studio is installed in (the WSGI app must import there)."""
    beside = Path(label_studio_exe).with_name("gunicorn")
    if beside.exists():
        return str(beside)
    raise StudioError("--workers runs Label Studio under gunicorn, which is not installed beside label-studio; "
                      "install it with `pip install 'incident-corpus[studio]'` (or leave --workers out)")


def gunicorn_argv(gunicorn: str, *, host: str, port: int, workers: int) -> list[str]:
    """gunicorn on Label Studio's own WSGI application; its modules import unqualified (`projects.models`),
    so the package folder goes on the path, as `label-studio start` does itself."""
    spec = importlib.util.find_spec("label_studio")
    if spec is None or not spec.origin:
        raise StudioError("label-studio is not importable here; install it with "
                          "`pip install 'incident-corpus[studio]'`")
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [gunicorn, "--workers", str(workers), "--bind", bind, "--pythonpath", str(Path(spec.origin).parent),
            "--timeout", str(WORKER_TIMEOUT_S), "--graceful-timeout", "10", "--log-level", "warning",
            # Task-list filters carry up to ~1000 article ids in the query string (the dev server takes
            # 64 KB URLs); gunicorn's default 4094-byte request line would refuse them.
            "--limit-request-line", "0",
            "label_studio.core.wsgi:application"]


def _initialise(exe: str, *, env: dict[str, str], cwd: Path, log: IO[bytes], log_path: Path, deadline: float) -> None:
    """Migrations and the admin user, once, before the workers start (`label-studio init` does both)."""
    try:
        done = subprocess.run([exe, "init", "--quiet", "--no-browser"],
                              stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                              env=env, cwd=cwd, timeout=max(1.0, deadline - time.monotonic()), check=False)
    except subprocess.TimeoutExpired:
        raise StudioError(f"Label Studio's database migrations did not finish in time; see {log_path}") from None
    if done.returncode != 0:
        raise StudioError(f"`label-studio init` (migrations, admin user) exited with code {done.returncode}; "
                          f"see {log_path}")


def stop(*, data_dir: Path, timeout: float = 15.0) -> bool:
    """Stop the server by its PID. Returns False when none was running."""
    state = read_state(data_dir)
    pid = _state_pid(state)
    if pid is None or not pid_alive(pid):
        _forget(data_dir)
        return False
    _terminate(pid, timeout=timeout)
    _forget(data_dir)
    # The listening socket can outlive the process by a moment; a `start` right after
    # `stop` must find the port free.
    port = _state_int(state, "port")
    deadline = time.monotonic() + 5.0
    while port and not port_is_free(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


def _terminate(pid: int, *, timeout: float = 15.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        if not pid_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _forget(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (data_dir / "studio.json").unlink()


def credentials_summary(data_dir: Path) -> dict[str, str]:
    """Login shown to the user: the password only as the path of the file holding it."""
    creds = read_credentials(data_dir)
    return {"username": creds.get("username", ""), "credentials_file": str(data_dir / "credentials.json")}

"""The embedded Label Studio: a local server for maintainers who have none.

Binds 127.0.0.1 only, keeps its data in a per-user folder, creates an admin user and an API
token on first start (stored mode 0600, never printed), switches off telemetry, Sentry and
the version check, and is stopped by its PID. Facts this relies on were measured on
label-studio 1.23.2: it reads LABEL_STUDIO_* and also bare HOST/PORT/USERNAME/PASSWORD, it
moves silently to port+1 when the port is busy (so we refuse a busy port first), and legacy
`Token` auth only works when LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN was set on the first start.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from incident_corpus.core import fileio
from incident_corpus.core.errors import PortBusyError, StudioError
from incident_corpus.studio.connection import read_credentials, read_state

DEFAULT_PORT = 8080
HOST = "127.0.0.1"
ADMIN_EMAIL = "admin@incident-corpus.local"
# Settings Label Studio would otherwise pick up from the caller's environment.
_STRAY_ENV = ("HOST", "PORT", "USERNAME", "PASSWORD", "LABEL_STUDIO_HOST", "LABEL_STUDIO_PORT")


@dataclass(frozen=True)
class StudioStatus:
    running: bool
    url: str | None
    pid: int | None
    data_dir: Path
    username: str | None
    started_now: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"running": self.running, "url": self.url, "pid": self.pid, "data_dir": str(self.data_dir),
                "username": self.username, "started_now": self.started_now}


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
    """Create the admin login and API token once; the file is readable only by its owner."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # the database in it holds the token too
    creds = read_credentials(data_dir)
    if creds.get("token") and creds.get("password"):
        return creds
    creds = {
        "username": ADMIN_EMAIL,
        "password": secrets.token_urlsafe(16),
        "token": secrets.token_hex(20),
    }
    path = data_dir / "credentials.json"
    fileio.write_json(path, creds, perms=0o600)  # 0600 from the first byte, then renamed into place
    return creds


def server_env(*, base_data_dir: Path, creds: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _STRAY_ENV}
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(base_data_dir),
        "LABEL_STUDIO_USERNAME": creds["username"],
        "LABEL_STUDIO_PASSWORD": creds["password"],
        "LABEL_STUDIO_USER_TOKEN": creds["token"],
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        # The server binds loopback only, and `annotate serve` (its ML backend) listens on loopback too:
        # Label Studio refuses ML backends and webhooks on local addresses unless both are off.
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
    })
    return env


def whoami_ok(url: str, token: str, *, timeout: float = 3.0) -> bool:
    try:
        r = httpx.get(f"{url}/api/current-user/whoami", headers={"Authorization": f"Token {token}"},
                      timeout=timeout)
    except httpx.HTTPError:
        return False
    return r.status_code == 200


def status(*, data_dir: Path) -> StudioStatus:
    state = read_state(data_dir)
    creds = read_credentials(data_dir)
    pid = state.get("pid")
    url = state.get("url")
    running = bool(pid_alive(pid) and url and whoami_ok(str(url), creds.get("token", "")))  # type: ignore[arg-type]
    return StudioStatus(running=running, url=str(url) if url else None, pid=pid if running else None,  # type: ignore[arg-type]
                        data_dir=data_dir, username=creds.get("username"))


def start(*, data_dir: Path, port: int = DEFAULT_PORT, timeout: float = 180.0) -> StudioStatus:
    """Start the server, or return the one already running from this data dir."""
    current = status(data_dir=data_dir)
    if current.running:
        return current
    state = read_state(data_dir)
    if pid_alive(state.get("pid")):  # type: ignore[arg-type]
        raise StudioError(
            f"a Label Studio process (PID {state.get('pid')}) from {data_dir} is running but does not answer "
            f"at {state.get('url')}; stop it with `annotate studio stop` and start again"
        )
    if not port_is_free(port):
        raise PortBusyError(
            f"port {port} on {HOST} is already in use by another program; choose another port with "
            f"`annotate studio start --port N` or stop that program"
        )
    exe = label_studio_executable()
    creds = ensure_credentials(data_dir)
    base = data_dir / "label-studio"
    base.mkdir(parents=True, exist_ok=True)
    url = f"http://{HOST}:{port}"
    log_path = data_dir / "server.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [exe, "start", "--no-browser", "--internal-host", HOST, "--port", str(port)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=server_env(base_data_dir=base, creds=creds), cwd=base, start_new_session=True,
        )
    fileio.write_json(data_dir / "studio.json", {"pid": proc.pid, "url": url, "port": port,
                                                  "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _forget(data_dir)
            raise StudioError(
                f"Label Studio exited with code {proc.returncode} while starting; see {log_path}"
            )
        if whoami_ok(url, creds["token"]):
            return StudioStatus(running=True, url=url, pid=proc.pid, data_dir=data_dir,
                                username=creds["username"], started_now=True)
        time.sleep(0.5)
    _terminate(proc.pid)
    _forget(data_dir)
    raise StudioError(
        f"Label Studio did not answer an authenticated request at {url} within {timeout:.0f} s; "
        f"see {log_path} (a first start runs database migrations, ~30 s)"
    )


def stop(*, data_dir: Path, timeout: float = 15.0) -> bool:
    """Stop the server by its PID. Returns False when none was running."""
    state = read_state(data_dir)
    pid = state.get("pid")
    if not pid_alive(pid):  # type: ignore[arg-type]
        _forget(data_dir)
        return False
    _terminate(int(pid), timeout=timeout)  # type: ignore[arg-type]
    _forget(data_dir)
    # The listening socket can outlive the process by a moment; a `start` right after
    # `stop` must find the port free.
    port = state.get("port")
    deadline = time.monotonic() + 5.0
    while port and not port_is_free(int(port)) and time.monotonic() < deadline:  # type: ignore[call-overload]
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

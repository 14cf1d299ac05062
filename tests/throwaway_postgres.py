"""A throwaway PostgreSQL for the tests: initdb into a temp folder, pg_ctl on a free loopback port.

Used by scripts/test.sh (`python -m tests.throwaway_postgres start|stop FOLDER`) and by the conftest
when pytest runs alone. Debian's binaries live in /usr/lib/postgresql/<version>/bin (the test command
installs the `postgresql` package when they are missing). initdb refuses to run as root, so as root
the cluster belongs to the `postgres` OS user (or `nobody`) and runs through runuser. Stopped by the
postmaster's PID, whatever happens. Password authentication over TCP, so the studio is tested with
a password it must never print.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

USER = "incident"


@dataclass(frozen=True)
class Postgres:
    folder: Path
    port: int
    password: str
    pid: int

    @classmethod
    def from_url(cls, url: str) -> Postgres:
        """The server scripts/test.sh started, from the URL it exported (stopped by the script, not us)."""
        parts = urlsplit(url)
        return cls(folder=Path(), port=int(parts.port or 5432), password=unquote(parts.password or ""), pid=0)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """CREATE DATABASE name; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError("PostgreSQL is not installed (no initdb): `apt-get install postgresql` "
                       "(scripts/test.sh does it when it may)")


def _owner() -> str | None:
    """As root, the OS user that owns and runs the cluster; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and neither a `postgres` nor a `nobody` user exists for initdb")


def _as_owner(argv: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


def start(folder: Path, *, timeout: float = 60.0) -> Postgres:
    from incident_corpus.studio.server import free_port

    bins = bin_dir()
    owner = _owner()
    folder.mkdir(parents=True, exist_ok=True)
    # The cluster's own folder sits in the system temp dir: as root, `folder` may lie under a 0700
    # parent (pytest's tmp_path, mktemp -d) that the cluster's owner cannot traverse.
    cluster = Path(tempfile.mkdtemp(prefix="incident-corpus-pg-"))
    data = cluster / "data"
    data.mkdir(mode=0o700)
    (folder / "server.json").write_text(json.dumps({"cluster": str(cluster)}), encoding="utf-8")
    password = secrets.token_urlsafe(18)
    pwfile = cluster / "pwfile"
    pwfile.write_text(password + "\n", encoding="utf-8")
    os.chmod(pwfile, 0o600)
    if owner:
        entry = pwd.getpwnam(owner)
        for path in (cluster, data, pwfile):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    run = {"check": True, "stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True, "timeout": timeout}
    try:
        subprocess.run(_as_owner([str(bins / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}",
                                  "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                                  "--no-sync"], owner), **run)  # type: ignore[call-overload]
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"initdb failed:\n{exc.stdout}") from None
    finally:
        pwfile.unlink()
    port = free_port()
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off"
    try:
        subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(cluster / "log"),
                                  "-w", "-t", str(int(timeout)), "start"], owner), **run)  # type: ignore[call-overload]
    except subprocess.CalledProcessError as exc:
        log = (cluster / "log").read_text(errors="replace") if (cluster / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed:\n{exc.stdout}\n{log}") from None
    pid = int((data / "postmaster.pid").read_text().split()[0])
    server = Postgres(folder=folder, port=port, password=password, pid=pid)
    (folder / "server.json").write_text(json.dumps({"cluster": str(cluster), "port": port, "pid": pid}),
                                        encoding="utf-8")
    return server


def stop(folder: Path, *, timeout: float = 20.0) -> None:
    """SIGINT (fast shutdown), then SIGKILL, the postmaster by its PID; then remove the cluster."""
    try:
        state = json.loads((folder / "server.json").read_text())
    except (OSError, ValueError):
        return
    try:
        _kill(int(state["pid"]), timeout=timeout)
    except KeyError:
        pass  # initdb or pg_ctl failed: nothing runs
    finally:
        if state.get("cluster", "").startswith(tempfile.gettempdir()):
            shutil.rmtree(state["cluster"], ignore_errors=True)


def _kill(pid: int, *, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def main(argv: list[str]) -> int:
    """`start FOLDER` prints the URL of the `postgres` database; `stop FOLDER` stops it by PID."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python -m tests.throwaway_postgres start|stop FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    if argv[0] == "stop":
        stop(folder)
        return 0
    try:
        print(start(folder).url())
    except RuntimeError as exc:
        print(f"throwaway PostgreSQL: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

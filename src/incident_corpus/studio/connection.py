"""Connection settings: where Label Studio is and which token to use.

Precedence: `--url`/`--api-key` options, then `LABEL_STUDIO_URL`/`LABEL_STUDIO_API_KEY`
(click reads both through `envvar=`), then the embedded studio's state and credentials
files. The token is kept out of `repr()` so it cannot leak through logs or tracebacks.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from incident_corpus.core.errors import ConfigError

STUDIO_DIR_ENV = "INCIDENT_CORPUS_STUDIO_DIR"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 3


def default_studio_dir() -> Path:
    """Per-user data folder (XDG), overridable with INCIDENT_CORPUS_STUDIO_DIR or --studio-dir."""
    if os.environ.get(STUDIO_DIR_ENV):
        return Path(os.environ[STUDIO_DIR_ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "incident-corpus" / "studio"


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str = field(repr=False)
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES

    def __repr__(self) -> str:
        return f"Connection(url={self.url!r}, api_key=<hidden>, timeout={self.timeout}, retries={self.retries})"


def read_credentials(studio_dir: Path) -> dict[str, str]:
    path = studio_dir / "credentials.json"
    try:
        creds = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        creds = exc
    if not isinstance(creds, dict):  # unreadable, or JSON that is not an object
        raise ConfigError(f"{path}: cannot read the studio credentials ({creds.__class__.__name__}); "
                          "delete the file and run `annotate studio start` to make new ones") from None
    return creds


def read_state(studio_dir: Path) -> dict[str, object]:
    try:
        state = json.loads((studio_dir / "studio.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def resolve_connection(
    *, url: str | None, api_key: str | None, studio_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
) -> Connection:
    """Fill what the user did not give from the embedded studio, if there is one."""
    studio_dir = studio_dir or default_studio_dir()
    if not url or not api_key:
        state = read_state(studio_dir)
        creds = read_credentials(studio_dir)
        if not url and state.get("url"):
            url = str(state["url"])
        # Only borrow the studio's token for the studio's own URL.
        if not api_key and creds.get("token") and url == state.get("url"):
            api_key = creds["token"]
    if not url:
        raise ConfigError(
            "no Label Studio to talk to: pass --url and --api-key (or set LABEL_STUDIO_URL and "
            "LABEL_STUDIO_API_KEY), or start the embedded one with `annotate studio start`"
        )
    if not api_key:
        raise ConfigError(
            f"no API token for Label Studio at {url}: pass --api-key or set LABEL_STUDIO_API_KEY "
            "(Label Studio: Account & Settings → Personal Access Token)"
        )
    return Connection(url=url.rstrip("/"), api_key=api_key, timeout=timeout, retries=retries)

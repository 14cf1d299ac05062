"""Annotator pseudonyms: records carry a stable name for each annotator, not their identity.

A Label Studio user id is a small integer and an e-mail is guessable, so a plain (or salted,
salt in the source) hash of either can be reversed by hashing every candidate. The pseudonym
is therefore keyed: `ann-` + the first 10 hex digits (40 bits) of HMAC-SHA256(secret,
"user-id:<N>"), or of the lower-cased e-mail for exports with no user id. Without the secret
nobody can rebuild the table; with it, `pull` and `validate` on the same machine (or on every
machine of a team sharing the secret) name each annotator alike.

The secret: `INCIDENT_CORPUS_PSEUDONYM_KEY` when set (a team shares one by setting it to the
same value everywhere), else a random 256-bit key created on first use in the user's config
folder (`pseudonym.key`, mode 0600 from its first byte; the file's text is what the variable
takes). Collisions: with n annotators the chance that two share a pseudonym is about
n² / 2⁴¹ (1,000 annotators: 5 × 10⁻⁷; 10,000: 5 × 10⁻⁵); 10 hex digits is what the record
schema allows.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import ConfigError

KEY_ENV = "INCIDENT_CORPUS_PSEUDONYM_KEY"
KEY_FILE_NAME = "pseudonym.key"
MIN_KEY_CHARS = 32
DIGITS = 10  # hex digits kept: 40 bits, the `annotator` pattern of schema/annotation.schema.json
# What the dataset card says made the ids (README "Annotator privacy" describes it).
SCHEME = "hmac-sha256-40"
SCHEME_TEXT = (f"`{SCHEME}`: `ann-` + the first {DIGITS} hex digits of HMAC-SHA256 of the Label Studio user id "
               "under a secret key kept by whoever pulled the annotations")
_KEY_TEXT = re.compile(r"[0-9a-f]{64}")

_cache: dict[Path, bytes] = {}


def key_path() -> Path:
    """Where the per-install secret lives: the user's config folder (XDG_CONFIG_HOME on Linux)."""
    from platformdirs import user_config_path

    return user_config_path("incident-corpus", appauthor=False) / KEY_FILE_NAME


def pseudonym_key() -> bytes:
    """The secret pseudonyms are keyed with: the environment's, else this install's (made on first use)."""
    shared = os.environ.get(KEY_ENV, "").strip()
    if shared:
        if len(shared) < MIN_KEY_CHARS:
            raise ConfigError(
                f"{KEY_ENV} is too short ({len(shared)} characters) to keep pseudonyms private; "
                f"use at least {MIN_KEY_CHARS} random characters, e.g. the text of {key_path()} or the output "
                "of `python -c \"import secrets; print(secrets.token_hex(32))\"`")
        return shared.encode("utf-8")
    path = key_path()
    if path not in _cache:
        _cache[path] = _read_or_create(path)
    return _cache[path]


def loaded_secrets() -> list[str]:
    """The secrets this process holds (for scrubbing messages); never creates a key."""
    found = [os.environ.get(KEY_ENV, "").strip()]
    found += [key.decode("utf-8", "replace") for key in _cache.values()]
    return [s for s in found if s]


def _read_or_create(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return _create(path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the pseudonym key, {path} ({exc.__class__.__name__}); make it readable, "
                          f"or set {KEY_ENV} to the team's key") from None
    if not _KEY_TEXT.fullmatch(text):
        raise ConfigError(f"the pseudonym key is damaged, {path} (not 64 hex digits); restore it from a backup "
                          f"or a teammate's {KEY_ENV} — a new key would give every annotator a new pseudonym")
    return text.encode("ascii")


def _create(path: Path) -> bytes:
    """A new random key, written 0600 beside its final name and hard-linked into place: never readable by
    others, never half-written, and two processes racing to create it end up sharing the first one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = secrets.token_hex(32)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_or_create(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return text.encode("ascii")


def pseudonym(*, email: str | None, user_id: int | None, key: bytes | None = None) -> str:
    """A stable annotator name so records carry no personal data.

    Keyed on the Label Studio user id when there is one, so `pull` (which knows e-mails) and
    `validate FILE` on the same raw export (which does not) name annotators alike; the e-mail
    is the key only for exports that carry no user id.
    """
    if user_id is not None:
        message = f"user-id:{user_id}"
    elif email:
        message = f"email:{email.lower()}"
    else:
        raise ValueError("pseudonym() needs an email or a user id")
    digest = hmac.new(key or pseudonym_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()
    return "ann-" + digest[:DIGITS]


# A fixed name for annotations that carry no user at all: it stands for nobody, so it needs no key.
UNKNOWN_ANNOTATOR = "ann-" + hashlib.sha256(b"incident-corpus:unknown").hexdigest()[:DIGITS]


def annotator_pseudonym(completed_by: Any, users: Mapping[int, str] | None = None) -> str:
    """The pseudonym of an annotation's `completed_by` (an id, or an expanded user in older exports);
    `pull`, `validate` and `status` all name annotators through this."""
    email, user_id = annotator_identity(completed_by, users)
    if email is None and user_id is None:
        return UNKNOWN_ANNOTATOR
    return pseudonym(email=email, user_id=user_id)


def annotator_identity(completed_by: Any, users: Mapping[int, str] | None) -> tuple[str | None, int | None]:
    if isinstance(completed_by, dict):  # older exports expand the user
        uid = completed_by.get("id")
        email = completed_by.get("email")
        email = email if isinstance(email, str) else None
        uid = uid if isinstance(uid, int) and not isinstance(uid, bool) else None
        if not email and uid is not None and users:
            email = users.get(uid)
        return (email or None), uid
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        email = users.get(completed_by) if users else None
        return (email if isinstance(email, str) and email else None), completed_by
    return None, None

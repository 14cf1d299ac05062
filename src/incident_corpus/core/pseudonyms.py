"""Annotator pseudonyms: records carry a stable name for each annotator, not their identity."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

_PSEUDONYM_SALT = "incident-corpus:"


def pseudonym(*, email: str | None, user_id: int | None) -> str:
    """A stable annotator name so records carry no personal data.

    Keyed on the Label Studio user id when there is one, so `pull` (which knows e-mails) and
    `validate FILE` on the same raw export (which does not) name annotators alike; the e-mail
    is the key only for exports that carry no user id.
    """
    if user_id is not None:
        key = f"user-id:{user_id}"
    elif email:
        key = email.lower()
    else:
        raise ValueError("pseudonym() needs an email or a user id")
    return "ann-" + hashlib.sha256((_PSEUDONYM_SALT + key).encode("utf-8")).hexdigest()[:10]


UNKNOWN_ANNOTATOR = "ann-" + hashlib.sha256(f"{_PSEUDONYM_SALT}unknown".encode()).hexdigest()[:10]


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
        uid = uid if isinstance(uid, int) else None
        if not email and uid is not None and users:
            email = users.get(uid)
        return (email or None), uid
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        email = users.get(completed_by) if users else None
        return (email or None), completed_by
    return None, None



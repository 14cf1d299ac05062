"""Typed exceptions. Library code raises these; only the cli turns them into click errors.

Every message names the thing at fault (file, task, field, URL) and says what to do next.
No message ever contains the API token.
"""

from __future__ import annotations


class IncidentCorpusError(Exception):
    """Base class: an expected failure with a message meant for the user."""


class InputError(IncidentCorpusError):
    """An input file or option cannot be used as given."""


class ConfigError(IncidentCorpusError):
    """Connection settings are missing or inconsistent."""


class StudioError(IncidentCorpusError):
    """The embedded Label Studio could not be started, stopped or found."""


class PortBusyError(StudioError):
    """The port the studio should bind is already taken."""


class LabelStudioError(IncidentCorpusError):
    """Talking to the Label Studio server failed.

    Like httpx's `HTTPStatusError`, the error carries what went wrong as data, so callers test
    `exc.status == 404`, never the message text: `status` is the HTTP status the server answered
    (None when no answer came), `url` the request's URL (the server's when no one request is at fault).
    """

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.url = url

    @property
    def transient(self) -> bool:
        """Whether the same request may pass if sent again (see `ServerUnreachableError`, `ServerBusyError`)."""
        return False


class ServerUnreachableError(LabelStudioError):
    """No answer from the server (connection refused, timeout)."""

    @property
    def transient(self) -> bool:
        return True


class ServerTimeoutError(ServerUnreachableError):
    """The server accepted the connection but did not answer within --timeout."""


class ServerBusyError(LabelStudioError):
    """The server kept answering 429 or 5xx (overloaded or failing) after every retry."""

    @property
    def transient(self) -> bool:
        return True


class BadResponseError(LabelStudioError):
    """The server answered with something that is not Label Studio's API (not JSON, wrong shape)."""


class AuthError(LabelStudioError):
    """The server rejected the API token (401/403)."""


class LegacyTokenDisabledError(AuthError):
    """A legacy API token, on a server whose organization has legacy tokens switched off."""


class TokenRevokedError(AuthError):
    """A Personal Access Token the server will no longer exchange: revoked (blacklisted) or expired."""


class ProjectNotFoundError(LabelStudioError):
    """No project with the given title or id."""


class ConfigConflictError(LabelStudioError):
    """The project's label config differs from ours."""


class ServerVersionError(LabelStudioError):
    """The server's version is outside what our SDK pin supports."""


class ExportError(IncidentCorpusError):
    """A dataset could not be exported."""

"""The errors every service raises, and the one format they reach people in.

Services raise a `DomainError` (or a subclass naming its app: `IdeaError`,
`VoteError` …); views turn it into a message, the API into
`{"error": {"code", "message", "fields"}}` with its status. Codes are stable,
machine-readable strings: the shared ones are below; an app may add its own
(`vote_quota`, `round_closed` …) on its subclasses.
"""

from rest_framework import status


class Code:
    """The error codes every app shares."""

    INVALID = "invalid"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    THROTTLED = "throttled"


class DomainError(Exception):
    """Raised by services when a use case cannot proceed; views turn it into a 4xx.

    Subclasses set `code` (a stable machine-readable string) and `status`.
    """

    code = Code.INVALID
    status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class NotAllowed(DomainError):
    """The person may not do this (the object exists for them: otherwise 404)."""

    code = Code.PERMISSION_DENIED
    status = status.HTTP_403_FORBIDDEN


class FieldErrors(dict):
    """Messages per field, gathered while a service checks its input, so that one
    refusal names every problem and nothing is written before it.

        errors = FieldErrors()
        errors.add("ends_at", _("The end comes after the start."))
        errors.raise_if_any(CampaignError)
    """

    def add(self, field: str, message) -> None:
        self.setdefault(field, []).append(str(message))

    def raise_if_any(self, error_class: type[DomainError], message: str | None = None) -> None:
        """Raise `error_class` with every field's messages; its message is `message`,
        or the first problem's."""
        if self:
            first = next(iter(self.values()))[0]
            raise error_class(message or first, fields=dict(self))


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}

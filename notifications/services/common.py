"""What every notifications service shares: the errors and constants."""

from core.errors import DomainError

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


ALL_EVENTS = "*"


class NotificationError(DomainError):
    code = "notification_invalid"


class TransientEmailError(Exception):
    """The mail server or provider said "try again later"; the task retries."""

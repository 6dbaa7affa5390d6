from core.errors import DomainError


class WebhookError(DomainError):
    """A webhook write refused; the message says why."""

"""The ground floor: what every app shares, and nothing that belongs to one.

    core.errors       DomainError, NotAllowed, FieldErrors, the error codes and body
    core.api          the API's error format (exception handler) and pagination
    core.images       the check for small uploaded pictures (covers, logos, avatars)
    core.permissions  roles, 404 off the team / 403 for a role too low, console_view
    core.tasks        the tenant-aware Celery task base
    core.metrics      the operators' Prometheus page; apps register their figures
    core.observability structured logs and error reports, set up by the settings

It imports no app of the project: apps sit on top of it (tests/config/test_layering.py).
"""

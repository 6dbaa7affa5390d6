"""Waiting for what a real Celery worker (or SMTP server) brings about."""

import time


def wait_for(condition, timeout: float = 60.0) -> bool:
    """Poll `condition` until it holds, then True. The deadline only guards
    against a hang: past it the test fails."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    raise AssertionError(f"still not so after {timeout} seconds")

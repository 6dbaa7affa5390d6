"""Every write of the notifications app, one module per topic; import from here.

common.py         the errors and constants
sending.py        notify(): the in-app notice and the e-mail queued
preferences.py    preferences and one-click unsubscribe
mail.py           delivering an e-mail, with retries for transient failures
digests.py        daily and weekly digests
following.py      following challenges and ideas
"""

from notifications.services.common import (
    ALL_EVENTS,
    UNSUBSCRIBE_SALT,
    NotificationError,
    TransientEmailError,
)
from notifications.services.digests import digest_period, digests_build
from notifications.services.following import follow, followers_of, notify_followers, unfollow
from notifications.services.mail import email_deliver, is_transient, sender_address
from notifications.services.preferences import (
    preference_set,
    unsubscribe,
    unsubscribe_read,
    unsubscribe_token,
)
from notifications.services.sending import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)

__all__ = [
    "ALL_EVENTS",
    "UNSUBSCRIBE_SALT",
    "NotificationError",
    "TransientEmailError",
    "digest_period",
    "digests_build",
    "email_deliver",
    "follow",
    "followers_of",
    "is_transient",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "notify_followers",
    "preference_set",
    "sender_address",
    "unfollow",
    "unsubscribe",
    "unsubscribe_read",
    "unsubscribe_token",
]

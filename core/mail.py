"""E-mail in development: each message goes to a file under .local/mail/ and the
log gets one line for it, instead of the whole message on the console (a demo
seeds hundreds of e-mails, which buried `make run`'s banner)."""

import logging

from django.core.mail.backends.filebased import EmailBackend

logger = logging.getLogger("ruche.mail")


class FileEmailBackend(EmailBackend):
    """Django's file backend (one .log file per connection in EMAIL_FILE_PATH),
    plus one log line per message saying where to read it."""

    def write_message(self, message):
        super().write_message(message)
        logger.info(
            "e-mail to %s: %s (in %s)",
            ", ".join(message.recipients()),
            message.subject,
            self._fname,
        )

"""E-mail backends that stand in for a mail server in the notification tests."""

import os
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path
from smtplib import SMTPException

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

MAIL_DIR_ENV = "PORTAL_TEST_MAIL_DIR"
DELAY_ENV = "PORTAL_TEST_MAIL_DELAY"


def message_key(message) -> str:
    """The notification's Message-ID made safe for a file name: notification-12_portal.localhost."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", message.extra_headers.get("Message-ID", "").strip("<>"))


class SlowFileBackend(BaseEmailBackend):
    """A mail server slow enough to kill a worker in the middle of a send.

    For each message it writes a ``started-…`` marker, waits ``PORTAL_TEST_MAIL_DELAY``
    seconds, then writes the message as ``sent-…`` (renamed into place, so a reader
    never sees half a file) in the directory ``PORTAL_TEST_MAIL_DIR`` names.
    """

    def send_messages(self, email_messages):
        directory = Path(os.environ[MAIL_DIR_ENV])
        delay = float(os.environ.get(DELAY_ENV, "1.5"))
        for message in email_messages:
            stem = f"{message_key(message)}-{os.getpid()}-{uuid.uuid4().hex}"
            (directory / f"started-{stem}").write_text(str(time.time()))
            time.sleep(delay)
            partial = directory / f".partial-{stem}"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(directory / f"sent-{stem}.eml")
        return len(email_messages)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise SMTPException("550 mailbox unavailable")


class LeaseLostBackend(LocmemBackend):
    """Sends, but meanwhile the sender's lease ran out and another worker claimed the row.

    That is what happens to a worker that stalls longer than NOTIFICATION_LEASE_SECONDS.
    """

    def send_messages(self, email_messages):
        from portal.models import Notification

        for message in email_messages:
            pk = int(message_key(message).split("_")[0].removeprefix("notification-"))
            Notification.objects.filter(pk=pk).update(email_claimed_until=timezone.now() + timedelta(minutes=5))
        return super().send_messages(email_messages)

"""A mailbox behind a real SMTP server (aiosmtpd): what the app's worker sends during a test."""
import email
import email.policy


class Inbox:
    """Collects every message the server receives, parsed, and the recipients each was sent to
    (``RCPT TO``); refuses the recipients in ``refuse`` with 550."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

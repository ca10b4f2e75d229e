"""A mailbox behind a real SMTP server (aiosmtpd): what the app's worker sends during a test."""
import email
import email.policy


class Inbox:
    """Collects every message the server receives, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

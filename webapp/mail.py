"""Email to residents: rendered from templates in their language (plain text and HTML), with a
``List-Unsubscribe`` header and one-click unsubscribe, sent over SMTP (``SMTP_URL``). Without
``SMTP_URL`` (the demo) each message is written to the worker's log instead of being sent.

Links use ``PUBLIC_URL``; confirmation links are signed and expire (``CONFIRM_MAX_AGE_S``).
"""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeTimedSerializer

from reports.models import ReportEvent
from reports.notify.models import Job, Subscription
from reports.queries.public import public_dict
from store import db

CONFIRM_MAX_AGE_S = 7 * 24 * 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-subscription")


def confirmation_token(subscription_id: int) -> str:
    return _signer().dumps(subscription_id)


def confirmed_subscription_id(token: str) -> int | None:
    try:
        return int(_signer().loads(token, max_age=CONFIRM_MAX_AGE_S))
    except (BadSignature, ValueError, TypeError):
        return None


def mask_address(address: str) -> str:
    """``baomat@example.vn`` → ``b…@example.vn``: logs never carry a resident's address."""
    local, _, domain = address.strip("<> ").rpartition("@")
    return f"{local[:1]}…@{domain}" if local else "…"


def compose(template: str, subscription: Subscription, event: ReportEvent | None) -> EmailMessage:
    """The message for ``subscription`` in its language; ``template`` is ``confirm`` or ``update``."""
    base = current_app.config["PUBLIC_URL"]
    report = subscription.report
    links = {"report": f"{base}/r/{report.tracking_code}", "unsubscribe": f"{base}/unsubscribe/{subscription.token}",
             "confirm": f"{base}/subscriptions/confirm/{confirmation_token(subscription.id)}"}
    with force_locale(subscription.language):
        context = {"view": public_dict(report), "event": event, "links": links, "lang": subscription.language}
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = formataddr(("", subscription.email))
    message["Message-ID"] = make_msgid(domain=urlsplit(base).hostname or "localhost")
    message["List-Unsubscribe"] = f"<{links['unsubscribe']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def deliver(message: EmailMessage) -> None:
    url = current_app.config.get("SMTP_URL")
    if not url:  # the demo: show the message, but not whose address it is
        shown = EmailMessage()
        for name, value in message.items():
            shown[name] = mask_address(value) if name == "To" else value
        shown.set_content(message.get_body(("plain",)).get_content())
        current_app.logger.warning("no SMTP_URL: this message is logged, not sent\n%s", shown.as_string())
        return
    parts = urlsplit(url)
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(parts.hostname, port, timeout=30, context=context)
    else:
        client = smtplib.SMTP(parts.hostname, port, timeout=30)
    with client:
        if parts.scheme == "smtp" and current_app.config["SMTP_STARTTLS"]:
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


def send_email_job(job: Job) -> None:
    """``email`` job: compose and deliver; a subscription ended meanwhile sends nothing."""
    subscription = db.session.get(Subscription, job.payload["subscription_id"])
    if subscription is None:
        return
    event = db.session.get(ReportEvent, job.payload["event_id"]) if job.payload.get("event_id") else None
    deliver(compose(job.payload["template"], subscription, event))

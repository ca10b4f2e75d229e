"""Short notifications behind one interface: Web Push, SMS and Zalo (ZNS).

Email has its own rich messages (``delivery.mail``); the other channels carry a :class:`Note` — a title,
a line of text and a link — to an address: a browser's PushSubscription, or a mobile number
(``84`` + 9 digits). An adapter's ``send`` returns False when the address is gone for good (the
caller deletes the subscription) and raises on any other failure, so the job is retried.

SMS and Zalo are off unless configured (``SMS_GATEWAY_URL``; ``ZALO_ZNS_ACCESS_TOKEN`` and
``ZALO_ZNS_TEMPLATES``; for both, the number residents prove their phone to, ``SMS_INBOUND_NUMBER`` and
``SMS_INBOUND_TOKEN``: ``reports.notify.phones``): the tracking page and the API offer only the channels
that are on. Neither adapter ever writes a phone number into an error or a log line.
"""
import json
from dataclasses import dataclass, field

from flask import current_app

from delivery import push
from delivery.outbound import DeliveryFailed, post_to_gateway

SMS_MAX_CHARS = 300  # two or three Unicode SMS segments (70 characters each; diacritics kept)


@dataclass(frozen=True)
class Note:
    """What a short channel carries. ``template`` names the kind of message (``confirm``,
    ``update``, ``alert_new``, ``alert_digest``), which Zalo maps to an approved ZNS template."""

    template: str
    title: str
    body: str
    url: str
    code: str = ""  # the report's tracking code, when the note is about one report
    key: str = ""  # unique per message: Zalo's tracking_id, so Zalo can spot a resend
    extra: dict = field(default_factory=dict)  # e.g. the unsubscribe link a notification offers

    def as_text(self, limit: int) -> str:
        text = f"{self.title}. {self.body}".strip() if self.body else self.title
        room = limit - len(self.url) - 1
        return (text if len(text) <= room else text[:max(room - 1, 0)] + "…") + " " + self.url


class PushChannel:
    name = "push"

    def enabled(self) -> bool:
        return push.public_key() is not None

    def send(self, address: dict, note: Note) -> bool:
        return push.send(address, {"title": note.title, "body": note.body[:200], "url": note.url, **note.extra})


class SmsChannel:
    """A generic HTTP SMS gateway: ``POST SMS_GATEWAY_URL`` with ``{"to", "text", "sender"}`` and
    ``Authorization: Bearer SMS_GATEWAY_TOKEN``; any 2xx is delivered. A provider with another format
    (eSMS, SpeedSMS, VNPT…) sits behind a small relay, or a subclass of this one."""

    name = "sms"

    def enabled(self) -> bool:
        return bool(current_app.config["SMS_GATEWAY_URL"]) and phones_can_prove()

    def send(self, address: str, note: Note) -> bool:
        config = current_app.config
        headers = {"Authorization": f"Bearer {config['SMS_GATEWAY_TOKEN']}"} if config["SMS_GATEWAY_TOKEN"] else {}
        answer = _post_json(config["SMS_GATEWAY_URL"], headers, {
            "to": address, "text": note.as_text(SMS_MAX_CHARS), "sender": config["SMS_SENDER"]})
        if not 200 <= answer.status < 300:
            raise DeliveryFailed("SMS gateway", answer.status)
        return True


class ZaloChannel:
    """Zalo Notification Service: ``POST ZALO_ZNS_URL`` with the Official Account's ``access_token``
    header and ``{"phone", "template_id", "template_data", "tracking_id"}``; Zalo answers
    ``{"error": 0, ...}`` on success. Templates are approved by Zalo beforehand, with the parameters
    ``tracking_code``, ``title``, ``content`` and ``url``; ``ZALO_ZNS_TEMPLATES`` maps ours to their ids."""

    name = "zalo"

    def enabled(self) -> bool:
        config = current_app.config
        return bool(config["ZALO_ZNS_ACCESS_TOKEN"] and config["ZALO_ZNS_TEMPLATES"]) and phones_can_prove()

    def send(self, address: str, note: Note) -> bool:
        config = current_app.config
        template_id = config["ZALO_ZNS_TEMPLATES"].get(note.template) or config["ZALO_ZNS_TEMPLATES"].get("update")
        if not template_id:
            raise RuntimeError(f"no ZNS template for {note.template!r} in ZALO_ZNS_TEMPLATES")
        answer = _post_json(config["ZALO_ZNS_URL"], {"access_token": config["ZALO_ZNS_ACCESS_TOKEN"]},
                            {"phone": address, "template_id": template_id, "tracking_id": note.key,
                             "template_data": {"tracking_code": note.code, "title": note.title[:100],
                                               "content": note.body[:400], "url": note.url}})
        try:
            error = json.loads(answer.body).get("error") if answer.headers.get(
                "content-type", "").startswith("application/json") else None
        except (ValueError, AttributeError):
            error = None
        if answer.status != 200 or error != 0:
            raise DeliveryFailed("Zalo ZNS", f"{answer.status}, error {error}")
        return True


def phones_can_prove() -> bool:
    """A number to send proofs to, and the gateway's token for posting them here, are configured."""
    config = current_app.config
    return bool(config["SMS_INBOUND_NUMBER"] and config["SMS_INBOUND_TOKEN"])


def _post_json(url: str, headers: dict, body: dict):
    """A configured gateway's POST, within ``CHANNEL_DEADLINE_S`` overall (``delivery.outbound``)."""
    return post_to_gateway(url, json.dumps(body, ensure_ascii=False).encode(),
                           {**headers, "Content-Type": "application/json"},
                           deadline_s=current_app.config["CHANNEL_DEADLINE_S"])


CHANNELS = {channel.name: channel for channel in (PushChannel(), SmsChannel(), ZaloChannel())}


def enabled(name: str) -> bool:
    """Is the short channel ``name`` configured here?"""
    return name in CHANNELS and CHANNELS[name].enabled()


def enabled_phone_channels() -> list[str]:
    return [name for name in ("sms", "zalo") if enabled(name)]

"""Web Push (RFC 8030 with VAPID, RFC 8292; payloads encrypted aes128gcm, RFC 8291) via pywebpush.

Keys: in development a VAPID key pair is generated once under ``var/`` (mode 0600) like the session
key; in production ``VAPID_PRIVATE_KEY_FILE`` names a PEM file, and without it push is off (the
tracking page does not offer it, ``/healthz`` says so). The server only posts to push services in
``PUSH_SERVICE_HOSTS`` (over HTTPS, no port): a subscription naming any other address is refused,
and at send time the name must resolve to public addresses only (``delivery.outbound``), so nobody can
make the server call into a private network.
"""
import json
import os
import time
from base64 import urlsafe_b64encode
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app
from py_vapid import Vapid

from delivery.outbound import DeliveryFailed, OutboundRefused, Target, parse_url, post

TTL_S = 24 * 3600


def load_or_create_vapid(path: str | Path) -> Vapid:
    path = Path(path)
    if not path.exists():
        vapid = Vapid()
        vapid.generate_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        vapid.save_key(str(path))
        os.chmod(path, 0o600)
    return Vapid.from_file(str(path))


def init_push(app) -> None:
    """Attach the VAPID keys (or None: push off) to the app."""
    key_file = app.config.get("VAPID_PRIVATE_KEY_FILE")
    vapid = None
    if key_file and Path(key_file).exists():
        vapid = Vapid.from_file(key_file)
    elif app.config["ENVIRONMENT"] == "development":
        vapid = load_or_create_vapid(key_file or Path(app.config["SECRET_KEY_FILE"]).with_name("vapid_private.pem"))
    app.extensions["vapid"] = vapid
    # The applicationServerKey browsers subscribe with (uncompressed P-256 point, base64url).
    app.extensions["vapid_public_key"] = None if vapid is None else urlsafe_b64encode(
        vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)).decode().rstrip("=")


def public_key() -> str | None:
    """The applicationServerKey, or None when push is off."""
    return current_app.extensions.get("vapid_public_key")


def endpoint_target(endpoint: str) -> Target:
    """The push service an endpoint names, parsed as the sender will connect to it (``delivery.outbound``):
    HTTPS on a host of ``PUSH_SERVICE_HOSTS`` (or a subdomain of one), no port, no user-info; or one of
    the tests' plain-HTTP ``PUSH_INSECURE_HOSTS``. Anything else is :class:`OutboundRefused`."""
    config = current_app.config
    target = parse_url(endpoint, exact_hosts=config["PUSH_INSECURE_HOSTS"])
    if f"{target.host}:{target.port}" in config["PUSH_INSECURE_HOSTS"]:
        return target
    if target.scheme != "https" or not any(target.host == h or target.host.endswith("." + h)
                                           for h in config["PUSH_SERVICE_HOSTS"]):
        raise OutboundRefused("not a known push service")
    return target


def endpoint_allowed(endpoint: str) -> bool:
    """May a subscription name this endpoint? (The address it resolves to is checked at send time.)"""
    try:
        endpoint_target(endpoint)
    except OutboundRefused:
        return False
    return True


def send(subscription_info: dict, payload: dict) -> bool:
    """Deliver ``payload`` (JSON, encrypted for the browser: RFC 8291) to one browser within
    ``PUSH_DEADLINE_S``; False when the browser has gone (404/410: the caller deletes the
    subscription). Other failures raise, so the job is retried."""
    # pywebpush (and the aiohttp it loads, ~14 MiB) only in the processes that send: the worker. It
    # encrypts; the request itself goes through delivery.outbound (checked address, overall deadline).
    from pywebpush import WebPusher

    config = current_app.config
    vapid = current_app.extensions.get("vapid")
    if vapid is None:
        raise RuntimeError("Web Push is off (no VAPID key)")
    target = endpoint_target(subscription_info.get("endpoint"))
    body = WebPusher(subscription_info).encode(json.dumps(payload, ensure_ascii=False).encode(), "aes128gcm")["body"]
    claims = {"sub": config["VAPID_SUBJECT"], "aud": target.origin, "exp": int(time.time()) + 12 * 3600}
    headers = {**vapid.sign(claims), "Content-Encoding": "aes128gcm", "TTL": str(TTL_S),
               "Content-Type": "application/octet-stream"}
    answer = post(subscription_info["endpoint"], body, headers, deadline_s=config["PUSH_DEADLINE_S"],
                  plain_http_hosts=config["PUSH_INSECURE_HOSTS"])
    if answer.status in (404, 410):
        return False
    if not 200 <= answer.status < 300:
        raise DeliveryFailed("push service", answer.status)
    return True

"""Web Push (RFC 8030 with VAPID, RFC 8292; payloads encrypted aes128gcm, RFC 8291) via pywebpush.

Keys: in development a VAPID key pair is generated once under ``var/`` (mode 0600) like the session
key; in production ``VAPID_PRIVATE_KEY_FILE`` names a PEM file, and without it push is off (the
tracking page does not offer it, ``/healthz`` says so). The server only posts to push services in
``PUSH_SERVICE_HOSTS`` (over HTTPS): a subscription naming any other address is
refused, so nobody can make the server call into a private network.
"""
import json
import os
from base64 import urlsafe_b64encode
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app
from py_vapid import Vapid

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


def endpoint_allowed(endpoint: str) -> bool:
    """An HTTPS URL on a known push service (or a subdomain of one)."""
    parts = urlsplit(endpoint if isinstance(endpoint, str) else "")
    host = (parts.hostname or "").lower()
    if parts.scheme == "http":
        return f"{host}:{parts.port}" in current_app.config["PUSH_INSECURE_HOSTS"]
    return parts.scheme == "https" and any(host == h or host.endswith("." + h)
                                           for h in current_app.config["PUSH_SERVICE_HOSTS"])


def send(subscription_info: dict, payload: dict) -> bool:
    """Deliver ``payload`` (JSON) to one browser; False when the browser has gone (404/410: the
    caller deletes the subscription). Other failures raise, so the job is retried."""
    # pywebpush (and the aiohttp it loads, ~14 MiB) only in the processes that send: the worker.
    from pywebpush import WebPushException, webpush

    vapid = current_app.extensions.get("vapid")
    if vapid is None:
        raise RuntimeError("Web Push is off (no VAPID key)")
    try:
        webpush(subscription_info, data=json.dumps(payload, ensure_ascii=False), vapid_private_key=vapid,
                vapid_claims={"sub": current_app.config["VAPID_SUBJECT"]}, ttl=TTL_S, timeout=30)
    except WebPushException as exc:
        if exc.response is not None and exc.response.status_code in (404, 410):
            return False
        raise
    return True

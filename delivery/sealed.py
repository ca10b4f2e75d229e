"""Values a job must carry but nobody may read in the database or a backup (a reporter's private link,
which holds the key to their report): sealed with the app's ``SECRET_KEY`` (Fernet: AES with an HMAC)
before they are enqueued, opened by the worker when it composes the message."""
import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

TTL_S = 30 * 24 * 3600  # as long as a done job is kept


def _fernet() -> Fernet:
    key = hashlib.sha256(b"phananh-sealed:" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def unseal(token: str | None) -> str | None:
    """The sealed value, or None when there is none or it cannot be opened (another key, too old)."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode(), ttl=TTL_S).decode()
    except (InvalidToken, ValueError):
        return None

"""The reporter's secret: what proves that a resident is the one who filed a report.

Tracking codes are public (they appear on the map and in Open311), so they only let people read.
Rating, reopening and subscribing need the secret the reporter got at submission: generated on the
phone and kept there (or made here when a client sends none), returned in the submission's answer
and in the private link ``/r/<code>#k=<secret>``. Only its SHA-256 is stored.
"""
import hashlib
import hmac
import secrets

from reports.errors import NotTheReporter

MIN_LENGTH, MAX_LENGTH = 16, 128


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def reporter_secret(given: str | None) -> str:
    """The client's secret when it is a plausible one, else a new random one."""
    given = (given or "").strip()
    if MIN_LENGTH <= len(given) <= MAX_LENGTH and given.isascii() and given.isprintable():
        return given
    return secrets.token_urlsafe(18)


def is_reporter(report, secret: str | None) -> bool:
    if not report.reporter_secret_hash or not isinstance(secret, str) or not secret.strip():
        return False
    return hmac.compare_digest(report.reporter_secret_hash, secret_hash(secret.strip()[:MAX_LENGTH]))


def require_reporter(report, secret: str | None) -> None:
    if not is_reporter(report, secret):
        raise NotTheReporter("only the reporter (with the secret given at submission) may do this",
                             key="reporter_secret_required")

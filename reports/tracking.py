"""Tracking codes: short, unguessable, easy to read aloud (``HUE-7K2Q-9MXD``).

The alphabet leaves out 0/O, 1/I/L and U so that no two characters sound or look alike; eight of
them drawn with :mod:`secrets` give 30⁸ ≈ 6.6·10¹¹ codes per province prefix.
"""
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PROVINCE_PREFIX = {"46": "HUE", "01": "HNI"}
CODE_PATTERN = re.compile(r"^[A-Z]{2,4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")


def new_tracking_code(province_code: str | None) -> str:
    prefix = PROVINCE_PREFIX.get(province_code or "", "VN")
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def normalise_tracking_code(raw: str) -> str | None:
    """Accept lower case, spaces and missing dashes as read over the phone; None when malformed."""
    compact = re.sub(r"[\s-]", "", (raw or "").upper())
    match = re.fullmatch(r"([A-Z]{2,4}?)([2-9A-Z]{8})", compact)
    if not match:
        return None
    code = f"{match.group(1)}-{match.group(2)[:4]}-{match.group(2)[4:]}"
    return code if CODE_PATTERN.match(code) else None

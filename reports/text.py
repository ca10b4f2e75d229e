"""Residents' and staff's free text, made safe to store and to write anywhere (HTML, XML, CSV).

- NUL and lone surrogates (from a broken JSON client) are refused: 400 ``invalid_characters``.
- Other control characters (C0/C1 but tab and newline) are invisible and not allowed in XML 1.0:
  they are dropped. Carriage returns become newlines; the text is NFC-normalised and trimmed.
"""
import re
import unicodedata

from reports.errors import InvalidReport

# One plain address (RFC 5322's dot-atom local part, a DNS name): no comma, quote, bracket or space can
# smuggle a second recipient. Plausible, not proof: confirmation links prove it.
EMAIL = re.compile(r"^(?=.{6,254}$)(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                   r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$")
# A Vietnamese mobile number (0 or +84, then 9 digits from 3, 5, 7, 8 or 9): what SMS gateways and
# Zalo accept; kept as ``84`` + 9 digits.
MOBILE = re.compile(r"^(?:\+?84|0)([35789][0-9]{8})$")
REFUSED = re.compile("[\x00\ud800-\udfff]")
DROPPED = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(value, limit: int) -> str | None:
    """``value`` made safe (see above), cut at ``limit`` characters; None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidReport("text fields must be strings", key="invalid_request")
    if REFUSED.search(value):
        raise InvalidReport("the text contains a NUL character or an invalid Unicode surrogate",
                            key="invalid_characters")
    value = DROPPED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", value).strip()[:limit] or None


def mobile_number(value) -> str | None:
    """``0905 123 456`` or ``+84-905-123-456`` → ``84905123456``; None when it is not a Vietnamese
    mobile number."""
    match = MOBILE.match(re.sub(r"[\s.()-]", "", value)) if isinstance(value, str) and len(value) <= 40 else None
    return f"84{match.group(1)}" if match else None


def has_unreadable(value: str) -> bool:
    """True for text no database column can hold (NUL, lone surrogates): such a request is refused."""
    return bool(REFUSED.search(value))

"""The security headers of every response: fixed strings made once at start-up, and a CSP nonce only
for a response whose page asked for one.

``webapp/security.py`` decides the policy; this module puts it on the responses. Flask-Talisman did
this before and rebuilt every header from its options on each request (the view's options looked up
four times, a 32-character nonce drawn one character at a time from the system's random source, the
policy parsed and joined again): 55–90 µs of CPU a request, 13–19% of a ``/api/v1/locate``
(docs/performance.md). Here the headers are constants, and the nonce is made by the first ``csp_nonce()`` a
response's template (or Folium's document, ``with_nonces``) calls: a JSON answer, or a page without an
inline block, allows no inline script or style at all.
"""
import re
import secrets
from functools import wraps

from flask import request

NONCE_SOURCES = ("script-src", "style-src")  # the directives a nonce is added to


def csp_nonce() -> str:
    """This response's nonce (made on first use; 128 random bits, URL-safe). Kept on the request, not
    on ``g``: an application context (and its ``g``) can outlive one request, as in the tests."""
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None:
        nonce = request.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def framable_by_self(view):
    """The dashboard shows its own Folium maps in iframes: these documents may be framed by the app's
    own pages (frame-ancestors 'self', X-Frame-Options SAMEORIGIN); every other one by nobody."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        request.framable_by_self = True
        return view(*args, **kwargs)
    return wrapper


def with_nonces(html: str) -> str:
    """A generated document (Folium) whose every inline ``<script>``/``<style>`` carries this
    response's nonce, so that exactly those run."""
    return re.sub(r"<(script|style)(?=[\s>])", rf'<\1 nonce="{csp_nonce()}"', html)


def policy_text(policy: dict, framed_by: str, nonce_marker: str | None) -> str:
    """``{"default-src": "'self'", "img-src": ["'self'", "data:"]}`` → ``default-src 'self'; img-src
    'self' data:``; ``frame-ancestors`` is ``framed_by`` (decided per response: :func:`framable_by_self`),
    ``nonce_marker`` added to NONCE_SOURCES."""
    parts = []
    for directive, sources in {**policy, "frame-ancestors": framed_by}.items():
        sources = [sources] if isinstance(sources, str) else list(sources)
        if nonce_marker and directive in NONCE_SOURCES:
            sources.append(f"'nonce-{nonce_marker}'")
        parts.append(" ".join([directive, *sources]))
    return "; ".join(parts)


class SecurityHeaders:
    """After every request: the CSP (``policy``, a dict of directive → sources), nosniff, the
    referrer policy, X-Frame-Options, the permissions policy, and HSTS when the request came over HTTPS
    (directly, or as a trusted proxy says: ``PROXY_FIX_HOPS``)."""

    MARKER = "NONCE"  # where a response's nonce goes in the kept policy texts

    def __init__(self, app, policy: dict, *, referrer_policy: str, permissions: dict, hsts_seconds: int):
        if any(self.MARKER in str(sources) for sources in policy.values()):
            raise ValueError("a CSP source contains the nonce marker")
        self.policies = {(framed, with_nonce): policy_text(policy, "'self'" if framed else "'none'",
                                                           self.MARKER if with_nonce else None)
                         for framed in (False, True) for with_nonce in (False, True)}
        self.fixed = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": referrer_policy,
                      "Permissions-Policy": ", ".join(f"{feature}={allow}" for feature, allow in permissions.items())}
        self.hsts = f"max-age={hsts_seconds}"
        app.jinja_env.globals["csp_nonce"] = csp_nonce
        app.after_request(self.add)

    def add(self, response):
        headers = response.headers
        framed, nonce = getattr(request, "framable_by_self", False), getattr(request, "csp_nonce", None)
        policy = self.policies[framed, nonce is not None]
        headers["Content-Security-Policy"] = policy.replace(self.MARKER, nonce) if nonce else policy
        headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
        headers.update(self.fixed)
        if request.is_secure:
            headers["Strict-Transport-Security"] = self.hsts
        return response

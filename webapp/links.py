"""Links in templates built once: a static file's URL, and an endpoint's URL that takes no values, stay
the same while the app runs, for a given path prefix (``SCRIPT_NAME`` behind a proxy). Templates ask
Werkzeug's router once per link and prefix instead of on every page (a tracking page has ~15 such
links: ~3% of its time). Links with one value (a report's code, a photo) are built from a shape made once (:func:`link_with`);
other links with values, links relative to the blueprint
(``.page``) and links built outside a request (emails) are built each time, as Flask builds them."""
import re
from urllib.parse import quote

from flask import has_request_context, request
from flask import url_for as flask_url_for


def install(app) -> None:
    built: dict = {}

    def url_for(endpoint: str, **values) -> str:
        plain = ((not values and not endpoint.startswith("."))
                 or (endpoint == "static" and values.keys() == {"filename"}))
        # (a URL default, were one registered, may change a link from one request to the next)
        if not plain or not has_request_context() or app.url_default_functions:
            return flask_url_for(endpoint, **values)
        key = (request.environ.get("SCRIPT_NAME", ""), endpoint, values.get("filename"))  # (the prefix as sent: request.script_root decodes it anew, ~4 µs)
        link = built.get(key)
        if link is None:
            link = built[key] = flask_url_for(endpoint, **values)
        return link

    app.jinja_env.globals["url_for"] = url_for


_PLACEHOLDER = "\x00"
_shapes: dict = {}
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]*\Z")  # needs no quoting (tracking codes, photo keys)


def _shape(endpoint: str, name: str) -> tuple[str, str]:
    """What comes before and after the one value in ``endpoint``'s path, for this request's path
    prefix, built once by the router (whose ~25 µs per link were a visible share of a tracking page)."""
    key = (request.environ.get("SCRIPT_NAME", "") if has_request_context() else "", endpoint, name)
    shape = _shapes.get(key)
    if shape is None:
        shape = _shapes[key] = tuple(flask_url_for(endpoint, **{name: _PLACEHOLDER}).split(quote(_PLACEHOLDER), 1))
    return shape


def _fill(shape: tuple[str, str], value: str) -> str:
    return shape[0] + (value if _URL_SAFE.match(value) else quote(value, safe="")) + shape[1]


def link_with(endpoint: str, name: str, value: str) -> str:
    """The path of ``endpoint`` with one value (``/r/<tracking_code>``, ``/photos/<key>``)."""
    return _fill(_shape(endpoint, name), value)


def report_link(tracking_code: str) -> str:
    return link_with("citizen.track_page", "tracking_code", tracking_code)


def with_links(view: dict) -> dict:
    """A report's public view or summary from ``reports.queries.public`` (which names photos by their
    digest) with the paths a browser follows: the report's page, each photo and its thumbnail (the
    shapes looked up once per call)."""
    before, after = _shape("citizen.photo", "key")  # (a digest is hex: nothing to quote)
    out = {**view, "url": _fill(_shape("citizen.track_page", "tracking_code"), view["tracking_code"])}
    for key in ("photos", "result_photos"):
        if key in view:
            out[key] = [{"url": f"{before}{p['sha256']}.jpg{after}", "thumbnail_url": f"{before}{p['sha256']}_t.jpg{after}",
                         "width": p["width"], "height": p["height"]} for p in view[key]]
    if "photo" in view:
        sha = out.pop("photo")
        out["thumbnail_url"] = f"{before}{sha}_t.jpg{after}" if sha else None
    return out

"""Links in templates built once: a static file's URL, and an endpoint's URL that takes no values, stay
the same while the app runs, for a given path prefix (``SCRIPT_NAME`` behind a proxy). Templates ask
Werkzeug's router once per link and prefix instead of on every page (a tracking page has ~15 such
links: ~3% of its time). Links with values (a report's code), links relative to the blueprint
(``.page``) and links built outside a request (emails) are built each time, as Flask builds them."""
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
        key = (request.script_root, endpoint, values.get("filename"))
        link = built.get(key)
        if link is None:
            link = built[key] = flask_url_for(endpoint, **values)
        return link

    app.jinja_env.globals["url_for"] = url_for

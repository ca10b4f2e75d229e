"""The OpenAPI description covers every public JSON route, and is itself valid OpenAPI 3."""
import re

import schemathesis

from webapp.api.openapi import SPEC


def described_paths():
    return {path: set(ops) for path, ops in SPEC["paths"].items()}


def public_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule).replace(".{fmt}", ".json")
        if path.startswith(("/api/v1/", "/open311/v2/")):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    return routes


def test_every_public_route_is_described(app):
    described = {(p, m) for p, ops in described_paths().items() for m in ops}
    assert public_routes(app) - described == set()
    assert described - public_routes(app) == set()  # and nothing is described that does not exist


def test_served_and_valid(client):
    served = client.get("/api/openapi.json").json
    assert served["openapi"].startswith("3.") and served["paths"].keys() == SPEC["paths"].keys()
    schema = schemathesis.openapi.from_dict(served)
    assert len(list(schema.get_all_operations())) >= 18

"""``GET /api/openapi.json``: the OpenAPI 3 description of ``/api/v1`` and of Open311's JSON form.

Kept true by ``tests/web/api/test_openapi.py`` (every route described) and fuzzed by schemathesis.
"""
from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)

ERROR = {"$ref": "#/components/schemas/Error"}
OPEN311_ERRORS = {"$ref": "#/components/schemas/Open311Errors"}
LAT = {"name": "lat", "in": "query", "required": True, "schema": {"type": "number", "minimum": -90, "maximum": 90}}
LON = {"name": "lon", "in": "query", "required": True, "schema": {"type": "number", "minimum": -180, "maximum": 180}}
CODE = {"name": "tracking_code", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 40}}


def _json(schema):
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*statuses, schema=ERROR):
    return {str(s): {"description": "error", **_json(schema)} for s in statuses}


def _ok(schema, status="200"):
    return {status: {"description": "success", **_json(schema)}}


OBJ = {"type": "object"}
ARR = {"type": "array"}
REPORT_BODY = {"type": "object", "required": ["category", "description", "lat", "lon"], "properties": {
    "category": {"type": "string"}, "description": {"type": "string", "maxLength": 4000},
    "lat": {"type": "number"}, "lon": {"type": "number"}, "name": {"type": "string"},
    "phone": {"type": "string"}, "email": {"type": "string"}, "hide_identity": {"type": "boolean"},
    "acknowledge_duplicate": {"type": "boolean"}}}
CSRF = [{"name": "X-CSRFToken", "in": "header", "required": False, "schema": {"type": "string"},
         "description": "same-origin token from GET /api/v1/csrf-token (with its cookie)"}]


SECRET = [{"name": "X-Reporter-Secret", "in": "header", "required": False, "schema": {"type": "string"},
           "description": "the reporter's secret (or reporter_secret in the body); no CSRF token needed"}]


def _post_report_action(extra_body: dict, by_reporter: bool = True):
    """A resident's action on a report: the reporter's own (by their secret) or anyone's (support)."""
    if by_reporter:
        extra_body = {**extra_body, "reporter_secret": {"type": "string"}}
    return {"post": {"parameters": [CODE] + (SECRET if by_reporter else CSRF),
                     "requestBody": {"required": False, **_json({"type": "object", "properties": extra_body})},
                     "responses": {**_ok(OBJ), **_errors(400, 403, 404, 409, 429)}}}


def _open311_get(schema, params=(), path_params=(), statuses=(400, 404)):
    return {"get": {"parameters": list(path_params) + list(params),
                    "responses": {**_ok(schema), **_errors(*statuses, schema=OPEN311_ERRORS)}}}


OPEN311_QUERY = [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}} for n in (
    "service_request_id", "service_code", "start_date", "end_date", "status", "bbox")] + [
    {"name": n, "in": "query", "required": False, "schema": {"type": "integer"}} for n in ("page", "page_size")]

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Phản Ánh API", "version": "1.0.0",
             "description": "Civic-issue reports for Vietnamese wards. Errors: {error: {code, message}}."},
    "paths": {
        "/api/v1/locate": {"get": {"parameters": [LAT, LON], "responses": {**_ok(OBJ), **_errors(400, 422)}}},
        "/api/v1/wards": {"get": {"parameters": [
            {"name": "province", "in": "query", "required": True, "schema": {"type": "string", "pattern": "^[0-9]{1,3}$"}},
            {"name": "simplify", "in": "query", "required": False, "schema": {"type": "number"}}],
            "responses": {**_ok(OBJ), **_errors(400, 429)}}},
        "/api/v1/wards/figures": {"get": {"parameters": [
            {"name": "period", "in": "query", "required": False, "schema": {"type": "string", "enum": ["month", "year"]}}],
            "responses": {**_ok(OBJ), **_errors(400)}}},
        "/api/v1/categories": {"get": {"responses": _ok(OBJ)}},
        "/api/v1/csrf-token": {"get": {"responses": _ok(OBJ)}},
        "/api/v1/reports": {"post": {
            "parameters": CSRF + [{"name": "Idempotency-Key", "in": "header", "required": False,
                                   "schema": {"type": "string", "maxLength": 100}}],
            "requestBody": {"required": True, **_json(REPORT_BODY)},
            "responses": {**_ok(OBJ), **_ok(OBJ, "201"), **_errors(400, 409, 413, 415, 422, 429)}}},
        "/api/v1/reports/{tracking_code}": {"get": {"parameters": [CODE],
                                                    "responses": {**_ok(OBJ), **_errors(404)}}},
        "/api/v1/reports/nearby": {"get": {"parameters": [LAT, LON, {
            "name": "category", "in": "query", "required": True, "schema": {"type": "string"}}],
            "responses": {**_ok(OBJ), **_errors(400)}}},
        "/api/v1/reports/map": {"get": {"parameters": [
            {"name": "days", "in": "query", "required": False, "schema": {"type": "integer"}},
            {"name": "category", "in": "query", "required": False, "schema": {"type": "string"}}],
            "responses": {**_ok(OBJ), **_errors(400, 429)}}},
        "/api/v1/reports/recent": {"get": {
            "description": "Public reports in view, the most recently updated first (no personal data).",
            "parameters": [
                {"name": "bbox", "in": "query", "required": True, "schema": {"type": "string"},
                 "description": "west,south,east,north in degrees (WGS84)"},
                {"name": "field", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "category", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "status", "in": "query", "required": False, "schema": {"type": "string", "enum": ["open", "closed"]}},
                {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 50}}],
            "responses": {**_ok(OBJ), **_errors(400)}}},
        "/api/v1/reports/{tracking_code}/support": _post_report_action({}, by_reporter=False),
        "/api/v1/reports/{tracking_code}/comments": {"post": {
            "description": "A resident's words to the ward about a report they did not send (staff only, never published).",
            "parameters": [CODE] + CSRF,
            "requestBody": {"required": True, **_json({"type": "object", "required": ["text"],
                                                       "properties": {"text": {"type": "string", "maxLength": 2000}}})},
            "responses": {**_ok(OBJ, "201"), **_errors(400, 404, 409, 429)}}},
        "/api/v1/reports/{tracking_code}/rating": _post_report_action(
            {"rating": {"type": "integer"}, "comment": {"type": "string"}}),
        "/api/v1/reports/{tracking_code}/reopen": _post_report_action({"reason": {"type": "string"}}),
        "/api/v1/reports/{tracking_code}/subscriptions": {"post": {
            "parameters": [CODE] + SECRET + CSRF,
            "requestBody": {"required": False, **_json({"type": "object", "properties": {
                "email": {"type": "string"}, "push": {"type": "object"}, "sms": {"type": "string"},
                "zalo": {"type": "string"}, "reporter_secret": {"type": "string"}}})},
            "responses": {"202": {"description": "a confirmation email is on its way; push is on; a phone is on, "
                                                 "or proof_required: the SMS to send from it", **_json(OBJ)},
                          **_errors(400, 403, 404, 429, 503)}}},
        "/api/v1/reports/{tracking_code}/privacy-requests": {"post": {
            "description": "The reporter asks about their personal data (the report's key proves them): access (the copy "
                           "comes at once), correct, delete, restrict or withdraw; due dates in working days.",
            "parameters": [CODE] + SECRET,
            "requestBody": {"required": True, **_json({"type": "object", "required": ["kind"], "properties": {
                "kind": {"type": "string", "enum": ["access", "correct", "delete", "restrict", "withdraw"]},
                "reporter_secret": {"type": "string"}, "detail": {"type": "string", "maxLength": 2000}}})},
            "responses": {"202": {"description": "the request (id, kind, status, due_at); for access also the copy",
                                  **_json(OBJ)}, **_errors(400, 403, 404, 429)}}},
        "/api/v1/privacy-requests": {"post": {
            "description": "A person without a report's key asks about the data held under their email address "
                           "(a confirmation link is emailed) or mobile number (the answer gives a code to send by SMS "
                           "to the city's number); the answer is the same whether or not the address is known.",
            "parameters": CSRF,
            "requestBody": {"required": True, **_json({"type": "object", "required": ["kind"], "properties": {
                "email": {"type": "string"}, "phone": {"type": "string"},
                "kind": {"type": "string", "enum": ["access", "correct", "delete", "restrict", "withdraw"]}}})},
            "responses": {"202": {"description": "a confirmation link is on its way if the address holds data",
                                  **_json(OBJ)}, **_errors(400, 429)}}},
        "/api/v1/alerts": {"post": {
            "parameters": CSRF,
            "requestBody": {"required": True, **_json({"type": "object", "properties": {
                "email": {"type": "string"}, "ward": {"type": "string"}, "lat": {"type": "number"},
                "lon": {"type": "number"}, "radius_m": {"type": "number"}, "field": {"type": "string"},
                "digest": {"type": "boolean"}}})},
            "responses": {"202": {"description": "a confirmation message is on its way", **_json(OBJ)},
                          **_errors(400, 429)}}},
        "/api/v1/hooks/sms": {"post": {
            "description": "For the city's SMS gateway only (Authorization: Bearer SMS_INBOUND_TOKEN): an SMS "
                           "the city's number received; a subscription's code in it proves the phone.",
            "parameters": [{"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": True, **_json({"type": "object", "required": ["from", "text"], "properties": {
                "from": {"type": "string"}, "text": {"type": "string"}}})},
            "responses": {**_ok(OBJ), **_errors(400, 401, 429)}}},
        "/api/v1/service-points/nearest": {"get": {"parameters": [LAT, LON] + [
            {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}},
            {"name": "kind", "in": "query", "required": False, "schema": {"type": "string"}},
            {"name": "open_now", "in": "query", "required": False, "schema": {"type": "string"}}],
            "responses": {**_ok(OBJ), **_errors(400)}}},
        "/open311/v2/discovery.json": _open311_get(OBJ),
        "/open311/v2/services.json": _open311_get(ARR),
        "/open311/v2/services/{service_code}.json": _open311_get(OBJ, path_params=[
            {"name": "service_code", "in": "path", "required": True, "schema": {"type": "string"}}]),
        "/open311/v2/requests.json": {
            **_open311_get(ARR, OPEN311_QUERY, statuses=(400, 404, 429)),
            "post": {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "required": ["api_key", "service_code"], "properties": {
                    k: {"type": "string"} for k in ("api_key", "service_code", "lat", "long", "address_string",
                                                    "description", "media_url", "email", "first_name",
                                                    "last_name", "phone", "acknowledge_duplicate")}}}}},
                     "responses": {**_ok(ARR, "201"), **_errors(400, 403, 422, 429, schema=OPEN311_ERRORS)}}},
        "/open311/v2/requests/{service_request_id}.json": _open311_get(ARR, path_params=[
            {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}}]),
        "/open311/v2/tokens/{token}.json": _open311_get(ARR, path_params=[
            {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}]),
        "/open311/v2/servicerequestupdates.json": {
            "get": {"parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
                                   for n in ("api_key", "start_date", "end_date")],
                    "responses": {**_ok(ARR), **_errors(400, 403, schema=OPEN311_ERRORS)}},
            "post": {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "required": ["api_key", "service_request_id", "update_id", "status"],
                "properties": {k: {"type": "string"} for k in ("api_key", "service_request_id", "update_id", "status",
                                                              "description", "updated_datetime", "media_url")}}}}},
                     "responses": {**_ok(ARR), **_ok(ARR, "201"),
                                   **_errors(400, 403, 404, 429, schema=OPEN311_ERRORS)}}},
    },
    "components": {"schemas": {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
        "Open311Errors": {"type": "array", "items": {"type": "object", "required": ["code", "description"],
                                                      "properties": {"code": {"type": "integer"},
                                                                     "description": {"type": "string"}}}},
    }},
}


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(SPEC)

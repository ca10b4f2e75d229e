"""Rendering Open311 answers as JSON or as the spec's XML (element names as in GeoReport v2)."""
import re
from xml.etree import ElementTree as ET

from flask import Response, json

# Characters XML 1.0 cannot carry at all (intake already drops them; older rows may hold them).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XML_LISTS = {"services": "service", "service_requests": "request", "service_request_updates": "request_update", "errors": "error", "endpoints": "endpoint",
             "formats": "format", "attributes": "attribute", "values": "value"}


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            child = ET.SubElement(element, key)
            _fill(child, item)
    elif isinstance(value, list):
        tag = XML_LISTS.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    elif value is None:
        pass
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = XML_INVALID.sub("", str(value))


def render(payload, fmt: str, root: str, status: int = 200) -> Response:
    """``payload`` as JSON, or as XML under ``root`` (a list becomes repeated child elements)."""
    if fmt == "xml":
        element = ET.Element(root)
        _fill(element, payload)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8")
        return Response(body, status=status, mimetype="text/xml")
    return Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json")


def errors(status: int, description: str, fmt: str) -> Response:
    return render([{"code": status, "description": description}], fmt, "errors", status)

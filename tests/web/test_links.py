"""Links built once per path prefix (webapp/links.py) are the links Flask builds."""
from flask import render_template_string, url_for


def test_template_links_equal_flasks_under_any_prefix(app):
    template = "{{ url_for('static', filename='css/app.css') }} {{ url_for('citizen.map_page') }} " \
               "{{ url_for('citizen.track_page', tracking_code='HUE-7K2Q-9MXD') }}"
    for prefix in ("", "/phananh", ""):  # the cached links of one prefix never answer for another
        with app.test_request_context("/r/x", base_url=f"http://city.example{prefix}"):
            expected = " ".join([url_for("static", filename="css/app.css"), url_for("citizen.map_page"),
                                 url_for("citizen.track_page", tracking_code="HUE-7K2Q-9MXD")])
            assert render_template_string(template) == expected
            assert expected.startswith(f"{prefix}/static/css/app.css {prefix}/map ")


def test_links_outside_a_request_are_flasks_own(app):
    app.config["SERVER_NAME"], before = "city.example", app.config.get("SERVER_NAME")
    try:
        with app.app_context():
            assert app.jinja_env.globals["url_for"]("citizen.map_page") == "http://city.example/map"
    finally:
        app.config["SERVER_NAME"] = before


def test_a_reports_links_equal_flasks_under_any_prefix(app):
    from webapp.links import with_links
    sha = "ab" * 32
    view = {"tracking_code": "HUE-7K2Q-9MXD", "photos": [{"sha256": sha, "width": 4, "height": 3}], "photo": sha}
    for prefix in ("", "/phananh", ""):
        with app.test_request_context("/r/x", base_url=f"http://city.example{prefix}"):
            out = with_links(view)
            assert out["url"] == url_for("citizen.track_page", tracking_code="HUE-7K2Q-9MXD")
            assert out["photos"][0]["url"] == url_for("citizen.photo", key=f"{sha}.jpg")
            assert out["photos"][0]["thumbnail_url"] == out["thumbnail_url"] == url_for("citizen.photo", key=f"{sha}_t.jpg")
            assert out["url"].startswith(f"{prefix}/r/") and "photo" not in out

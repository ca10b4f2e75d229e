"""Production settings: no start without a strong SECRET_KEY and a PUBLIC_URL; the development key is
generated once (0600) and reused; links and hosts follow PUBLIC_URL, never the Host header."""
import os
import stat
import subprocess
import sys

import pytest

from settings import PROJECT_ROOT
from webapp import create_app
from webapp.security import ConfigurationError, check_settings, load_or_create_secret

STRONG = "k" * 20 + "0123456789abcdefghij"


def settings(**overrides):
    base = {"ENVIRONMENT": "production", "SECRET_KEY": STRONG, "SECRET_KEY_FILE": "/nonexistent/key",
            "PUBLIC_URL": "https://phananh.hue.example", "PORT": 5000, "TRUSTED_HOSTS": None}
    return {**base, **overrides}


@pytest.mark.parametrize("key", [None, "", "dev-only-not-secret", "short-key", "a" * 40])
def test_production_refuses_a_missing_or_weak_secret_key(key):
    with pytest.raises(ConfigurationError) as refused:
        check_settings(settings(SECRET_KEY=key))
    assert "SECRET_KEY" in str(refused.value.code) and "\n" not in str(refused.value.code)


def test_production_refuses_a_missing_public_url():
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        check_settings(settings(PUBLIC_URL=None))


def test_production_trusts_only_the_public_host_and_sends_secure_cookies():
    config = settings()
    check_settings(config)
    assert config["TRUSTED_HOSTS"] == ["phananh.hue.example"]
    assert config["SESSION_COOKIE_SECURE"] is True


def test_production_requires_a_second_factor_of_every_role_that_reads_personal_data():
    """Issue 28, finding 20: dispatchers read every reporter's identity, ward staff the identities
    shown to them; the default was admin only."""
    config = settings()
    check_settings(config)
    assert set(config["REQUIRE_2FA_ROLES"]) == {"admin", "dispatcher", "ward_lead", "officer"}
    development = settings(ENVIRONMENT="development")
    check_settings(development)
    assert development["REQUIRE_2FA_ROLES"] == ()
    chosen = settings(REQUIRE_2FA_ROLES=("admin",))
    check_settings(chosen)
    assert chosen["REQUIRE_2FA_ROLES"] == ("admin",)


def test_development_key_is_generated_once_private_and_reused(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = settings(ENVIRONMENT="development", SECRET_KEY=None, SECRET_KEY_FILE=str(path), PUBLIC_URL=None)
    check_settings(first)
    assert len(first["SECRET_KEY"]) >= 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    again = settings(ENVIRONMENT="development", SECRET_KEY=None, SECRET_KEY_FILE=str(path), PUBLIC_URL=None)
    check_settings(again)
    assert again["SECRET_KEY"] == first["SECRET_KEY"] == load_or_create_secret(path)
    other = tmp_path / "other_install"
    assert load_or_create_secret(other) != first["SECRET_KEY"]  # no two installs share a key


def test_the_server_process_stops_with_one_clear_line():
    """What gunicorn (or flask) does when a city forgets SECRET_KEY: exit 1, one line on stderr."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "PHANANH_ENV", "PUBLIC_URL")}
    done = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Phản Ánh refuses to start: SECRET_KEY is not set (PHANANH_ENV=production). Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(48))'"]


def test_a_production_app_answers_only_to_its_host(app):
    production = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "PHOTO_DIR", "DATA_DIR",
                                                           "BASEMAP_URL")},
                             "ENVIRONMENT": "production", "SECRET_KEY": STRONG,
                             "PUBLIC_URL": "https://phananh.hue.example", "CACHE_TYPE": "NullCache",
                             "CACHE_NO_NULL_WARNING": True})
    client = production.test_client()
    assert client.get("/api/v1/categories", headers={"Host": "evil.example"}).status_code == 400
    discovery = client.get("/open311/v2/discovery.json", base_url="https://phananh.hue.example")
    assert discovery.status_code == 200
    assert discovery.json["endpoints"][0]["url"] == "https://phananh.hue.example/open311/v2"
    assert "max-age=" in discovery.headers["Strict-Transport-Security"]  # HSTS over HTTPS


def test_links_use_public_url_not_the_host_header(client, app):
    body = client.get("/open311/v2/discovery.json", headers={"Host": "evil.example"}).json
    assert body["endpoints"][0]["url"] == app.config["PUBLIC_URL"] + "/open311/v2"
    assert "evil.example" not in str(body)

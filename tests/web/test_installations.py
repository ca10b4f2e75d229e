"""Two installations on one Redis share nothing (issue 28, finding 10): an app on another database
reads none of this one's kept figures, and every key either writes starts with its own installation
name (caches and rate limits)."""
import pytest
import redis

from devtools.dbsetup import LOCAL_REDIS_URL
from settings import installation_id
from webapp import create_app
from webapp.extensions import remember

REDIS_TEST_URL = LOCAL_REDIS_URL.rsplit("/", 1)[0] + "/14"


@pytest.fixture
def shared_redis():
    try:
        store = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
        store.flushdb()
    except redis.RedisError:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    yield store
    store.flushdb()


def test_another_database_is_another_installation(app, shared_redis):
    settings = {"TESTING": True, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_TEST_URL}
    ours = create_app({**settings, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    theirs = create_app({**settings, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"] + "_empty"})
    assert ours.config["INSTALLATION_ID"] != theirs.config["INSTALLATION_ID"]
    with ours.app_context():
        assert remember("public-figures:month", 60, lambda: ["40 phường của Huế"]) == ["40 phường của Huế"]
    with theirs.app_context():
        assert remember("public-figures:month", 60, lambda: []) == []  # not the other installation's 40 wards
    keys = [k.decode() for k in shared_redis.keys("*")]
    assert keys and all(k.startswith(("phananh:" + ours.config["INSTALLATION_ID"],
                                      "phananh:" + theirs.config["INSTALLATION_ID"])) for k in keys)
    named = create_app({**settings, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "INSTALLATION_ID": "hue"})
    assert named.config["CACHE_KEY_PREFIX"] == "phananh:hue:" and named.config["RATELIMIT_KEY_PREFIX"] == "phananh:hue"


def test_the_name_depends_on_host_port_and_database():
    names = {installation_id(url) for url in ("postgresql://a@db1:5432/phananh", "postgresql://a@db2:5432/phananh",
                                              "postgresql://a@db1:5433/phananh", "postgresql://a@db1:5432/other")}
    assert len(names) == 4 and installation_id("postgresql://b:pw@db1:5432/phananh") == installation_id(
        "postgresql://a@db1:5432/phananh")

"""The app's Flask class (webapp/app_class.py): the per-request shortcuts change no behaviour (sessions
across requests: tests/web/auth, through the same class)."""
import functools

import pytest

from webapp.app_class import ReusedSerializerSessionInterface


def test_plain_callables_are_run_as_they_are_and_coroutines_as_flask_decides(app):
    def hook():
        return "plain"

    class Hooks:
        def method(self):
            return "bound"

    async def coroutine():
        return "async"

    bound = Hooks().method
    assert app.ensure_sync(hook) is hook and app.ensure_sync(bound) == bound
    partial = functools.partial(hook)
    assert app.ensure_sync(partial) is partial  # no __code__: Flask's own check, also plain
    with pytest.raises(RuntimeError, match="async"):  # Flask's path: async views need its 'async' extra
        app.ensure_sync(coroutine)


def test_the_session_serializer_follows_the_keys(app):
    interface = ReusedSerializerSessionInterface()
    old_key = app.config["SECRET_KEY"]
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first  # made once per key set
    cookie = first.dumps({"_user_id": "7"})
    try:
        app.config["SECRET_KEY"] = "a-rotated-key-" + "x" * 40
        rotated = interface.get_signing_serializer(app)
        assert rotated is not first
        with pytest.raises(Exception, match="[Ss]ignature"):
            rotated.loads(cookie)  # signed with a key no longer accepted
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        assert interface.get_signing_serializer(app).loads(cookie) == {"_user_id": "7"}
    finally:
        app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = old_key, []

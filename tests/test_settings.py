from __future__ import annotations

import pytest

from selector import create_app

GOOD = {"PRODUCTION": True, "SECRET_KEY": "s" * 40, "TRUSTED_HOSTS": ["guide.example"]}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"SECRET_KEY": "dev"}, "SECRET_KEY is the development key"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY is shorter than 32 characters"),
        ({"DEBUG": True}, "debug is on"),
        ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS is not set"),
    ],
)
def test_production_refuses_unsafe_settings_and_says_which(tmp_path, change, reason):
    with pytest.raises(RuntimeError, match=reason):
        create_app({**GOOD, **change}, instance_path=str(tmp_path))


def test_production_starts_with_safe_settings(tmp_path):
    app = create_app(GOOD, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["FORCE_HTTPS"] is True


def test_operator_command_reports_the_same_checks(tmp_path):
    unsafe = create_app({"SECRET_KEY": "dev"}, instance_path=str(tmp_path))
    result = unsafe.test_cli_runner().invoke(args=["check-production"])
    assert result.exit_code == 1
    assert "not ready: SECRET_KEY is the development key" in result.output
    assert "not ready: TRUSTED_HOSTS is not set" in result.output
    safe = create_app(GOOD, instance_path=str(tmp_path))
    result = safe.test_cli_runner().invoke(args=["check-production"])
    assert result.exit_code == 0
    assert "ready for production" in result.output


def test_redis_url_moves_cache_and_rate_limits_to_redis(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["CACHE_TYPE"] == "RedisCache"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_defaults_keep_cache_and_rate_limits_in_process(tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app(instance_path=str(tmp_path))
    assert app.config["CACHE_TYPE"] == "NullCache"  # the page store in each process is the cache
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_untrusted_host_is_refused(make_app, app):
    client = make_app(TRUSTED_HOSTS=["guide.example"]).test_client()
    assert client.get("/", base_url="http://guide.example").status_code == 200
    response = client.get("/", base_url="http://attacker.example")
    assert response.status_code == 400
    assert "Bad Request" in response.get_data(as_text=True)


def test_oversized_body_gets_a_413_page(client):
    response = client.post("/decide", data={"batteries": "x" * 100_000})
    assert response.status_code == 413
    assert "more than the guide accepts" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/guide",
        "/frameworks/django",
        "/compare",
        "/scenarios",
        "/scenarios/json-api",
        "/decide/result?batteries=yes&async_or_typed=no&assemble=no",
        "/sitemap.xml",
    ],
)
def test_content_pages_set_no_cookie(make_app, app, path):
    response = make_app(WTF_CSRF_ENABLED=True).test_client().get(path)
    assert "Set-Cookie" not in response.headers


def test_form_cookie_is_httponly_lax_and_secure_in_production(make_app, app):
    local = make_app(WTF_CSRF_ENABLED=True).test_client().get("/decide")
    cookie = local.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    production = make_app(WTF_CSRF_ENABLED=True, **GOOD, FORCE_HTTPS=False)
    cookie = (
        production.test_client()
        .get("/decide", base_url="http://guide.example")
        .headers["Set-Cookie"]
    )
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_form_pages_are_never_stored_by_caches(client, method):
    response = client.open("/decide", method=method, data={"batteries": "no"})
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.headers["Vary"]

from __future__ import annotations

import json
import re

import pytest

from selector import create_app

GOOD = {
    "PRODUCTION": True,
    "SECRET_KEY": "s" * 40,
    "TRUSTED_HOSTS": ["guide.example"],
    "SERVER_NAME": "guide.example",
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"SECRET_KEY": "dev"}, "SECRET_KEY is the development key"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY is shorter than 32 characters"),
        ({"SECRET_KEY": 12345678901234567890123456789012345}, "SECRET_KEY must be text, not int"),
        ({"SECRET_KEY": ["x"] * 32}, "SECRET_KEY must be text, not list"),
        ({"DEBUG": True}, "debug is on"),
        ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS is not set"),
        ({"TRUSTED_HOSTS": ["."]}, "TRUSTED_HOSTS holds what is not a host name: '.'"),
        ({"TRUSTED_HOSTS": True}, "TRUSTED_HOSTS must be a JSON list of host names"),
        ({"TRUSTED_HOSTS": {"a": 1}}, "TRUSTED_HOSTS must be a JSON list of host names"),
        ({"TRUSTED_HOSTS": "guide.example"}, "TRUSTED_HOSTS must be a JSON list of host names"),
        ({"TRUSTED_HOSTS": ["guide.example", 3]}, "TRUSTED_HOSTS must be a JSON list"),
        ({"SERVER_NAME": None}, "SERVER_NAME is not set"),
        ({"SERVER_NAME": "https://guide.example"}, "SERVER_NAME must be a host name"),
        ({"SERVER_NAME": "other.example"}, "SERVER_NAME must be one of TRUSTED_HOSTS"),
        ({"PROXY_COUNT": "1"}, "PROXY_COUNT must be a whole number"),
        ({"PROXY_COUNT": -1}, "PROXY_COUNT must be a whole number"),
        ({"REPORT_URL": "http://issues.example/"}, "REPORT_URL must be an https:// or mailto:"),
        ({"REPORT_URL": "issues.example"}, "REPORT_URL must be an https:// or mailto:"),
        ({"REPORT_URL": "mailto:nobody"}, "REPORT_URL must be an https:// or mailto:"),
    ],
)
def test_production_refuses_unsafe_settings_and_says_which(tmp_path, change, reason):
    with pytest.raises(RuntimeError, match=re.escape(reason)):
        create_app({**GOOD, **change}, instance_path=str(tmp_path))


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("FLASK_TRUSTED_HOSTS", '["."]', "TRUSTED_HOSTS holds what is not a host name"),
        ("FLASK_TRUSTED_HOSTS", "true", "TRUSTED_HOSTS must be a JSON list"),
        ("FLASK_TRUSTED_HOSTS", '{"a":1}', "TRUSTED_HOSTS must be a JSON list"),
        ("FLASK_TRUSTED_HOSTS", "guide.example", "TRUSTED_HOSTS must be a JSON list"),
        ("FLASK_SECRET_KEY", "123456789012345678901234567890123", "SECRET_KEY must be text"),
        ("FLASK_SECRET_KEY", json.dumps(["x"] * 32), "SECRET_KEY must be text, not list"),
    ],
)
def test_mistyped_environment_settings_are_refused_with_one_line(
    tmp_path, monkeypatch, variable, value, reason
):
    """What an operator types in the environment is read as JSON where it can be."""
    monkeypatch.setenv("FLASK_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("FLASK_TRUSTED_HOSTS", '["guide.example"]')
    monkeypatch.setenv("FLASK_SERVER_NAME", "guide.example")
    monkeypatch.setenv(variable, value)
    with pytest.raises(RuntimeError, match=re.escape(reason)) as refused:
        create_app({"PRODUCTION": True}, instance_path=str(tmp_path))
    assert str(refused.value).count(";") == 0, "one line for the one problem"


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
    response = client.post("/decide", data={"starting_point": "x" * 100_000})
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
        "/decide/result?starting_point=new&clients=pages&needs=admin",
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
    response = client.open("/decide", method=method, data={"starting_point": "new"})
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.headers["Vary"]

from __future__ import annotations

import gzip
import json
import logging
import re
from pathlib import Path

import pytest
from flask import request

from selector.content import snapshot
from selector.edge import middleware as edge
from selector.edge.middleware import access_log
from selector.edge.page_cache import store
from selector.extensions import limiter
from tests.conftest import NOT_FOUND, ROUTES

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@pytest.fixture
def production(make_app, app):
    """The seeded app with production settings."""
    return make_app(
        PRODUCTION=True,
        WTF_CSRF_ENABLED=True,
        SECRET_KEY="k" * 40,
        TRUSTED_HOSTS=["guide.example"],
        SERVER_NAME="guide.example",
        PREFERRED_URL_SCHEME="https",
    )


@pytest.mark.parametrize(
    "path",
    [*ROUTES, "POST /decide", "POST /api/v2/recommendations", "POST /api/v1/recommendations"],
)
def test_every_response_carries_the_security_headers(client, path):
    method, _, target = path.rpartition(" ")
    with client.open(
        target, method=method or "GET", json={} if "api" in target else None
    ) as response:
        headers = response.headers
    check_headers(headers)


def check_headers(headers) -> None:
    for name, value in HEADERS.items():
        assert headers[name] == value
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    for directive in ("base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in policy
    for unsafe in ("unsafe-inline", "unsafe-eval", "data:", "https:", "script-src"):
        assert unsafe not in policy
    assert "Strict-Transport-Security" not in headers  # plain HTTP
    assert len(headers["X-Request-ID"]) >= 8


def test_the_500_page_also_carries_them(make_app, app):
    broken = make_app(TESTING=False)
    broken.add_url_rule("/boom", "boom", lambda: 1 / 0)
    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    check_headers(response.headers)


def test_plain_http_is_redirected_to_https(production):
    client = production.test_client()
    # Even once the page is in the process's store (kept apart by scheme).
    client.get("/guide?x=1", base_url="https://guide.example")
    response = client.get("/guide?x=1", base_url="http://guide.example")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://guide.example/guide?x=1"


def test_hsts_is_sent_over_https_for_at_least_a_year(production):
    response = production.test_client().get("/", base_url="https://guide.example")
    max_age = int(response.headers["Strict-Transport-Security"].split("=")[1].split(";")[0])
    assert max_age >= 365 * 24 * 3600


def test_proxy_headers_are_ignored_unless_configured(make_app, app):
    sent = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    plain = make_app().test_client().get("/scenarios/json-api", headers=sent)
    assert '<link rel="canonical" href="http://localhost/' in plain.get_data(as_text=True)
    behind = make_app(PROXY_COUNT=1).test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in behind.headers


def test_a_client_cannot_choose_its_request_id(client):
    given = client.get("/", headers={"X-Request-ID": "abc-12345"}).headers["X-Request-ID"]
    assert given != "abc-12345"
    assert re.fullmatch(r"[0-9a-f]{32}", given)


@pytest.mark.parametrize("path", ["/", "/decide"])
def test_the_id_a_trusted_proxy_gives_is_kept_and_a_malformed_one_replaced(make_app, path):
    client = make_app(PROXY_COUNT=1).test_client()
    for _ in range(2):  # the home page is rendered, then read from the page store
        kept = client.get(path, headers={"X-Request-ID": "0123456789abcdef0123456789abcdef"})
        assert kept.headers["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    for bad in ("<bad>", "a" * 65, "short"):
        assert client.get(path, headers={"X-Request-ID": bad}).headers["X-Request-ID"] != bad


def test_a_request_id_with_a_trailing_newline_is_replaced():
    # Test clients refuse to send one, so the edge's own check is asked directly.
    given = {"HTTP_X_REQUEST_ID": "abc-12345\n"}
    assert edge.request_id(given, trust_proxy=True) != "abc-12345\n"
    assert edge.request_id({"HTTP_X_REQUEST_ID": "abc-12345"}, trust_proxy=True) == "abc-12345"


def test_one_json_log_line_per_request_without_answers_address_or_agent(make_app, app, monkeypatch):
    monkeypatch.setattr(snapshot, "LOCAL_SECONDS", 60)
    worker = make_app()
    rendered: list[str] = []
    worker.before_request(lambda: rendered.append(request.path))
    client = worker.test_client()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    access_log.addHandler(handler)
    ids = []
    try:
        # The second request is answered from the page store before Flask; it is logged alike.
        for _ in range(2):
            response = client.get(
                "/decide/result?starting_point=new&clients=pages&needs=admin",
                headers={"User-Agent": "TestAgent/1"},
                environ_base={"REMOTE_ADDR": "203.0.113.9"},
            )
            ids.append(response.headers["X-Request-ID"])
    finally:
        access_log.removeHandler(handler)
    assert rendered == ["/decide/result"]
    assert len(records) == 2
    for record, request_id in zip(records, ids, strict=True):
        line = json.loads(record.getMessage())
        assert set(line) == {"method", "path", "status", "duration_ms", "request_id"}
        assert line["path"] == "/decide/result"
        assert line["status"] == 200
        assert line["request_id"] == request_id
        for secret in ("starting_point", "clients", "admin", "203.0.113.9", "TestAgent"):
            assert secret not in record.getMessage()


def test_500_page_shows_the_request_id_that_the_log_has_with_the_traceback(make_app, app, caplog):
    broken = make_app(TESTING=False)
    broken.add_url_rule("/boom", "boom", lambda: 1 / 0)
    response = broken.test_client().get("/boom")
    page = response.get_data(as_text=True)
    request_id = response.headers["X-Request-ID"]
    assert f"<code>{request_id}</code>" in page
    assert "ZeroDivisionError" not in page and "Traceback" not in page
    [logged] = [r for r in caplog.records if r.exc_info]
    assert logged.request_id == request_id
    assert logged.exc_info[0] is ZeroDivisionError


def test_text_pages_are_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/guide")
    packed = client.get("/guide", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2


@pytest.mark.parametrize("refused", ["gzip;q=0", "identity", "br, gzip;q=0, *;q=0.5"])
def test_gzip_is_not_sent_to_a_client_that_refuses_it(client, refused):
    client.get("/guide", headers={"Accept-Encoding": "gzip"})  # the gzip bytes are stored
    response = client.get("/guide", headers={"Accept-Encoding": refused})
    assert "Content-Encoding" not in response.headers
    assert response.get_data().startswith(b"<!doctype html>")


def test_small_bodies_are_sent_as_they_are(client):
    response = client.get("/robots.txt", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers


@pytest.mark.parametrize("proto", ["javascript", "ftp", "data", "http"])
def test_the_https_redirect_leads_to_https_on_the_configured_host_only(make_app, app, proto):
    behind_proxy = make_app(
        FORCE_HTTPS=True, PROXY_COUNT=1, SERVER_NAME="guide.example", TRUSTED_HOSTS=None
    )
    response = behind_proxy.test_client().get(
        "/guide?x=1",
        base_url="http://guide.example:8443",
        headers={"X-Forwarded-Proto": proto, "X-Forwarded-Host": "evil.example:1"},
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "https://guide.example/guide?x=1"


def test_absolute_urls_name_the_configured_host_whatever_host_and_port_are_sent(production):
    client = production.test_client()
    pages = [
        "/sitemap.xml",
        "/robots.txt",
        "/scenarios/json-api",
        "/decide/result?starting_point=new&clients=pages",
        "/decide/result.md?starting_point=new&clients=pages",
    ]
    for path in pages:
        text = client.get(path, base_url="https://guide.example:8443").get_data(as_text=True)
        assert "https://guide.example/" in text, path
        assert ":8443" not in text, path


def test_a_stored_page_is_never_served_to_an_untrusted_host(make_app, app, monkeypatch):
    monkeypatch.setattr(snapshot, "LOCAL_SECONDS", 60)
    client = make_app(TRUSTED_HOSTS=["guide.example"]).test_client()
    assert client.get("/guide", base_url="http://guide.example").status_code == 200
    for host in ("evil.example", "guide.example.evil.example", "127.0.0.1.nip.io"):
        assert client.get("/guide", base_url=f"http://{host}").status_code == 400, host


def test_a_missing_static_file_is_never_kept_a_year(client):
    stylesheet = re.search(
        r'href="(/static/style\.css\?v=\w+)"', client.get("/").get_data(as_text=True)
    ).group(1)
    assert "immutable" in client.get(stylesheet).headers["Cache-Control"]
    for missing in ("/static/nothing.css", "/static/nothing.css?v=", "/static/nothing.css?v=abc"):
        response = client.get(missing)
        assert response.status_code == 404
        assert "immutable" not in response.headers.get("Cache-Control", ""), missing


def test_a_get_route_given_a_limit_is_limited(make_app, fresh_app):
    """No blanket filter exempts reads: a limit put on a GET view counts."""
    app = make_app(RATELIMIT_ENABLED=True)
    app.add_url_rule("/probe", "probe", limiter.limit("2 per minute")(lambda: "ok"))
    client = app.test_client()
    assert [client.get("/probe").status_code for _ in range(3)] == [200, 200, 429]


def test_gunicorn_trusts_no_forwarded_scheme_unless_told(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    settings: dict[str, object] = {}
    exec(Path("gunicorn.conf.py").read_text(), settings)
    assert settings["forwarded_allow_ips"] == ""


ALL_ROUTES = [
    *ROUTES,
    "/decide/result?starting_point=new&clients=pages&utm_source=x",
    "/decide/result?batteries=no&async_or_typed=no&assemble=yes",
    "/api/v1/no-such-thing",
]
#: The routes whose every answer is rendered again, and why none is kept.
NEVER_STORED = {
    "/decide": "the form carries a token of the reader's own: no-store",
    "/decide/result?starting_point=perhaps&clients=pages": "a 400 naming the bad answer: "
    "only a 200 is stored",
    "/decide/result?starting_point=new&clients=pages&utm_source=x": "a 301 to the permalink "
    "without the tag: only the canonical query is stored",
    "/decide/result?batteries=no&async_or_typed=no&assemble=yes": "a version-2 link, a 301 to "
    "its version-3 permalink: only the canonical query is stored",
    "/api/v1/openapi.json": "a 301 to the version-2 document, which no cached view serves",
    "/healthz": "the process's health now: a stored answer would outlive an outage",
    "/readyz": "the database's state now: a stored answer would outlive an outage",
    "/static/style.css": "a file, not a page: the browser keeps it a year by its hashed URL",
    NOT_FOUND: "a 404: errors are not stored, so a page added later is not hidden",
    "/api/v1/no-such-thing": "a 404: errors are not stored, so a page added later is not hidden",
}


def test_every_route_never_stored_is_one_the_store_test_requests():
    assert set(NEVER_STORED) <= set(ALL_ROUTES)


@pytest.mark.parametrize("encoding", ["", "gzip"])
@pytest.mark.parametrize("path", ALL_ROUTES)
def test_a_stored_page_and_a_rendered_one_carry_the_same_headers(
    make_app, app, monkeypatch, path, encoding
):
    """Every route, error pages included: the first answer is rendered, the repeat is read
    from the store before Flask, except on the routes never stored (NEVER_STORED, with why),
    which are rendered again; both leave through the edge with the same headers."""
    monkeypatch.setattr(snapshot, "LOCAL_SECONDS", 60)
    worker = make_app()
    rendered: list[str] = []
    worker.before_request(lambda: rendered.append(path))
    client = worker.test_client()
    first = client.get(path, headers={"Accept-Encoding": encoding})
    again = client.get(path, headers={"Accept-Encoding": encoding})
    kept = store(worker)
    if path in NEVER_STORED:
        assert len(rendered) == 2, NEVER_STORED[path]
        assert not kept.pages and not kept.free_text, NEVER_STORED[path]
    else:
        assert len(rendered) == 1, "the repeat was rendered again, not read from the store"
    assert again.status_code == first.status_code
    assert again.get_data() == first.get_data()
    assert shared_headers(again) == shared_headers(first)
    for name, value in HEADERS.items():
        assert again.headers[name] == first.headers[name] == value
    if first.status_code not in (204, 304):
        assert int(first.headers["Content-Length"]) == len(first.get_data())


def shared_headers(response) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k != "X-Request-ID")


def test_the_rate_limiters_own_warnings_are_logged_with_a_request_id(make_app, capsys):
    limited = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
    )
    with limited.test_request_context():
        logging.getLogger("flask-limiter").warning("Rate limit storage unreachable")
    err = capsys.readouterr().err
    assert "Logging error" not in err
    assert "request_id=" in err and "Rate limit storage unreachable" in err

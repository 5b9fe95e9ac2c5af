"""Content pages: ETags, 304s without a query, shared-cache headers, the page cache, page weight."""

from __future__ import annotations

import gzip
import json
import re
import time

import pytest
import redis
from flask import request

from selector.content import snapshot
from selector.edge.page_cache import cached_page
from selector.extensions import cache
from tests.conftest import count_statements, load_content
from tests.content_tools import copy_content, edit

CONTENT_PAGES = [
    "/",
    "/guide",
    "/frameworks/flask",
    "/compare?f=flask&f=django",
    "/scenarios",
    "/scenarios/json-api",
    "/decide/result?starting_point=new&clients=spa&needs=realtime",
    "/decide/result.md?starting_point=new&clients=spa&needs=realtime",
    "/sitemap.xml",
    "/about",
    "/ja/about",
]


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_content_page_has_strong_etag_and_answers_304_without_a_query(app, path):
    client = app.test_client()
    first = client.get(path)
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag), "a strong ETag"
    assert first.headers["Cache-Control"] == "public, max-age=60, s-maxage=300"
    assert "Accept-Encoding" in first.headers["Vary"]
    with count_statements(app) as statements:
        again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert statements == []


@pytest.mark.parametrize(
    "query",
    [
        "diff=on&f=flask&f=django",
        "f=django&f=flask&diff=on",
        "f=flask&f=django&f=flask&diff=on",
        "f=flask&f=django&diff=TRUE",
        "f=flask&f=django&diff=1&utm_source=x",
    ],
)
def test_another_spelling_of_a_compare_page_answers_301_to_the_one_page(client, query):
    response = client.get(f"/compare?{query}")
    assert response.status_code == 301
    assert response.headers["Location"] == "/compare?f=flask&f=django&diff=on"


def test_gzip_is_its_own_representation_served_from_the_cache(app):
    client = app.test_client()
    plain = client.get("/guide")
    packed = client.get("/guide", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert packed.headers["ETag"] != plain.headers["ETag"]
    with count_statements(app) as statements:
        assert client.get("/guide", headers={"Accept-Encoding": "gzip"}).get_data() == (
            packed.get_data()
        )
    assert statements == []


@pytest.mark.parametrize("path", ["/decide", "/decide?preset=json-api"])
def test_form_pages_stay_out_of_caches(client, path):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_a_content_load_changes_the_etag_and_the_page(empty_app, tmp_path):
    content = copy_content(tmp_path / "content")
    load_content(empty_app, content)
    client = empty_app.test_client()
    before = client.get("/frameworks/flask")
    edit(content / "frameworks/flask.yaml", lambda d: d.update(tagline="A brand new tagline."))
    load_content(empty_app, content)
    after = client.get("/frameworks/flask", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "A brand new tagline." in after.get_data(as_text=True)


def test_every_worker_sees_a_load_through_redis_within_seconds(make_app, empty_app, tmp_path):
    shared = redis_or_skip()
    content = copy_content(tmp_path / "content")
    loader, worker = make_app(**shared), make_app(**shared)
    load_content(loader, content)
    assert "A shared tagline." not in worker.test_client().get("/frameworks/flask").get_data(
        as_text=True
    )
    edit(content / "frameworks/flask.yaml", lambda d: d.update(tagline="A shared tagline."))
    load_content(loader, content)
    with count_statements(worker) as statements:
        # The worker trusts its last reading for LOCAL_SECONDS: let that reading grow as old.
        worker.extensions["selector.content.snapshot"].checked -= snapshot.LOCAL_SECONDS
        page = worker.test_client().get("/frameworks/flask").get_data(as_text=True)
    assert "A shared tagline." in page
    # The revision came from Redis; only reading the new content touched the database.
    assert not any("content_revision" in s for s in statements)


def test_static_files_have_hashed_urls_and_are_kept_a_year(client):
    page = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', page).group(1)
    assert re.fullmatch(r"/static/style\.css\?v=[0-9a-f]{12}", stylesheet)
    with client.get(stylesheet) as response:
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg\?v=[0-9a-f]{12}"', page)


#: Pages whose matter is code: highlighted code packs less well than prose, so their budget is
#: the first round trip instead (TCP's initial window, ten segments of about 1.4 KB).
CODE_PAGES = ["/samples/database-row", "/samples/form-page", "/samples/admin-screen"]


@pytest.mark.parametrize(
    "path",
    [
        *CONTENT_PAGES,
        *CODE_PAGES,
        # A framework's page and a comparison link each task's code rather than hold it.
        "/frameworks/django",
        "/compare?f=flask&f=django&f=quart",
        "/decide",
        "/scenarios?first=django",
        "/samples",
    ],
)
def test_page_weight(client, path):
    body = client.get(path).get_data()
    packed = len(gzip.compress(body, 6))
    code = path in CODE_PAGES
    assert len(body) <= (100 if code else 60) * 1024
    assert packed <= (14 if code else 10) * 1024
    assert b"<script" not in body


def test_one_small_stylesheet(client):
    page = client.get("/guide").get_data(as_text=True)
    assert len(re.findall(r'rel="stylesheet"', page)) == 1
    with client.get(re.search(r'rel="stylesheet" href="([^"]+)"', page).group(1)) as css:
        assert len(css.get_data()) <= 15 * 1024
        assert len(gzip.compress(css.get_data(), 9)) <= 15 * 1024


def redis_or_skip() -> dict[str, str]:
    """Settings for a shared page cache in the local Redis, under a prefix of this test's own."""
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return {"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": f"t{time.time_ns()}:"}


def test_the_shared_page_cache_can_be_cleared_without_losing_pages(make_app, app):
    shared = redis_or_skip()
    first = make_app(**shared).test_client().get("/scenarios").get_data()
    worker = make_app(**shared)
    with worker.app_context():
        cache.clear()
    assert worker.test_client().get("/scenarios").get_data() == first


@pytest.mark.parametrize("shared", [False, True])
def test_repeated_values_in_another_order_are_another_page(make_app, app, shared):
    # The matrix filter reads the first value given, so these two differ.
    one, other = "/scenarios?first=flask&first=django", "/scenarios?first=django&first=flask"
    config = redis_or_skip() if shared else {}
    a = make_app(**config).test_client().get(one)
    b = make_app(**config).test_client().get(other)
    assert a.get_data() != b.get_data()
    assert a.headers["ETag"] != b.headers["ETag"]


def test_a_weak_validator_from_a_cache_in_front_still_gets_a_304(client):
    # nginx weakens the ETag of a response it compresses; If-None-Match compares weakly.
    etag = client.get("/guide").headers["ETag"]
    assert client.get("/guide", headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def shared_headers(response) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k != "X-Request-ID")


@pytest.mark.parametrize("encoding", ["", "gzip"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_repeat_request_is_answered_before_flask_with_the_same_response(
    make_app, app, monkeypatch, method, encoding
):
    monkeypatch.setattr(snapshot, "LOCAL_SECONDS", 60)  # however slow this machine is
    worker = make_app()
    entered = []
    worker.before_request(lambda: entered.append(request.path))
    client = worker.test_client()
    sent = {"Accept-Encoding": encoding}
    first = client.open("/guide", method=method, headers=sent)
    again = client.open("/guide", method=method, headers=sent)
    assert entered == ["/guide"], "the repeat did not reach Flask"
    assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
    assert shared_headers(again) == shared_headers(first)
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]

    conditional = {**sent, "If-None-Match": first.headers["ETag"]}
    from_cache = client.open("/guide", method=method, headers=conditional)
    from_flask = make_app().test_client().open("/guide", method=method, headers=conditional)
    assert entered == ["/guide"]
    assert from_cache.status_code == from_flask.status_code == 304
    assert shared_headers(from_cache) == shared_headers(from_flask)


def test_a_page_of_a_stale_revision_goes_back_to_flask(make_app, app, monkeypatch):
    worker = make_app()
    entered = []
    worker.before_request(lambda: entered.append(request.path))
    client = worker.test_client()
    client.get("/scenarios")
    monkeypatch.setattr(snapshot, "LOCAL_SECONDS", 0)  # as if a second had passed
    assert client.get("/scenarios").status_code == 200
    assert entered == ["/scenarios", "/scenarios"]


@pytest.mark.parametrize("shared", [False, True])
def test_junk_query_parameters_and_host_ports_make_no_new_entry(make_app, app, shared):
    """A flood of unique URLs for one page costs neither memory in the process nor keys in
    Redis: the key holds only what the view reads and the configured host."""
    config = redis_or_skip() if shared else {}
    worker = make_app(SERVER_NAME="guide.example", **config)
    client = worker.test_client()
    store = worker.extensions["selector.pages"].pages
    keys = redis.Redis.from_url(config["REDIS_URL"]) if shared else None
    pattern = f"{config.get('CACHE_KEY_PREFIX', '')}*"
    first = client.get("/guide", base_url="http://guide.example")
    held, stored = len(store), len(keys.keys(pattern)) if keys else 0
    for n in range(200):
        response = client.get(
            f"/guide?utm_x={n}&fbclid={n}", base_url=f"http://guide.example:{1000 + n}"
        )
        assert response.get_data() == first.get_data()
        assert response.headers["ETag"] == first.headers["ETag"]
    # Repeated or extra values of parameters the view reads: it reads the first (or, for a
    # list, each value once), and so does the key.
    client.get("/scenarios?first=flask")
    held, stored = len(store), len(keys.keys(pattern)) if keys else 0
    for n in range(100):
        assert client.get(f"/scenarios?first=flask&first=x{n}").status_code == 200
        # The compare page's other spellings are sent to its one page, and not stored.
        for path in (
            f"/compare?f=flask&f=django&f=flask&diff=on&diff=x{n}",
            f"/compare?f=flask&f=django{'&f=django' * (n % 7 + 1)}&diff=on",
        ):
            assert client.get(path).status_code == 301, path
    assert len(store) == held
    if keys:
        assert len(keys.keys(pattern)) == stored
    # A parameter the view reads is still its own page.
    assert client.get("/scenarios?first=django").get_data() != client.get("/scenarios").get_data()


def test_page_cache_and_rate_limits_keep_apart_in_redis(make_app, app):
    redis_or_skip()
    store = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    worker = make_app(REDIS_URL="redis://127.0.0.1:6379/0", RATELIMIT_ENABLED=True)
    client = worker.test_client()
    client.get("/frameworks/quart")
    client.post("/api/v2/recommendations", json={"answers": {"starting_point": "new"}})
    pages = store.keys("selector:page:*")
    limits = store.keys("LIMITS:LIMITER/selector:limit/*")
    assert any(b"/frameworks/quart" in key for key in pages)
    assert limits and not set(limits) & set(pages)


def test_long_unique_urls_do_not_fill_the_memo_caches(client, app):
    from selector.edge.page_cache import _canonical_query, store

    # Empty memos, so that a memo filled to its limit by earlier tests cannot hide growth.
    _canonical_query.cache_clear()
    store(app).rule.cache_clear()
    client.get("/compare")
    queries, paths = _canonical_query.cache_info().currsize, store(app).rule.cache_info()
    for n in range(50):
        junk = "x" * 3000 + str(n)
        assert client.get(f"/compare?f=flask&f=django&junk={junk}").status_code == 301
        assert client.get(f"/samples/{junk}").status_code == 404
    assert _canonical_query.cache_info().currsize <= queries + 1
    assert store(app).rule.cache_info().currsize <= paths.currsize + 1


def test_a_cached_view_is_given_only_the_parameters_it_declares(make_app, app):
    """Correct by construction: however a view reads the query (request.args, the raw query
    string, the URL), a parameter or value its decorator did not declare is not there, so no
    page can depend on something its key leaves out."""
    worker = make_app()

    @cached_page("a", "b*")
    def probe() -> str:
        return json.dumps(
            {
                "args": list(request.args.items(multi=True)),
                "query_string": request.query_string.decode(),
                "full_path": request.full_path,
                "url": request.url,
            }
        )

    worker.add_url_rule("/probe", "probe", probe)
    response = worker.test_client().get("/probe?utm_source=x&b=2&a=1&a=9&b=3&b=2&note=%FF")
    seen = json.loads(response.get_data())
    assert seen == {
        "args": [["a", "1"], ["b", "2"], ["b", "3"]],
        "query_string": "a=1&b=2&b=3",
        "full_path": "/probe?a=1&b=2&b=3",
        "url": "http://localhost/probe?a=1&b=2&b=3",
    }

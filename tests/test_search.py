"""/search: real full-text search on both databases, tolerant of what people type."""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest

from selector.content import read, write
from selector.edge.page_cache import FREE_TEXT_PAGES, LOCAL_PAGES, store
from selector.extensions import cache
from selector.search.index import LIMIT
from tests.conftest import NOT_FOUND, count_statements, load_content
from tests.content_tools import copy_content, edit, multiply

_GROUP = re.compile(r'<h2 id="kind-\d+">([^<]+?) ?<span class="count">')
_HIT = re.compile(
    r'<li><a href="(?P<href>[^"]+)">(?P<title>[^<]+)</a> <span class="context">(?P<context>[^<]*)'
    r"</span>\s*<p>(?P<passage>.*?)</p></li>",
    re.S,
)
_SUGGESTION = re.compile(r'Did you mean <a href="([^"]+)">([^<]+)</a>')


@dataclass
class Results:
    status: int
    page: str
    groups: list[str]
    hits: list[dict[str, str]]

    @property
    def suggestion(self) -> tuple[str, str] | None:
        found = _SUGGESTION.search(self.page)
        return (html.unescape(found[1]), found[2]) if found else None

    @property
    def box(self) -> str:
        """What the page's own search box holds."""
        return html.unescape(re.search(r'<input id="q"[^>]* value="([^"]*)"', self.page)[1])

    @property
    def hrefs(self) -> list[str]:
        return [html.unescape(hit["href"]) for hit in self.hits]


def search(client, query: str, edition: str = "") -> Results:
    response = client.get(f"{edition}/search?q={quote(query)}")
    page = response.get_data(as_text=True)
    main = page[page.index("<main") :]
    return Results(
        response.status_code,
        page,
        _GROUP.findall(main),
        [m.groupdict() for m in _HIT.finditer(main)],
    )


def test_results_are_grouped_by_kind_and_each_links_to_its_exact_place(client):
    found = search(client, "websockets")
    assert found.status == 200
    assert {"In the guide", "Framework pages", "Scenarios", "Code samples"} <= set(found.groups)
    pages: dict[str, str] = {}
    for href in found.hrefs:
        path, _, anchor = href.partition("#")
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200, href
            pages[path] = response.get_data(as_text=True)
        if anchor:
            assert f'id="{anchor}"' in pages[path], f"{href}: no such anchor on the page"
    # A guide part's subsection is linked at its own heading, not at the top of the part.
    assert any("#" in href and href.startswith(("/guide", "/frameworks/")) for href in found.hrefs)
    assert any(href.startswith("/samples/websocket-echo#websocket-echo-") for href in found.hrefs)


def test_every_passage_marks_the_words_it_matched(client):
    found = search(client, "streaming")
    assert found.hits
    for hit in found.hits:
        marked = re.findall(r"<mark>([^<]+)</mark>", hit["passage"])
        assert all(word.lower().startswith("stream") for word in marked), hit
    assert (
        sum(bool(re.search("<mark>", hit["passage"])) for hit in found.hits) >= len(found.hits) // 2
    )


def test_a_framework_name_brings_its_page_first(client):
    for name, slug in (("Quart", "quart"), ("django", "django"), ("FastAPI", "fastapi")):
        assert search(client, name).hrefs[0] == f"/frameworks/{slug}", name


def test_the_best_passage_comes_first(client):
    # The code samples' task of that name, which sets the four admin screens side by side.
    assert search(client, "admin screen").hrefs[0] == "/samples/admin-screen"


def test_a_page_named_as_the_query_comes_before_a_section_named_so(client):
    # The caching part has a section called "Django" too.
    found = search(client, "django").hrefs
    assert found[0] == "/frameworks/django"
    assert "/guide/caching#caching-django" in found[1:]


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("WEBSOCKETS", "websockets"),
        ("WebSóckets", "websockets"),
        ("migration", "migrations"),
        ("deploying", "deployed"),
        ("the admin", "admin"),
    ],
)
def test_case_accents_word_forms_and_small_words_do_not_matter(client, typed, same_as):
    assert search(client, typed).hrefs == search(client, same_as).hrefs != []


def test_every_word_must_be_found(client):
    both = search(client, "admin websockets")
    # "websockets" alone finds fewer passages than a page shows, so all of them are listed.
    assert set(both.hrefs) < set(search(client, "websockets").hrefs)
    assert "passages mention “admin”: the 50 best are shown" in search(client, "admin").page
    assert len(both.hits) < 50


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("fastpai", "fastapi"), ("djnago admn", "django admin"), ("websokets", "websockets")],
)
def test_a_misspelling_gets_a_did_you_mean_that_finds_something(client, typed, meant):
    found = search(client, typed)
    assert found.hits == []
    assert found.suggestion is not None
    href, shown = found.suggestion
    assert shown == meant
    assert search(client, meant).hits
    assert href == f"/search?q={quote(meant).replace('%20', '+')}"


def test_no_suggestion_when_the_words_are_known(client):
    found = search(client, "admin websockets quart")
    assert found.suggestion is None


HOSTILE = [
    '"',
    '"unbalanced',
    "flask NEAR django",
    "NEAR(flask django, 2)",
    "flask*",
    "*",
    "-flask",
    "flask -django",
    "((flask",
    "flask)",
    "title:flask",
    "flask AND OR NOT",
    "^flask",
    "{flask}",
    "a\x00b",
    "\x00",
    "'; DROP TABLE search_entry; --",
    "%",
    "\\",
    "<script>alert(1)</script>",
    "🙂 flask",
    "x" * 200,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_give_a_server_error(client, query):
    found = search(client, query)
    assert found.status == 200, query
    assert "<script>alert" not in found.page
    # The box keeps what was typed (control characters aside).
    assert found.box == query.replace("\x00", " ").strip()


def test_syntax_characters_are_only_text(client):
    assert search(client, "flask*").hrefs == search(client, "flask").hrefs
    assert search(client, '"admin"').hrefs == search(client, "admin").hrefs
    assert search(client, "-admin").hrefs == search(client, "admin").hrefs


def test_a_query_over_200_characters_is_refused_kindly_and_kept(client):
    typed = "websockets " * 19 + "x" * 10
    assert len(typed) > 200
    found = search(client, typed)
    assert found.status == 400
    assert "too long" in found.page
    assert found.box == typed
    ten_kb = search(client, "y" * 10_000)
    assert ten_kb.status == 400 and "too long" in ten_kb.page


@pytest.mark.parametrize("query", ["", "   ", "the and of", "?!"])
def test_an_empty_query_gives_a_friendly_page(client, query):
    found = search(client, query)
    assert found.status == 200
    assert found.hits == []
    assert 'href="/search?q=websockets"' in found.page


def test_the_search_box_is_on_every_page_and_works_without_script(client):
    for path in ("/", "/guide", "/frameworks/flask", "/decide", NOT_FOUND):
        page = client.get(path).get_data(as_text=True)
        assert re.search(
            r'<form class="search" role="search"[^>]* action="/search" method="get">', page
        )
        assert '<input type="search" name="q"' in page


def test_browsers_can_add_the_search(make_app, app):
    public = make_app(SERVER_NAME="selector.example", PREFERRED_URL_SCHEME="https")
    client = public.test_client()
    page = client.get("/").get_data(as_text=True)
    assert (
        '<link rel="search" type="application/opensearchdescription+xml" title="selector" '
        'href="/opensearch.xml">'
    ) in page
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    body = response.get_data(as_text=True)
    assert 'template="https://selector.example/search?q={searchTerms}"' in body
    assert "<ShortName>selector</ShortName>" in body


def test_a_search_is_cached_by_its_query_alone(client, app):
    search(client, "admin")
    with count_statements(app) as statements:
        again = client.get("/search?q=admin&utm_source=chat")
    assert again.status_code == 200
    assert statements == []
    assert again.headers["ETag"]


def test_statements_per_search_stay_the_same_when_the_content_doubles(fresh_app, tmp_path):
    def statements_per_search(app) -> list[int]:
        client = app.test_client()
        # The content snapshot and the index built from it, once per revision, are not a search's.
        client.get("/search?q=warm")
        counts = []
        for query in ("websockets", "admin screen", "djnago"):
            store(app).pages.clear()
            with count_statements(app) as statements:
                assert client.get(f"/search?q={query}").status_code == 200
            counts.append(len(statements))
        return counts

    before = statements_per_search(fresh_app)
    root = copy_content(tmp_path / "content")
    multiply(root, 2)
    load_content(fresh_app, root)
    with fresh_app.app_context():
        grown = read.read_content(root)
    assert len(grown.sections) >= 2 * len(read.read_content().sections)
    after = statements_per_search(fresh_app)
    assert after == before
    assert before[0] <= 2


def test_a_content_load_updates_the_index_and_a_failed_one_changes_nothing(
    fresh_app, tmp_path, monkeypatch
):
    client = fresh_app.test_client()
    assert search(client, "websockets").hits  # this worker has built its index
    root = copy_content(tmp_path / "content")
    edit(root / "frameworks" / "flask.yaml", lambda f: f.update(tagline="Zyxquiv micro framework."))
    load_content(fresh_app, root)
    assert search(client, "zyxquiv").hrefs == ["/frameworks/flask"]
    # A load that fails after the index was written leaves the old index with the old content.
    edit(
        root / "frameworks" / "flask.yaml", lambda f: f.update(tagline="Plovrent micro framework.")
    )

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(write, "Framework", broken)
    with pytest.raises(Exception):  # noqa: B017 (whatever the failure, the load is undone)
        load_content(fresh_app, root)
    monkeypatch.undo()
    store(fresh_app).pages.clear()
    assert search(client, "plovrent").hits == []
    assert search(client, "zyxquiv").hrefs == ["/frameworks/flask"]


def test_the_search_page_is_not_in_the_sitemap_but_stats_is(client):
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/search" not in sitemap
    assert any(urlsplit(u).path == "/stats" for u in re.findall(r"<loc>([^<]+)</loc>", sitemap))


def test_a_flood_of_searches_is_limited_and_the_words_are_kept(make_app, app):
    limited = make_app(RATELIMIT_ENABLED=True, SEARCH_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    statuses = [client.get(f"/search?q=flood{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = search(client, "flood again")
    assert refused.status == 429
    assert refused.box == "flood again"
    assert "Too many searches" in refused.page
    assert int(client.get("/search?q=x").headers["Retry-After"]) > 0
    # A search already in the page store costs nothing and is still answered.
    assert client.get("/search?q=flood0").status_code == 200


def test_searches_are_not_written_to_the_shared_cache(make_app, app):
    shared = make_app(CACHE_TYPE="SimpleCache")
    client = shared.test_client()
    assert client.get("/search?q=unique-words-here").status_code == 200
    assert client.get("/guide").status_code == 200
    with shared.app_context():
        keys = list(cache.cache._cache)
    assert [key for key in keys if "/search" in key] == []
    assert any("/guide" in key for key in keys)


def test_addresses_of_one_ipv6_network_share_a_search_limit(make_app, app):
    limited = make_app(RATELIMIT_ENABLED=True, SEARCH_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    statuses = [
        client.get(
            f"/search?q=hop{n}", environ_base={"REMOTE_ADDR": f"2001:db8:1:2::{n + 1:x}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    elsewhere = client.get("/search?q=hop9", environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"})
    assert elsewhere.status_code == 200


def test_queries_the_view_reads_differently_never_share_a_page(client):
    # Bytes that are not UTF-8 stay percent-encoded in what the view reads, as in the key.
    odd = client.get("/search?q=fl%FFask").get_data(as_text=True)
    replaced = client.get("/search?q=fl%EF%BF%BDask").get_data(as_text=True)
    assert 'value="fl%FFask"' in odd
    assert 'value="fl\ufffdask"' in replaced


def test_control_and_direction_characters_never_reach_the_page(client):
    found = search(client, "flask\u0085\u009b31m\u202etxt.exe\u202c")
    assert found.status == 200
    for char in "\u0085\u009b\u202e\u202c":
        assert char not in found.page


def test_a_flood_of_searches_leaves_the_content_pages_in_the_store(client, app):
    client.get("/guide")
    guide = [key for key in store(app).pages if key.endswith("/guide?")]
    assert guide
    for n in range(FREE_TEXT_PAGES + LOCAL_PAGES + 10):
        client.get(f"/search?q=flood{n}")
    assert all(key in store(app).pages for key in guide)
    assert len(store(app).free_text) == FREE_TEXT_PAGES


def test_the_refusal_pages_echo_no_control_or_direction_characters(make_app, app):
    client = make_app(RATELIMIT_ENABLED=True, SEARCH_RATE_LIMIT="1 per minute").test_client()
    forged = "\u202egnp.exe " + "a" * 250 + "\x1b[31m"
    too_long = client.get("/search", query_string={"q": forged})
    limited = client.get("/search", query_string={"q": "\u202eagain\x1b"})
    assert (too_long.status_code, limited.status_code) == (400, 429)
    for page in (too_long.get_data(as_text=True), limited.get_data(as_text=True)):
        assert "\u202e" not in page and "\x1b" not in page


def test_more_matches_than_shown_says_how_many(client):
    found = search(client, "flask")
    assert len(found.hits) == LIMIT
    total = int(re.search(r"(\d+) passages mention", found.page)[1])
    assert total > LIMIT
    assert f"the {LIMIT} best are shown" in found.page


@pytest.mark.parametrize("typed", ["ci pipeline", "db", "ui js"])
def test_short_words_are_taken_as_meant_and_no_suggestion_leads_nowhere(client, typed):
    found = search(client, typed)
    if found.suggestion:
        href, _ = found.suggestion
        assert client.get(href).status_code == 200
        assert search(client, found.suggestion[1]).hits
    assert not any(w in (found.suggestion or ("", ""))[1].split() for w in ("cli", "dbs"))


def test_searches_on_several_threads_of_a_worker_at_once_find_what_one_alone_finds(fresh_app):
    # Each thread its own query, so that none is answered from the page store; the first
    # searches of a revision meet while its index is being built.
    english = ["websockets", "admin screen", "migrations", "type hints", "streaming", "djnago"]
    queries = [("", query) for query in english] + [("/ja", "非同期"), ("/ja", "型")]

    def searched(edition_and_query: tuple[str, str]) -> tuple[int, list[str], object]:
        edition, query = edition_and_query
        found = search(fresh_app.test_client(), query, edition)
        return found.status, found.hrefs, found.suggestion

    with ThreadPoolExecutor(max_workers=len(queries)) as pool:
        at_once = list(pool.map(searched, queries))
    store(fresh_app).free_text.clear()
    one_by_one = [searched(query) for query in queries]
    assert at_once == one_by_one
    assert all(status == 200 for status, _, _ in at_once)
    assert all(hrefs or suggestion for _, hrefs, suggestion in at_once)


# The Japanese edition: text without spaces, found by substring through a trigram index.


def _marked(hit: dict[str, str]) -> list[str]:
    """The words marked in a hit's passage, and its title (a match may be only there)."""
    return [*re.findall(r"<mark>(.*?)</mark>", hit["passage"]), html.unescape(hit["title"])]


def _holds(hit: dict[str, str], word: str) -> bool:
    return any(word in text for text in _marked(hit))


def test_japanese_words_are_found_in_the_japanese_edition_only(client):
    found = search(client, "非同期", "/ja")
    assert found.status == 200 and len(found.hits) >= 10
    for hit in found.hits:
        assert hit["href"].startswith("/ja/"), hit
        assert _holds(hit, "非同期"), hit
    assert len(found.groups) >= 3
    assert not search(client, "非同期").hits  # the English edition holds no Japanese


def test_every_japanese_hit_leads_to_its_place(client):
    found = search(client, "イベントループ", "/ja")
    assert found.hits
    for href in {html.unescape(hit["href"]) for hit in found.hits}:
        path, _, anchor = href.partition("#")
        page = client.get(path).get_data(as_text=True)
        assert '<html lang="ja">' in page, href
        if anchor:
            assert f'id="{anchor}"' in page, href


def test_a_word_shorter_than_a_trigram_is_still_found(client):
    """The trigram index cannot look up one or two characters: those are read for instead."""
    for word in ("型", "選ぶ"):
        found = search(client, word, "/ja")
        assert found.hits, word
        assert all(_holds(hit, word) for hit in found.hits), word


def test_every_word_of_a_japanese_query_must_be_in_a_passage(client):
    both = search(client, "ワーカー 非同期", "/ja")
    one = search(client, "ワーカー", "/ja")
    assert both.hits and len(both.hits) < len(one.hits)
    for hit in both.hits:
        assert _holds(hit, "ワーカー") and _holds(hit, "非同期"), hit


def test_full_width_letters_and_case_do_not_matter_in_japanese(client):
    full_width = "\uff26\uff2c\uff21\uff33\uff2b"  # FLASK, as a Japanese keyboard may type it
    assert search(client, full_width, "/ja").hrefs == search(client, "flask", "/ja").hrefs
    assert search(client, "flask", "/ja").hits


def test_a_japanese_query_is_only_text(client):
    """LIKE's wildcards are letters to look for, as quotes and operators are for English."""
    assert not search(client, "非同_期", "/ja").hits
    # OR is a word to find, not an operator: every passage holds it, as a substring.
    either = search(client, '"非同期" OR', "/ja")
    assert either.hits and len(either.hits) < len(search(client, "非同期", "/ja").hits)
    assert all(_holds(hit, "非同期") for hit in either.hits)

"""The Japanese edition: every page twice, each pointing at its twin, the UI in the catalog's
words, content in the Japanese files' words, and nothing chosen by Accept-Language."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

import pytest
from babel.messages import pofile
from sqlalchemy import delete

from selector.content.markup import render_inline
from selector.content.read import read_content
from selector.engine.answers import query_pairs
from selector.extensions import db
from selector.models import Wording
from selector.settings import catalog_problems
from tests.conftest import count_statements, explained, load_content
from tests.content_tools import copy_content, edit

ROOT = Path(__file__).parent.parent
CONTENT = read_content()
CATALOG = ROOT / "selector" / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
#: Elements whose text is code or deliberately in another language.
VERBATIM = {"pre", "code", "script", "style"}


class Page(HTMLParser):
    """What a reader of a page sees as UI: text and the attributes that are read out, outside
    code and outside any element marked with another language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switch: str | None = None
        self.texts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "html":
            self.lang = given.get("lang") or ""
        if tag == "link" and given.get("rel") == "alternate" and given.get("hreflang"):
            self.alternates[given["hreflang"] or ""] = given.get("href") or ""
        if tag == "a" and given.get("hreflang") and self.switch is None:
            self.switch = given.get("href")
        if tag in VERBATIM or (given.get("lang") not in (None, self.lang)):
            self._skip.append(tag)
        elif not self._skip:
            for name in ("aria-label", "placeholder", "title", "alt"):
                if given.get(name):
                    self.texts.append(given[name] or "")
            if tag == "meta" and given.get("name") == "description":
                self.texts.append(given.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def parse(body: str) -> Page:
    page = Page()
    page.feed(body)
    return page


def _untranslated_patterns() -> list[re.Pattern[str]]:
    """Each English UI string of the catalog whose Japanese differs, as a pattern that matches
    a whole text of a page (placeholders match anything)."""
    with CATALOG.open("rb") as file:
        catalog = pofile.read_po(file)
    patterns = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            plain = re.sub(r"<[^>]+>", "", msgid)
            words = re.sub(r"%\(\w+\)[sd]|%[sd]", "", plain)
            # A string of placeholders and signs ("%(name)s (%(what)s)") says nothing English.
            if msgid in strings or not re.search("[A-Za-z]{3}", words):
                continue
            pattern = re.escape(" ".join(plain.split()))
            pattern = re.sub(r"%\\\(\w+\\\)[sd]|%[sd]", ".+", pattern)
            patterns.append(re.compile(f"(?:{pattern})"))
    return patterns


def sitemap_pages(client) -> list[tuple[str, dict[str, str]]]:
    tree = ElementTree.fromstring(client.get("/sitemap.xml").data)
    return [
        (
            url.findtext("s:loc", namespaces=SITEMAP) or "",
            {
                link.get("hreflang", ""): link.get("href", "")
                for link in url.findall("x:link", SITEMAP)
            },
        )
        for url in tree.findall("s:url", SITEMAP)
    ]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_the_sitemap_pairs_every_page_with_its_twin_and_each_page_agrees(client):
    pages = sitemap_pages(client)
    paths = {path_of(loc) for loc, _ in pages}
    english = {p for p in paths if not p.startswith("/ja/")}
    japanese = {p for p in paths if p.startswith("/ja/")}
    assert english and {"/ja" + p for p in english} == japanese
    untranslated = _untranslated_patterns()
    for loc, alternates in pages:
        path = path_of(loc)
        lang = "ja" if path.startswith("/ja/") else "en"
        twin = path.removeprefix("/ja") if lang == "ja" else "/ja" + path
        assert {k: path_of(v) for k, v in alternates.items()} == {
            "en": twin if lang == "ja" else path,
            "ja": path if lang == "ja" else twin,
            "x-default": twin if lang == "ja" else path,
        }
        response = client.get(path)
        assert response.status_code == 200, path
        page = parse(response.get_data(as_text=True))
        assert page.lang == lang, path
        # The page names the same twins as the sitemap, and its switch leads to the other.
        assert {k: path_of(v) for k, v in page.alternates.items()} == {
            k: path_of(v) for k, v in alternates.items()
        }, path
        assert page.switch == twin, path
        if lang == "ja":
            for text in page.texts:
                for pattern in untranslated:
                    assert not pattern.fullmatch(text), (path, text)


def test_every_ui_string_has_japanese_and_none_is_fuzzy(tmp_path):
    """The catalog holds every string the code and templates mark, each translated."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )
    with fresh.open("rb") as file:
        marked = {m.id for m in pofile.read_po(file) if m.id}
    with CATALOG.open("rb") as file:
        catalog = pofile.read_po(file)
    assert len(marked) > 100
    missing = [m for m in marked if not catalog.get(m if isinstance(m, str) else m[0])]
    assert not missing, missing
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id


def test_the_japanese_pages_are_in_japanese(client):
    page = client.get("/ja/").get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert 'property="og:locale" content="ja_JP"' in page
    assert 'property="og:locale:alternate" content="en_GB"' in page
    texts = parse(page).texts
    assert sum(bool(JAPANESE.search(text)) for text in texts) > len(texts) * 3 / 4
    guide = client.get("/ja/guide").get_data(as_text=True)
    for part in CONTENT.editions["ja"].sections:
        assert html.escape(part.title, quote=False) in guide, part.slug
    # A link inside the guide's text stays in the edition.
    assert 'href="/ja/decide"' in guide and 'href="/decide"' not in guide


def test_subsections_keep_their_anchors_in_both_editions(client):
    english = re.findall(r'<h3 id="([^"]+)"', client.get("/guide/security").get_data(as_text=True))
    japanese = re.findall(
        r'<h3 id="([^"]+)"', client.get("/ja/guide/security").get_data(as_text=True)
    )
    assert english and english == japanese


def test_dates_are_written_the_japanese_way(client, app):
    from selector.content.snapshot import content

    with app.test_request_context("/"):
        checked = content("en").framework["flask"].version_checked
    page = client.get("/ja/frameworks/flask").get_data(as_text=True)
    assert f"{checked.year}年{checked.month}月{checked.day}日" in page
    english = client.get("/frameworks/flask").get_data(as_text=True)
    assert f"{checked.day} {checked:%B} {checked.year}" in english


#: A new service a single-page app calls, many connections open at once.
ANSWERS = {"starting_point": "new", "clients": ["spa"], "needs": ["realtime", "high_concurrency"]}
#: A new back office on server-rendered pages.
BACK_OFFICE = {"starting_point": "new", "clients": ["pages"], "needs": ["admin", "accounts"]}


def test_a_permalink_differs_only_by_the_prefix(fresh_app):
    # Both posts store a decision: on an app of its own, not the shared seeded one.
    app, client = fresh_app, fresh_app.test_client()
    answers = ANSWERS
    english = client.post("/decide", data=answers)
    japanese = client.post("/ja/decide", data=answers)
    assert english.status_code == japanese.status_code == 303
    assert japanese.location == "/ja" + english.location
    result = client.get(japanese.location)
    page = result.get_data(as_text=True)
    assert result.status_code == 200 and '<html lang="ja">' in page
    # The deciding rule, in the words of ja/rules.yaml.
    verdict = explained(app, answers, "ja").reasons[0].text
    assert JAPANESE.search(verdict) and str(render_inline(verdict)) in page
    record = client.get(japanese.location.replace("/result?", "/result.md?"))
    assert record.status_code == 200 and JAPANESE.search(record.get_data(as_text=True))


def test_the_api_speaks_the_language_asked_for(client):
    url = "/api/v2/recommendations"
    english = client.post(url, json={"answers": ANSWERS}).get_json()
    japanese = client.post(url, json={"answers": ANSWERS, "lang": "ja"}).get_json()
    assert english["lang"] == "en" and japanese["lang"] == "ja"
    assert [r["framework"] for r in english["ranking"]] == [
        r["framework"] for r in japanese["ranking"]
    ]
    said = [r["text"] for r in english["reasons"]] + [r["reason"] for r in english["ranking"]]
    assert not JAPANESE.search(" ".join(said))
    assert all(JAPANESE.search(r["text"]) for r in japanese["reasons"])
    assert all(JAPANESE.search(r["reason"]) for r in japanese["ranking"])
    assert [r["rests_on"] for r in english["reasons"]] == [
        r["rests_on"] for r in japanese["reasons"]
    ]
    assert japanese["permalink"] == english["permalink"].replace("/decide", "/ja/decide", 1)
    refused = client.post(url, json={"answers": ANSWERS, "lang": "fr"})
    assert refused.status_code == 422 and "lang" in refused.get_json()["errors"]


def test_the_version_1_api_speaks_the_language_asked_for(client):
    old = {"batteries": "no", "async_or_typed": "yes", "assemble": "yes"}
    url = "/api/v1/recommendations"
    english = client.post(url, json={"answers": old}).get_json()
    japanese = client.post(url, json={"answers": old, "lang": "ja"}).get_json()
    assert english["lang"] == "en" and japanese["lang"] == "ja"
    assert english["framework"] == japanese["framework"]
    assert not JAPANESE.search(" ".join(english["reasons"]))
    assert all(JAPANESE.search(reason) for reason in japanese["reasons"])
    assert japanese["permalink"] == english["permalink"].replace("/decide", "/ja/decide", 1)


@pytest.mark.parametrize(
    "path",
    [
        "/ja/static/style.css",
        "/ja/api/v2/openapi.json",
        "/ja/api/v1/stats",
        "/ja/healthz",
        "/ja/sitemap.xml",
    ],
)
def test_what_both_editions_share_has_one_address(client, path):
    assert client.get(path).status_code == 404
    assert client.get(path.removeprefix("/ja")).status_code in (200, 503)


def test_the_bare_prefix_leads_to_the_japanese_home(client):
    response = client.get("/ja?utm_source=chat")
    assert response.status_code == 301 and response.location == "/ja/?utm_source=chat"
    assert client.get("/jam").status_code == 404


def test_a_browser_that_prefers_japanese_is_offered_it_never_sent(client):
    offer = "このページは日本語でも読めます"
    preferring = client.get("/compare", headers={"Accept-Language": "ja,en;q=0.8"})
    assert preferring.status_code == 200  # no redirect
    assert offer in preferring.get_data(as_text=True)
    assert 'href="/ja/compare"' in preferring.get_data(as_text=True)
    assert "Accept-Language" in preferring.headers["Vary"]
    # The page cache keeps the two apart: the next English reader sees no offer, and the
    # reader who prefers Japanese still does.
    plain = client.get("/compare", headers={"Accept-Language": "en-GB,en;q=0.9,ja;q=0.5"})
    assert offer not in plain.get_data(as_text=True)
    again = client.get("/compare", headers={"Accept-Language": "ja"})
    assert offer in again.get_data(as_text=True)
    assert offer not in client.get("/ja/compare", headers={"Accept-Language": "ja"}).get_data(
        as_text=True
    )


def test_each_edition_has_its_own_cached_page_and_etag(client):
    english, japanese = client.get("/guide"), client.get("/ja/guide")
    assert english.headers["ETag"] != japanese.headers["ETag"]
    stale = client.get("/ja/guide", headers={"If-None-Match": english.headers["ETag"]})
    assert stale.status_code == 200 and '<html lang="ja">' in stale.get_data(as_text=True)
    same = client.get("/ja/guide", headers={"If-None-Match": japanese.headers["ETag"]})
    assert same.status_code == 304


def test_feeds_are_per_edition(client):
    feed = client.get("/ja/changes.atom").get_data(as_text=True)
    assert 'xml:lang="ja"' in feed
    links = re.findall(r'<link rel="alternate" type="text/html" href="([^"]+)"', feed)
    assert links and all(urlsplit(link).path.startswith("/ja/") for link in links)
    english = client.get("/changes.atom").get_data(as_text=True)
    assert 'xml:lang="en"' in english


def test_content_check_names_every_missing_japanese_text(runner, tmp_path):
    root = copy_content(tmp_path / "content")
    (root / "ja" / "scenarios" / "json-api.yaml").unlink()
    edit(root / "ja" / "frameworks" / "flask.yaml", lambda d: d.pop("tagline"))
    edit(root / "ja" / "frameworks" / "quart.yaml", lambda d: d["fits"].pop())
    edit(root / "ja" / "aspects.yaml", lambda d: d["philosophy"]["values"].pop("django"))
    body = root / "ja" / "sections" / "15-security.md"
    body.write_text(body.read_text().replace("\n### ", "\n#### ", 1))
    result = runner.invoke(args=["content", "check", "--dir", str(root)])
    assert result.exit_code != 0
    for problem in (
        "ja/scenarios/json-api.yaml: (file): missing: the ja text of scenarios/json-api.yaml",
        "ja/frameworks/flask.yaml: tagline: no Japanese text",
        "ja/frameworks/quart.yaml: fits: must be a list of",
        "ja/aspects.yaml: philosophy.values.django: no Japanese text",
        "ja/sections/15-security.md: (body): has",
    ):
        assert problem in result.output, result.output


def test_a_japanese_file_may_hold_only_words(runner, tmp_path):
    root = copy_content(tmp_path / "content")
    edit(root / "ja" / "frameworks" / "flask.yaml", lambda d: d.update(slug="flasky"))
    result = runner.invoke(args=["content", "check", "--dir", str(root)])
    assert result.exit_code != 0
    assert "ja/frameworks/flask.yaml: slug: not a text of this file" in result.output


def test_a_stored_page_keeps_no_parameter_a_visitor_added_in_its_links(client):
    planted = client.get("/ja/scenarios/solo-mvp?utm_source=evil&note=x")
    assert "evil" not in planted.get_data(as_text=True)
    clean = client.get("/ja/scenarios/solo-mvp").get_data(as_text=True)
    assert 'href="/scenarios/solo-mvp"' in clean and "evil" not in clean
    # A parameter the view reads stays: the switch shows the same filtered page.
    filtered = client.get("/scenarios?first=quart&ref=x").get_data(as_text=True)
    assert 'href="/ja/scenarios?first=quart"' in filtered


@pytest.mark.parametrize(
    ("header", "offered"),
    [
        ("ja,en;q=0.8", True),
        ("ja-JP,en-US;q=0.9,en;q=0.8", True),
        ("ja-JP, en;q=0.5", True),
        ("en-US,ja;q=0.9", False),
        ("en-GB, ja;q=0.9", False),
        ("fr, ja;q=0.5, en;q=0.4", True),
        ("ja;q=0, en", False),
        ("*", False),
        ("", False),
    ],
)
def test_the_offer_follows_the_browsers_order_of_preference(client, header, offered):
    page = client.get("/guide", headers={"Accept-Language": header}).get_data(as_text=True)
    assert ('class="offer"' in page) is offered


def test_only_pages_that_may_carry_the_offer_vary_by_language(client):
    for path in ("/changes.atom", "/sitemap.xml", "/robots.txt", "/opensearch.xml"):
        response = client.get(path, headers={"Accept-Language": "ja"})
        assert "Accept-Language" not in response.headers.get("Vary", ""), path
    japanese = [client.get("/ja/guide", headers={"Accept-Language": a}) for a in ("en", "ja")]
    assert japanese[0].headers["ETag"] == japanese[1].headers["ETag"]
    assert "Accept-Language" not in japanese[0].headers["Vary"]
    missing = client.get("/no-such-page", headers={"Accept-Language": "ja"})
    assert missing.status_code == 404 and 'class="offer"' in missing.get_data(as_text=True)
    assert "Accept-Language" in missing.headers["Vary"]


def test_an_error_page_names_no_canonical_address(client):
    page = client.get("/ja/healthz").get_data(as_text=True)
    assert 'rel="canonical"' not in page and "hreflang" not in page.split("<body")[0]
    assert '<html lang="ja">' in page


def test_the_bare_prefix_keeps_an_odd_query_encoded(client):
    # As a server hands over a raw request's bytes: latin-1, as WSGI says.
    raw = "q=あ&x=a b".encode().decode("latin-1")
    response = client.get("/ja", environ_overrides={"QUERY_STRING": raw})
    assert response.status_code == 301
    assert response.location == "/ja/?q=%E3%81%82&x=a%20b"


def test_the_api_reads_a_regional_language_tag(client):
    for tag in ("ja-JP", "JA", " ja "):
        response = client.post(
            "/api/v2/recommendations", json={"answers": BACK_OFFICE, "lang": tag}
        )
        assert response.status_code == 200 and response.get_json()["lang"] == "ja", tag


def test_each_editions_feed_has_its_own_entry_ids(client):
    english = set(re.findall(r"<id>(urn:uuid:[^<]+)</id>", client.get("/changes.atom").text))
    japanese = set(re.findall(r"<id>(urn:uuid:[^<]+)</id>", client.get("/ja/changes.atom").text))
    assert english and japanese and not english & japanese
    # Derived from the English entry's id, so each stays the same from load to load.
    assert japanese == {
        uuid.uuid5(uuid.UUID(e.removeprefix("urn:uuid:")), "ja").urn for e in english
    }


#: Pages the sitemap does not list (forms, results, searches, errors), each in Japanese.
UNLISTED = [
    "/ja/decide",
    "/ja/decide?starting_point=django&needs=admin&team_skills=none",
    "/ja/decide/result?starting_point=new&clients=pages&design_owner=no",
    "/ja/decide/result?starting_point=flask&clients=pages&needs=realtime&needs=high_concurrency"
    "&team_skills=flask&team_size=small&structure=assemble&design_owner=yes",
    "/ja/decide/result?starting_point=new&clients=pages&needs=editorial",
    # A version-2 permalink's answers, carried over: the page says so.
    "/ja/decide/result?starting_point=new&clients=pages&needs=admin&needs=accounts"
    "&needs=relational&structure=conventions&from=v2",
    "/ja/search?q=%E9%9D%9E%E5%90%8C%E6%9C%9F",
    "/ja/search?q=xyzzy",
    "/ja/search?q=" + "a" * 201,
    "/ja/no-such-page",
    "/ja/decide/result?starting_point=maybe&clients=pages",
    "/ja/decide/result?starting_point=new&clients=pages&team_skills=flask&team_skills=none",
]


@pytest.mark.parametrize("path", UNLISTED)
def test_pages_outside_the_sitemap_are_in_japanese_too(client, path):
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert '<html lang="ja">' in body, path
    untranslated = _untranslated_patterns()
    page = parse(body)
    for text in page.texts:
        for pattern in untranslated:
            assert not pattern.fullmatch(text), (path, text)
    # A sentence of the catalog with a link or emphasis inside is split across texts: the
    # page's text as a whole must not hold it either.
    whole = " ".join(page.texts)
    for pattern in untranslated:
        if pattern.pattern.count(r"\ ") >= 4:
            assert not pattern.search(whole), (path, pattern.pattern)


@pytest.mark.parametrize(
    "answers",
    [
        {"needs": ["admin"]},
        {**BACK_OFFICE, "team_skills": ["django", "none"], "team_size": ["solo", "large"]},
    ],
)
def test_the_form_with_errors_is_in_japanese(client, answers):
    refused = client.post("/ja/decide", data=answers)
    assert refused.status_code == 422
    page = parse(refused.get_data(as_text=True))
    assert page.lang == "ja"
    for text in page.texts:
        for pattern in _untranslated_patterns():
            assert not pattern.fullmatch(text), text
    errors = re.findall(r'class="field-error"[^>]*>(.*?)</p>', refused.get_data(as_text=True))
    assert errors and all(JAPANESE.search(error) for error in errors)


def test_the_decision_record_is_in_japanese(client):
    query = urlencode(query_pairs(BACK_OFFICE))
    record = client.get(f"/ja/decide/result.md?{query}")
    lines = [line for line in record.get_data(as_text=True).splitlines() if line.strip()]
    assert lines[0].startswith("# ") and JAPANESE.search(lines[0])
    assert sum(bool(JAPANESE.search(line)) for line in lines) > len(lines) * 3 / 4


def test_reading_the_japanese_edition_writes_nothing(fresh_app, monkeypatch):
    """Its words are laid over the English items out of the session: no UPDATE, no lock."""
    monkeypatch.setattr("selector.content.snapshot.LOCAL_SECONDS", 3600)
    client = fresh_app.test_client()
    with count_statements(fresh_app) as statements:
        assert client.get("/ja/frameworks/flask").status_code == 200
    assert statements and all(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_content_loaded_without_the_editions_words_is_not_ready(fresh_app):
    """As after an upgrade from a release before the editions, until the next load."""
    with fresh_app.app_context():
        db.session.execute(delete(Wording))
        db.session.commit()
    fresh_app.extensions.pop("selector.content.snapshot", None)  # read the content afresh
    client = fresh_app.test_client()
    assert client.get("/readyz").get_json()["checks"]["content"] is False
    response = client.get("/decide/result?starting_point=new&clients=pages&needs=admin")
    assert response.status_code == 503 and "Retry-After" in response.headers
    load_content(fresh_app)
    assert client.get("/readyz").status_code == 200


def _check(runner, root) -> str:
    result = runner.invoke(args=["content", "check", "--dir", str(root)])
    assert result.exit_code != 0
    return result.output


def test_a_translated_part_with_more_subheadings_is_named_not_a_crash(runner, tmp_path):
    root = copy_content(tmp_path / "content")
    body = root / "ja" / "sections" / "02-short-answer.md"
    body.write_text(body.read_text() + "\n### 余分な見出し\n\n本文。\n")
    assert "ja/sections/02-short-answer.md: (body): has" in _check(runner, root)


def test_a_japanese_file_without_an_english_one_is_named(runner, tmp_path):
    root = copy_content(tmp_path / "content")
    (root / "ja" / "scenarios" / "json-api.yaml").rename(root / "ja" / "scenarios" / "old.yaml")
    output = _check(runner, root)
    assert "ja/scenarios/old.yaml: (file): no English file has this path" in output
    assert "ja/scenarios/json-api.yaml: (file): missing" in output


def test_a_fact_updated_in_english_only_is_named(runner, tmp_path):
    root = copy_content(tmp_path / "content")
    edit(
        root / "facts.yaml",
        lambda facts: next(f for f in facts if f["id"] == "django-5.2-extended-end").update(
            text="May 2028"
        ),
    )
    assert "ja/facts.yaml: django-5.2-extended-end: does not state 5月" in _check(runner, root)


def test_words_where_the_english_has_none_are_refused_and_none_are_asked_for(runner, tmp_path):
    root = copy_content(tmp_path / "content")
    edit(root / "frameworks" / "flask.yaml", lambda d: d["version"].update(note=""))
    edit(root / "ja" / "frameworks" / "flask.yaml", lambda d: d.pop("version"))
    edit(
        root / "ja" / "frameworks" / "django.yaml", lambda d: d["features"][1].update(addon="追加")
    )
    output = _check(runner, root)
    assert "ja/frameworks/flask.yaml" not in output
    assert "ja/frameworks/django.yaml: features.1.addon: the English file has no text" in output


def test_the_japanese_change_history_names_fields_in_japanese(fresh_app, tmp_path):
    root = copy_content(tmp_path / "content")
    edit(root / "frameworks" / "flask.yaml", lambda d: d.update(tagline=d["tagline"] + "!"))
    load_content(fresh_app, root)
    page = fresh_app.test_client().get("/ja/changes").get_data(as_text=True)
    assert "キャッチフレーズ" in page and "tagline" not in page.split("<main")[1]


def test_the_committed_catalog_is_the_compiled_po():
    """The .mo is committed beside its .po (a checkout must serve without a build step): it
    must say what a compile of the .po says, or production refuses to start."""
    assert catalog_problems() == []


def test_an_uncompiled_or_stale_catalog_stops_production(tmp_path, monkeypatch):
    catalog = tmp_path / "ja" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    source, compiled = catalog / "messages.po", catalog / "messages.mo"
    source.write_text(CATALOG.read_text(encoding="utf-8"), encoding="utf-8")
    compiled.write_bytes(CATALOG.with_suffix(".mo").read_bytes())
    monkeypatch.setattr("selector.settings.TRANSLATIONS", tmp_path)
    assert catalog_problems() == []
    # One translation changed and not compiled: the .mo is newer than the .po on disk, yet stale.
    source.write_text(
        source.read_text(encoding="utf-8").replace('"最新バージョン"', '"現在のバージョン"'),
        encoding="utf-8",
    )
    os.utime(source, (0, 0))
    assert catalog_problems() == [
        f"{tmp_path.name}/ja/LC_MESSAGES/messages.po is not compiled: run "
        "`pybabel -q compile -d selector/translations` and commit the .mo"
    ]
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", "compile", "-d", str(tmp_path)],
        check=True,
    )
    assert catalog_problems() == []
    compiled.write_bytes(b"")
    assert len(catalog_problems()) == 1
    compiled.unlink()
    assert len(catalog_problems()) == 1


def test_every_page_that_varies_by_language_is_an_html_page(client, app):
    """offers=False is said by hand on each view that is not HTML; this finds a forgotten one."""
    paths = [path_of(loc) for loc, _ in sitemap_pages(client)]
    paths += [
        "/changes.atom",
        "/frameworks/flask/changes.atom",
        "/scenarios/json-api/changes.atom",
        "/sitemap.xml",
        "/robots.txt",
        "/opensearch.xml",
        "/api/v1/stats",
        "/stats/months.csv",
        "/search?q=flask",
        "/decide/result?starting_point=new&clients=pages&needs=admin",
        "/decide/result.md?starting_point=new&clients=pages&needs=admin",
        "/samples/json-endpoint/flask/app.py",
    ]
    seen = set()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        route = urlsplit(path).path.removeprefix("/ja")
        endpoint, _ = app.url_map.bind("localhost").match(route or "/")
        rule = app.view_functions[endpoint].cache_rule
        assert rule.offers == (response.mimetype == "text/html"), path
        seen.add(endpoint)
    cached = {e for e, view in app.view_functions.items() if hasattr(view, "cache_rule")}
    assert cached <= seen, cached - seen


def test_a_source_not_in_the_pages_language_is_marked_with_its_language(empty_app, tmp_path):
    root = copy_content(tmp_path / "content")
    japanese_docs = {
        "title": "Django ドキュメント",
        "url": "https://docs.djangoproject.com/ja/6.1/",
        "lang": "ja",
    }
    edit(root / "frameworks" / "django.yaml", lambda d: d["sources"].append(japanese_docs))
    result = empty_app.test_cli_runner().invoke(args=["content", "load", "--dir", str(root)])
    assert result.exit_code == 0, result.output
    client = empty_app.test_client()

    def sources(path: str) -> list[str]:
        page = client.get(path).get_data(as_text=True)
        listed = page.split('id="sources"', 1)[1].split("</ul>", 1)[0]
        return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", listed)]

    english, japanese = sources("/frameworks/django"), sources("/ja/frameworks/django")
    assert english[-1] == "Django ドキュメント (in Japanese)"
    assert not any(item.endswith(("(in English)", "(in Japanese)")) for item in english[:-1])
    assert japanese[-1] == "Django ドキュメント"
    assert len(japanese) > 1 and all(
        item.endswith("\N{FULLWIDTH LEFT PARENTHESIS}英語\N{FULLWIDTH RIGHT PARENTHESIS}")
        for item in japanese[:-1]
    )

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from selector.content.read import read_content
from selector.content.snapshot import content
from selector.web.urls import section_url
from tests.conftest import load_content
from tests.content_tools import copy_content, edit

CONTENT = read_content()


@pytest.fixture
def public_app(make_app, app):
    """The seeded app, configured with a public server name and HTTPS."""
    return make_app(SERVER_NAME="guide.example", PREFERRED_URL_SCHEME="https")


def sitemap_urls(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    return re.findall(r"<loc>([^<]+)</loc>", response.get_data(as_text=True))


def test_sitemap_lists_every_page_absolutely_and_each_answers_200(public_app):
    client = public_app.test_client()
    urls = sitemap_urls(client)
    paths = {urlsplit(url).path for url in urls}
    expected = {"/", "/guide", "/compare", "/scenarios", "/samples", "/changes", "/stats", "/about"}
    expected |= {f"/samples/{t.slug}" for t in CONTENT.tasks}
    expected |= {f"/frameworks/{f.slug}" for f in CONTENT.frameworks}
    expected |= {f"/scenarios/{s.slug}" for s in CONTENT.scenarios}
    expected |= {f"/guide/{s.slug}" for s in CONTENT.sections if s.standalone}
    # And each again in the Japanese edition.
    expected |= {f"/ja{path}" for path in expected}
    assert paths == expected
    assert all(url.startswith("https://guide.example/") for url in urls)
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_sitemap_dates_come_from_content(client):
    page = client.get("/sitemap.xml").get_data(as_text=True)
    scenario = CONTENT.scenarios[0]
    assert re.search(
        rf"/scenarios/{scenario.slug}</loc><lastmod>{scenario.updated.isoformat()}<", page
    )


def test_robots_names_the_sitemap(public_app):
    response = public_app.test_client().get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert "Sitemap: https://guide.example/sitemap.xml" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/", "/guide", "/compare", "/scenarios", "/frameworks/django", "/scenarios/json-api"],
)
def test_every_page_has_canonical_and_preview_tags(public_app, path):
    page = public_app.test_client().get(path).get_data(as_text=True)
    url = f"https://guide.example{path}"
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:site_name" content="selector">' in page
    for tag in (
        'property="og:title"',
        'property="og:description"',
        'name="twitter:card"',
        'name="twitter:title"',
        'name="twitter:description"',
        'name="description"',
    ):
        assert re.search(rf'<meta {tag} content="[^"]+">', page), tag


def test_scenario_preview_is_its_one_line_answer_escaped(empty_app, tmp_path):
    content = copy_content(tmp_path / "content")
    edit(
        content / "scenarios/json-api.yaml",
        lambda d: d.update(reason='Types "drive" <everything> & more.'),
    )
    load_content(empty_app, content)
    page = empty_app.test_client().get("/scenarios/json-api").get_data(as_text=True)
    escaped = "Types &#34;drive&#34; &lt;everything&gt; &amp; more."
    assert f'<meta name="description" content="{escaped}">' in page
    assert f'<meta property="og:description" content="{escaped}">' in page
    assert "<everything>" not in page


def test_no_page_shows_markdown_raw(public_app):
    """Content and engine texts quote code in backticks; every page renders them."""
    client = public_app.test_client()
    paths = [urlsplit(url).path for url in sitemap_urls(client)]
    paths += [
        "/decide/result?starting_point=new&clients=services&needs=typed_contract"
        "&needs=ml_inference&structure=assemble",
        "/decide/result?starting_point=flask&clients=spa&needs=realtime&needs=high_concurrency",
        "/decide/result?starting_point=django&clients=pages&clients=spa&needs=admin"
        "&needs=typed_contract&needs=background_jobs&needs=editorial&team_skills=django",
    ]
    shown = 0
    for path in paths:
        main = client.get(path).get_data(as_text=True).split("<main", 1)[1]
        # Code samples are code: a backtick in a comment there is the author's, not Markdown.
        main = re.sub(r"<pre.*?</pre>", "", main, flags=re.S)
        assert "`" not in main, path
        shown += main.count("<code>")
    assert shown > 0, "some page quotes code"


REPORT_URL = "https://issues.example/selector/new"


@pytest.mark.parametrize(
    ("path", "title", "report"),
    [
        ("/about", "About this guide", "Report it here"),
        ("/ja/about", "このガイドについて", "こちらから報告"),
    ],
)
def test_about_page_links_the_configured_report_address_in_each_edition(
    make_app, app, path, title, report
):
    client = make_app(REPORT_URL=REPORT_URL).test_client()
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in page
    assert f'<a href="{REPORT_URL}">{report}</a>' in page
    # Every part that names sources is linked from the page, with how many it names.
    prefix = path.removesuffix("/about")
    with app.test_request_context():
        for section in content().sections:
            if section.sources:
                assert f'<a href="{prefix}{section_url(section)}">' in page, section.slug


@pytest.mark.parametrize(
    ("path", "fallback"),
    [
        ("/about", "No place to report errors has been set up"),
        ("/ja/about", "誤りを報告する窓口は、まだ設けられていません"),
    ],
)
def test_about_page_says_plainly_when_no_report_address_is_set(client, path, fallback):
    page = client.get(path).get_data(as_text=True)
    assert fallback in page
    assert "issues.example" not in page


def test_every_page_footer_links_the_about_page(client):
    for path, about in (("/", 'href="/about"'), ("/ja/guide", 'href="/ja/about"')):
        assert about in client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize(
    ("path", "offered"),
    [("/about", "text is offered under"), ("/ja/about", "このガイドの文章は")],
)
def test_about_page_names_the_content_licence_and_says_when_none_is_declared(
    make_app, path, offered
):
    licensed = make_app().test_client().get(path).get_data(as_text=True)
    assert offered in licensed
    assert '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in licensed
    unlicensed = make_app(CONTENT_LICENCE=None).test_client().get(path)
    assert "CC BY" not in unlicensed.get_data(as_text=True)
    assert 'id="licence"' in unlicensed.get_data(as_text=True)

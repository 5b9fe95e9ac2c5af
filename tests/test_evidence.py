"""Claims an independent reader found wrong or at odds (issue 27), as a reader sees them on the
pages of both editions: each corrected fact with its value, the date it was checked and where."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml

from selector.content.read import read_content

CONTENT = read_content()
FACTS = {f.id: f for f in CONTENT.facts}
EDITIONS = {"en": CONTENT, "ja": CONTENT.editions["ja"]}
PREFIX = {"en": "", "ja": "/ja"}
#: The day these corrections were checked against the released packages and their documents.
CHECKED = dt.date(2026, 12, 7)
#: The Japanese words of each fact that has words to translate (the rest read the same).
JA_FACTS = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "selector/content/files/ja/facts.yaml").read_text()
)


def fact_text(lang: str, fact_id: str) -> str:
    english = FACTS[fact_id].text
    return JA_FACTS.get(fact_id, english) if lang == "ja" else english


def page(client, lang: str, path: str) -> str:
    response = client.get(PREFIX[lang] + path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def row(text: str, first_cell: str) -> str:
    """The table row whose first cell starts with first_cell."""
    found = re.search(rf"<tr>\s*<t[hd][^>]*>{re.escape(first_cell)}.*?</tr>", text, re.S)
    assert found, first_cell
    return found.group(0)


def cells(table_row: str) -> list[str]:
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table_row, re.S)


def fact_checked(fact_id: str, source_part: str) -> None:
    fact = FACTS[fact_id]
    assert fact.checked >= CHECKED, fact_id
    assert source_part in fact.source, fact_id


FASTAPI = {
    "en": ("OpenTelemetry", "Logging you get"),
    "ja": ("OpenTelemetry", "標準で使えるロギング"),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_fastapi_opentelemetry_is_built_in_since_0_142(client, lang):
    fact_checked("fastapi-native-otel", "fastapi.tiangolo.com/advanced/opentelemetry")
    assert "0.142.0" in FACTS["fastapi-native-otel"].text
    text = page(client, lang, "/guide/operations")
    otel, logging = FASTAPI[lang]
    fastapi_cell = cells(row(text, otel))[2]
    assert "0.142.0" in fastapi_cell and "telemetry=" in fastapi_cell
    assert "opentelemetry-instrumentation-fastapi" not in fastapi_cell
    # FastAPI no longer "adds no logging of its own": it records failures through OpenTelemetry.
    assert "OpenTelemetry" in cells(row(text, logging))[2]
    assert "FastAPIInstrumentor" not in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_starlettes_test_client_is_described_on_httpx2(client, lang):
    fact_checked("starlette-testclient-httpx2", "pypi.org/project/starlette/1.2.0")
    fact_checked("httpx2-version", "pypi.org/project/httpx2")
    text = page(client, lang, "/guide/testing")
    first = {"en": "Test client", "ja": "テストクライアント"}[lang]
    assert "httpx2" in cells(row(text, first))[2]
    assert "Starlette 1.2.0" in text and "httpx2 2.17.0" in text
    assert "HTTPX 0.28.1" not in text
    assert "import httpx2, pytest" in text and "httpx.AsyncClient" not in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_database_task_backend_is_named_as_django_tasks_db(lang):
    """Wherever the guide's prose names db_worker or the database backend, it names the
    package that ships them; django-tasks is only ever the backport of the API."""
    fact_checked("django-tasks-db-version", "pypi.org/project/django-tasks-db")
    edition = EDITIONS[lang]
    texts = [s.body_html for s in edition.sections] + [s.situation for s in edition.scenarios]
    texts += [v for a in edition.aspects for v in a.values.values()]
    paragraphs = [p for t in texts for p in re.split(r"</p>|</li>|\n\n", t)]
    assert any("db_worker" in p for p in paragraphs)
    for paragraph in paragraphs:
        if "db_worker" in paragraph:
            assert "django-tasks-db" in paragraph, paragraph


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_django_python_support_per_release_and_forecasts_marked(client, lang):
    fact_checked("django-6.1-python", "pypi.org/project/Django/6.1.3")
    fact_checked("django-6.2-python", "docs.djangoproject.com/en/dev/releases/6.2")
    expected = {"en": "expected", "ja": "予定"}[lang]
    text = page(client, lang, "/guide/governance")
    assert "3.15" in cells(row(text, "6.1"))[3]
    # Every cell of the release that is not out yet says it is a forecast.
    for cell in cells(row(text, "6.2"))[2:]:
        assert expected in cell, cell
    django = page(client, lang, "/frameworks/django")
    for cell in cells(row(django, "6.2"))[1:]:
        assert expected in cell, cell


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_litestars_release_aim_comes_with_its_record(client, lang):
    fact_checked("litestar-record", "pypi.org/project/litestar")
    text = page(client, lang, "/guide/alternatives")
    policy = text.index(fact_text(lang, "litestar-release-policy")[:30])
    record = text.index({"en": "August 2023", "ja": "2023年8月"}[lang])
    assert 0 < record - policy < 1500, "the record is given beside the aim"


def test_django_validation_is_one_story_on_the_comparison_and_its_page():
    """Whether a framework validates input in its core is told the same way in the comparison
    and on the framework's own page."""
    validation = next(a for a in CONTENT.aspects if a.slug == "validation")
    for framework in CONTENT.frameworks:
        feature = next(f for f in framework.features if "validation" in f.area)
        built_in = validation.provided[framework.slug] == "built-in"
        assert (feature.status == "built-in") == built_in, framework.slug


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_django_api_docs_name_django_ninja_everywhere(client, lang):
    edition = EDITIONS[lang]
    api_docs = next(a for a in edition.aspects if a.slug == "api-docs")
    assert "Django Ninja" in api_docs.values["django"]
    django = next(f for f in edition.frameworks if f.slug == "django")
    feature = next(f for f in django.features if "OpenAPI" in f.area)
    assert "Django Ninja" in feature.addon
    assert "Django Ninja" in page(client, lang, "/guide/typing")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_guide_no_longer_says_it_is_not_a_benchmark(client, lang):
    home = page(client, lang, "/")
    assert "benchmark league table" not in home and "ベンチマークの順位表" not in home
    assert f'href="{PREFIX[lang]}/guide/measured-speed"' in home
    framing = next(s for s in EDITIONS[lang].sections if s.slug == "framing")
    assert "benchmark" not in framing.body_html and "ベンチマーク" not in framing.body_html


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_how_to_read_it_sends_readers_to_contents_that_list_every_part_in_order(client, lang):
    guide = page(client, lang, "/guide")
    contents = re.search(r'<nav class="toc"[^>]*>.*?<ol>(.*?)</nav>', guide, re.S).group(1)
    listed = re.findall(r'^    <li><a href="#([^"]+)">', contents, re.M)
    assert listed == [s.slug for s in EDITIONS[lang].sections]
    framing = next(s for s in EDITIONS[lang].sections if s.slug == "framing")
    how_to_read = framing.body_html.split('id="framing-how-to-read-it"', 1)[1]
    assert ("contents at the top of this page" if lang == "en" else "冒頭の目次") in how_to_read


@pytest.mark.parametrize(
    "path", ["/frameworks/django", "/frameworks/fastapi", "/guide", "/guide/operations"]
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_sentence_long_fact_is_put_in_once_per_page(client, lang, path):
    text = page(client, lang, path)
    for fact_id in FACTS:
        words = fact_text(lang, fact_id)
        if len(words) > 60:
            assert text.count(words) <= 1, (fact_id, path)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_htmx_part_dates_what_ages(client, lang):
    text = page(client, lang, "/guide/htmx")
    for fact_id in ("htmx-version", "django-htmx-version", "flask-htmx-release"):
        fact_checked(fact_id, "")
        assert fact_text(lang, fact_id) in text
    assert f'datetime="{CHECKED.isoformat()}"' in text

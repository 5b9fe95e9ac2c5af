from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import template_rendered

from selector.answers import every_combination
from selector.extensions import cache
from selector.loader import decision_model, read_content
from selector.markup import render_inline
from selector.recommend import recommend
from tests.conftest import count_statements, load_content
from tests.content_tools import copy_content, edit, multiply

CONTENT = read_content()
FRAMEWORKS = {f["slug"]: f for f in CONTENT.frameworks}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_home_says_what_the_guide_is_and_offers_ways_in(client):
    page = text_of(client.get("/"))
    assert page.count("<h1") == 1
    assert "not a score sheet" in page
    for question in CONTENT.questions[:3]:
        assert question["prompt"] in page
    assert 'href="/guide"' in page
    assert 'href="/compare"' in page


def test_guide_has_every_part_with_a_linked_anchor(client):
    page = text_of(client.get("/guide"))
    assert page.count("<h1") == 1
    for section in CONTENT.sections:
        assert f'<h2 id="{section["slug"]}">' in page
        assert f'href="#{section["slug"]}"' in page
        elsewhere = section["framework"] or section["standalone"]
        if section["framework"]:
            # The framework's part is read on its own page, headings and all.
            assert f'href="/frameworks/{section["framework"]}#{section["slug"]}">Read the ' in page
            page_of_part = text_of(client.get(f"/frameworks/{section['framework']}"))
            assert f'<h2 id="{section["slug"]}">' in page_of_part
        elif section["standalone"]:
            assert f'href="/guide/{section["slug"]}">Read “' in page
            page_of_part = text_of(client.get(f"/guide/{section['slug']}"))
            assert f'<h1 id="{section["slug"]}">' in page_of_part
        else:
            page_of_part = page
        for heading in section["headings"]:
            assert f'id="{heading["id"]}"' in page_of_part
            assert (f'href="#{heading["id"]}"' in page) is not elsewhere


def test_guide_table_covers_every_aspect_and_framework_with_dated_versions(client):
    page = text_of(client.get("/guide"))
    for aspect in CONTENT.aspects:
        assert f'<th scope="row">{aspect["name"]}</th>' in page
    for framework in CONTENT.frameworks:
        assert framework["name"] in page
        assert framework["version"]["current"] in page
        assert f'datetime="{framework["version"]["checked"].isoformat()}"' in page


def test_guide_shows_scenarios_and_the_closing_matrix(client):
    page = text_of(client.get("/guide"))
    for scenario in CONTENT.scenarios:
        assert scenario["reason"].replace("'", "&#39;").replace('"', "&#34;") in page
        if scenario["closing"]:
            assert scenario["closing"]["note"].replace("'", "&#39;") in page


@pytest.mark.parametrize("slug", sorted(FRAMEWORKS))
def test_framework_page_has_version_features_and_weaknesses(client, slug):
    framework = FRAMEWORKS[slug]
    response = client.get(f"/frameworks/{slug}")
    page = text_of(response)
    assert response.status_code == 200
    assert f"<h1>{framework['name']}</h1>" in page
    assert framework["version"]["current"] in page
    assert f'datetime="{framework["version"]["checked"].isoformat()}"' in page
    assert framework["version"]["min_python"] in page
    for feature in framework["features"]:
        assert feature["area"] in page
    for weakness in framework["weaknesses"]:
        assert render_inline(weakness) in page


def test_unknown_framework_is_a_404_in_the_site_layout(client):
    response = client.get("/frameworks/rails")
    assert response.status_code == 404
    assert "This page does not exist" in text_of(response)
    assert 'href="/guide"' in text_of(response)


def columns(page: str) -> list[str]:
    header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return re.findall(r'scope="col"><a href="/frameworks/([a-z0-9-]+)"', header)


def test_compare_shows_only_the_chosen_frameworks(client):
    page = text_of(client.get("/compare?f=django&f=flask"))
    assert columns(page) == ["flask", "django"]
    assert 'value="flask" checked' in page
    assert 'value="fastapi" checked' not in page


def test_compare_only_where_they_differ_drops_equal_rows(client):
    same = [a["name"] for a in CONTENT.aspects if a["values"]["flask"] == a["values"]["quart"]]
    differ = [a["name"] for a in CONTENT.aspects if a["values"]["flask"] != a["values"]["quart"]]
    assert same and differ, "the content should have both kinds of rows for this test"
    full = text_of(client.get("/compare?f=flask&f=quart"))
    page = text_of(client.get("/compare?f=flask&f=quart&diff=on"))
    for name in same:
        assert f'<th scope="row">{name}</th>' in full
        assert f'<th scope="row">{name}</th>' not in page
    for name in differ:
        assert f'<th scope="row">{name}</th>' in page


def test_compare_without_a_choice_shows_all(client):
    assert columns(text_of(client.get("/compare"))) == sorted(
        FRAMEWORKS, key=lambda s: FRAMEWORKS[s]["order"]
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("f=flask", "Choose at least two frameworks"),
        ("f=flask&f=rails&f=django", "There is no framework called “rails”"),
        ("f=flask&f=django&diff=perhaps", "takes on or off"),
    ],
)
def test_compare_bad_choice_explains_and_keeps_the_choice(client, query, message):
    response = client.get(f"/compare?{query}")
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert 'value="flask" checked' in page


def test_unexpected_error_shows_the_500_page_without_details(make_app, app):
    broken = make_app(TESTING=False)
    broken.add_url_rule("/boom", "boom", lambda: 1 / 0)
    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    page = text_of(response)
    assert "Something went wrong on our side" in page
    assert "ZeroDivisionError" not in page
    assert "Traceback" not in page


def test_content_text_is_escaped_on_pages(empty_app, tmp_path):
    content = copy_content(tmp_path / "content")
    edit(content / "frameworks/flask.yaml", lambda d: d.update(tagline="<script>alert(1)</script>"))
    load_content(empty_app, content)
    for path in ("/", "/frameworks/flask"):
        page = text_of(empty_app.test_client().get(path))
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


PAGES = [
    "/",
    "/guide",
    "/frameworks/flask",
    "/compare",
    "/compare?f=flask&f=django&diff=on",
    "/scenarios",
    "/scenarios?first=django",
    "/scenarios/json-api",
    "/sitemap.xml",
    "/samples",
    "/samples/database-row",
    "/guide/measured-speed",
    "/decide",
    "/decide?preset=json-api",
    "/decide/result?batteries=no&async_or_typed=no&assemble=yes",
    "/decide/result.md?batteries=no&async_or_typed=no&assemble=yes",
]


def record_template(into: list[str]):
    def record(sender, template, **extra) -> None:
        into.append(template.name)

    return record


def statements_per_page(app) -> dict[str, int]:
    """Statements each page sends on a page-cache miss, first with content not yet read."""
    client = app.test_client()
    counts = {}
    for path in PAGES:
        with app.app_context():
            cache.clear()
        app.extensions.pop("selector.snapshot", None)
        with count_statements(app) as cold:
            assert client.get(path).status_code == 200
        # A miss: neither the shared cache nor this process's page store holds the page.
        with app.app_context():
            cache.clear()
        app.extensions["selector.pages"].pages.clear()
        rendered: list[str] = []
        with (
            count_statements(app) as warm,
            template_rendered.connected_to(record_template(rendered), app),
        ):
            assert client.get(path).status_code == 200
        assert rendered, f"{path}: the warm request was not a page-cache miss"
        with count_statements(app) as hit:
            assert client.get(path).status_code == 200
        counts[path] = (len(cold), len(warm), len(hit))
    return counts


def test_statements_per_page_do_not_grow_with_ten_times_the_content(
    empty_app, tmp_path, monkeypatch
):
    # Counts, not timing: the revision read once stays trusted for the whole test.
    monkeypatch.setattr("selector.snapshot.LOCAL_SECONDS", 3600)
    normal, big = copy_content(tmp_path / "normal"), copy_content(tmp_path / "big")
    multiply(big, 10)
    load_content(empty_app, normal)
    baseline = statements_per_page(empty_app)
    load_content(empty_app, big)
    assert len(read_content(big).scenarios) == 10 * len(CONTENT.scenarios)
    assert len(read_content(big).tasks) == 10 * len(CONTENT.tasks)
    assert statements_per_page(empty_app) == baseline
    for path, (cold, warm, hit) in baseline.items():
        # Reading the content for a new revision is a fixed handful of statements (the
        # edition's words among them); after
        # that a page-cache miss renders from memory and a hit touches nothing.
        assert cold <= 12 and warm <= 3 and hit == 0, (path, cold, warm, hit)


QUESTIONS = {q["key"]: q for q in CONTENT.questions}
NAMES = {f["name"]: f["slug"] for f in CONTENT.frameworks}


def conditions(text: str) -> dict[str, str]:
    """Answers a rule names in words ("<em>short</em> is “brief”"), back to keys and values."""
    by_words = {
        (q["short"], c["label"].split(" — ")[0]): (q["key"], c["value"])
        for q in CONTENT.questions
        for c in q["choices"]
    }
    return dict(by_words[pair] for pair in re.findall(r"<em>(.*?)</em> is “(.*?)”", text))


def printed_first_choice_rules(page: str) -> list[tuple[dict[str, str], str]]:
    listing = page.split('id="rules-first-choice"', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li>(.*?): start with <a href="/frameworks/(\w+)">', listing)
    return [(conditions(when), slug) for when, slug in items]


def printed_runner_up_rules(page: str) -> list[tuple[dict[str, str], list[str], str | None]]:
    listing = page.split('id="rules-runner-up"', 1)[1].split("</ol>", 1)[0]
    rules = []
    for when, picks in re.findall(r"<li>When (.*?):\s*<ul>(.*?)</ul>", listing, re.S):
        for names, pick in re.findall(r"<li>with (.*?) first, the runner-up is (.*?)\.", picks):
            firsts = [NAMES[name] for name in re.split(r", | or ", names)]
            target = re.search(r'href="/frameworks/(\w+)"', pick)
            rules.append((conditions(when), firsts, target.group(1) if target else None))
    return rules


def test_the_guide_prints_the_rules_the_form_applies(client):
    """Read the rules back from the guide's words and apply them to every set of answers:
    they must give what the engine gives."""
    page = text_of(client.get("/guide/how-the-answers-decide"))
    first_rules = printed_first_choice_rules(page)
    runner_up_rules = printed_runner_up_rules(page)
    assert len(first_rules) == 5 and first_rules[-1] == ({}, "django")
    assert len(runner_up_rules) >= 8
    assert "Otherwise, when <em>Admin, accounts and ORM from day one</em> is “Yes”" in page
    model = decision_model(CONTENT)
    for answers in every_combination():
        result = recommend(answers, model)
        matches = [slug for when, slug in first_rules if when.items() <= answers.items()]
        assert matches[0] == result.framework, answers
        said = [
            pick
            for when, firsts, pick in runner_up_rules
            if when.items() <= answers.items() and result.framework in firsts
        ]
        if said:
            assert said[0] == result.runner_up, answers
        elif answers["batteries"] == "yes":
            assert result.runner_up is None


def test_the_home_page_lists_the_first_choice_rules(client):
    page = text_of(client.get("/"))
    assert printed_first_choice_rules(
        page.replace('<ol class="rules">', 'id="rules-first-choice"<ol>', 1)
    ) == printed_first_choice_rules(text_of(client.get("/guide/how-the-answers-decide")))
    assert "Two noes" not in page
    assert 'href="/decide"' in page


NEW_PARTS = ["production", "operations", "testing", "typing", "security", "governance"]
NEW_PARTS += ["alternatives"]


@pytest.mark.parametrize("slug", NEW_PARTS)
def test_each_new_part_compares_all_four_and_cites_its_sources(client, slug):
    part = next(s for s in CONTENT.sections if s["slug"] == slug)
    assert part["standalone"] and part["checked"] and part["sources"]
    page = text_of(client.get(f"/guide/{slug}"))
    heads = re.findall(r"<thead>(.*?)</thead>", page, re.S)
    assert any(
        all(f">{name}</th>" in head for name in ("Flask", "FastAPI", "Django", "Quart"))
        for head in heads
    ), "a table with a column for each framework"
    sources = page.split('id="sources"', 1)[1]
    for source in part["sources"]:
        assert f'href="{source["url"]}"' in sources
    assert f'datetime="{part["checked"].isoformat()}"' in sources
    assert "{{" not in page, "every cited fact was put in"


@pytest.mark.parametrize("slug", sorted(FRAMEWORKS))
def test_every_framework_page_lists_its_primary_sources(client, slug):
    page = text_of(client.get(f"/frameworks/{slug}"))
    sources = page.split('id="sources"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'href="(https://[^"]+)"', sources)
    assert links == [s["url"] for s in FRAMEWORKS[slug]["sources"]]
    assert any("pypi.org" in link for link in links)


def test_each_current_version_is_stated_once_and_cited_elsewhere():
    """A version written out in prose would go stale apart from its source: only the
    framework's own version block and facts.yaml may hold it."""
    root = Path(__file__).resolve().parents[1] / "selector" / "content"
    # Written by commands, and checked against the version block by the loader.
    records = {"requirements.txt", "runs.yaml", "benchmarks.yaml"}
    for framework in CONTENT.frameworks:
        version = framework["version"]["current"]
        for path in root.rglob("*"):
            if path.is_file() and path.name not in {
                f"{framework['slug']}.yaml",
                "facts.yaml",
                *records,
            }:
                assert version not in path.read_text(), (framework["slug"], path.name)


def test_pages_agree_on_what_each_framework_ships():
    """The comparison table and each framework's own page tell one story about the admin."""
    aspects = {a["slug"]: a for a in CONTENT.aspects}
    admin = next(a for slug, a in aspects.items() if "admin" in slug)
    fastapi = " ".join(f["detail"] + f["addon"] for f in FRAMEWORKS["fastapi"]["features"])
    if "SQLAdmin" in fastapi:
        assert "SQLAdmin" in admin["values"]["fastapi"]

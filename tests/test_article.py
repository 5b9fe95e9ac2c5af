from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from flask import template_rendered
from markupsafe import escape

from selector.content.markup import render_inline
from selector.content.read import read_content
from selector.content.records import Question
from selector.engine.answers import ANSWERS
from selector.engine.recommend import rule_keys
from selector.engine.rules import RULES
from selector.extensions import cache
from tests.conftest import count_statements, load_content
from tests.content_tools import copy_content, edit, multiply

CONTENT = read_content()
FRAMEWORKS = {f.slug: f for f in CONTENT.frameworks}
RULES_PART = "how-the-answers-decide"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_home_says_what_the_guide_is_and_offers_ways_in(client):
    page = text_of(client.get("/"))
    assert page.count("<h1") == 1
    assert "not a score sheet" in page
    for question in CONTENT.questions:
        if question.required:
            assert escape(question.prompt) in page
    assert 'href="/guide"' in page
    assert 'href="/compare"' in page


def test_guide_has_every_part_with_a_linked_anchor(client):
    page = text_of(client.get("/guide"))
    assert page.count("<h1") == 1
    for section in CONTENT.sections:
        assert f'<h2 id="{section.slug}">' in page
        assert f'href="#{section.slug}"' in page
        elsewhere = section.framework or section.standalone
        if section.framework:
            # The framework's part is read on its own page, headings and all.
            link = (
                f'<h2 id="{section.slug}"><a href="/frameworks/{section.framework}#{section.slug}">'
            )
            assert link in page
            page_of_part = text_of(client.get(f"/frameworks/{section.framework}"))
            assert f'<h2 id="{section.slug}">' in page_of_part
        elif section.standalone:
            assert f'<h2 id="{section.slug}"><a href="/guide/{section.slug}">' in page
            page_of_part = text_of(client.get(f"/guide/{section.slug}"))
            assert f'<h1 id="{section.slug}">' in page_of_part
        else:
            page_of_part = page
        for heading in section.headings:
            assert f'id="{heading["id"]}"' in page_of_part
            assert (f'href="#{heading["id"]}"' in page) is not elsewhere


def test_guide_table_covers_every_aspect_and_framework_with_dated_versions(client):
    page = text_of(client.get("/guide"))
    for aspect in CONTENT.aspects:
        assert f'<th scope="row">{aspect.name}</th>' in page
    for framework in CONTENT.frameworks:
        assert framework.name in page
        assert framework.version.current in page
        assert f'datetime="{framework.version.checked.isoformat()}"' in page


def test_guide_shows_scenarios_and_the_closing_matrix(client):
    page = text_of(client.get("/guide"))
    for scenario in CONTENT.scenarios:
        # The guide's table holds new codebases; the matrix, every situation.
        shown = scenario.reason.replace("'", "&#39;").replace('"', "&#34;") in page
        assert shown == (scenario.preset["starting_point"] == "new"), scenario.slug
        if scenario.closing:
            assert scenario.closing.note.replace("'", "&#39;") in page


@pytest.mark.parametrize("slug", sorted(FRAMEWORKS))
def test_framework_page_has_version_features_and_weaknesses(client, slug):
    framework = FRAMEWORKS[slug]
    response = client.get(f"/frameworks/{slug}")
    page = text_of(response)
    assert response.status_code == 200
    assert f"<h1>{framework.name}</h1>" in page
    assert framework.version.current in page
    assert f'datetime="{framework.version.checked.isoformat()}"' in page
    assert framework.version.min_python in page
    for feature in framework.features:
        assert feature.area in page
    for weakness in framework.weaknesses:
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
    page = text_of(client.get("/compare?f=django&f=flask", follow_redirects=True))
    assert columns(page) == ["flask", "django"]
    assert 'value="flask" checked' in page
    assert 'value="fastapi" checked' not in page


def shown(aspect: dict, slug: str) -> str:
    """What a comparison cell says: the component, on a row of the coverage table."""
    return (aspect.components or aspect.values)[slug]


def test_compare_only_where_they_differ_drops_equal_rows(client):
    same = [a.name for a in CONTENT.aspects if shown(a, "flask") == shown(a, "quart")]
    differ = [a.name for a in CONTENT.aspects if shown(a, "flask") != shown(a, "quart")]
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
        FRAMEWORKS, key=lambda s: FRAMEWORKS[s].order
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
    "/decide/result?starting_point=new&clients=pages",
    "/decide/result.md?starting_point=new&clients=pages",
    f"/guide/{RULES_PART}",
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
        app.extensions.pop("selector.content.snapshot", None)
        with count_statements(app) as cold:
            assert client.get(path).status_code == 200
        # A miss: neither the shared cache nor this process's page store holds the page.
        with app.app_context():
            cache.clear()
        pages = app.extensions["selector.pages"]
        pages.pages.clear()
        pages.free_text.clear()
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


def test_statements_per_page_do_not_grow_with_twice_the_content(empty_app, tmp_path, monkeypatch):
    # Counts, not timing: the revision read once stays trusted for the whole test.
    monkeypatch.setattr("selector.content.snapshot.LOCAL_SECONDS", 3600)
    normal, big = copy_content(tmp_path / "normal"), copy_content(tmp_path / "big")
    multiply(big, 2)
    load_content(empty_app, normal)
    baseline = statements_per_page(empty_app)
    load_content(empty_app, big)
    assert len(read_content(big).scenarios) == 2 * len(CONTENT.scenarios)
    assert len(read_content(big).tasks) == 2 * len(CONTENT.tasks)
    assert statements_per_page(empty_app) == baseline
    for path, (cold, warm, hit) in baseline.items():
        # Reading the content for a new revision is a fixed handful of statements (the
        # edition's words among them); after
        # that a page-cache miss renders from memory and a hit touches nothing.
        assert cold <= 12 and warm <= 3 and hit == 0, (path, cold, warm, hit)


EDITIONS = {"en": CONTENT, "ja": CONTENT.editions["ja"]}
ORDERED = sorted(CONTENT.frameworks, key=lambda f: f.order)


#: How a framework provides a need, in the words of the English comparison's legend.
CLASSES = {
    "built-in": "Built in",
    "official": "Official add-on",
    "third-party": "Third-party",
    "none": "Not available",
}


def rules_part(client, lang: str) -> str:
    """The generated part of "How the answers decide", in an edition."""
    prefix = "" if lang == "en" else f"/{lang}"
    response = client.get(f"{prefix}/guide/{RULES_PART}")
    assert response.status_code == 200
    page = text_of(response)
    for anchor in ("rules-starting-point", "rules-needs", "rules-answers", "rules-runner-up"):
        assert f'href="#{anchor}"' in page, anchor
    return page.split('<h3 id="rules-starting-point">', 1)[1].split("</main>", 1)[0]


def brief(question: Question, value: str) -> str:
    """An answer's words as a page cites it (models.Question.brief)."""
    label = next(c.label for c in question.choices if c.value == value)
    return re.split(" — |: |\uff1a", label)[0]


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_the_rules_part_says_every_rules_words_in_the_engines_order(client, lang):
    """The part is generated from selector/rules.py: each rule, when it applies and, for each
    framework it moves, its words in the edition, in the order the engine holds them."""
    edition = EDITIONS[lang]
    questions = {q.key: q for q in edition.questions}
    part = rules_part(client, lang)
    listing = part.split('<ol class="rules">', 1)[1].split("</ol>", 1)[0]
    position = 0
    for rule in RULES:
        for key, value in rule.when:
            assert escape(questions[key].short) in listing, (rule.key, key)
            assert escape(brief(questions[key], value)) in listing, (rule.key, value)
        moves = sorted(rule.points.items(), key=lambda move: -move[1])
        for said in [f"{rule.key}.{slug}" for slug, _ in moves] or [rule.key]:
            words = str(render_inline(edition.rules[said]))
            found = listing.find(words, position)
            assert found >= 0, (said, "missing or out of order")
            position = found + len(words)
    # Where the work starts: extending each framework's application, in its words.
    starting = part.split('id="rules-needs"', 1)[0]
    for framework in ORDERED:
        assert str(render_inline(edition.rules[f"extend.{framework.slug}"])) in starting


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_the_rules_part_shows_every_coverage_cells_component_and_class(client, lang):
    """The coverage table the engine weighs needs by (aspects.yaml rows with a need): one row
    per need, one cell per framework with how it provides the need and the component."""
    edition = EDITIONS[lang]
    questions = {q.key: q for q in edition.questions}
    part = rules_part(client, lang)
    table = part.split('<h3 id="rules-needs">', 1)[1].split('<h3 id="rules-answers">', 1)[0]
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert heads[1:] == [f.name for f in ORDERED]
    rows = [aspect for aspect in edition.aspects if aspect.need]
    assert sorted(row.need for row in rows) == sorted(ANSWERS["needs"])
    assert re.findall(r'<tr id="need-(\w+)">', table) == [row.need for row in rows]
    for row in rows:
        cells = "".join(
            f'<td><span class="provided p-{row.provided[f.slug]}">'
            f"{CLASSES[row.provided[f.slug]] if lang == 'en' else '[^<]+'}</span> "
            f"{re.escape(str(escape(row.components[f.slug])))}</td>"
            for f in ORDERED
        )
        need = re.escape(str(escape(brief(questions["needs"], row.need))))
        assert re.search(
            f'<tr id="need-{row.need}"><th scope="row">{need}</th>{cells}</tr>', table
        ), row.need
        if row.outside:
            assert escape(row.outside) in table


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_the_rules_part_says_the_words_of_every_rule_a_result_may_give(client, lang):
    edition = EDITIONS[lang]
    part = rules_part(client, lang)
    missing = [
        key
        for key in sorted(rule_keys([f.slug for f in ORDERED]))
        if str(render_inline(edition.rules[key])) not in part
    ]
    assert missing == []


def test_the_home_page_lists_the_required_questions_and_links_to_the_rules(client):
    page = text_of(client.get("/"))
    asked = re.findall(r"<li><strong>(.*?)</strong>", page.split('id="questions"', 1)[1])
    assert asked == [escape(q.prompt) for q in CONTENT.questions if q.required]
    assert f'href="/guide/{RULES_PART}"' in page
    assert "Two noes" not in page
    assert 'href="/decide"' in page


NEW_PARTS = ["production", "operations", "testing", "typing", "security", "governance"]
NEW_PARTS += ["alternatives", "graphql", "htmx"]


@pytest.mark.parametrize("slug", NEW_PARTS)
def test_each_new_part_compares_all_four_and_cites_its_sources(client, slug):
    part = next(s for s in CONTENT.sections if s.slug == slug)
    assert part.standalone and part.checked and part.sources
    page = text_of(client.get(f"/guide/{slug}"))
    heads = re.findall(r"<thead>(.*?)</thead>", page, re.S)
    assert any(
        all(f">{name}</th>" in head for name in ("Flask", "FastAPI", "Django", "Quart"))
        for head in heads
    ), "a table with a column for each framework"
    sources = page.split('id="sources"', 1)[1]
    for source in part.sources:
        assert f'href="{source.url}"' in sources
    assert f'datetime="{part.checked.isoformat()}"' in sources
    assert "{{" not in page, "every cited fact was put in"


@pytest.mark.parametrize("slug", sorted(FRAMEWORKS))
def test_every_framework_page_lists_its_primary_sources(client, slug):
    page = text_of(client.get(f"/frameworks/{slug}"))
    sources = page.split('id="sources"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'href="(https://[^"]+)"', sources)
    assert links == [s.url for s in FRAMEWORKS[slug].sources]
    assert any("pypi.org" in link for link in links)


def test_each_current_version_is_stated_once_and_cited_elsewhere():
    """A version written out in prose would go stale apart from its source: only the
    framework's own version block and facts.yaml may hold it."""
    root = Path(__file__).resolve().parents[1] / "selector" / "content"
    # Written by commands, and checked against the version block by the loader.
    records = {"requirements.txt", "runs.yaml", "benchmarks.yaml"}
    for framework in CONTENT.frameworks:
        version = framework.version.current
        for path in root.rglob("*"):
            if path.is_file() and path.name not in {
                f"{framework.slug}.yaml",
                "facts.yaml",
                *records,
            }:
                assert version not in path.read_text(), (framework.slug, path.name)


def test_pages_agree_on_what_each_framework_ships():
    """The comparison table and each framework's own page tell one story about the admin."""
    aspects = {a.slug: a for a in CONTENT.aspects}
    admin = next(a for slug, a in aspects.items() if "admin" in slug)
    fastapi = " ".join(f.detail + f.addon for f in FRAMEWORKS["fastapi"].features)
    if "SQLAdmin" in fastapi:
        assert "SQLAdmin" in admin.values["fastapi"]


def fit_headings(client, prefix: str, slug: str) -> list[tuple[str, str]]:
    """A fit part's subheadings as a reader meets them: (anchor without the part's slug, title)."""
    response = client.get(f"{prefix}/guide/when-{slug}")
    assert response.status_code == 200, (prefix, slug)
    return re.findall(rf'<h3 id="when-{slug}-([^"]+)">(.*?)</h3>', text_of(response))


def test_the_four_fit_parts_share_their_headings_in_both_editions(client):
    """Four parts of one shape, so a reader can hold one framework's case against another's."""
    shapes = {}
    for prefix in ("", "/ja"):
        headings = {slug: fit_headings(client, prefix, slug) for slug in FRAMEWORKS}
        shapes[prefix] = headings["flask"]
        assert shapes[prefix]
        assert all(found == shapes[prefix] for found in headings.values()), headings
        for slug in FRAMEWORKS:
            # Each part points to the other three, to be read side by side.
            page = text_of(client.get(f"{prefix}/guide/when-{slug}"))
            for other in FRAMEWORKS.keys() - {slug}:
                assert f'href="{prefix}/guide/when-{other}"' in page, (prefix, slug, other)
    # The same subsections in both editions, under the same anchors.
    assert [anchor for anchor, _ in shapes[""]] == [anchor for anchor, _ in shapes["/ja"]]


@pytest.mark.parametrize("prefix", ["", "/ja"])
@pytest.mark.parametrize("slug", sorted(FRAMEWORKS))
def test_each_framework_page_links_its_own_fit_part(client, prefix, slug):
    page = text_of(client.get(f"{prefix}/frameworks/{slug}"))
    title = text_of(client.get(f"{prefix}/guide/when-{slug}")).split("<h1", 1)[1]
    title = title.split(">", 1)[1].split("</h1>", 1)[0]
    assert f'<a href="{prefix}/guide/when-{slug}">{title}</a>' in page
    for other in FRAMEWORKS.keys() - {slug}:
        assert f'href="{prefix}/guide/when-{other}"' not in page


@pytest.mark.parametrize(
    ("prefix", "off"), [("", "off until configured"), ("/ja", "設定するまで無効")]
)
def test_the_security_part_says_djangos_csp_is_off_until_configured(client, prefix, off):
    """Django ships a CSP middleware, but startproject's MIDDLEWARE leaves it out and
    SECURE_CSP is an empty policy by default (no header): the compare row must say so."""
    page = text_of(client.get(f"{prefix}/guide/security"))
    (row,) = re.findall(r"<tr>\s*<td>Content-Security-Policy</td>(.*?)</tr>", page, re.S)
    flask, fastapi, django, quart = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert off in django and "<code>SECURE_CSP</code>" in django, django
    assert off not in flask + fastapi + quart
    prose = page.split('id="security-content-security-policy"', 1)[1].split("<h3", 1)[0]
    assert "<code>django.middleware.csp.ContentSecurityPolicyMiddleware</code>" in prose


#: The part whose charts draw published figures, each row citing a fact by its id.
CHARTED = next(s for s in CONTENT.sections if s.charts)
FACT = {fact.id: fact for fact in CONTENT.facts}
#: The facts' words in the Japanese edition, where they differ from the English.
JA_FACTS = yaml.safe_load(
    (Path(__file__).parents[1] / "selector/content/files/ja/facts.yaml").read_text()
)


@pytest.mark.parametrize("prefix", ["", "/ja"])
def test_a_part_draws_each_chart_beside_a_table_of_its_facts(client, prefix):
    """Every figure a chart draws is a fact's: its words in the table and on the bar, the date it
    was checked, and a link to where it comes from; the chart names itself for screen readers."""
    page = client.get(f"{prefix}/guide/{CHARTED.slug}").get_data(as_text=True)
    figures = page.split("<figure")[1:]
    assert len(figures) == len(CHARTED.charts)
    for figure, chart in zip(figures, CHARTED.charts, strict=True):
        assert '<svg class="chart"' in figure and 'role="img"' in figure
        assert figure.count('<rect class="bar"') == len(chart.rows)
        table = figure.split("<table>", 1)[1]
        for row in chart.rows:
            fact = FACT[row.fact]
            assert f'<th scope="row">{escape(row.label)}</th>' in table
            assert f'href="{fact.source}"' in table
            text = JA_FACTS.get(row.fact, fact.text) if prefix else fact.text
            assert f'<td class="num">{escape(text)}</td>' in table
            assert 'class="value" x="' in figure and f">{escape(text)}</text>" in figure
            checked = fact.checked
            day = (
                f"{checked.year}年{checked.month}月{checked.day}日"
                if prefix
                else (checked.strftime("%-d %B %Y"))
            )
            assert f"<td>{day}</td>" in table


def test_the_longest_bar_is_the_largest_figure(client):
    figure = client.get(f"/guide/{CHARTED.slug}").get_data(as_text=True).split("<figure")[1]
    widths = [float(w) for w in re.findall(r'<rect class="bar" [^>]*width="([\d.]+)"', figure)]
    values = [
        float(re.search(r"\d+(?:\.\d+)?", FACT[r.fact].text).group())
        for r in CHARTED.charts[0].rows
    ]
    assert widths.index(max(widths)) == values.index(max(values))
    assert widths[0] / widths[-1] == pytest.approx(values[0] / values[-1], rel=0.01)


def test_a_chart_row_citing_no_fact_is_refused_with_its_file(runner, tmp_path):
    root = copy_content(tmp_path / "content")
    path = next((root / "sections").glob(f"*{CHARTED.slug.split('-')[0]}*.md"))
    path.write_text(path.read_text().replace(CHARTED.charts[0].rows[0].fact, "no-such-figure", 1))
    result = runner.invoke(args=["content", "check", "--dir", str(root)])
    assert result.exit_code != 0
    assert "the fact 'no-such-figure' is not in facts.yaml" in result.output
    assert path.name in result.output

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from selector.content.markup import render_markdown
from selector.content.model import content_model
from selector.content.read import read_content
from selector.content.reader import ContentError
from selector.content.write import write_content
from selector.engine.answers import ANSWERS, REQUIRED
from selector.engine.recommend import recommend
from selector.extensions import db
from selector.models import Aspect, ContentRevision, Framework, Question, Scenario, Section
from tests.conftest import load_content
from tests.content_tools import copy_content, edit

FACTS = {
    fact["id"]: fact["text"]
    for fact in yaml.safe_load(
        (Path(__file__).parents[1] / "selector/content/files/facts.yaml").read_text()
    )
}


#: The realtime-io scenario's answers, but extending a Flask application a Flask team knows,
#: and what the engine gives for them (another first choice or runner-up than the scenario's).
MOVED = {"starting_point": "flask", "team_skills": ["flask"]}
_PRESET = next(s for s in read_content().scenarios if s.slug == "realtime-io").preset
_MOVED = recommend({**_PRESET, **MOVED}, content_model(read_content()))
assert (_MOVED.framework, _MOVED.runner_up) != ("fastapi", "quart")
MOVED_TO = f"{_MOVED.framework!r} with runner-up {_MOVED.runner_up!r}"


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the packaged content."""
    return copy_content(tmp_path / "content")


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(root)
    return [str(problem) for problem in caught.value.problems]


def test_packaged_content_is_valid():
    data = read_content()
    assert {f.slug for f in data.frameworks} == {"flask", "fastapi", "django", "quart"}
    assert len(data.scenarios) >= 11
    assert [q.key for q in data.questions] == list(ANSWERS)
    assert [q.key for q in data.questions if q.required] == list(REQUIRED)
    for question in data.questions:
        assert [c.value for c in question.choices] == list(ANSWERS[question.key])
    # The coverage table: one row per need, a component and its class for every framework.
    rows = [aspect for aspect in data.aspects if aspect.need]
    assert sorted(row.need for row in rows) == sorted(ANSWERS["needs"])
    for row in rows:
        assert set(row.components) == set(row.provided) == {"flask", "fastapi", "django", "quart"}


def test_digest_changes_with_any_file(content):
    before = read_content(content).digest
    (content / "sections" / "01-framing.md").write_text(
        (content / "sections" / "01-framing.md").read_text() + "\nOne more line.\n"
    )
    assert read_content(content).digest != before


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "frameworks/flask.yaml",
            lambda d: d.update(colour="red"),
            "frameworks/flask.yaml: colour: Unknown field.",
        ),
        (
            "frameworks/flask.yaml",
            lambda d: d.pop("tagline"),
            "frameworks/flask.yaml: tagline: Missing data for required field.",
        ),
        (
            "frameworks/django.yaml",
            lambda d: d.update(order="third"),
            "frameworks/django.yaml: order: Not a valid integer.",
        ),
        (
            "frameworks/django.yaml",
            lambda d: d["version"].update(checked="last week"),
            "frameworks/django.yaml: version.checked: Not a valid date.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d.update(first="rails"),
            "scenarios/realtime-io.yaml: first: no framework 'rails'",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d.update(runner_up="fastapi"),
            "scenarios/realtime-io.yaml: runner_up: the runner-up must differ from the first choice",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].update(starting_point=True),
            "scenarios/realtime-io.yaml: preset.starting_point: Give the answer as text.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].update(starting_point="games"),
            "scenarios/realtime-io.yaml: preset.starting_point: Choose one of: new, flask, "
            "fastapi, django, quart, other.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].update(clients="spa"),
            "scenarios/realtime-io.yaml: preset.clients: Give the answers as a list.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].pop("clients"),
            "scenarios/realtime-io.yaml: preset.clients: Choose at least one.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].update(team_skills=["flask", "none"]),
            "scenarios/realtime-io.yaml: preset.team_skills: “None of these” cannot be given "
            "beside a skill.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].update(colour="blue"),
            "scenarios/realtime-io.yaml: preset.colour: Unknown field.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].update(batteries="yes"),
            "scenarios/realtime-io.yaml: preset.batteries: Unknown field.",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d["preset"].update(MOVED),
            f"scenarios/realtime-io.yaml: preset: these answers lead to {MOVED_TO}, "
            "not 'fastapi' with 'quart'",
        ),
        (
            "scenarios/realtime-io.yaml",
            lambda d: d.update(related=["no-such-scenario"]),
            "scenarios/realtime-io.yaml: related: no other scenario 'no-such-scenario'",
        ),
        (
            "aspects.yaml",
            lambda d: d[0]["values"].pop("quart"),
            "aspects.yaml: philosophy.values.quart: value missing",
        ),
        (
            "aspects.yaml",
            lambda d: next(a for a in d if a.get("need") == "admin")["components"].pop("quart"),
            "aspects.yaml: admin.components.quart: value missing",
        ),
        (
            "aspects.yaml",
            lambda d: next(a for a in d if a.get("need") == "admin")["provided"].pop("quart"),
            "aspects.yaml: admin.provided.quart: value missing",
        ),
        (
            "aspects.yaml",
            lambda d: next(a for a in d if a.get("need") == "relational").update(need="admin"),
            "aspects.yaml: relational: every need is covered by exactly one row",
        ),
        (
            "questions.yaml",
            lambda d: d[0]["choices"].pop(),
            "questions.yaml: starting_point.choices: values must be, in order: new, flask, "
            "fastapi, django, quart, other",
        ),
        (
            "questions.yaml",
            lambda d: d[2].update(required=True),
            "questions.yaml: needs.required: must be False",
        ),
        (
            "rules.yaml",
            lambda d: d.pop("ecosystem.quart"),
            "rules.yaml: ecosystem.quart: missing: the engine names this rule",
        ),
        (
            "rules.yaml",
            lambda d: d.update({"ecosystem.flask": "Words for a rule the engine lacks."}),
            "rules.yaml: ecosystem.flask: no rule of the engine has this key",
        ),
    ],
)
def test_invalid_file_is_named_with_its_field(content, file, change, expected):
    edit(content / file, change)
    assert expected in problems(content)


def test_duplicate_slug_names_both_files(content):
    shutil.copy(content / "scenarios/json-api.yaml", content / "scenarios/zz-copy.yaml")
    assert (
        "scenarios/zz-copy.yaml: slug: duplicate scenario 'json-api' (also in scenarios/json-api.yaml)"
        in problems(content)
    )


def test_alias_may_not_take_another_scenarios_slug(content):
    edit(content / "scenarios/json-api.yaml", lambda d: d.update(aliases=["realtime-io"]))
    assert any("duplicate scenario slug or alias 'realtime-io'" in p for p in problems(content))


def test_broken_yaml_is_reported(content):
    (content / "frameworks/quart.yaml").write_text("slug: quart\nname: [unclosed\n")
    assert any(
        p.startswith("frameworks/quart.yaml: (file): not readable YAML") for p in problems(content)
    )


def test_section_placed_on_an_unknown_framework(content):
    path = content / "sections/03-flask.md"
    path.write_text(path.read_text().replace("framework: flask", "framework: rails"))
    assert "sections/03-flask.md: framework: no framework 'rails'" in problems(content)


def test_two_parts_placed_on_one_framework(content):
    path = content / "sections/04-fastapi.md"
    path.write_text(path.read_text().replace("framework: fastapi", "framework: flask"))
    assert "sections/04-fastapi.md: framework: 'flask' already carries 'flask'" in problems(content)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("include: framework:flask\n", "include: Use one of: comparison, scenarios, rules"),
        ("standalone: true\nframework: flask\n", "(file): A part is on a framework's"),
        (
            "checked: 2026-12-01\nsources:\n  - title: Docs\n    url: http://example.com/\n",
            "sources.0.url: Give an absolute https URL.",
        ),
        (
            "checked: 2026-12-01\nsources:\n  - title: Docs\n    url: /docs\n",
            "sources.0.url: Give an absolute https URL.",
        ),
        (
            "sources:\n  - title: Docs\n    url: https://example.com/\n",
            "checked: A part that cites sources says when it checked them.",
        ),
    ],
)
def test_section_front_matter_is_strict(content, front, expected):
    # A part whose front matter has none of these keys yet, so the added one is the only one.
    path = content / "sections/09-when-flask.md"
    path.write_text(path.read_text().replace("---\n", "---\n" + front, 1))
    assert any(expected in p for p in problems(content)), problems(content)


def test_every_framework_names_its_sources(content):
    edit(content / "frameworks/quart.yaml", lambda d: d.update(sources=[]))
    assert any("frameworks/quart.yaml: sources" in p for p in problems(content))


def test_markdown_raw_html_is_escaped_and_headings_get_anchors():
    html, headings = render_markdown(
        "### Async story\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))", "flask-"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<h3 id="flask-async-story">Async story</h3>' in html
    assert headings == [{"id": "flask-async-story", "title": "Async story"}]


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Framework, Aspect, Section, Scenario, Question, ContentRevision)
    }


def test_write_loads_everything_once(empty_app, content):
    data = read_content(content)
    with empty_app.app_context():
        assert write_content(db.session, data) is True
        loaded = counts()
        revision = db.session.scalars(select(ContentRevision)).one()
        assert write_content(db.session, read_content(content)) is False
        assert counts() == loaded
        assert db.session.scalars(select(ContentRevision)).one().loaded_at == revision.loaded_at
    assert loaded == {
        "Framework": 4,
        "Aspect": len(data.aspects),
        "Section": len(data.sections),
        "Scenario": len(data.scenarios),
        "Question": len(ANSWERS),
        "ContentRevision": 1,
    }


def test_failure_mid_write_keeps_the_old_content(empty_app, content, monkeypatch):
    with empty_app.app_context():
        write_content(db.session, read_content(content))
        edit(content / "frameworks/flask.yaml", lambda d: d.update(tagline="A new tagline."))
        changed = read_content(content)

        def explode(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr("selector.content.write.Question", explode)
        with pytest.raises(RuntimeError):
            write_content(db.session, changed)
        flask = db.session.scalars(select(Framework).where(Framework.slug == "flask")).one()
        assert flask.tagline != "A new tagline."
        assert counts()["Scenario"] == len(changed.scenarios)
        assert db.session.scalar(select(ContentRevision.digest)) != changed.digest


def test_a_huge_file_is_refused_without_being_read(content):
    (content / "sections/01-framing.md").write_text("---\nslug: x\n---\n" + "word " * 100_000)
    assert any(
        p.startswith("sections/01-framing.md: (front matter): not readable: larger than 256 KiB")
        for p in problems(content)
    )


def test_text_that_is_not_utf8_is_reported(content):
    (content / "aspects.yaml").write_bytes(b"- slug: \xff\xfe\n")
    assert any(p.startswith("aspects.yaml: (file): not readable YAML") for p in problems(content))


def test_no_script_from_content_reaches_any_page(empty_app, content):
    script = "<script>alert(1)</script>"
    path = content / "sections/03-flask.md"
    path.write_text(path.read_text() + f"\n\n{script}\n\n[click](javascript:alert(1))\n")
    edit(content / "frameworks/flask.yaml", lambda d: d.update(summary=script, tagline=script))
    edit(content / "scenarios/json-api.yaml", lambda d: d.update(why=script, title=script))
    load_content(empty_app, content)
    client = empty_app.test_client()
    for page in (
        "/",
        "/guide",
        "/frameworks/flask",
        "/scenarios",
        "/scenarios/json-api",
        "/compare",
        "/decide?preset=json-api",
        "/sitemap.xml",
    ):
        body = client.get(page).get_data(as_text=True)
        assert "<script" not in body, page
        assert 'href="javascript:' not in body, page


def test_a_cited_fact_is_put_in_and_an_unknown_one_refused(content):
    path = content / "sections/01-framing.md"
    path.write_text(
        path.read_text()
        + "\nToday: {{django-5.2-extended-end}}; Quart needs {{quart.min_python}}.\n"
    )
    framing = next(s for s in read_content(content).sections if s.slug == "framing")
    assert FACTS["django-5.2-extended-end"] in framing.body_html
    assert "Quart needs 3.13." in framing.body_html
    path.write_text(path.read_text() + "\n{{no-such-fact}}\n")
    assert "sections/01-framing.md: (text): no fact 'no-such-fact' in facts.yaml" in problems(
        content
    )


def test_facts_are_dated_and_sourced(content):
    edit(content / "facts.yaml", lambda facts: facts[0].pop("checked"))
    assert "facts.yaml: 0.checked: Missing data for required field." in problems(content)


def test_wide_tables_and_code_blocks_are_reachable_by_keyboard():
    html, _ = render_markdown(
        '### The "calendar"\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx = 1\n```\n'
    )
    assert (
        '<div class="scroll" role="region" tabindex="0" aria-label="The &#34;calendar&#34;">\n'
        "<table>"
    ) in html
    assert "</table>\n</div>" in html
    assert '<pre tabindex="0"><code>x = 1' in html

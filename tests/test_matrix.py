from __future__ import annotations

import re

import pytest

from selector.content.markup import render_inline
from selector.content.read import read_content
from tests.conftest import load_content
from tests.content_tools import copy_content, edit

CONTENT = read_content()
SCENARIOS = {s.slug: s for s in CONTENT.scenarios}
FRAMEWORKS = {f.slug: f.name for f in CONTENT.frameworks}
QUESTIONS = {q.key: q for q in CONTENT.questions}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


def test_matrix_lists_every_scenario_with_first_choice_and_runner_up(client):
    page = text_of(client.get("/scenarios"))
    table = rows(page)
    assert len(table) == len(SCENARIOS) >= 11
    for row, scenario in zip(table, sorted(SCENARIOS.values(), key=lambda s: s.order), strict=True):
        assert f'href="/scenarios/{scenario.slug}"' in row
        assert f'href="/frameworks/{scenario.first}"' in row
        if scenario.runner_up:
            assert f'href="/frameworks/{scenario.runner_up}"' in row
        else:
            assert '<span class="none">none</span>' in row


def test_matrix_filters_by_first_choice(client):
    page = text_of(client.get("/scenarios?first=django"))
    expected = [s for s in SCENARIOS.values() if s.first == "django"]
    assert len(rows(page)) == len(expected) > 0
    for scenario in expected:
        assert f'href="/scenarios/{scenario.slug}"' in page
    assert '<option value="django" selected>' in page


def test_any_framework_in_the_filter_shows_every_scenario(client):
    # The form's "Any framework" option sends first= with nothing after it.
    response = client.get("/scenarios?first=")
    assert response.status_code == 200
    assert len(rows(text_of(response))) == len(SCENARIOS)


def test_matrix_filter_with_no_match_says_so(empty_app, tmp_path):
    content = copy_content(tmp_path / "content")
    starting = [
        p for p in (content / "scenarios").glob("*.yaml") if "\nfirst: quart\n" in p.read_text()
    ]
    for path in starting:
        path.unlink()
        (content / "ja/scenarios" / path.name).unlink()
    gone = "|".join(path.stem for path in starting)
    for path in (content / "scenarios").glob("*.yaml"):
        # Their neighbours no longer name them as related.
        text = re.sub(rf"(?<=[\[ ])({gone})(, )?|, ({gone})(?=\])", "", path.read_text())
        path.write_text(text)
    load_content(empty_app, content)
    page = text_of(empty_app.test_client().get("/scenarios?first=quart"))
    assert "No scenario starts with that framework" in page


def test_matrix_unknown_filter_is_explained(client):
    response = client.get("/scenarios?first=Rails!")
    assert response.status_code == 400
    assert "There is no framework called “Rails!”" in text_of(response)
    assert len(rows(text_of(response))) == len(SCENARIOS)


@pytest.mark.parametrize("slug", sorted(SCENARIOS))
def test_scenario_page_shows_choice_runner_up_and_preset(client, slug):
    scenario = SCENARIOS[slug]
    response = client.get(f"/scenarios/{slug}")
    page = text_of(response)
    assert response.status_code == 200
    assert f'<dt>Start with</dt><dd><a href="/frameworks/{scenario.first}">' in page
    if scenario.runner_up:
        assert f'<dt>Runner-up</dt><dd><a href="/frameworks/{scenario.runner_up}">' in page
    else:
        assert "<h2>Why there is no runner-up</h2>" in page
    assert render_inline(scenario.runner_up_when) in page
    for key, given in scenario.preset.items():
        for value in given if isinstance(given, list) else [given]:
            label = next(c.label for c in QUESTIONS[key].choices if c.value == value)
            assert f"<dd>{label}</dd>" in page
    for related in scenario.related:
        assert f'href="/scenarios/{related}"' in page
    part = next(s for s in CONTENT.sections if s.slug == scenario.section)
    if part.framework:
        where = f"/frameworks/{part.framework}#{part.slug}"
    elif part.standalone:
        where = f"/guide/{part.slug}"
    else:
        where = f"/guide#{part.slug}"
    assert f'href="{where}"' in page


def test_unknown_scenario_is_404(client):
    assert client.get("/scenarios/no-such-thing").status_code == 404


def test_renamed_scenario_keeps_its_old_address_as_a_301(empty_app, tmp_path):
    content = copy_content(tmp_path / "content")
    for path in (content / "scenarios").glob("*.yaml"):
        path.write_text(path.read_text().replace("realtime-io", "realtime-connections"))
    edit(content / "scenarios/realtime-io.yaml", lambda d: d.update(aliases=["realtime-io"]))
    load_content(empty_app, content)
    client = empty_app.test_client()
    response = client.get("/scenarios/realtime-io")
    assert response.status_code == 301
    assert response.headers["Location"] == "/scenarios/realtime-connections"
    assert client.get("/scenarios/realtime-connections").status_code == 200
    # Its feed follows it too.
    feed = client.get("/scenarios/realtime-io/changes.atom")
    assert feed.status_code == 301
    assert feed.headers["Location"] == "/scenarios/realtime-connections/changes.atom"


def test_framework_page_lists_its_scenarios(client):
    page = text_of(client.get("/frameworks/quart"))
    for scenario in SCENARIOS.values():
        if "quart" in (scenario.first, scenario.runner_up):
            assert f'href="/scenarios/{scenario.slug}"' in page

"""What a reader does, in Debian's Chromium, with JavaScript off: the site ships no script, so a
run with it on would repeat the same journey."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from selector.content.read import read_content
from selector.engine.answers import MULTI, REQUIRED
from tests.e2e.conftest import PAGES, REALTIME

CONTENT = read_content()


def test_reading_the_guide(reader: Page):
    reader.goto("/")
    reader.get_by_role("link", name="Read the comparison").click()
    expect(reader).to_have_url(f"{reader.url.split('/guide')[0]}/guide")
    toc = reader.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Migration and coexistence").click()
    assert reader.url.endswith("/guide#migration-and-coexistence")
    expect(reader.locator("#migration-and-coexistence")).to_be_in_viewport()
    # A long part is read on its own page, with its own contents and sources.
    part = reader.get_by_role("heading", name="Migration and coexistence", level=2)
    part.get_by_role("link").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Migration and coexistence")
    reader.go_back()
    reader.locator("table.compare thead").get_by_role("link", name="FastAPI").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("FastAPI")
    reader.get_by_role("link", name="Compare", exact=True).click()
    reader.get_by_label("Flask", exact=True).check()
    reader.get_by_label("Django", exact=True).check()
    reader.get_by_label("Only where they differ").check()
    reader.get_by_role("button", name="Compare").click()
    assert "f=flask&f=django&diff=on" in reader.url
    headers = reader.locator("table.compare thead th").all_inner_texts()
    assert headers == ["Aspect", "Flask", "Django"]


def test_deciding_from_a_scenario_and_sharing_the_result(reader: Page, browser, base_url):
    reader.goto("/scenarios")
    reader.get_by_role("link", name="High-concurrency I/O, WebSockets, streaming").click()
    reader.get_by_role("link", name="Start the decision from this scenario").click()
    for need in ("Real-time: WebSockets", "Streamed responses", "Very many slow calls"):
        expect(reader.get_by_label(need, exact=False)).to_be_checked()
    reader.get_by_role("button", name="Show my recommendation").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Start with FastAPI")
    assert "/decide/result?" in reader.url
    shared = reader.url
    main = reader.locator("main").inner_text()

    stranger = browser.new_context(base_url=base_url)
    try:
        other = stranger.new_page()
        other.goto(shared)
        assert stranger.cookies() == []
        assert other.locator("main").inner_text() == main
    finally:
        stranger.close()

    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download as a decision record").click()
    assert download.value.suggested_filename == "decision-record-fastapi.md"
    with open(download.value.path(), encoding="utf-8") as record:
        assert record.read().startswith("# Use FastAPI as the web framework")


#: What a reader ticks before forgetting who calls the application: a radio and boxes in three
#: groups, the long labels among them.
TICKED = [
    ("radio", "A new codebase"),
    ("checkbox", "User accounts, login and permissions"),
    ("checkbox", "A relational data model with migrations"),
    ("checkbox", "A typed API contract", False),
    ("checkbox", "Background jobs: work that runs outside the request"),
    ("checkbox", "Django"),
    ("radio", "Two to six"),
]
#: Each label of a choice inside the page's width, its text neither cut nor overflowing, at a
#: size a phone reader can read, and beside its own box.
LABELS = """width => [...document.querySelectorAll('form.decide label.choice')].flatMap(label => {
    const box = label.getBoundingClientRect();
    const input = label.querySelector('input').getBoundingClientRect();
    const size = parseFloat(getComputedStyle(label).fontSize);
    const problems = [];
    if (box.left < 0 || box.right > width) problems.push('outside the page');
    if (label.scrollWidth > label.clientWidth + 1) problems.push('text overflows');
    if (size < 16) problems.push(`font ${size}px`);
    if (input.top < box.top - 1 || input.bottom > box.bottom + 1) problems.push('box apart');
    return problems.map(p => `${label.textContent.trim().slice(0, 40)}: ${p}`);
})"""


def permalink_of(query: str) -> re.Pattern:
    """A result permalink with exactly these answers, marked with the content's revision."""
    return re.compile(rf"/decide/result\?{re.escape(query)}&rev=[0-9a-f]+$")


def choice(page: Page, role: str, name: str, exact: bool = True):
    return page.locator("form.decide").get_by_role(role, name=name, exact=exact)


@pytest.mark.parametrize("width", [390, 320])
def test_the_form_on_a_phone_keeps_every_tick_through_an_error_then_decides(reader: Page, width):
    """Filled on a phone; submitted without the required "who calls
    it", it comes back with the error beside that field and every box still ticked."""
    reader.set_viewport_size({"width": width, "height": 844})
    reader.goto("/decide")
    # A box per value, and "Skip this question" for each optional single-valued answer.
    expect(reader.locator("form.decide label.choice")).to_have_count(
        sum(len(q.choices) + (q.key not in (*REQUIRED, *MULTI)) for q in CONTENT.questions)
    )
    assert reader.evaluate(LABELS, width) == []
    for role, name, *exact in TICKED:
        choice(reader, role, name, *exact).check()
    reader.get_by_role("button", name="Show my recommendation").click()
    expect(reader.get_by_role("alert")).to_contain_text("Who uses it?")
    group = reader.get_by_role("group", name="Who uses it?")
    expect(group).to_have_attribute("aria-describedby", "clients-help clients-error")
    error = group.locator("#clients-error")
    expect(error).to_be_visible()
    # Beside the field: inside its fieldset, above its first box, and reached from the summary.
    first_box = choice(reader, "checkbox", "People, on server-rendered pages and forms")
    assert error.bounding_box()["y"] < first_box.bounding_box()["y"]
    for role, name, *exact in TICKED:
        expect(choice(reader, role, name, *exact)).to_be_checked()
    assert reader.evaluate("document.documentElement.scrollWidth") <= width
    assert reader.evaluate(LABELS, width) == []
    reader.get_by_role("alert").get_by_role("link", name="Who uses it?").click()
    expect(first_box).to_be_in_viewport()
    # Then it decides, with every answer in the permalink.
    choice(reader, "checkbox", "A JavaScript single-page app", False).check()
    reader.get_by_role("button", name="Show my recommendation").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(re.compile("^Start with "))
    assert permalink_of(
        "starting_point=new&clients=spa&needs=accounts&needs=relational&needs=typed_contract"
        "&needs=background_jobs&team_skills=django&team_size=small"
    ).search(reader.url)
    assert reader.evaluate("document.documentElement.scrollWidth") <= width


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, name: el.name || '', value: el.value || '',
                    text: el.textContent.trim().slice(0, 40),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
        }"""
    )


def tab_to(page: Page, match, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        assert state["outline"], f"focus is not visible on {state}"
        if match(state):
            return state
    raise AssertionError("the keyboard never reached the element")


def test_keyboard_only(reader: Page):
    """Tab stops at a radio group once and at each checkbox; Space picks or ticks."""
    reader.goto("/decide")
    first = tab_to(reader, lambda s: s["tag"] == "A")
    assert first["text"] == "Skip to content"
    tab_to(reader, lambda s: s["name"] == "starting_point")
    reader.keyboard.press("Space")  # the first choice: a new codebase
    for name, value in [
        ("clients", "spa"),
        ("needs", "realtime"),
        ("needs", "streaming"),
        ("needs", "high_concurrency"),
    ]:
        tab_to(reader, lambda s, name=name, value=value: (s["name"], s["value"]) == (name, value))
        reader.keyboard.press("Space")
    tab_to(reader, lambda s: s["tag"] == "BUTTON")
    reader.keyboard.press("Enter")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Start with FastAPI")
    assert permalink_of(REALTIME).search(reader.url)


def test_a_version_2_link_lands_on_its_answers_carried_over(reader: Page):
    """A link shared before version 3 opens the result of its mapped answers, says so, and leads
    to the form filled with them to check."""
    reader.goto(
        "/decide/result?batteries=yes&async_or_typed=yes&assemble=no&workload=json_api"
        "&existing=django"
    )
    assert reader.url.endswith(
        "/decide/result?starting_point=django&clients=services&needs=admin&needs=accounts"
        "&needs=relational&needs=typed_contract&structure=conventions&from=v2"
    )
    note = reader.get_by_role("note").filter(has_text="earlier questions")
    note.get_by_role("link", name="check them in the form").click()
    expect(reader).to_have_url(re.compile(r"/decide\?starting_point=django&"))
    for role, name in [
        ("radio", "It extends a Django application"),
        ("checkbox", "Other services or partners, through an API"),
        ("checkbox", "A back office where staff browse and fix the data"),
        ("checkbox", "User accounts, login and permissions"),
        ("checkbox", "A relational data model with migrations"),
        ("radio", "The framework decides: we would rather follow its conventions"),
    ]:
        expect(choice(reader, role, name)).to_be_checked()
    expect(choice(reader, "checkbox", "A typed API contract", False)).to_be_checked()
    expect(choice(reader, "checkbox", "Real-time: WebSockets", False)).not_to_be_checked()


#: Every page type, and every page whose text comes from a content file.
NARROW = sorted(
    {
        *PAGES.values(),
        *(f"/frameworks/{f.slug}" for f in CONTENT.frameworks),
        *(f"/guide/{s.slug}" for s in CONTENT.sections if s.standalone),
        *(f"/scenarios/{s.slug}" for s in CONTENT.scenarios),
    }
)


@pytest.mark.parametrize("path", NARROW)
def test_no_page_scrolls_sideways_at_320_px(reader: Page, path):
    reader.set_viewport_size({"width": 320, "height": 640})
    reader.goto(path)
    assert reader.evaluate("document.documentElement.scrollWidth") <= 320


def test_result_permalink_example_is_valid(reader: Page):
    reader.goto(f"/decide/result?{REALTIME}")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Start with FastAPI")


def test_reading_and_copying_a_code_sample(reader: Page):
    reader.goto("/")
    reader.get_by_role("navigation", name="Site").get_by_role("link", name="Code").click()
    reader.get_by_role("link", name="A WebSocket echo").click()
    frameworks = reader.get_by_role("navigation", name="Frameworks").get_by_role("link")
    expect(frameworks).to_have_text(["Flask", "FastAPI", "Django", "Quart"])
    frameworks.get_by_text("Django").click()
    django = reader.locator("section.sample", has=reader.locator("#websocket-echo-django"))
    expect(django.locator("pre").first).to_be_in_viewport()
    expect(django.locator(".needs")).to_contain_text("needs Channels")
    # The test is folded away, and opens without script.
    test_code = django.locator("details pre")
    expect(test_code).to_be_hidden()
    django.locator("summary", has_text="Its test").click()
    expect(test_code).to_be_visible()
    expect(django.locator(".ran")).to_contain_text("Its test last passed against Django ")
    # Copy: the plain-text file is exactly what the page shows.
    shown = django.locator("pre").first.inner_text()
    href = django.get_by_role("link", name="plain text").first.get_attribute("href")
    source = reader.request.get(href)
    assert source.headers["content-type"].startswith("text/plain")
    assert source.text().rstrip("\n") == shown.rstrip("\n")


def test_searching_from_the_header_lands_on_the_passage(reader: Page):
    reader.goto("/frameworks/flask")
    box = reader.get_by_role("search", name="Site search").get_by_role("searchbox")
    box.fill("password hashing")
    box.press("Enter")
    expect(reader).to_have_url(re.compile(r"/search\?q=password\+hashing$"))
    first = reader.locator("ol.hits li").first
    expect(first.locator("mark").first).to_have_text(re.compile("password|hash", re.I))
    first.get_by_role("link").click()
    expect(reader).to_have_url(re.compile(r"/guide/security#security-password-hashing$"))
    expect(reader.locator("#security-password-hashing")).to_be_in_viewport()


def test_a_misspelling_is_answered_with_a_did_you_mean(reader: Page):
    reader.goto("/search?q=djnago+admn")
    reader.get_by_role("link", name="django admin").click()
    expect(reader.get_by_role("status")).to_contain_text("mention “django admin”")


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_every_figure_of_the_stats_charts_is_inside_its_chart(reader: Page, width):
    reader.set_viewport_size({"width": width, "height": 900})
    reader.goto("/stats")
    outside = reader.evaluate(
        """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text')].filter(t => {
                const r = t.getBoundingClientRect();
                // A glyph such as "Y" may lean a pixel past the text's origin.
                return r.right > box.right + 1.5 || r.left < box.left - 1.5;
            }).map(t => t.textContent);
        })"""
    )
    assert outside == []
    assert reader.locator("svg.chart").count() >= 12


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_reading_and_deciding_in_japanese_then_switching_back(reader: Page):
    reader.goto("/guide")
    reader.get_by_role("link", name="日本語", exact=True).click()
    expect(reader).to_have_url(re.compile(r"/ja/guide$"))
    expect(reader.locator("html")).to_have_attribute("lang", "ja")
    reader.goto("/ja/scenarios/realtime-io")
    reader.locator("main a[href^='/ja/decide?']").first.click()
    expect(reader).to_have_url(re.compile(r"/ja/decide\?"))
    reader.locator("main form button[type=submit]").click()
    expect(reader).to_have_url(re.compile(r"/ja/decide/result\?"))
    expect(reader.get_by_role("heading", level=1)).to_contain_text("FastAPI")
    assert JAPANESE.search(reader.locator("main ol.ranking").inner_text())
    japanese = reader.url
    with reader.expect_download() as download:
        reader.locator("main a[href*='/ja/decide/result.md']").first.click()
    with open(download.value.path(), encoding="utf-8") as record:
        assert JAPANESE.search(record.read())
    # The switch keeps the answers: the same result, in English.
    reader.get_by_role("link", name="English", exact=True).click()
    assert reader.url == japanese.replace("/ja/decide/", "/decide/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Start with FastAPI")


def test_a_browser_preferring_japanese_is_offered_the_edition_not_moved(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto("/compare")
        assert page.url.endswith("/compare")
        page.get_by_role("link", name="このページは日本語でも読めます").click()
        expect(page).to_have_url(re.compile(r"/ja/compare$"))
    finally:
        context.close()

"""What a reader does, in Debian's Chromium: each journey with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from selector.loader import read_content
from tests.e2e.conftest import PAGES, REALTIME

CONTENT = read_content()


@pytest.fixture(params=["script", "no-script"])
def reader(request, browser, base_url) -> Iterator[Page]:
    """A fresh browser context, with JavaScript on or off: the site must not need it."""
    context = browser.new_context(base_url=base_url, java_script_enabled=request.param == "script")
    yield context.new_page()
    context.close()


def test_reading_the_guide(reader: Page):
    reader.goto("/")
    reader.get_by_role("link", name="Read the comparison").click()
    expect(reader).to_have_url(f"{reader.url.split('/guide')[0]}/guide")
    toc = reader.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Migration and coexistence").click()
    assert reader.url.endswith("/guide#migration-and-coexistence")
    expect(reader.locator("#migration-and-coexistence")).to_be_in_viewport()
    # A long part is read on its own page, with its own contents and sources.
    reader.get_by_role("link", name="Read “Migration and coexistence”").click()
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
    expect(reader.get_by_label("Real-time work", exact=False)).to_be_checked()
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


def test_a_missing_answer_is_announced_beside_its_field(reader: Page):
    reader.goto("/decide")
    reader.get_by_role("radio", name="No — not all three").check()
    reader.get_by_role("radio", name="Yes — concurrency").check()
    reader.get_by_role("radio", name="Real-time work", exact=False).check()
    reader.get_by_role("button", name="Show my recommendation").click()
    expect(reader.get_by_role("alert")).to_contain_text("Choose an answer.")
    error = reader.locator("#assemble-error")
    expect(error).to_be_visible()
    group = reader.get_by_role("group", name="Does the team want to choose each component")
    expect(group).to_have_attribute("aria-describedby", "assemble-help assemble-error")
    expect(reader.get_by_role("radio", name="No — not all three")).to_be_checked()
    expect(reader.get_by_role("radio", name="Yes — concurrency")).to_be_checked()
    expect(reader.get_by_role("radio", name="Real-time work", exact=False)).to_be_checked()


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


def tab_to(page: Page, match, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        assert state["outline"], f"focus is not visible on {state}"
        if match(state):
            return state
    raise AssertionError("the keyboard never reached the element")


def test_keyboard_only(reader: Page):
    reader.goto("/decide")
    first = tab_to(reader, lambda s: s["tag"] == "A")
    assert first["text"] == "Skip to content"
    tab_to(reader, lambda s: s["name"] == "batteries")
    reader.keyboard.press("ArrowDown")  # the second choice: no
    tab_to(reader, lambda s: s["name"] == "async_or_typed")
    reader.keyboard.press("Space")  # the first choice: yes
    tab_to(reader, lambda s: s["name"] == "assemble")
    reader.keyboard.press("ArrowDown")
    tab_to(reader, lambda s: s["tag"] == "BUTTON")
    reader.keyboard.press("Enter")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Start with FastAPI")
    assert "batteries=no&async_or_typed=yes&assemble=no" in reader.url


#: Every page type, and every page whose text comes from a content file.
NARROW = sorted(
    {
        *PAGES.values(),
        *(f"/frameworks/{f['slug']}" for f in CONTENT.frameworks),
        *(f"/guide/{s['slug']}" for s in CONTENT.sections if s["standalone"]),
        *(f"/scenarios/{s['slug']}" for s in CONTENT.scenarios),
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
    box.fill("admin screen")
    box.press("Enter")
    expect(reader).to_have_url(re.compile(r"/search\?q=admin\+screen$"))
    first = reader.locator("ol.hits li").first
    expect(first.locator("mark").first).to_have_text(re.compile("admin", re.I))
    first.get_by_role("link").click()
    expect(reader).to_have_url(re.compile(r"/frameworks/django#django-the-admin-screen$"))
    expect(reader.locator("#django-the-admin-screen")).to_be_in_viewport()


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

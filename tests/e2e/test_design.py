"""The visual design a chooser needs, checked in a real browser: what the eye finds first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from selector.content.read import read_content
from tests.e2e.conftest import REALTIME

CONTENT = read_content()
CAPABILITIES = [a for a in CONTENT.aspects if a.provided]
ALL_FOUR = "/compare?f=flask&f=fastapi&f=django&f=quart"


@pytest.fixture(params=["light", "dark"])
def scheme(request) -> str:
    return request.param


@pytest.mark.parametrize("path", [ALL_FOUR, "/guide"])
def test_every_classified_cell_has_words_and_a_shape_and_the_legend_explains_them(
    page: Page, path, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(path)
    legend = page.locator("dl.legend").first
    expect(legend).to_be_visible()
    expect(legend.locator("dt")).to_have_text(
        ["Built in", "Official add-on", "Third-party", "Not available"]
    )
    table = page.locator("table.compare").first
    labels = table.locator("td .provided")
    expect(labels).to_have_count(len(CAPABILITIES) * len(CONTENT.frameworks))
    for n in range(labels.count()):
        label = labels.nth(n)
        assert label.text_content().strip() in {
            "Built in",
            "Official add-on",
            "Third-party",
            "Not available",
        }
        shape = label.evaluate("e => getComputedStyle(e, '::before').content")
        assert shape not in ("none", "normal", '""'), shape


@pytest.mark.parametrize("width", [390, 1280])
def test_the_comparisons_header_row_and_first_column_stay_in_view(page: Page, width):
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(ALL_FOUR)
    box = page.locator(".scroll:has(> table.compare)")
    box.evaluate("e => e.scrollTo(e.scrollWidth, 400)")
    frame = box.bounding_box()
    header = page.locator("table.compare thead th").nth(2).bounding_box()
    first_column = page.locator("table.compare tbody th").nth(6).bounding_box()
    assert box.evaluate("e => e.scrollTop") > 0
    assert abs(header["y"] - frame["y"]) <= 2
    assert abs(first_column["x"] - frame["x"]) <= 2


def test_the_verdict_is_read_before_scrolling_on_a_phone(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/decide/result?{REALTIME}")
    verdict = page.locator("section.verdict")
    for part in (
        verdict.get_by_role("heading", level=1),
        verdict.locator(".why"),
        verdict.get_by_role("link", name="Download as a decision record"),
        verdict.get_by_role("link", name="Change my answers"),
    ):
        expect(part).to_be_in_viewport(ratio=1)
    # The stack starts on the first screen; then the reasons, the runner-up, what is given
    # up, the one answer that would change it (a callout with its link), and all four in order.
    expect(page.get_by_role("heading", name="Your stack")).to_be_in_viewport(ratio=1)
    headings = page.locator("main h2").all_inner_texts()
    order = ["Your stack", "Why", "Runner-up:", "What you give up", "What would change"]
    order += ["All four, in order", "Your answers"]
    at = [next((n for n, h in enumerate(headings) if h.startswith(o)), None) for o in order]
    # "Why" lists the reasons beyond the verdict's own, when there are any.
    assert all(n is not None for o, n in zip(order, at, strict=True) if o != "Why"), headings
    at = [n for n in at if n is not None]
    assert at == sorted(at), headings
    expect(page.locator("ol.ranking li")).to_have_count(4)
    callout = page.locator("aside.callout")
    callout.get_by_role("link", name="See the result with that answer").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Start with FastAPI")


def test_the_home_page_leads_to_the_form_within_one_phone_screen(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    button = page.get_by_role("link", name="Describe your project")
    expect(button).to_be_in_viewport(ratio=1)
    cards = page.locator(".scenario-cards li")
    expect(cards).to_have_count(len(CONTENT.scenarios))
    button.click()
    expect(page).to_have_url(re.compile(r"/decide$"))


def test_the_matrix_is_cards_on_a_phone_and_a_table_on_a_desktop(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/scenarios")
    row = page.locator("table.matrix tbody tr").first
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    first_cell = row.locator("td").first
    assert "Start with" in first_cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})
    assert row.evaluate("e => getComputedStyle(e).display") == "table-row"


def test_a_frameworks_fact_card_links_each_fact_to_where_it_is_explained(page: Page):
    page.goto("/frameworks/django")
    card = page.locator("dl.factcard")
    expect(card.locator("dt")).to_have_text(
        [
            "Current version",
            "Python floor",
            "Licence",
            "Maintained by",
            "Release model",
            "Best for",
            "Think twice when",
            "Release line",
        ]
    )
    expect(card).to_contain_text("BSD-3-Clause")
    expect(card).to_contain_text("Long-term support: a feature release roughly every eight months")
    for href in card.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        if href.startswith("#"):
            expect(page.locator(href)).to_have_count(1)
    card.get_by_role("link", name="The Django project", exact=False).click()
    expect(page).to_have_url(re.compile(r"/guide/governance#governance-django-"))


TYPESET = """() => {
    const body = getComputedStyle(document.body);
    const em = document.createElement("em");
    document.querySelector("main p").append(em);
    return {family: body.fontFamily, leading: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
            breaks: body.lineBreak, words: body.wordBreak, emphasis: getComputedStyle(em).fontStyle,
            synthesis: body.fontSynthesis,
            headings: getComputedStyle(document.querySelector("h1")).wordBreak};
}"""


def test_japanese_pages_are_set_for_japanese_and_english_ones_are_not(page: Page):
    page.goto("/ja/guide")
    japanese = page.evaluate(TYPESET)
    assert "Noto Sans CJK JP" in japanese["family"] and "Hiragino" in japanese["family"]
    assert japanese["leading"] >= 1.8
    assert japanese["breaks"] == "strict"
    # A heading breaks between phrases, never inside a word.
    assert japanese["headings"] == "auto-phrase"
    # No slanted kana: emphasis is not italic, and no italic is faked from an upright font.
    assert japanese["emphasis"] == "normal"
    assert "style" not in japanese["synthesis"]
    page.goto("/guide")
    english = page.evaluate(TYPESET)
    assert "Noto Sans CJK JP" not in english["family"] and english["emphasis"] == "italic"
    assert english["leading"] < 1.8

"""Every page type checked with the tools the web trusts: axe-core, the Nu Html Checker, Lighthouse."""

from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import APIRequestContext, Page, expect

from tests.e2e import lighthouse
from tests.e2e.conftest import (
    JA,
    NODE_TOOLS,
    PAGES,
    SHOT_CASES,
    SHOTS,
    address,
    casebook_result,
    csrf_token,
    require,
    require_chromium,
)

ENGLISH_TYPES = [*sorted(PAGES), "form-errors"]
#: Every page type again in the Japanese edition, under /ja/.
PAGE_TYPES = [*ENGLISH_TYPES, *(f"{JA}{name}" for name in ENGLISH_TYPES)]
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCHEMES = ["light", "dark"]
#: Page types checked by axe at every width and in both schemes (every page type is checked at
#: a phone's width in both): each layout once (home, guide, a framework, a scenario, the
#: comparison's and the matrix's wide tables, the form with its errors, the result, code, a
#: long part, search, the history, the charts) and the Japanese guide and result in CJK text.
EVERY_WIDTH = [
    "home",
    "guide",
    "framework",
    "scenario",
    "compare",
    "matrix",
    "form-errors",
    "result",
    "task",
    "part",
    "search",
    "changes",
    "stats",
    "ja-guide",
    "ja-result",
]
AXE_RUNS = [
    *((name, 390) for name in PAGE_TYPES),
    *((name, width) for name in EVERY_WIDTH for width in (320, 1280)),
]


def open_page_type(page: Page, name: str) -> None:
    """Show one page type; the form with errors comes from submitting the empty form."""
    if name.removeprefix(JA) == "form-errors":
        page.goto(address(name.replace("form-errors", "form")))
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("alert")).to_be_visible()
    else:
        page.goto(address(name))


@pytest.mark.parametrize(("name", "width"), AXE_RUNS)
def test_axe_finds_no_wcag_a_or_aa_violation_in_either_scheme(page: Page, name, width):
    """A phone's width for every page type; the narrowest phone and a desktop too for a few,
    where tables and code blocks scroll sideways. Both colour schemes are read from one load
    of the page: the scheme is a media query, applied as soon as it is emulated."""
    page.set_viewport_size({"width": width, "height": 844})
    open_page_type(page, name)
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
        if results.violations_count:
            found[scheme] = results.generate_report()
    assert not found, "\n".join(f"{scheme}:\n{report}" for scheme, report in found.items())


def raw_html(request: APIRequestContext, name: str) -> str:
    """The HTML exactly as the server sends it."""
    if name.removeprefix(JA) != "form-errors":
        return request.get(address(name)).text()
    form_page = address(name.replace("form-errors", "form"))
    form = request.get(form_page).text()
    return request.post(form_page, form={"csrf_token": csrf_token(form)}).text()


#: What the Nu Html Checker reads: every page type, and the result pages of casebook
#: situations (long stacks, tools beyond the four, many answers).
#: Lighthouse runs at once: each spends most of its time waiting for its page to go quiet.
LIGHTHOUSE_AT_ONCE = 3
CHECKED_HTML = [*PAGE_TYPES, *(f"case-{case}" for case in SHOT_CASES)]


@pytest.fixture(scope="session")
def html_errors(browser, base_url, tmp_path_factory) -> dict[str, list[dict]]:
    """The Nu Html Checker's errors in each page of CHECKED_HTML, from one run over them all."""
    vnu = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require(vnu.exists(), "the HTML check needs the npm tools: `make test` installs them")
    require(
        bool(os.environ.get("JAVA") or Path("/usr/bin/java").exists()), "the HTML check needs Java"
    )
    folder = tmp_path_factory.mktemp("html")
    context = browser.new_context(base_url=base_url)
    for name in PAGE_TYPES:
        (folder / f"{name}.html").write_text(raw_html(context.request, name), encoding="utf-8")
    for case in SHOT_CASES:
        html = context.request.get(casebook_result(case)).text()
        (folder / f"case-{case}.html").write_text(html, encoding="utf-8")
    context.close()
    checked = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", "--stdout", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode in (0, 1), checked.stderr
    errors: dict[str, list[dict]] = {name: [] for name in CHECKED_HTML}
    for message in json.loads(checked.stdout)["messages"]:
        errors.setdefault(Path(message.get("url", "")).stem, []).append(message)
    assert list(errors) == CHECKED_HTML, "a message about no page: " + json.dumps(errors)
    return errors


@pytest.mark.parametrize("name", CHECKED_HTML)
def test_nu_html_checker_finds_no_error(html_errors, name):
    assert html_errors[name] == [], json.dumps(html_errors[name], indent=1)


@pytest.fixture(scope="session")
def lighthouse_reports(live_server, tmp_path_factory) -> dict[tuple[str, str], dict]:
    """Lighthouse's report of each of its runs (a page type in a form factor). Nothing the tests
    gate on is a timing, so the runs may share the machine: a few at once, each mostly waiting
    for its page to go quiet."""
    require_chromium()
    require(lighthouse.CLI.exists(), "Lighthouse needs the npm tools: `make test` installs them")
    folder = tmp_path_factory.mktemp("lighthouse")

    def report(run: tuple[str, str]) -> dict:
        name, form_factor = run
        url = live_server + address(name)
        return lighthouse.run(url, form_factor, folder / f"{name}-{form_factor}.json")

    with ThreadPoolExecutor(max_workers=LIGHTHOUSE_AT_ONCE) as pool:
        return dict(zip(lighthouse.RUNS, pool.map(report, lighthouse.RUNS), strict=True))


@pytest.mark.parametrize("gate", [*lighthouse.CATEGORIES, "untimed-performance"])
@pytest.mark.parametrize(("name", "form_factor"), lighthouse.RUNS)
def test_lighthouse_finds_nothing_to_improve(lighthouse_reports, name, form_factor, gate):
    """Each category without timings scores 1, and so does each performance audit that is not
    a timing (the timed ones are measured by bench/lighthouse.py)."""
    report = lighthouse_reports[name, form_factor]
    assert lighthouse.below_one(report, gate) == {}
    if gate in lighthouse.CATEGORIES:
        assert report["categories"][gate]["score"] == 1


@pytest.mark.parametrize("name", ["scenario", "result", "compare"])
def test_printing_hides_navigation_and_shows_link_addresses(page: Page, name):
    open_page_type(page, name)
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    link = page.locator("main a[href^='/frameworks/']").first
    href = link.get_attribute("href")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert href in after
    # A table that scrolls on screen is printed whole.
    for box in page.locator(".scroll").all():
        assert box.evaluate(
            "e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1"
        )


#: Where the page lays out its main heading's words, in page coordinates (a full-page
#: screenshot's).
HEADING_BOX = """() => {
  const words = document.createRange();
  words.selectNodeContents(document.querySelector("h1"));
  const box = words.getBoundingClientRect();
  return {x: box.x + scrollX, y: box.y + scrollY, width: box.width, height: box.height};
}"""
#: A screenshot read back by Chromium: of the pixels of the page's top (down to `bottom`) and
#: of the heading's box, the share that differ from the commonest colour there. A blank or
#: single-colour picture has none; a drawn heading has the ink of its letters.
INK = """async ([png, box, bottom]) => {
  const bytes = Uint8Array.from(atob(png), c => c.charCodeAt(0));
  const blob = new Blob([bytes], {type: "image/png"});
  const whole = await createImageBitmap(blob);
  const height = Math.min(whole.height, Math.ceil(bottom));
  const canvas = new OffscreenCanvas(whole.width, height);
  const context = canvas.getContext("2d");
  context.drawImage(whole, 0, 0);
  const ink = (x, y, w, h) => {
    const data = context.getImageData(x, y, w, h).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const colour = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(colour, (counts.get(colour) || 0) + 1);
    }
    let commonest = 0;
    for (const count of counts.values()) commonest = Math.max(commonest, count);
    return 1 - commonest / (data.length / 4);
  };
  return {
    top: ink(0, 0, whole.width, height),
    heading: ink(Math.floor(box.x), Math.floor(box.y), Math.ceil(box.width), Math.ceil(box.height)),
  };
}"""


def check_screenshot(page: Page, path: Path, width: int, height: int) -> None:
    """The picture is the whole page at the viewport's width, and shows the main heading's
    letters where the page lays the heading out."""
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n", path
    # A PNG's first chunk, IHDR, gives its width and height.
    assert struct.unpack(">II", png[16:24]) == (
        width,
        page.evaluate("document.documentElement.scrollHeight"),
    ), path
    box = page.evaluate(HEADING_BOX)
    reader = page.context.new_page()
    try:
        ink = reader.evaluate(
            INK, [base64.b64encode(png).decode(), box, max(height, box["y"] + box["height"])]
        )
    finally:
        reader.close()
    # Something is drawn above the fold (the sparsest page, not-found at 1280, inks 2%), and
    # the heading's letters cover a fifth to a third of their box on every page type: none
    # when hidden or blank, far more when the box holds a picture instead.
    assert ink["top"] > 0.005, (path, ink)
    assert 0.1 < ink["heading"] < 0.6, (path, box, ink)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_screenshots_for_people_to_look_at(browser, base_url, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 800)):
        context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": height}
        )
        try:
            page = context.new_page()
            open_page_type(page, name)
            path = SHOTS / f"{name}-{width}x{height}.png"
            page.screenshot(path=str(path), full_page=True)
            check_screenshot(page, path, width, height)
        finally:
            context.close()


@pytest.mark.parametrize("case", SHOT_CASES)
def test_casebook_results_photographed_and_clean_for_axe(page: Page, case):
    """A casebook situation's result page on a phone and a desktop, light and dark: one
    screenshot each for people to look at, and axe over each of the four."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(casebook_result(case))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start with")
    reports = []
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            path = SHOTS / f"case-{case}-{width}x{height}-{scheme}.png"
            page.screenshot(path=str(path), full_page=True)
            check_screenshot(page, path, width, height)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
            if results.violations_count:
                reports.append(f"{width}px, {scheme}:\n{results.generate_report()}")
    assert reports == [], "\n".join(reports)

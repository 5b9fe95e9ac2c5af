"""Lighthouse, as the browser tests gate on it and bench/lighthouse.py times it.

A Lighthouse performance score is made of timings (first and largest contentful paint,
total blocking time, speed index), which on a shared machine vary from run to run, so the
tests gate only on what does not depend on the machine's speed: the accessibility,
best-practices and SEO categories, and the performance audits that count bytes, requests,
resources and layout shift. The timed audits are reported by bench/lighthouse.py.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, JA, NODE_TOOLS

#: The page types Lighthouse looks at, on a phone and on a desktop.
PAGES = [
    "home",
    "guide",
    "framework",
    "compare",
    "matrix",
    "scenario",
    "result",
    "stats",
    "ja-home",
    "ja-result",
]
FORM_FACTORS = ["mobile", "desktop"]
#: The runs the browser tests gate on: every page type on a phone, and on a desktop all but the
#: Japanese ones. A Japanese page has its English twin's template and styles (the site loads no
#: font, image or script that differs by edition), so its desktop layout is what the English
#: desktop run checks and its text is what its own phone run checks; axe checks the Japanese
#: guide and result at a desktop's width too.
RUNS = [
    (name, form_factor)
    for name in PAGES
    for form_factor in FORM_FACTORS
    if not (form_factor == "desktop" and name.startswith(JA))
]
#: Categories with no timing in them, gated whole at a score of 1.
CATEGORIES = ["accessibility", "best-practices", "seo"]
#: Performance audits that do not depend on the machine's speed, gated at a score of 1 (or not
#: applicable): what is sent (bytes, compression, caching, images, fonts), redirects, the
#: viewport, and layout shift. Left out: dom-size (the comparison of all four frameworks is one
#: long table by design) and render-blocking-resources (Lighthouse 12.2 cannot read Debian's
#: Chromium's trace for it and reports an error).
UNTIMED_AUDITS = [
    "total-byte-weight",
    "cumulative-layout-shift",
    "uses-text-compression",
    "uses-long-cache-ttl",
    "unminified-css",
    "unused-css-rules",
    "unminified-javascript",
    "unused-javascript",
    "font-display",
    "unsized-images",
    "uses-optimized-images",
    "modern-image-formats",
    "uses-responsive-images",
    "offscreen-images",
    "redirects",
    "viewport",
]
#: The timed audits bench/lighthouse.py reports (and the performance score made of them).
TIMED_AUDITS = [
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "speed-index",
]
CLI = NODE_TOOLS / "lighthouse" / "cli" / "index.js"


def run(url: str, form_factor: str, report: Path) -> dict:
    """One Lighthouse run of a page, with its throttled phone profile or the desktop preset."""
    command = [
        "node",
        str(CLI),
        url,
        "--quiet",
        # The picture of the whole page only illustrates an HTML report; no audit reads it, and
        # taking it costs more than a second of each run.
        "--disable-full-page-screenshot",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(['performance', *CATEGORIES])}",
        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_FLAGS),
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    for _ in range(3):
        # A run where Lighthouse itself fails (Chromium not answering in time, or a trace
        # with no navigation start: NO_NAVSTART, seen in a CI run) measured nothing; it is
        # tried again before it counts as a failure.
        done = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode == 0:
            return json.loads(report.read_text())
    raise AssertionError(f"Lighthouse failed three times: {done.stderr[-2000:]}")


def below_one(report: dict, gate: str) -> dict[str, object]:
    """What keeps a gate from a score of 1: a category's weighted audits, or the untimed
    performance audits and any request to another origin or answered with an error, each
    with what Lighthouse displays for it. An audit that could not run counts against it."""
    audits = report["audits"]
    if gate in CATEGORIES:
        ids = [ref["id"] for ref in report["categories"][gate]["auditRefs"] if ref["weight"]]
    else:
        ids = UNTIMED_AUDITS
    found: dict[str, object] = {
        audit: audits[audit].get("displayValue") or audits[audit]["title"]
        for audit in ids
        if audits[audit]["score"] is not None and audits[audit]["score"] < 1
    }
    found |= {
        audit: audits[audit]["errorMessage"]
        for audit in ids
        if audits[audit]["scoreDisplayMode"] == "error"
    }
    if gate not in CATEGORIES:
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(report["finalDisplayedUrl"]))
        stray = [
            f"{request['url']} ({request['statusCode']})"
            for request in audits["network-requests"]["details"]["items"]
            if not request["url"].startswith(origin) or request["statusCode"] >= 400
        ]
        if stray:
            found["network-requests"] = stray
    return found

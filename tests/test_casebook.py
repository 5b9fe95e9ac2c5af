"""The public casebook through the site: every case passes through the API and on the rendered
result page, as the decision contract defines passing (first choice, runner-up, mentions in
the stack or the reasons, nothing forbidden as first choice or in the stack)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from selector.engine.answers import normal, query_pairs
from tests.test_recommend import CASEBOOK


def mentioned(item: str, text: str) -> bool:
    return any(alt.lower() in text.lower() for alt in item.split("|"))


def between(page: str, start: str, end: str) -> str:
    """The text of a page between two of its section ids, tags removed."""
    part = page[page.index(f'id="{start}"') : page.index(f'id="{end}"')]
    return html.unescape(re.sub(r"<[^>]+>", " ", part))


def test_every_case_passes_through_the_api(client):
    for case in CASEBOOK:
        response = client.post("/api/v2/recommendations", json={"answers": case["answers"]})
        assert response.status_code == 200, case["id"]
        got = response.get_json()
        assert got["framework"] in case["first"], case["id"]
        accepted = case["runner_up"]
        assert "any" in accepted or (got["runner_up"] or "none") in accepted, case["id"]
        stack = [part["component"] for part in got["stack"]]
        stack += [outside["tools"] for outside in got["outside"]]
        reasons = [r["text"] for r in got["reasons"]]
        reasons += [got["runner_up_reason"]["text"]] if got["runner_up_reason"] else []
        for item in case.get("must_mention") or []:
            assert mentioned(item, " ".join(stack + reasons)), (case["id"], item)
        for item in case.get("must_not") or []:
            assert got["framework"] != item.lower(), case["id"]
            assert not any(item.lower() in part.lower() for part in stack), (case["id"], item)


def test_every_case_passes_on_its_result_page(client):
    names = {"flask": "Flask", "fastapi": "FastAPI", "django": "Django", "quart": "Quart"}
    for case in CASEBOOK:
        query = urlencode(query_pairs(normal(case["answers"])))
        page = client.get(f"/decide/result?{query}").get_data(as_text=True)
        verdict = between(page, "verdict", "stack")
        assert any(f"Start with {names[f]}" in verdict for f in case["first"]), case["id"]
        second = between(page, "runner-up", "gives-up")
        accepted = case["runner_up"]
        if "any" not in accepted:
            named = [s for s in names if f"Runner-up: {names[s]}" in second]
            assert (named or ["none"])[0] in accepted, case["id"]
        stack = between(page, "stack", "runner-up")
        shown = stack + verdict + second
        for item in case.get("must_mention") or []:
            assert mentioned(item, shown), (case["id"], item)
        components = [
            html.unescape(c) for c in re.findall(r'<a class="component"[^>]*>([^<]*)</a>', page)
        ]
        components += re.findall(r'<li class="outside">([^<]*)</li>', page)
        for item in case.get("must_not") or []:
            assert f"Start with {item}" not in verdict, case["id"]
            assert not any(item.lower() in c.lower() for c in components), (case["id"], item)

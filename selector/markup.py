"""The guide's one Markdown dialect: raw HTML off, typographic quotes, tables.

Parts of the guide are rendered as blocks when content is loaded; the short
texts the engine returns (reasons, trade-offs) are rendered inline on each page,
and kept as Markdown in the decision record.
"""

from __future__ import annotations

import itertools
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.anchors.index import slugify

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "replacements", "smartquotes"]
)


def render_markdown(text: str, anchor_prefix: str = "") -> tuple[str, list[dict[str, str]]]:
    """Render Markdown with raw HTML disabled; give each h3 a stable anchor and return them."""
    env: dict[str, Any] = {}
    tokens = _MARKDOWN.parse(text, env)
    headings: list[dict[str, str]] = []
    for token, inline in itertools.pairwise(tokens):
        if token.type == "heading_open" and token.tag == "h3":
            anchor = f"{anchor_prefix}{slugify(inline.content)}"
            while anchor in {h["id"] for h in headings}:
                anchor += "-more"
            token.attrSet("id", anchor)
            headings.append({"id": anchor, "title": inline.content})
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    # A code block scrolls sideways on a phone; keyboard users must be able to reach it.
    return html.replace("<pre>", '<pre tabindex="0">'), headings


def render_inline(text: str) -> Markup:
    """One line of Markdown (code spans, emphasis, links) as HTML without a paragraph around it."""
    return Markup(_MARKDOWN.renderInline(text))

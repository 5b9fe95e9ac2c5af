"""The guide's one Markdown dialect: raw HTML off, typographic quotes, tables.

Parts of the guide are rendered as blocks when content is loaded; the short
texts the engine returns (reasons, trade-offs) are rendered inline on each page,
and kept as Markdown in the decision record.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.anchors.index import slugify
from pygments.lexers import PythonLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, String, _TokenType

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "replacements", "smartquotes"]
)


def render_markdown(
    text: str,
    anchor_prefix: str = "",
    anchors: list[str] | None = None,
    link_prefix: str = "",
    label: str = "",
) -> tuple[str, list[dict[str, str]]]:
    """Render Markdown with raw HTML disabled; give each h3 a stable anchor and return them.

    A translation passes the original's anchors, which its h3s take in order, so a link to a
    subsection works in every edition; and its edition's prefix, which links within the site
    (/decide) take, so that a reader stays in the edition they are reading. A table's
    scrolling box is named after the heading above it, or label before the first heading.
    """
    env: dict[str, Any] = {}
    tokens = _MARKDOWN.parse(text, env)
    headings: list[dict[str, str]] = []
    placed: list[Token] = []
    title = label
    for token, following in itertools.pairwise([*tokens, Token("end", "", 0)]):
        if token.type == "heading_open" and token.tag == "h3":
            title = following.content
            anchor = _anchor(f"{anchor_prefix}{slugify(title)}", anchors, headings)
            token.attrSet("id", anchor)
            headings.append({"id": anchor, "title": title})
        # A wide table scrolls sideways on its own on a phone, in a region the keyboard reaches
        # and a screen reader names after the heading above it.
        if token.type == "table_open":
            placed.append(_scroll_box(title))
        _prefix_links(token, link_prefix)
        placed.append(token)
        if token.type == "table_close":
            placed.append(_html("</div>"))
    html = _MARKDOWN.renderer.render(placed, _MARKDOWN.options, env)
    # A code block scrolls sideways too; keyboard users must be able to reach it.
    return html.replace("<pre>", '<pre tabindex="0">'), headings


def _anchor(anchor: str, anchors: list[str] | None, headings: list[dict[str, str]]) -> str:
    """The next subheading's anchor: the original's, in a translation; never one already used."""
    if anchors is not None and len(headings) < len(anchors):
        anchor = anchors[len(headings)]
    while anchor in {h["id"] for h in headings}:
        anchor += "-more"
    return anchor


def _scroll_box(title: str) -> Token:
    return _html(
        f'<div class="scroll" role="region" tabindex="0" aria-label="{escape(title)}">'
        if title
        else '<div class="scroll" tabindex="0">'
    )


def _prefix_links(token: Token, link_prefix: str) -> None:
    """Links within the site keep the reader in their edition."""
    for link in token.children or ():
        href = str(link.attrGet("href") or "")
        if link.type == "link_open" and href.startswith("/") and not href.startswith("//"):
            link.attrSet("href", link_prefix + href)


#: The token kinds a code sample colours, each with the class the stylesheet gives a colour in
#: both schemes; other tokens (names, operators, punctuation) stay plain text, which keeps the
#: markup small and needs no inline style under the Content-Security-Policy.
_COLOURED = (
    (Comment, "c"),
    (String, "s"),
    (Keyword, "k"),
    (Operator.Word, "k"),
    (Number, "m"),
    (Name.Function, "f"),
    (Name.Decorator, "f"),
    (Name.Class, "t"),
    (Name.Builtin, "t"),
    (Name.Exception, "t"),
)
_PYTHON = PythonLexer()


def _colour(kind: _TokenType) -> str | None:
    return next((css for parent, css in _COLOURED if kind in parent), None)


def highlight_python(code: str) -> str:
    """Python source as escaped text with coloured spans; the page wraps it in pre and code."""
    runs: list[tuple[str | None, str]] = []
    for kind, text in _PYTHON.get_tokens(code):
        css = _colour(kind)
        if runs and runs[-1][0] == css:
            runs[-1] = (css, runs[-1][1] + text)
        else:
            runs.append((css, text))
    # Quotes need no escaping between tags; leaving them as they are keeps the page small.
    return "".join(
        f'<span class="{css}">{html.escape(text, quote=False)}</span>'
        if css
        else html.escape(text, quote=False)
        for css, text in runs
    ).removesuffix("\n")


def _html(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content + "\n"
    return token


def render_inline(text: str) -> Markup:
    """One line of Markdown (code spans, emphasis, links) as HTML without a paragraph around it."""
    return Markup(_MARKDOWN.renderInline(text))

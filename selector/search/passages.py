"""What is searchable: an edition's content as passages of plain text.

A guide part gives a passage for its text before the first subheading and one for each
subsection (an h3 with an id), so that a hit leads to the place it is read; a framework page,
a scenario and a sample task give one each, and each framework's code for a task one more.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from typing import NamedTuple

from selector.content.markup import render_inline
from selector.content.snapshot import Snapshot

#: Marks the index puts around a matched word; no passage holds them (_clean takes them out).
START, STOP = "\x02", "\x03"
#: Elements that begin a new run of text: a space goes between them, never inside a line of
#: text (Japanese puts none around code or a link).
BLOCKS = frozenset(["p", "li", "tr", "td", "th", "pre", "h4", "dt", "dd", "br", "div"])


class Passage(NamedTuple):
    kind: str
    slug: str
    #: The fragment of the page where the passage is read, or "" for the top of the page.
    anchor: str
    title: str
    #: What the passage belongs to, shown beside its title ("Security", "Flask"); "" for a page.
    context: str
    body: str


class _Passages(HTMLParser):
    """Plain text of rendered HTML, cut where an h3 with an id begins a new passage."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.passages: list[tuple[str, str, list[str]]] = [("", "", [])]
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        anchor = dict(attrs).get("id")
        if tag == "h3" and anchor:
            self.passages.append((anchor, "", []))
            self._heading = anchor
        elif tag in BLOCKS:
            self.passages[-1][2].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._heading = None

    def handle_data(self, data: str) -> None:
        anchor, title, words = self.passages[-1]
        if self._heading is not None:
            self.passages[-1] = (anchor, title + data, words)
        else:
            words.append(data)


def _clean(value: str) -> str:
    return " ".join(value.replace(START, " ").replace(STOP, " ").split())


def _parsed(html: str) -> list[tuple[str, str, list[str]]]:
    parser = _Passages()
    parser.feed(html)
    parser.close()
    return parser.passages


def plain(html: str) -> str:
    """The text of some rendered HTML (headings of subsections aside), white space collapsed."""
    return _clean(" ".join("".join(words) for _, _, words in _parsed(html)))


def _sections(html: str) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) for the text before the first h3 and under each h3."""
    return [(a, _clean(t), _clean("".join(w))) for a, t, w in _parsed(html)]


def _inline(values: Sequence[str]) -> str:
    return " ".join(plain(render_inline(value)) for value in values)


def _passage(kind: str, slug: str, anchor: str, title: str, context: str, body: str) -> Passage:
    return Passage(kind, slug, anchor, _clean(title), context, _clean(body))


def passages(content: Snapshot) -> Iterator[Passage]:
    """Every searchable passage of an edition's content, in page order."""
    names = {f.slug: f.name for f in content.frameworks}
    yield from _parts(content)
    yield from _frameworks(content)
    yield from _scenarios(content)
    for task in content.tasks:
        yield _passage("sample", task.slug, "", task.title, "", plain(task.summary_html))
        for sample in task.samples:
            slug = sample.framework.slug
            code = " ".join(file["text"] for file in sample.files)
            body = f"{plain(sample.note_html)} {code}"
            yield _passage(
                "sample", task.slug, f"{task.slug}-{slug}", task.title, names[slug], body
            )


def _parts(content: Snapshot) -> Iterator[Passage]:
    for section in content.sections:
        for anchor, heading, body in _sections(section.body_html):
            if anchor:
                yield _passage("part", section.slug, anchor, heading, section.title, body)
            else:
                lead = f"{_inline([section.summary])} {body}"
                yield _passage("part", section.slug, "", section.title, "", lead)


def _frameworks(content: Snapshot) -> Iterator[Passage]:
    # A framework's page shows its column of the comparison table: its cells are its words too.
    cells: dict[str, list[str]] = {f.slug: [] for f in content.frameworks}
    for aspect in content.aspects:
        for value in aspect.values:
            cells[value.framework.slug].append(f"{aspect.name}: {value.text}")
    for f in content.frameworks:
        features = [f"{x['area']} {x['detail']} {x['addon']}" for x in f.features]
        body = " ".join(
            [
                _inline([f.tagline]),
                plain(f.summary_html),
                _inline([*features, *f.strengths, *f.weaknesses, *f.fits]),
                _inline(cells[f.slug]),
                _inline([f.version_note]),
            ]
        )
        yield _passage("framework", f.slug, "", f.name, "", body)


def _scenarios(content: Snapshot) -> Iterator[Passage]:
    for s in content.scenarios:
        body = " ".join(
            [
                _inline([s.situation, s.reason]),
                plain(s.why_html),
                _inline([s.runner_up_when, *s.gives_up]),
            ]
        )
        yield _passage("scenario", s.slug, "", s.title, "", body)

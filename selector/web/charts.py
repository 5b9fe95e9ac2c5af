"""Bar charts drawn on the server: the geometry a template needs to write an SVG, nothing else.

Every chart is drawn beside a table of the same figures, so the numbers a chart labels are
the table's own and a reader without sight or without images loses nothing.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: The drawing's coordinate system (the SVG viewBox); it scales to the page's width, up to
#: a width the stylesheet caps so that its text keeps the size of the page's text. Each
#: label stands above its bar, so a phone's narrow screen keeps the text readable.
WIDTH = 400
VALUE_WIDTH = 60
#: About the width of a character of the chart's text, in viewBox units; a Japanese
#: character (East Asian wide) takes two.
CHAR_WIDTH = 8
#: A longer label is cut at a word and ends with "…"; the table beside has it whole.
LABEL_CHARS = WIDTH // CHAR_WIDTH - 2
LABEL_HEIGHT = 18
BAR_HEIGHT = 18
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 8


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    #: The top of the bar and its length, in viewBox units; the label stands above it.
    y: int
    length: float
    height: int = BAR_HEIGHT

    @property
    def label_y(self) -> int:
        """The label's baseline, just above the bar."""
        return self.y - 5

    @property
    def value_x(self) -> float:
        """The figure stands just past the bar's end."""
        return self.length + 6

    @property
    def value_y(self) -> int:
        return self.y + self.height - 4


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars)

    @property
    def width(self) -> int:
        return WIDTH


def columns(text: str) -> int:
    """How many CHAR_WIDTHs text takes: two for each wide character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fitted(label: str, room: int = LABEL_CHARS) -> str:
    """A label cut to room: at a word where it has spaces, else at a character, with "…"."""
    if columns(label) <= room:
        return label
    if " " in label:
        cut = textwrap.shorten(label, room, placeholder="…")
        if columns(cut) <= room:
            return cut
    while columns(label) > room - 1:
        label = label[:-1]
    return label.rstrip() + "…"


def bar_chart(title: str, rows: Sequence[tuple[str, float, str]]) -> BarChart:
    """Horizontal bars, one per (label, value, value as shown), scaled to the largest value."""
    largest = max((value for _, value, _ in rows), default=0) or 1
    # The longest figure must fit past the longest bar, whatever its length.
    longest = max((columns(text) for _, _, text in rows), default=0)
    room = WIDTH - max(VALUE_WIDTH, CHAR_WIDTH * longest + 10)
    return BarChart(
        title,
        [
            Bar(
                fitted(label),
                text,
                n * ROW_HEIGHT + LABEL_HEIGHT,
                room * value / largest,
            )
            for n, (label, value, text) in enumerate(rows)
        ],
    )

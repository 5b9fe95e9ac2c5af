"""Bar charts drawn on the server: the geometry a template needs to write an SVG, nothing else.

Every chart is drawn beside a table of the same figures, so the numbers a chart labels are
the table's own and a reader without sight or without images loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: The drawing's coordinate system (the SVG viewBox); it scales to the page's width.
WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 80
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    #: Where the bar starts and how long it is, in viewBox units.
    x: int
    y: int
    length: float


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4

    @property
    def width(self) -> int:
        return WIDTH


def bar_chart(title: str, rows: Sequence[tuple[str, float, str]]) -> BarChart:
    """Horizontal bars, one per (label, value, value as shown), scaled to the largest value."""
    largest = max((value for _, value, _ in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    return BarChart(
        title,
        [
            Bar(label, value, text, LABEL_WIDTH, n * ROW_HEIGHT + 2, room * value / largest)
            for n, (label, value, text) in enumerate(rows)
        ],
    )

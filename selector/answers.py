"""The decision contract's answer vocabulary: keys, allowed values, which are required.

These keys and values appear in permalinks people share, so they never change
meaning. The wording shown to readers lives in content (questions.yaml); the
loader checks that it covers exactly this vocabulary.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

YES_NO = ("yes", "no")

#: key -> allowed values, in the order the questions are asked.
ANSWERS: dict[str, tuple[str, ...]] = {
    "batteries": YES_NO,
    "async_or_typed": YES_NO,
    "assemble": YES_NO,
    "workload": (
        "json_api",
        "realtime",
        "web_app",
        "ml_api",
        "microservices",
        "internal_system",
    ),
    "existing": ("none", "flask", "sqlalchemy", "django"),
    "design_owner": YES_NO,
}

REQUIRED: tuple[str, ...] = ("batteries", "async_or_typed", "assemble")


def every_combination() -> Iterator[dict[str, str]]:
    """Every possible set of answers: each required answer, each optional one given or left out."""
    optional = [key for key in ANSWERS if key not in REQUIRED]
    keys = [*REQUIRED, *optional]
    choices = [ANSWERS[key] for key in REQUIRED] + [(None, *ANSWERS[key]) for key in optional]
    for values in itertools.product(*choices):
        yield {key: value for key, value in zip(keys, values, strict=True) if value is not None}

"""The decision contract's answer vocabulary: keys, allowed values, which are required.

These keys and values appear in permalinks people share, so they never change
meaning. The wording shown to readers lives in content (questions.yaml); the
loader checks that it covers exactly this vocabulary.
"""

from __future__ import annotations

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

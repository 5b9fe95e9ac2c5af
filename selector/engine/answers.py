"""The decision contract's answer vocabulary (version 3), and how version-2 answers map onto it.

These keys and values appear in permalinks people share, so they never change meaning. The
wording shown to readers lives in content (questions.yaml); the loader checks that it covers
exactly this vocabulary. Answers are a mapping of key to a value (single-valued keys) or to a
tuple of values in the table's order (multi-valued keys).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

VERSION = 3
FRAMEWORKS = ("flask", "fastapi", "django", "quart")

#: key -> allowed values, in the order the questions are asked and permalinks list them.
ANSWERS: dict[str, tuple[str, ...]] = {
    "starting_point": ("new", *FRAMEWORKS, "other"),
    "clients": ("pages", "spa", "services"),
    "needs": (
        "admin",
        "accounts",
        "relational",
        "typed_contract",
        "realtime",
        "streaming",
        "background_jobs",
        "high_concurrency",
        "ml_inference",
        "editorial",
    ),
    "team_skills": ("flask", "django", "fastapi", "async", "none"),
    "team_size": ("solo", "small", "large"),
    "structure": ("conventions", "assemble"),
    "design_owner": ("yes", "no"),
}
REQUIRED: tuple[str, ...] = ("starting_point", "clients")
#: Keys that take one or more values; the others take one.
MULTI: tuple[str, ...] = ("clients", "needs", "team_skills")
#: A skill that can only be given alone.
NO_SKILLS = "none"

Value = str | tuple[str, ...]
Answers = Mapping[str, Value]


def values_of(answers: Answers, key: str) -> tuple[str, ...]:
    """The values given for a key, as a tuple whatever its kind (empty when not given)."""
    given = answers.get(key)
    if given is None:
        return ()
    return given if isinstance(given, tuple) else (given,)


def has(answers: Answers, key: str, value: str) -> bool:
    return value in values_of(answers, key)


def normal(answers: Mapping[str, object]) -> dict[str, Value]:
    """Answers in the contract's order, multi-valued ones as tuples in the table's value
    order, empty ones left out."""
    result: dict[str, Value] = {}
    for key, allowed in ANSWERS.items():
        given = answers.get(key)
        if given is None or given == () or given == []:
            continue
        if key in MULTI:
            chosen = set(given if isinstance(given, list | tuple) else [given])
            result[key] = tuple(value for value in allowed if value in chosen)
        else:
            result[key] = str(given)
    return result


def as_lists(answers: Answers) -> dict[str, str | list[str]]:
    """Answers as JSON and forms hold them: a multi-valued answer as a list."""
    return {key: list(v) if isinstance(v, tuple) else v for key, v in answers.items()}


def query_pairs(answers: Answers) -> list[tuple[str, str]]:
    """The canonical query of a result permalink: keys in the table's order, each value of a
    multi-valued key as its own parameter, in the table's value order."""
    return [(key, value) for key in ANSWERS for value in values_of(normal(answers), key)]


# Version 2: three yes/no questions and three optional ones. Its permalinks keep working.
V2_ANSWERS: dict[str, tuple[str, ...]] = {
    "batteries": ("yes", "no"),
    "async_or_typed": ("yes", "no"),
    "assemble": ("yes", "no"),
    "workload": (
        "json_api",
        "realtime",
        "web_app",
        "ml_api",
        "microservices",
        "internal_system",
    ),
    "existing": ("none", "flask", "sqlalchemy", "django"),
    "design_owner": ("yes", "no"),
}
V2_REQUIRED: tuple[str, ...] = ("batteries", "async_or_typed", "assemble")
_V2_STARTING_POINT = {"flask": "flask", "django": "django", "sqlalchemy": "other", "none": "new"}
_V2_CLIENTS = {
    "web_app": "pages",
    "internal_system": "pages",
    "json_api": "services",
    "ml_api": "services",
    "microservices": "services",
    "realtime": "spa",
}


def from_v2(old: Mapping[str, str]) -> dict[str, Value]:
    """Version-2 answers carried over to version 3, as the contract's mapping table says."""
    workload = old.get("workload")
    needs: list[str] = []
    if old.get("batteries") == "yes":
        needs += ["admin", "accounts", "relational"]
    if old.get("async_or_typed") == "yes":
        needs.append("realtime" if workload == "realtime" else "typed_contract")
    if workload == "ml_api":
        needs.append("ml_inference")
    mapped: dict[str, object] = {
        "starting_point": _V2_STARTING_POINT[old.get("existing", "none")],
        "clients": [_V2_CLIENTS.get(workload or "web_app", "pages")],
        "needs": needs,
    }
    if "assemble" in old:
        mapped["structure"] = "assemble" if old["assemble"] == "yes" else "conventions"
    if "design_owner" in old:
        mapped["design_owner"] = old["design_owner"]
    return normal(mapped)


def every_v2_combination() -> Iterator[dict[str, str]]:
    """Every version-2 answer set a permalink could carry: the 840 of the old contract."""
    optional = [key for key in V2_ANSWERS if key not in V2_REQUIRED]
    keys = [*V2_REQUIRED, *optional]
    choices = [V2_ANSWERS[key] for key in V2_REQUIRED] + [
        (None, *V2_ANSWERS[key]) for key in optional
    ]
    for values in itertools.product(*choices):
        yield {key: value for key, value in zip(keys, values, strict=True) if value is not None}

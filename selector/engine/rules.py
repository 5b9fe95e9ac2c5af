"""The recommendation's rules, as data: what each answer weighs for each framework.

recommend.py applies them; the guide's part "How the answers decide" prints them; the words of
each (what a reader is told when a rule moves a framework) are in content/rules.yaml under
"<rule>.<framework>". No rule names a situation: each is one answer, or two answers that only
mean something together, and what it says holds wherever those answers are given.

Beside these, the coverage table in content (aspects.yaml, the rows with a `need`) says how
each framework provides each need: built in, an official add-on, a third-party package, or
not at all, and POINTS says what each of those is worth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: What a need is worth to a framework by how the framework provides it. "none" is more than
#: a low mark: a framework that cannot carry a need is neither extended nor a runner-up.
POINTS: Mapping[str, float] = {"built-in": 3, "official": 2.5, "third-party": 1.5, "none": -8}

#: Extending the application the work starts from, when its framework carries every need and
#: the team knows it (or named no skills); and when the team knows other frameworks only.
EXTEND = 8.0
EXTEND_UNFAMILIAR = 3.0
#: What a team must know to count as knowing a framework: Quart is Flask's API on asyncio.
FAMILIAR: Mapping[str, tuple[str, ...]] = {
    "flask": ("flask",),
    "django": ("django",),
    "fastapi": ("fastapi",),
    "quart": ("flask", "async"),
}
#: Moving to the nearest framework, when the starting one cannot carry a need.
MOVE = 5.0
#: How far code moves between two frameworks: 1 keeps routes, blueprints and templates; 2 keeps
#: the data layer and the habits of a micro-framework; anything else (3) is a rewrite.
NEAR = 1
DISTANCE: Mapping[tuple[str, str], int] = {
    ("flask", "quart"): NEAR,
    ("quart", "flask"): NEAR,
    ("flask", "fastapi"): 2,
    ("fastapi", "flask"): 2,
    ("quart", "fastapi"): 2,
    ("fastapi", "quart"): 2,
}
FAR = 3

Answer = tuple[str, str]


@dataclass(frozen=True)
class Rule:
    """When every answer in `when` was given, each framework in `points` gains (or loses) that
    much; a rule with no points only tells the reader something."""

    key: str
    when: tuple[Answer, ...]
    points: Mapping[str, float]


RULES: tuple[Rule, ...] = (
    Rule("ecosystem", (), {"quart": -3}),
    Rule(
        "clients-pages",
        (("clients", "pages"),),
        {"django": 2, "flask": 1.5, "quart": 1.5, "fastapi": -2},
    ),
    Rule("clients-spa", (("clients", "spa"),), {"fastapi": 1.5}),
    Rule(
        "clients-services",
        (("clients", "services"),),
        {"fastapi": 2, "flask": 1, "quart": 1, "django": -2},
    ),
    Rule("async-core-realtime", (("needs", "realtime"),), {"fastapi": 2, "quart": 2}),
    Rule("async-core-streaming", (("needs", "streaming"),), {"fastapi": 2, "quart": 2}),
    Rule("async-core-concurrency", (("needs", "high_concurrency"),), {"fastapi": 2, "quart": 2}),
    Rule("skills-flask", (("team_skills", "flask"),), {"flask": 3, "quart": 1.5}),
    Rule("skills-django", (("team_skills", "django"),), {"django": 3}),
    Rule("skills-fastapi", (("team_skills", "fastapi"),), {"fastapi": 3}),
    Rule("skills-async", (("team_skills", "async"),), {"fastapi": 1.5, "quart": 1.5}),
    Rule("skills-none", (("team_skills", "none"),), {}),
    Rule("solo-flask", (("team_size", "solo"), ("team_skills", "flask")), {"flask": 1.5}),
    Rule("solo-django", (("team_size", "solo"), ("team_skills", "django")), {"django": 1.5}),
    Rule("solo-fastapi", (("team_size", "solo"), ("team_skills", "fastapi")), {"fastapi": 1.5}),
    Rule("size-small", (("team_size", "small"),), {"flask": 0.5, "quart": 0.5}),
    Rule("size-large", (("team_size", "large"),), {"django": 1, "flask": -1}),
    Rule("conventions", (("structure", "conventions"),), {"django": 3, "flask": -2, "quart": -2}),
    Rule(
        "assemble",
        (("structure", "assemble"),),
        {"flask": 2, "fastapi": 1, "quart": 1, "django": -2},
    ),
    Rule("owner-yes", (("design_owner", "yes"),), {"flask": 0.5, "quart": 0.5}),
    Rule("owner-no", (("design_owner", "no"),), {"django": 2.5, "flask": -1, "quart": -1}),
    Rule(
        "beside-other",
        (("starting_point", "other"), ("clients", "services")),
        {"fastapi": 1, "django": -1},
    ),
)

"""The engine's decision model, as validated content gives it."""

from __future__ import annotations

from selector.content.records import Content
from selector.engine.recommend import DecisionModel


def decision_model(content: Content) -> DecisionModel:
    """What the engine reads from validated content files: the frameworks in page order and
    the coverage table."""
    return DecisionModel(
        frameworks=[f["slug"] for f in sorted(content.frameworks, key=lambda f: f["order"])],
        coverage={r["need"]: dict(r["provided"]) for r in content.aspects if r["need"]},
        outside={r["need"]: r["outside"] for r in content.aspects if r["need"] and r["outside"]},
        outside_with={r["need"]: r["outside_with"] for r in content.aspects if r["outside_with"]},
    )

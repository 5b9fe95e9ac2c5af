"""Writing a load: validated content replaces the loaded content in one transaction, only
when the files' digest differs from the loaded one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from selector.content import editions, records
from selector.content.history import record_changes
from selector.content.records import Content
from selector.language import DEFAULT
from selector.models import (
    Aspect,
    AspectValue,
    BenchmarkRun,
    ContentItem,
    ContentRevision,
    Framework,
    Question,
    Sample,
    SampleTask,
    Scenario,
    ScenarioAlias,
    Section,
    Wording,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def loaded_digest(session: Session) -> str | None:
    return session.scalar(select(ContentRevision.digest))


#: The content's tables, each before any it refers to: the order a load empties them in.
_TABLES = (
    BenchmarkRun,
    Sample,
    SampleTask,
    ScenarioAlias,
    Scenario,
    AspectValue,
    Aspect,
    Section,
    Question,
    Framework,
    Wording,
)


class Items(NamedTuple):
    """The content as rows to write, in page order."""

    frameworks: list[Framework]
    aspects: list[Aspect]
    sections: list[Section]
    scenarios: list[Scenario]
    questions: list[Question]
    tasks: list[SampleTask]


def _items(content: Content) -> Items:
    """The rows of content: English ones to write, or an edition's, whose words are kept."""
    frameworks = {r.slug: _framework(r) for r in content.frameworks}
    return Items(
        list(frameworks.values()),
        [_aspect(position, r, frameworks) for position, r in enumerate(content.aspects)],
        [_section(position, r) for position, r in enumerate(content.sections)],
        [_scenario(r, frameworks) for r in content.scenarios],
        [_question(position, r) for position, r in enumerate(content.questions)],
        [_task(r, frameworks) for r in content.tasks],
    )


def _json(records: Iterable[DataclassInstance]) -> list[dict[str, Any]]:
    """Records as a JSON column holds them."""
    return [asdict(record) for record in records]


def _framework(r: records.Framework) -> Framework:
    return Framework(
        slug=r.slug,
        name=r.name,
        position=r.order,
        tagline=r.tagline,
        summary_html=r.summary_html,
        version=r.version.current,
        version_released=r.version.released,
        version_checked=r.version.checked,
        min_python=r.version.min_python,
        version_note=r.version.note,
        licence=r.licence,
        maintainer=r.maintainer,
        release_model=r.release_model,
        best_for=r.best_for,
        think_twice=r.think_twice,
        features=_json(r.features),
        strengths=list(r.strengths),
        weaknesses=list(r.weaknesses),
        fits=list(r.fits),
        sources=_json(r.sources),
    )


def _aspect(position: int, r: records.Aspect, frameworks: dict[str, Framework]) -> Aspect:
    return Aspect(
        slug=r.slug,
        name=r.name,
        position=position,
        values=[
            AspectValue(
                framework=frameworks[slug],
                text=text,
                provided=(r.provided or {}).get(slug),
                component=(r.components or {}).get(slug),
            )
            for slug, text in r.values.items()
        ],
        need=r.need,
        outside=r.outside,
        outside_with=None if r.outside_with is None else list(r.outside_with),
    )


def _section(position: int, r: records.Section) -> Section:
    return Section(
        slug=r.slug,
        title=r.title,
        position=position,
        summary=r.summary,
        include=r.include,
        framework_slug=r.framework,
        standalone=r.standalone,
        checked=r.checked,
        sources=_json(r.sources),
        charts=_json(r.charts),
        body_html=r.body_html,
        headings=[dict(heading) for heading in r.headings],
    )


def _scenario(r: records.Scenario, frameworks: dict[str, Framework]) -> Scenario:
    return Scenario(
        slug=r.slug,
        title=r.title,
        position=r.order,
        situation=r.situation,
        first=frameworks[r.first],
        runner_up=frameworks[r.runner_up] if r.runner_up else None,
        reason=r.reason,
        why_html=r.why_html,
        runner_up_when=r.runner_up_when,
        gives_up=list(r.gives_up),
        preset=dict(r.preset),
        related=list(r.related),
        section=r.section,
        updated=r.updated,
        closing_position=r.closing.order if r.closing else None,
        closing_note=r.closing.note if r.closing else None,
        aliases=[ScenarioAlias(slug=alias) for alias in r.aliases],
    )


def _question(position: int, r: records.Question) -> Question:
    return Question(
        key=r.key,
        position=position,
        required=r.required,
        short=r.short,
        prompt=r.prompt,
        help=r.help,
        choices=_json(r.choices),
    )


def _task(r: records.SampleTask, frameworks: dict[str, Framework]) -> SampleTask:
    return SampleTask(
        slug=r.slug,
        title=r.title,
        position=r.order,
        summary_html=r.summary_html,
        samples=[
            Sample(
                framework=frameworks[slug],
                position=frameworks[slug].position,
                files=_json(sample.files),
                addons=_json(sample.addons),
                note_html=sample.note_html,
                ran_on=sample.run.ran,
                ran_python=sample.run.python,
                ran_packages=dict(sample.run.packages),
            )
            for slug, sample in r.samples.items()
        ],
    )


def write_content(session: Session, content: Content) -> bool:
    """Replace the loaded content in one transaction; return False when it was already loaded."""
    editions_loaded = editions.edition_count(session) == 1 + len(content.editions)
    if loaded_digest(session) == content.digest and editions_loaded:
        if session.scalar(select(ContentItem.slug).limit(1)) is None:
            # Loaded before the change history existed: remember the items as they are.
            record_changes(session, content, dt.datetime.now(dt.UTC))
        session.commit()
        return False
    try:
        record_changes(session, content, dt.datetime.now(dt.UTC))
        for model in _TABLES:
            session.execute(delete(model))
        session.execute(delete(ContentRevision))
        _add(session, content)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return True


def _add(session: Session, content: Content) -> None:
    """Add the rows of content and of its editions' words to the session."""
    items = _items(content)
    session.add_all([item for part in items for item in part])
    for lang, edition in content.editions.items():
        session.add_all(editions.wording_rows(lang, *_items(edition)))
    session.add_all(
        editions.rule_rows(
            {DEFAULT: content.rules} | {lang: e.rules for lang, e in content.editions.items()}
        )
    )
    if content.benchmark is not None:
        results = _json(content.benchmark.results)
        session.add(BenchmarkRun(**{**asdict(content.benchmark), "results": results}))
    session.add(ContentRevision(digest=content.digest))

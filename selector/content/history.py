"""The change history: what each content load changed, item by item.

An item is what a reader follows: a framework, a scenario, a guide part, a sample task, the
comparison table, the decision questions. Each load compares every item's fields (as hashes)
with what the previous load left and records one change per item that differs, with the
item's own `changes:` note when it has a new one, otherwise the names of the fields that
changed. A load of files already loaded records nothing (the loader does not write at all).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from selector.extensions import db
from selector.language import gettext as _
from selector.models import ContentChange, ContentItem, LoadedRevision

if TYPE_CHECKING:
    from selector.content.records import Content, SampleTask

#: How the pages name each kind of item.
KINDS = {
    "framework": _l("Framework"),
    "scenario": _l("Scenario"),
    "part": _l("Guide part"),
    "sample": _l("Code sample"),
    "comparison": _l("Comparison"),
    "questions": _l("Decision form"),
}
#: The notes a load writes itself. They are stored in English, whatever edition is read, and
#: said in the reader's language when shown (`note`); an item's own `changes:` note is content.
ADDED = "Added."
REMOVED = "Removed."
CHANGED = "Changed: "
#: How a change note names each field of an item; a field not here is named as it is stored.
FIELD_NAMES = {
    "name": _l("name"),
    "slug": _l("address"),
    "tagline": _l("tagline"),
    "summary": _l("summary"),
    "version": _l("version"),
    "licence": _l("licence"),
    "maintainer": _l("maintainer"),
    "release model": _l("release model"),
    "best for": _l("best for"),
    "think twice": _l("think twice"),
    "features": _l("features"),
    "strengths": _l("strengths"),
    "weaknesses": _l("weaknesses"),
    "fits": _l("fits"),
    "sources": _l("sources"),
    "title": _l("title"),
    "situation": _l("situation"),
    "first": _l("first choice"),
    "runner up": _l("runner-up"),
    "reason": _l("reason"),
    "why": _l("explanation"),
    "runner up when": _l("when the runner-up wins"),
    "gives up": _l("what it gives up"),
    "preset": _l("answers"),
    "related": _l("related scenarios"),
    "section": _l("guide part"),
    "updated": _l("date"),
    "aliases": _l("old addresses"),
    "closing": _l("closing note"),
    "include": _l("what follows the text"),
    "framework": _l("framework"),
    "standalone": _l("page of its own"),
    "body": _l("text"),
    "headings": _l("subheadings"),
    "lead": _l("file read first"),
    "code": _l("code"),
    "note": _l("note"),
    "last run": _l("last test run"),
}
#: The fields of each framework's code for a sample task, named "<framework> <field>".
SAMPLE_FIELDS = ("code", "note", "last run")
#: The titles a load gives the items that are not content files (stored in English too).
COMPARISON = "The comparison table"
QUESTIONS = "The decision questions"

#: Bookkeeping, not content: never a reason to record a change. A new checked-on date or
#: run date says the same facts were confirmed, not that they changed. (`file` was `_file`
#: when records were dicts; either way it is never hashed, so the hashes stay as they were.
#: A source's `lang` only says how pages label it, and came after the hashes were taken.)
_IGNORED = {"file", "changes", "order", "checked", "ran", "lang"}
#: How many characters of the digest a permalink carries as its `rev`.
SHORT = 12


@dataclass(frozen=True)
class Item:
    kind: str
    slug: str
    title: str
    #: field name -> a hash of its value
    fields: dict[str, str]
    note: str | None = None


def _hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    """value without its bookkeeping keys, at any depth (a framework's version block)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in _IGNORED}
    return value


def _fields(record: Mapping[str, Any]) -> dict[str, str]:
    """A record's fields by name (as dataclasses.asdict gives them); a rendered field
    (body_html) stands for its source."""
    return {
        key.removesuffix("_html"): _hash(_plain(value))
        for key, value in record.items()
        if key not in _IGNORED
        and not (key.endswith("_html") and key.removesuffix("_html") in record)
    }


def items(content: Content) -> list[Item]:
    """Every item of validated content, with a hash of each of its fields."""
    found = [
        *(
            Item("framework", r.slug, r.name, _fields(asdict(r)), r.changes)
            for r in content.frameworks
        ),
        *(
            Item("scenario", r.slug, r.title, _fields(asdict(r)), r.changes)
            for r in content.scenarios
        ),
        *(Item("part", r.slug, r.title, _fields(asdict(r)), r.changes) for r in content.sections),
        *(_sample_item(task) for task in content.tasks),
    ]
    if content.aspects:
        # A row's classification counts only where it has one, so unclassified rows keep
        # the hash they had before classifications existed.
        aspects = {
            r.slug: _hash([r.name, r.values, *([r.provided] if r.provided else [])])
            for r in content.aspects
        }
        found.append(Item("comparison", "comparison", COMPARISON, aspects))
    if content.questions:
        questions = {r.key: _hash(asdict(r)) for r in content.questions}
        found.append(Item("questions", "questions", QUESTIONS, questions))
    return found


def _sample_item(task: SampleTask) -> Item:
    """A sample task, with each framework's code, note and last run as fields of their own."""
    fields = _fields({k: v for k, v in asdict(task).items() if k != "samples"})
    for slug, sample in task.samples.items():
        code_field, note_field, run_field = (f"{slug} {f}" for f in SAMPLE_FIELDS)
        fields[code_field] = _hash([f.text for f in sample.files])
        fields[note_field] = _hash([[asdict(a) for a in sample.addons], sample.note_html])
        fields[run_field] = _hash(_plain(asdict(sample.run)))
    return Item("sample", task.slug, task.title, fields, task.changes)


def _note(item: Item, before: ContentItem | None) -> str | None:
    """What changed in item since before, in words; None when nothing did."""
    if before is None:
        return item.note or ADDED
    changed = _changed(item.fields, before.fields)
    if not changed:
        return None
    if item.note and item.note != before.note:
        return item.note
    return f"{CHANGED}{', '.join(name.replace('_', ' ') for name in changed)}."


def _changed(now: dict[str, str], before: dict[str, str]) -> list[str]:
    """The fields whose hash differs, then those no longer there."""
    return [name for name, value in now.items() if before.get(name) != value] + [
        name for name in before if name not in now
    ]


def note(text: str) -> str:
    """A change's note in the reader's language: the notes a load writes (ADDED, REMOVED,
    CHANGED and the fields' names) are translated; any other is the item's own, shown as written."""
    if text == ADDED:
        return _("Added.")
    if text == REMOVED:
        return _("Removed.")
    if text.startswith(CHANGED) and text.endswith("."):
        names = text.removeprefix(CHANGED).removesuffix(".").split(", ")
        return _("Changed: %(fields)s.", fields=_(", ").join(map(_field, names)))
    return text


def _field(name: str) -> str:
    """A field's name in the reader's language; a sample's ("flask code") keeps its framework."""
    if name in FIELD_NAMES:
        return str(FIELD_NAMES[name])
    for field in SAMPLE_FIELDS:
        if name.endswith(f" {field}"):
            framework, words = name.removesuffix(f" {field}"), str(FIELD_NAMES[field])
            return _("%(name)s: %(text)s", name=framework, text=words)
    return name


def title(text: str) -> str:
    """A changed item's title in the reader's language, where the load gave it (COMPARISON,
    QUESTIONS); any other is the item's own title, shown as it was stored."""
    if text == COMPARISON:
        return _("The comparison table")
    if text == QUESTIONS:
        return _("The decision questions")
    return text


def record_changes(session: Session, content: Content, now: dt.datetime) -> None:
    """Inside the load's transaction: record what changed, and remember the items and revision."""
    before = {(i.kind, i.slug): i for i in session.scalars(select(ContentItem))}
    # Revisions are known but no items: a database from before the history began. The items
    # are remembered from here on; telling every one as "Added." would be untrue.
    silent = not before and session.scalar(select(LoadedRevision.digest).limit(1)) is not None
    after = items(content)
    notes = [(item, _note(item, before.pop((item.kind, item.slug), None))) for item in after]
    notes += [(Item(i.kind, i.slug, i.title, {}), REMOVED) for i in before.values()]
    if silent:
        notes = []
    session.add_all(
        ContentChange(
            uid=str(uuid.uuid4()),
            revision=content.digest,
            recorded_at=now,
            kind=item.kind,
            slug=item.slug,
            title=item.title,
            note=note,
        )
        for item, note in notes
        if note is not None
    )
    session.execute(delete(ContentItem))
    session.add_all(
        ContentItem(kind=i.kind, slug=i.slug, title=i.title, fields=i.fields, note=i.note)
        for i in after
    )
    # Loaded again later (a revert), a revision counts from its latest load.
    session.merge(
        LoadedRevision(digest=content.digest, short=content.digest[:SHORT], loaded_at=now)
    )


#: The page and each feed show this many changes, newest first.
RECENT = 200


def recent(kind: str | None = None, slug: str | None = None) -> list[ContentChange]:
    query = select(ContentChange).order_by(
        ContentChange.recorded_at.desc(), ContentChange.id.desc()
    )
    if kind is not None:
        query = query.where(ContentChange.kind == kind, ContentChange.slug == slug)
    return list(db.session.scalars(query.limit(RECENT)))


def since(rev: str) -> list[ContentChange] | None:
    """The changes recorded after the revision a permalink names, newest first, or None for
    one this site never loaded."""
    loaded_at = db.session.scalar(
        select(LoadedRevision.loaded_at).where(LoadedRevision.short == rev)
    )
    if loaded_at is None:
        return None
    query = select(ContentChange).where(ContentChange.recorded_at > loaded_at)
    newest_first = (ContentChange.recorded_at.desc(), ContentChange.id.desc())
    return list(db.session.scalars(query.order_by(*newest_first)))

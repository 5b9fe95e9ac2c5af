"""The change history: recorded per item by each content load, listed on /changes, published
as Atom feeds, and told to a reader who opens a permalink made on an older revision."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import feedparser
import pytest
from sqlalchemy import func, select

from selector.content.read import read_content
from selector.extensions import db
from selector.models import ContentChange
from tests.conftest import load_content
from tests.content_tools import append, copy_content, edit

ATOM = "{http://www.w3.org/2005/Atom}"
ANSWERS = {"starting_point": "new", "clients": ["spa"], "needs": ["typed_contract"]}
RESULT = "/decide/result?starting_point=new&clients=spa&needs=typed_contract"


def changes(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(ContentChange).order_by(ContentChange.id))
        return [(c.kind, c.slug, c.note) for c in rows]


@pytest.fixture
def history(empty_app, tmp_path):
    """The packaged content loaded, then a copy of it to change and load."""
    load_content(empty_app)
    root = copy_content(tmp_path / "content")
    return empty_app, root


def test_the_first_load_adds_every_item_and_a_second_load_records_nothing(history):
    app, _ = history
    first = changes(app)
    kinds = {kind for kind, _, _ in first}
    assert kinds == {"framework", "scenario", "part", "sample", "comparison", "questions"}
    # Each item is added, in the words of its own `changes:` note where its file has one.
    content = read_content()
    own = {
        (kind, record.slug): record.changes
        for kind, records in (
            ("framework", content.frameworks),
            ("scenario", content.scenarios),
            ("part", content.sections),
            ("sample", content.tasks),
        )
        for record in records
        if record.changes
    }
    assert [note for _, _, note in first] == [
        own.get((kind, slug), "Added.") for kind, slug, _ in first
    ]
    assert "Added." in {note for _, _, note in first}
    load_content(app)
    assert changes(app) == first


def test_a_change_names_the_fields_that_changed(history):
    app, root = history
    append(root, "frameworks/flask.yaml", "strengths", "Small and stable.")
    load_content(app, root)
    assert changes(app)[-1] == ("framework", "flask", "Changed: strengths.")


def test_the_files_own_note_is_used_once(history):
    app, root = history
    edit(
        root / "scenarios" / "json-api.yaml",
        lambda d: d.update(reason=d["reason"] + " Still.", changes="Reason reworded."),
    )
    load_content(app, root)
    assert changes(app)[-1] == ("scenario", "json-api", "Reason reworded.")
    # The same note on a later, different change is not told again.
    edit(root / "scenarios" / "json-api.yaml", lambda d: d.update(title=d["title"] + "!"))
    load_content(app, root)
    assert changes(app)[-1] == ("scenario", "json-api", "Changed: title.")


def test_a_removed_item_is_recorded(history):
    app, root = history
    shutil.rmtree(root / "samples" / "endpoint-test")
    shutil.rmtree(root / "ja" / "samples" / "endpoint-test")
    load_content(app, root)
    assert changes(app)[-1] == ("sample", "endpoint-test", "Removed.")


def test_the_changes_page_lists_newest_first(history):
    app, root = history
    append(root, "frameworks/quart.yaml", "fits", "A Flask team.")
    load_content(app, root)
    page = app.test_client().get("/changes").get_data(as_text=True)
    assert page.index("Changed: fits.") < page.index("Added.")
    assert '<a href="/frameworks/quart">Quart</a>: Changed: fits.' in page


def parsed(app, path: str):
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return response, feedparser.parse(response.data), ET.fromstring(response.data)


def test_the_site_feed_is_valid_atom(history):
    app, root = history
    append(root, "frameworks/django.yaml", "fits", "A newsroom.")
    load_content(app, root)
    response, feed, tree = parsed(app, "/changes.atom")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    # The format's required elements: the feed's id, title, updated and an author; each
    # entry's id, title and updated.
    for name in ("id", "title", "updated", "author"):
        assert tree.find(f"{ATOM}{name}") is not None, name
    entries = tree.findall(f"{ATOM}entry")
    assert len(entries) == len(changes(app))
    for entry in entries:
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    assert feed.entries[0].title == "Django: Changed: fits."
    assert feed.entries[0].link.endswith("/frameworks/django")
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)
    # Cached like a content page.
    etag = response.headers["ETag"]
    assert (
        app.test_client().get("/changes.atom", headers={"If-None-Match": etag}).status_code == 304
    )


def test_entry_ids_stay_the_same_from_load_to_load(history):
    app, root = history
    before = {e.id for e in parsed(app, "/changes.atom")[1].entries}
    append(root, "frameworks/flask.yaml", "fits", "A CLI tool's web UI.")
    load_content(app, root)
    after = {e.id for e in parsed(app, "/changes.atom")[1].entries}
    assert before < after and len(after - before) == 1


def test_a_framework_feed_has_that_framework_only_and_its_page_links_it(history):
    app, root = history
    append(root, "frameworks/fastapi.yaml", "fits", "An ML model API.")
    append(root, "frameworks/quart.yaml", "fits", "A chat backend.")
    load_content(app, root)
    _, feed, _ = parsed(app, "/frameworks/fastapi/changes.atom")
    assert [e.title for e in feed.entries] == ["FastAPI: Changed: fits.", "FastAPI: Added."]
    page = app.test_client().get("/frameworks/fastapi").get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="What changed about FastAPI" '
        'href="/frameworks/fastapi/changes.atom">' in page
    )
    assert 'href="/changes.atom"' in page
    scenario = parsed(app, "/scenarios/json-api/changes.atom")[1]
    title = next(s.title for s in read_content().scenarios if s.slug == "json-api")
    assert [e.title for e in scenario.entries] == [f"{title}: Added."]
    assert app.test_client().get("/frameworks/bottle/changes.atom").status_code == 404


def test_an_old_permalink_says_what_changed_since(history):
    app, root = history
    client = app.test_client()
    old_rev = read_content().digest[:12]
    posted = client.post("/decide", data=ANSWERS)
    permalink = posted.headers["Location"]
    assert permalink == f"{RESULT}&rev={old_rev}"
    assert "has changed since this link was made" not in client.get(permalink).get_data(
        as_text=True
    )

    append(root, "frameworks/fastapi.yaml", "fits", "An ML model API.")
    load_content(app, root)
    page = client.get(permalink).get_data(as_text=True)
    assert "The guide has changed since this link was made" in page
    assert f"(on revision <code>{old_rev}</code>)" in page
    assert '<a href="/frameworks/fastapi">FastAPI</a>: Changed: fits.' in page
    assert '<a href="/changes">Everything that changed</a>' in page
    # The notice stands above the result.
    assert page.index("has changed since") < page.index("<h1 ")
    # Made today, the same answers carry today's revision and no notice.
    today = client.post("/decide", data=ANSWERS).headers["Location"]
    assert today == f"{RESULT}&rev={read_content(root).digest[:12]}"
    assert "has changed since" not in client.get(today).get_data(as_text=True)


@pytest.mark.parametrize("rev", ["0123456789ab", "..%2Fetc", "ABCDEF123456"])
def test_a_rev_this_site_never_loaded_is_dropped(client, rev):
    response = client.get(f"{RESULT}&rev={rev}")
    assert response.status_code == 301
    assert response.headers["Location"] == RESULT


def test_loading_the_same_items_again_records_nothing(history):
    app, root = history
    path = root / "frameworks" / "flask.yaml"
    path.write_text(path.read_text() + "# a comment changes the files, not the items\n")
    before = changes(app)
    load_content(app, root)
    assert changes(app) == before


def test_a_new_checked_on_date_alone_is_not_a_change(history):
    app, root = history
    edit(root / "frameworks" / "django.yaml", lambda d: d["version"].update(checked="2026-12-31"))
    before = changes(app)
    load_content(app, root)
    assert changes(app) == before


def test_going_back_to_earlier_files_shows_the_whole_history(history):
    app, root = history
    client = app.test_client()
    assert "Changed: fits." not in client.get("/changes").get_data(as_text=True)
    append(root, "frameworks/flask.yaml", "fits", "A weekend project.")
    load_content(app, root)
    load_content(app)  # the packaged files again: the same digest as at first
    page = client.get("/changes").get_data(as_text=True)
    assert page.count("Flask</a>: Changed: fits.") == 2


def test_the_decision_record_names_the_revision_it_is_written_on(history):
    app, root = history
    client = app.test_client()
    old = read_content().digest[:12]
    append(root, "frameworks/flask.yaml", "fits", "An internal tool.")
    load_content(app, root)
    new = read_content(root).digest[:12]
    query = RESULT.split("?")[1]
    record = client.get(f"/decide/result.md?{query}&rev={old}").get_data(as_text=True)
    assert f"- Guide revision: {new}" in record
    assert f"&rev={new}" in record and old not in record


def test_a_renamed_comparison_row_is_one_change_of_the_table(history):
    app, root = history
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(ContentChange))
    edit(root / "aspects.yaml", lambda d: d[0].update(name=d[0]["name"] + " (renamed)"))
    load_content(app, root)
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(ContentChange))
    assert after == before + 1
    assert changes(app)[-1][:2] == ("comparison", "comparison")

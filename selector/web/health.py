"""Blueprint: probes for load balancers and orchestrators."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import Blueprint, jsonify
from flask.wrappers import Response
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from selector.content.editions import edition_count
from selector.extensions import db, migrate
from selector.language import LANGUAGES
from selector.models import ContentRevision

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive and answering."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """The database answers, its schema is at the latest migration and content is loaded, in
    every edition."""
    checks = {"database": False, "schema": False, "content": False}
    head = ScriptDirectory.from_config(migrate.get_config()).get_current_head()
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = True
        checks["schema"] = (
            db.session.scalar(text("SELECT version_num FROM alembic_version")) == head
        )
        checks["content"] = db.session.scalar(
            select(ContentRevision.digest)
        ) is not None and edition_count(db.session) == len(LANGUAGES)
    except SQLAlchemyError:
        db.session.rollback()
    ready = all(checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503

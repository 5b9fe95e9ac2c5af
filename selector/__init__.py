"""selector: a server-rendered guide that helps a Python team choose its web framework."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from selector.extensions import csrf, db, migrate


def database_url(url: str) -> str:
    """Point the conventional postgres:// and postgresql:// URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def create_app(
    test_config: Mapping[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """Build the application: defaults, instance/config.py, FLASK_* and DATABASE_URL, then test_config."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY="dev",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'selector.sqlite'}",
        CONTENT_DIR=str(Path(__file__).parent / "content"),
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if "DATABASE_URL" in os.environ:
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])

    db.init_app(app)
    # Batch mode lets later migrations alter columns on SQLite too.
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent.parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)

    from selector import api, article, cli, decide, errors, http, matrix, site

    app.register_blueprint(article.bp)
    app.register_blueprint(matrix.bp)
    app.register_blueprint(decide.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(site.bp)
    errors.register(app)
    http.register(app)
    cli.register(app)
    return app

"""selector: a server-rendered guide that helps a Python team choose its web framework."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from selector.content.markup import render_inline
from selector.edge.middleware import Edge
from selector.extensions import cache, csrf, db, limiter, migrate
from selector.settings import defaults, derived, production_problems


def database_url(url: str) -> str:
    """Point the conventional postgres:// and postgresql:// URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _sqlite_pragmas(connection: Any, record: Any) -> None:
    # WAL lets readers work while one worker writes; the timeout makes writers queue, not fail.
    # In WAL mode, NORMAL syncs at checkpoints rather than at every commit: the database stays
    # intact through a power cut, which may lose only the last decisions stored.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_app(
    test_config: Mapping[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """Build the application: defaults, instance/config.py, FLASK_* and the conventional
    DATABASE_URL and REDIS_URL, then test_config (or the production entry point's settings)."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    for name, key in (("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"), ("REDIS_URL", "REDIS_URL")):
        if name in os.environ:
            app.config[key] = os.environ[name]
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.update(derived(app.config))
    if app.config["PRODUCTION"] and (problems := production_problems(app.config)):
        raise RuntimeError("refusing to start in production: " + "; ".join(problems))

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
    # Batch mode lets later migrations alter columns on SQLite too.
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent.parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)

    from selector import cli, language
    from selector.content import freshness
    from selector.edge import serving
    from selector.web import (
        about,
        api,
        article,
        changes,
        decide,
        errors,
        explained,
        health,
        matrix,
        samples,
        search,
        site,
        stats,
        urls,
    )

    app.add_template_filter(render_inline, "inline_markdown")
    language.register(app)
    explained.register(app)
    urls.register(app)
    changes.register(app)
    freshness.register(app)
    search.register(app)
    serving.register(app)
    app.register_blueprint(article.bp)
    app.register_blueprint(matrix.bp)
    app.register_blueprint(samples.bp)
    app.register_blueprint(changes.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(stats.bp)
    app.register_blueprint(decide.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(site.bp)
    app.register_blueprint(about.bp)
    app.register_blueprint(health.bp)
    errors.register(app)
    cli.register(app)
    # Every response, stored or rendered, leaves through the edge.
    app.wsgi_app = Edge(app)  # type: ignore[method-assign]
    if count := app.config["PROXY_COUNT"]:
        # Outermost, so that every layer sees the scheme and host the client used.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    return app

from __future__ import annotations

from selector import create_app, database_url


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'selector.sqlite'}"
    assert not app.testing


def test_instance_config_overrides_defaults(tmp_path):
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\n")
    assert create_app(instance_path=str(tmp_path)).config["SECRET_KEY"] == "from-instance"


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\n")
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env")
    assert create_app(instance_path=str(tmp_path)).config["SECRET_KEY"] == "from-env"


def test_database_url_selects_postgresql_with_psycopg(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://guide@db.internal/selector")
    app = create_app(instance_path=str(tmp_path))
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://guide@db.internal/selector"
    )


def test_test_config_comes_last(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env")
    app = create_app({"SECRET_KEY": "from-test", "TESTING": True}, instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-test"
    assert app.testing


def test_database_url_leaves_other_urls_alone():
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url("postgresql+psycopg://h/d") == "postgresql+psycopg://h/d"

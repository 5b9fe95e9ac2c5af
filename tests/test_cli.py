from __future__ import annotations

import shutil

from sqlalchemy import func, select

from selector.content.paths import DEFAULT_DIR
from selector.extensions import db
from selector.models import Framework


def test_load_then_load_again_changes_nothing(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["content", "load"])
    assert first.exit_code == 0, first.output
    assert "content loaded" in first.output
    second = runner.invoke(args=["content", "load"])
    assert second.exit_code == 0
    assert "content unchanged" in second.output


def test_bad_file_fails_names_file_and_field_and_writes_nothing(empty_app, tmp_path):
    content = shutil.copytree(DEFAULT_DIR, tmp_path / "content")
    path = content / "scenarios/json-api.yaml"
    path.write_text(path.read_text().replace("first: fastapi", "first: rails"))
    result = empty_app.test_cli_runner().invoke(args=["content", "load", "--dir", str(content)])
    assert result.exit_code == 1
    assert "scenarios/json-api.yaml: first: no framework 'rails'" in result.output
    assert "nothing was changed" in result.output
    with empty_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Framework)) == 0


def test_check_validates_without_writing(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0
    assert "content valid: 4 frameworks" in result.output
    with empty_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Framework)) == 0

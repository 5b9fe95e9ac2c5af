"""The in-process cost of a stored page: the edge's hit path, without a server or a socket.

Usage: .venv/bin/python bench/hit.py [--calls 20000]

Builds a throwaway SQLite database with the content, asks once for each page so
that it is stored, then times that many further calls of the WSGI app and prints
microseconds per call. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import flask_migrate

from selector import create_app
from selector.content import snapshot
from selector.content.read import read_content
from selector.content.write import write_content
from selector.extensions import db

#: The guide, and a version-3 result permalink in the contract's order (a stored page: any other
#: order would be a 301).
PAGES = [
    ("/guide", ""),
    ("/decide/result", "starting_point=new&clients=spa&needs=accounts&needs=relational"),
]


def environ(path: str, query: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20_000)
    calls = parser.parse_args().calls
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'hit.sqlite'}"})
        with app.app_context():
            flask_migrate.upgrade()
            write_content(db.session(), read_content())
        # After the migrations: Alembic's logging setup turns every existing logger back on.
        logging.getLogger("selector.access").disabled = True
        # The revision read once stays trusted, as it does between loads in production.
        snapshot.LOCAL_SECONDS = 3600

        def ignore(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            return None

        for path, query in PAGES:
            list(app.wsgi_app(environ(path, query), ignore))
            started = time.perf_counter()
            for _ in range(calls):
                list(app.wsgi_app(environ(path, query), ignore))
            each = (time.perf_counter() - started) / calls * 1e6
            print(f"{path}{'?' + query if query else ''}: {each:.1f} µs per stored page")


if __name__ == "__main__":
    main()

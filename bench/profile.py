#!/usr/bin/env python3
"""Profile one kind of request in process with pyinstrument, to see where its time goes.

    python bench/profile.py [--case guide-miss|guide-miss-gzip|result-miss|form-post]
                            [--count 1500]

Builds a fresh SQLite database with the content loaded, as bench/run.py does, then
calls the production app directly (no server, no network) and prints the call tree.
result-miss turns through the canonical permalinks of distinct version-3 answer sets (the
seeded sample bench/run.py measures), so that every request renders; form-post posts
version-3 answers with a real CSRF token.
Needs pyinstrument: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
from pathlib import Path

from pyinstrument import Profiler
from werkzeug.test import EnvironBuilder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ANSWERS, ROOT, permalinks, prepared_site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--case",
        choices=["guide-miss", "guide-miss-gzip", "result-miss", "form-post"],
        default="guide-miss-gzip",
    )
    parser.add_argument("--count", type=int, default=1500)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="selector-profile-"))
    os.environ.update(prepared_site(f"sqlite:///{work / 'profile.sqlite'}"))
    sys.path.insert(0, str(ROOT))
    from selector.edge.page_cache import store
    from selector.extensions import cache
    from wsgi import app

    logging.getLogger("selector.access").disabled = True
    base = "http://127.0.0.1"  # a trusted host in prepared_site()
    headers = {"Accept-Encoding": "gzip"} if args.case == "guide-miss-gzip" else {}

    def miss(number: int) -> None:
        # Parameters the view does not read no longer make a page of their own, so the guide
        # is forgotten before each request (this process's store and the shared cache: the
        # frame `forget` in the tree, a small part of it).
        forget()
        environ = EnvironBuilder(path="/guide", base_url=base, headers=headers).get_environ()
        b"".join(app(environ, lambda status, headers, exc_info=None: None))

    def forget() -> None:
        pages = store(app).pages
        with app.app_context():
            for key in list(pages):
                cache.delete(key)
        pages.clear()

    def result(number: int) -> None:
        path, query = links[number % len(links)].split("?", 1)
        environ = EnvironBuilder(path=path, base_url=base, query_string=query).get_environ()
        statuses = []
        b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        assert statuses[0].startswith("200"), (statuses, query)

    def post(number: int) -> None:
        response = client.post(
            "/decide",
            base_url=base,
            data=f"csrf_token={token}&{ANSWERS}",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 303

    if args.case == "form-post":
        client = app.test_client()
        page = client.get("/decide", base_url=base).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    # One more than the count, so that the first (untimed) request is not asked again.
    links = permalinks(args.count + 1)
    request = {"form-post": post, "result-miss": result}.get(args.case, miss)
    request(-1)
    profiler = Profiler(interval=0.0001)
    with profiler:
        for number in range(args.count):
            request(number)
    print(profiler.output_text(color=False, unicode=False))


if __name__ == "__main__":
    main()

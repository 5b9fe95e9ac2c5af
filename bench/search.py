#!/usr/bin/env python3
"""Search misses in process: the CPU time a search that renders costs, without a server.

    python bench/search.py [--count 300] [--repeats 3]

Builds a fresh SQLite database with the content loaded, as bench/run.py does, then calls
the production app directly for the searches bench/run.py's miss cases turn through (words
of the content that find passages, misspellings of them that find nothing, Japanese words),
emptying the page store before each request so that every one renders. Prints the CPU
milliseconds per request (process time: other processes on a shared machine weigh on it less
than on wall time), the median and the spread of the repeats; the first search of each
edition, which builds what a worker keeps per content revision, is timed on its own first.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from werkzeug.test import EnvironBuilder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, japanese_words, prepared_site, search_words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="searches of each kind")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="selector-search-"))
    database_url = f"sqlite:///{work / 'search.sqlite'}"
    os.environ.update(prepared_site(database_url))
    sys.path.insert(0, str(ROOT))
    from selector.edge.page_cache import store
    from wsgi import app

    logging.getLogger("selector.access").disabled = True
    found, misspelt = search_words(database_url)
    kinds = {
        "finds passages": ["/search?q=" + quote(word) for word in found[: args.count]],
        "finds nothing (a suggestion looked for)": [
            "/search?q=" + quote(word) for word in misspelt[: args.count]
        ],
        "Japanese": [
            "/ja/search?q=" + quote(word) for word in japanese_words(database_url)[: args.count]
        ],
    }

    def ask(link: str) -> None:
        store(app).free_text.clear()
        path, query = link.split("?", 1)
        environ = EnvironBuilder(
            path=path, base_url="http://127.0.0.1", query_string=query
        ).get_environ()
        statuses: list[str] = []
        b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        assert statuses[0].startswith("200"), (statuses, link)

    for first in ("/search?q=websockets", "/ja/search?q=%E9%9D%9E%E5%90%8C%E6%9C%9F"):
        started, cpu = time.perf_counter(), time.process_time()
        ask(first)
        print(
            f"first search of the edition ({first}): {time.process_time() - cpu:.3f} s CPU, "
            f"{time.perf_counter() - started:.3f} s"
        )
    for kind, links in kinds.items():
        each = []
        for _ in range(args.repeats):
            cpu = time.process_time()
            for link in links:
                ask(link)
            each.append((time.process_time() - cpu) / len(links) * 1000)
        print(
            f"{kind}, {len(links)} distinct searches, {args.repeats} repeats: "
            f"median {statistics.median(each):.2f} ms CPU a search "
            f"(repeats {', '.join(f'{ms:.2f}' for ms in each)})"
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Measure selector against the framework floor on loopback, with wrk.

    python bench/run.py [--seconds 5] [--nginx] [--server gunicorn|granian] [--case TEXT ...]

For each server, gunicorn (sync workers) and granian (--blocking-threads 1, as
in the Procfile), it starts the site (SQLite, content loaded, 2 workers) and a
floor app (a Flask view returning constant bytes the size of the guide) with the
same server settings, then runs wrk against each case, each interleaved with a
floor run, and prints requests/s, p50, p99 and the ratio to the floor measured
just before, with cold start and one-connection latency. Cache misses turn through
distinct pages a worker does not hold: result permalinks of 3,000 distinct
version-3 answer sets (a fixed seeded sample, bench/engine.py's answer_sets(),
each checked to answer 200 without a redirect), and searches for the content's
most frequent words (and for misspellings of them that find nothing, looked up in
the site's own index first). Then the two servers side by side, and the result
page's cache miss as a ratio of each server's floor. With --nginx it puts nginx
proxy_cache in front of the site and compares the guide with nginx serving the
same bytes as a static file. Load goes to 127.0.0.1 only and every run is bounded
in time.

A short run: --server picks one server, and --case (repeatable) keeps only the
cases whose name contains that text, e.g. the result page alone on gunicorn:

    python bench/run.py --server gunicorn --case "result permalink" --seconds 5
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from urllib.parse import quote, urlencode

from flask import Flask

from selector import create_app
from selector.content.snapshot import content
from selector.engine.answers import query_pairs
from selector.extensions import db
from selector.language import DEFAULT
from selector.search.index import index
from selector.search.passages import passages
from selector.search.query import STOP_WORDS, terms

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine import answer_sets

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: A version-3 answer set, as the form posts it and a result permalink lists it.
ANSWERS = "starting_point=flask&clients=pages&clients=spa&needs=realtime&needs=high_concurrency"
RESULT = f"/decide/result?{ANSWERS}"
#: The same answers as the JSON API takes them.
API_BODY = (
    '{"answers": {"starting_point": "flask", "clients": ["pages", "spa"], '
    '"needs": ["realtime", "high_concurrency"]}}'
)
SEARCH = "/search?q=websockets"
#: Distinct result permalinks the miss cases turn through: far more than the 256 pages each of
#: the 2 workers keeps. Version 3 has no finite list of answer sets to walk, as version 2's 840
#: were; a fixed seeded sample stands in, the same on every run.
PERMALINKS = 3000
#: The result page's cache miss, the row the summary under each server's table reports.
MISS = f"result permalink, cache miss ({PERMALINKS:,} v3 answer sets in turn)"
#: Distinct searches each miss case turns through: more than twice the 256 pages a worker keeps,
#: so that neither of the 2 workers holds a query again by the time it comes round.
SEARCHES = 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: The two servers compared; granian's flags are the Procfile's that bear on speed.
SERVERS = ("gunicorn", "granian")


def server_command(kind: str, target: str, port: int, workers: int) -> list[str]:
    if kind == "gunicorn":
        return [
            str(BIN / "gunicorn"),
            "-w",
            str(workers),
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ]
    return [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--workers",
        str(workers),
        "--blocking-threads",
        "1",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        target,
    ]


@contextmanager
def serve(
    kind: str, target: str, env: dict[str, str], cwd: Path, workers: int = 2
) -> Iterator[tuple[str, float]]:
    """Start a server; yield its base URL and the seconds from start to its first answer."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        server_command(kind, target, port, workers),
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{kind} {target} did not start") from None
                time.sleep(0.005)
        yield base, time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    url: str,
    seconds: int,
    connections: int = 16,
    script: Path | None = None,
    headers: tuple[str, ...] = (),
    cpus: str | None = None,
) -> dict[str, float]:
    """wrk's figures for one URL; `cpus` pins wrk to those CPUs (taskset's list)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


@functools.cache
def _site(database_url: str) -> Flask:
    """The site in this process, to look queries up in the index a worker builds."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url})


@functools.cache
def search_words(database_url: str, count: int = SEARCHES) -> tuple[list[str], list[str]]:
    """Queries readers could type, looked up in the site's own index: the content's most
    frequent words that find passages, and misspellings of them that find nothing (each of
    those makes the page look for a suggestion)."""
    with _site(database_url).app_context():
        english = index(DEFAULT)
        known = english.vocabulary
        common = [
            word
            for word, _ in known.most_common()
            if word.isascii() and word.isalpha() and word not in STOP_WORDS
        ]
        misspelt = []
        for word in common:
            if len(word) >= 5:
                middle = len(word) // 2
                wrong = word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]
                if wrong not in known:
                    misspelt.append(wrong)
        found = [word for word in common[: count * 2] if english.find(terms(word)).total]
        nothing = [
            word
            for word in dict.fromkeys(misspelt[: count * 2])
            if not english.find(terms(word)).total
        ]
        db.engine.dispose()
    return found[:count], nothing[:count]


@functools.cache
def japanese_words(database_url: str, count: int = SEARCHES) -> list[str]:
    """Japanese queries readers could type: the Japanese edition's most frequent runs of
    katakana (three or more) and of kanji (two or more), each of which finds passages."""
    words: Counter[str] = Counter()
    with _site(database_url).app_context():
        for passage in passages(content("ja")):
            text = f"{passage.title} {passage.body}"
            words.update(re.findall(r"[\u30a0-\u30ff]{3,}|[\u4e00-\u9fff]{2,}", text))
        japanese = index("ja")
        found = [
            word
            for word, _ in words.most_common(count * 2)
            if japanese.find(terms(word, "ja")).total
        ]
        db.engine.dispose()
    return found[:count]


def rotation(paths: list[str]) -> str:
    """A wrk script that asks for each path in turn."""
    links = ", ".join(f'"{path}"' for path in paths)
    return (
        f"local links = {{{links}}}\nlocal n = 0\n"
        "request = function()\n"
        "  n = n % #links + 1\n"
        "  return wrk.format(nil, links[n])\n"
        "end\n"
    )


def permalinks(count: int = PERMALINKS) -> list[str]:
    """Canonical version-3 result permalinks of distinct answer sets, keys and values in the
    contract's order (any other order would answer 301, not the page)."""
    return [f"/decide/result?{urlencode(query_pairs(a))}" for a in answer_sets(count)]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def check_pages(site: str, paths: list[str]) -> None:
    """Each page answers 200 itself: a 301 (a permalink out of canonical order) or an error
    page would be measured as a page of the site without wrk saying so."""
    opener = urllib.request.build_opener(_NoRedirect)
    for path in paths:
        try:
            with opener.open(site + path, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{path} answered {status}, not 200")


def lua_scripts(folder: Path, token: str, cookie: str, database_url: str) -> dict[str, Path]:
    # Junk parameters do not miss the page cache (its keys hold only what a view reads), so a
    # miss is made the way readers make one: another set of answers, each of a fixed sample
    # in turn, more than the 256 pages a worker keeps.
    # Searches likewise: each distinct query is a page of its own.
    found, misspelt = search_words(database_url)
    scripts = {
        "answers": rotation(permalinks()),
        "search": rotation([f"/search?q={quote(word)}" for word in found]),
        "search-nothing": rotation([f"/search?q={quote(word)}" for word in misspelt]),
        "search-ja": rotation(
            [f"/ja/search?q={quote(word)}" for word in japanese_words(database_url)]
        ),
        "form": f'wrk.method = "POST"\nwrk.body = "csrf_token={token}&{ANSWERS}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n',
        "api": f"wrk.method = \"POST\"\nwrk.body = '{API_BODY}'\n"
        'wrk.headers["Content-Type"] = "application/json"\n',
    }
    paths = {}
    for name, text in scripts.items():
        paths[name] = folder / f"{name}.lua"
        paths[name].write_text(text)
    return paths


def form_token(base: str) -> tuple[str, str]:
    with urllib.request.urlopen(base + "/decide") as response:
        page = response.read().decode()
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return token, cookie


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, Message]:
    """The body and the headers (looked up without regard to case: granian sends lower case)."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as response:
        return response.read(), response.headers


def row(name: str, result: dict[str, float], floor: dict[str, float] | None) -> str:
    ratio = f"{result['rps'] / floor['rps']:.2f}" if floor else "1.00"
    flags = f" ({result['errors']} non-2xx/3xx)" if result["errors"] else ""
    return (
        f"| {name} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} "
        f"| {ratio}{flags} |"
    )


def prepared_site(database_url: str) -> dict[str, str]:
    """Migrate and load content into the database; return the environment to serve it with.

    Production settings, with the rate limits (POSTs, searches, result pages that miss the
    store) raised out of the way of the load; each request still passes the limiter.
    """
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FLASK_SECRET_KEY": "b" * 48,
        "FLASK_TRUSTED_HOSTS": '["127.0.0.1"]',
        "FLASK_SERVER_NAME": "127.0.0.1",
        "FLASK_FORCE_HTTPS": "false",
        "FLASK_POST_RATE_LIMIT": "100000000 per minute",
        "FLASK_SEARCH_RATE_LIMIT": "100000000 per minute",
        "FLASK_RESULT_RATE_LIMIT": "100000000 per minute",
    }
    env.pop("REDIS_URL", None)
    for step in (["db", "upgrade"], ["content", "load"]):
        subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *step],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


def cases(
    site: str, scripts: dict[str, Path], etag: str, database_url: str
) -> list[tuple[str, str, dict]]:
    answers = {"script": scripts["answers"]}
    found, misspelt = search_words(database_url)
    japanese = japanese_words(database_url)
    gzip = ("Accept-Encoding: gzip",)
    return [
        ("home, cached", site + "/", {}),
        ("guide, cached", site + "/guide", {}),
        ("guide, cached, gzip", site + "/guide", {"headers": gzip}),
        ("framework page, cached", site + "/frameworks/flask", {}),
        ("compare, cached", site + "/compare?f=flask&f=django", {}),
        ("matrix, cached", site + "/scenarios", {}),
        ("scenario, cached", site + "/scenarios/realtime-io", {}),
        ("sitemap, cached", site + "/sitemap.xml", {}),
        ("guide, 304", site + "/guide", {"headers": (f"If-None-Match: {etag}",)}),
        ("result permalink, cached", site + RESULT, {}),
        (MISS, site + RESULT, answers),
        ("result permalink, cache miss, gzip", site + RESULT, {**answers, "headers": gzip}),
        ("search, cached (websockets)", site + SEARCH, {}),
        (
            f"search, cache miss ({len(found):,} words of the content in turn)",
            site + SEARCH,
            {"script": scripts["search"]},
        ),
        (
            f"search, cache miss, nothing found ({len(misspelt):,} misspelt words in turn)",
            site + SEARCH,
            {"script": scripts["search-nothing"]},
        ),
        ("guide (Japanese), cached", site + "/ja/guide", {}),
        (
            f"search (Japanese), cache miss ({len(japanese):,} words in turn)",
            site + "/ja/search?q=%E9%9D%9E%E5%90%8C%E6%9C%9F",
            {"script": scripts["search-ja"]},
        ),
        ("form POST with CSRF, one insert", site + "/decide", {"script": scripts["form"]}),
        ("API POST (v2)", site + "/api/v2/recommendations", {"script": scripts["api"]}),
    ]


def measure(
    kind: str, env: dict[str, str], work: Path, seconds: int, only: list[str] | None = None
) -> tuple[list[str], dict]:
    """Every case on one server (or those whose name holds one of `only`), each right after
    a floor run on the same server settings."""
    lines = [
        f"### {kind}",
        "",
        "| case | requests/s | p50 ms | p99 ms | ratio to floor |",
        "|---|---:|---:|---:|---:|",
    ]
    with serve(kind, "wsgi:app", env, ROOT) as (site, cold_start):
        guide, headers = fetch(site + "/guide")
        floor_env = {**env, "FLOOR_BYTES": str(len(guide))}
        with serve(kind, "floor:app", floor_env, ROOT / "bench") as (floor_url, _):
            scripts = lua_scripts(work, *form_token(site), env["DATABASE_URL"])
            lines.append(row("floor (constant bytes)", wrk(floor_url + "/", seconds), None))
            rates, ratios, checked = {}, {}, False
            for name, url, options in cases(site, scripts, headers["ETag"], env["DATABASE_URL"]):
                if only and not any(text in name for text in only):
                    continue
                if url == site + RESULT and not checked:
                    check_pages(site, [RESULT, *permalinks()])
                    checked = True
                floor = wrk(floor_url + "/", seconds)
                result = wrk(url, seconds, **options)
                rates[name] = result["rps"]
                ratios[name] = result["rps"] / floor["rps"]
                lines.append(row(name, result, floor))
            single = wrk(site + "/guide", seconds, connections=1)
            single_floor = wrk(floor_url + "/", seconds, connections=1)
    lines.append("")
    if MISS in ratios:
        lines.append(
            f"Result page, cache miss: {ratios[MISS]:.2f} of the floor "
            f"({rates[MISS]:,.0f} requests/s)."
        )
    lines += [
        f"Guide, cached, one connection: p50 {single['p50']:.2f} ms, p99 {single['p99']:.2f} ms "
        f"(p99/p50 {single['p99'] / single['p50']:.1f}); floor p50 {single_floor['p50']:.2f} ms, "
        f"p99 {single_floor['p99']:.2f} ms.",
        f"Cold start (process start to first response): {cold_start:.2f} s.",
        "",
    ]
    return lines, rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--nginx", action="store_true", help="also measure behind nginx proxy_cache"
    )
    parser.add_argument("--server", choices=SERVERS, help="one server only (default: both)")
    parser.add_argument(
        "--case",
        action="append",
        metavar="TEXT",
        help="only the cases whose name contains TEXT (repeatable; default: every case)",
    )
    args = parser.parse_args()
    for tool in ("wrk", *(["nginx"] if args.nginx else [])):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install {tool}")

    work = Path(tempfile.mkdtemp(prefix="selector-bench-"))
    env = prepared_site(f"sqlite:///{work / 'bench.sqlite'}")
    lines, rates = [], {}
    servers = [args.server] if args.server else SERVERS
    for kind in servers:
        table, rates[kind] = measure(kind, env, work, args.seconds, args.case)
        lines += table
    if len(servers) == 2:
        lines += [
            "### granian against gunicorn",
            "",
            "| case | gunicorn requests/s | granian requests/s | granian / gunicorn |",
            "|---|---:|---:|---:|",
            *(
                f"| {name} | {rates['gunicorn'][name]:,.0f} | {rates['granian'][name]:,.0f} "
                f"| {rates['granian'][name] / rates['gunicorn'][name]:.2f} |"
                for name in rates["gunicorn"]
            ),
        ]
    if args.nginx:
        lines += ["", *behind_nginx(env, work, args.seconds)]
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)


def behind_nginx(env: dict[str, str], work: Path, seconds: int) -> list[str]:
    with serve("granian", "wsgi:app", env, ROOT) as (site, _):
        static = work / "static"
        static.mkdir()
        (static / "guide.html").write_bytes(fetch(site + "/guide")[0])
        work.chmod(0o755)
        port = free_port()
        conf = work / "nginx.conf"
        conf.write_text(f"""
worker_processes 1;
daemon off;
user root;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{}}
http {{
  access_log off;
  proxy_cache_path {work}/cache keys_zone=site:10m;
  server {{
    listen 127.0.0.1:{port};
    location /static-copy/ {{ alias {static}/; }}
    location / {{
      proxy_pass {site};
      proxy_set_header Host 127.0.0.1;
      proxy_cache site;
    }}
  }}
}}
""")
        nginx = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            base = f"http://127.0.0.1:{port}"
            fetch(base + "/guide")
            static_result = wrk(base + "/static-copy/guide.html", seconds)
            proxied = wrk(base + "/guide", seconds)
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)
    return [
        "| behind nginx proxy_cache | requests/s | p50 ms | p99 ms | ratio to nginx static |",
        "|---|---:|---:|---:|---:|",
        row("nginx, static file of the guide's size", static_result, None),
        row("guide through nginx proxy_cache", proxied, static_result),
    ]


if __name__ == "__main__":
    main()

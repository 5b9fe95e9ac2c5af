#!/usr/bin/env python3
"""Serve the same two code samples from each framework and measure them with wrk on loopback.

    python bench/frameworks.py [--rounds 3] [--seconds 10] [--connections 32]

The tasks are the guide's own samples, unchanged: `json-endpoint` (GET /hello) and
`database-row` (GET /items/1 from SQLite, after its table is made and one POST). Each framework runs
under its usual production server with the same number of workers: gunicorn (sync workers)
for Flask and Django, Uvicorn (uvloop, httptools) for FastAPI, Quart and Django's ASGI
handler. The samples' own environment is used (the newest Python on the machine, the
pinned packages; see selector/sample_env.py). Rounds are interleaved, every series once per
round, each round starting one series later, so a slow spell of the machine touches all of
them; the medians are printed
and written to selector/content/files/benchmarks.yaml, which the guide's "Measured speed" part
shows after `flask content load`. Load goes to 127.0.0.1 only; every run is bounded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from run import free_port, wrk

from selector import create_app
from selector.content import sample_env
from selector.content.paths import DEFAULT_DIR

SAMPLES = DEFAULT_DIR / "samples"
OUTPUT = DEFAULT_DIR / "benchmarks.yaml"
TASKS = {"json-endpoint": "/hello", "database-row": "/items/1"}
#: Django's samples expose its WSGI handler as `app`; the ASGI one is built beside them.
ASGI_SHIM = "import app  # noqa: F401\nfrom django.core.asgi import get_asgi_application\n"
ASGI_SHIM += "application = get_asgi_application()\n"


@dataclass(frozen=True)
class Series:
    framework: str
    server: str
    target: str

    def command(self, python: Path, port: int, workers: int) -> list[str]:
        bind = ["127.0.0.1", str(port)]
        if self.server == "gunicorn":
            return [
                str(python),
                "-m",
                "gunicorn",
                "-w",
                str(workers),
                "-k",
                "sync",
                "-b",
                ":".join(bind),
                "--log-level",
                "warning",
                self.target,
            ]
        return [
            str(python),
            "-m",
            "uvicorn",
            "--workers",
            str(workers),
            "--host",
            bind[0],
            "--port",
            bind[1],
            "--log-level",
            "warning",
            "--no-access-log",
            self.target,
        ]


SERIES = (
    Series("flask", "gunicorn", "app:create_app()"),
    Series("django", "gunicorn", "app:app"),
    Series("django", "uvicorn", "asgi_shim:application"),
    Series("fastapi", "uvicorn", "app:app"),
    Series("quart", "uvicorn", "app:app"),
)


def prepared(task: str, series: Series, python: Path, into: Path) -> Path:
    """A copy of the sample in its own folder, with its database created and one row in it."""
    folder = into / f"{task}-{series.framework}-{series.server}"
    shutil.copytree(SAMPLES / task / series.framework, folder)
    if series.target.startswith("asgi_shim"):
        (folder / "asgi_shim.py").write_text(ASGI_SHIM)
    if task == "database-row":
        init = "import asyncio, inspect, app; r = app.init_db(); inspect.isawaitable(r) and asyncio.run(r)"
        # Django's sample makes its table as a project would, through manage.py's migrate.
        command = ["app.py", "migrate", "--run-syncdb", "-v", "0"]
        if series.framework != "django":
            command = ["-c", init]
        subprocess.run([str(python), *command], cwd=folder, env=_env(folder), check=True)
    return folder


def _env(folder: Path) -> dict[str, str]:
    return sample_env.clean_env(ITEMS_DB=str(folder / "items.sqlite3"))


def _answers(url: str, data: bytes | None = None) -> bool:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return 200 <= response.status < 300
    except OSError:
        return False


@contextmanager
def serve(task: str, series: Series, python: Path, folder: Path, workers: int) -> Iterator[str]:
    """Start the sample under its server; yield the URL wrk measures once it answers 200."""
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            series.command(python, port, workers),
            cwd=folder,
            env=_env(folder),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        ready = (
            [(base + "/items", b'{"name": "benchmark"}')] if task == "database-row" else []
        ) + [(base + TASKS[task], None)]
        for url, body in ready:
            while not _answers(url, body):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{series} does not answer {url}: see {log.read_text()}")
                time.sleep(0.05)
        yield base + TASKS[task]
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure(url: str, seconds: int, connections: int) -> dict[str, float]:
    wrk(url, 1, connections)  # warm the workers: imports, connections, caches
    result = wrk(url, seconds, connections)
    if result["errors"] or result["socket_errors"]:
        raise SystemExit(f"{url}: {result['errors']} bad answers; {result['socket_errors']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    interpreter = sample_env.newest_python(sample_env.minimum_python(SAMPLES))
    if interpreter is None:
        raise SystemExit("no Python new enough for the samples on this machine")
    venv = Path(create_app().config["SAMPLES_VENV"])
    python = sample_env.environment(SAMPLES, venv, interpreter)
    versions = sample_env.installed(python)
    with tempfile.TemporaryDirectory() as tmp:
        folders = {
            (task, series): prepared(task, series, python, Path(tmp))
            for task in TASKS
            for series in SERIES
        }
        runs: dict[tuple[str, Series], list[dict[str, float]]] = {key: [] for key in folders}
        order = list(folders.items())
        for n in range(args.rounds):
            # Each round starts one series later, so no series always runs first or last.
            shift = n % len(order)
            for (task, series), folder in order[shift:] + order[:shift]:
                with serve(task, series, python, folder, args.workers) as url:
                    result = measure(url, args.seconds, args.connections)
                runs[(task, series)].append(result)
                print(
                    f"round {n + 1}: {task} {series.framework} {series.server}: "
                    f"{result['rps']:,.0f} requests/s",
                    file=sys.stderr,
                )
    results = []
    for (task, series), measured in runs.items():
        results.append(
            {
                "task": task,
                "framework": series.framework,
                "server": f"{series.server} {versions[series.server]}",
                "version": versions[series.framework],
                "requests_per_second": round(statistics.median(r["rps"] for r in measured)),
                "p50_ms": round(statistics.median(r["p50"] for r in measured), 2),
                "p99_ms": round(statistics.median(r["p99"] for r in measured), 2),
            }
        )
    command = "python bench/frameworks.py " + shlex.join(
        [
            f"--rounds={args.rounds}",
            f"--seconds={args.seconds}",
            f"--connections={args.connections}",
            f"--workers={args.workers}",
        ]
    )
    figures = {
        "measured": dt.date.today(),
        "command": command,
        "cores": os.cpu_count() or 1,
        "python": interpreter.release,
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "results": results,
    }
    OUTPUT.write_text(
        "# Written by bench/frameworks.py; rerun it rather than edit. Medians of the rounds.\n"
        + yaml.safe_dump(figures, sort_keys=False),
        encoding="utf-8",
    )
    print(report(figures))


def report(figures: dict[str, object]) -> str:
    """The table the command prints: the same figures it writes, in the same order."""
    lines = [
        f"{figures['command']}: {figures['measured']}, {figures['cores']} cores, "
        f"Python {figures['python']}, {figures['workers']} workers, "
        f"{figures['connections']} connections, {figures['rounds']} x {figures['seconds']} s",
        "",
        "| task | framework | server | version | requests/s | p50 ms | p99 ms |",
        "|---|---|---|---|---:|---:|---:|",
    ]
    for r in figures["results"]:  # type: ignore[attr-defined]
        lines.append(
            f"| {r['task']} | {r['framework']} | {r['server']} | {r['version']} | "
            f"{r['requests_per_second']} | {r['p50_ms']} | {r['p99_ms']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

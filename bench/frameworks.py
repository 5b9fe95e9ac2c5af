#!/usr/bin/env python3
"""Serve the same two code samples from each framework and measure them with wrk on loopback.

    python bench/frameworks.py [--rounds 3] [--seconds 10] [--connections 32] [--workers 2]

The tasks are the guide's own samples: `json-endpoint` (GET /hello) and `database-row`
(GET /items/1 from SQLite, after its table is made and one POST). Each framework runs under its usual
production server with the same number of workers: gunicorn (sync workers) for Flask and
Django, Uvicorn (uvloop, httptools) for FastAPI, Quart and Django's ASGI handler. The server
runs served.py beside the sample: the sample's `app` or `create_app()`, and for Django the
settings a startproject has (middleware, apps, CONN_MAX_AGE; see served.py). The server is
pinned to all CPUs but the last and wrk to the last (taskset), so the load generator takes no
CPU time from the server. The samples' own environment is used (the newest Python on the
machine, the pinned packages; see selector/content/sample_env.py). Rounds are interleaved,
every series once per round, each round starting one series later, so a slow spell of the
machine touches all of them. Each series' configuration (worker class, CPUs, the Django
settings as the running app read them), its medians and each round's figures are printed and
written to selector/content/files/benchmarks.yaml, which the guide's "Measured speed" part
shows after `flask content load`. Load goes to 127.0.0.1 only; every run is bounded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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
from typing import Any

import yaml
from run import free_port, wrk

from selector import create_app
from selector.content import sample_env
from selector.content.paths import DEFAULT_DIR

SAMPLES = DEFAULT_DIR / "samples"
OUTPUT = DEFAULT_DIR / "benchmarks.yaml"
TASKS = {"json-endpoint": "/hello", "database-row": "/items/1"}
#: What each server runs, copied beside the sample: its app, Django's with a project's settings.
SERVED = Path(__file__).with_name("served.py")
#: Django keeps its database connection between requests under a WSGI server (a minute, as a
#: project would set it); its documentation says to turn persistent connections off under ASGI
#: (https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections).
CONN_MAX_AGE = {"gunicorn": 60, "uvicorn": 0}
#: Django's CSRF middleware refuses a POST without a token, so the one POST that creates the row
#: sends one as a client would: the same secret in the cookie and the header (32 letters, the
#: length of Django's secret). The other frameworks ignore both.
CSRF = "bench" * 6 + "ok"


@dataclass(frozen=True)
class Series:
    framework: str
    server: str

    @property
    def worker_class(self) -> str:
        """How each worker serves: gunicorn's sync worker answers one request at a time;
        Uvicorn's workers run an event loop, named here as explicitly as the command sets it."""
        return "sync" if self.server == "gunicorn" else "uvloop, httptools"

    def env(self, folder: Path) -> dict[str, str]:
        extra = {"ITEMS_DB": str(folder / "items.sqlite3")}
        if self.framework == "django":
            extra["BENCH_CONN_MAX_AGE"] = str(CONN_MAX_AGE[self.server])
            if self.server == "uvicorn":
                extra["BENCH_ASGI"] = "1"
        return sample_env.clean_env(**extra)

    def command(self, python: Path, port: int, workers: int, cpus: str) -> list[str]:
        # Workers inherit the CPUs the server is pinned to; wrk runs on the others.
        pinned = ["taskset", "-c", cpus, str(python), "-m"]
        if self.server == "gunicorn":
            return [
                *pinned,
                "gunicorn",
                "-w",
                str(workers),
                "-k",
                self.worker_class,
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "served:application",
            ]
        return [
            *pinned,
            "uvicorn",
            "--workers",
            str(workers),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "served:application",
        ]


SERIES = (
    Series("flask", "gunicorn"),
    Series("django", "gunicorn"),
    Series("django", "uvicorn"),
    Series("fastapi", "uvicorn"),
    Series("quart", "uvicorn"),
)


def prepared(task: str, series: Series, python: Path, into: Path) -> Path:
    """A copy of the sample in its own folder with what serves it, its database created."""
    folder = into / f"{task}-{series.framework}-{series.server}"
    shutil.copytree(SAMPLES / task / series.framework, folder)
    shutil.copy(SERVED, folder)
    if task == "database-row":
        init = "import asyncio, inspect, served; r = served.sample.init_db(); inspect.isawaitable(r) and asyncio.run(r)"
        # Django's sample makes its table as a project would, through manage.py's migrate.
        command = ["app.py", "migrate", "--run-syncdb", "-v", "0"]
        if series.framework != "django":
            command = ["-c", init]
        subprocess.run([str(python), *command], cwd=folder, env=series.env(folder), check=True)
    return folder


def settings(series: Series, python: Path, folder: Path) -> dict[str, str]:
    """The framework settings that matter to speed, as the served application reads them."""
    read = subprocess.run(
        [str(python), SERVED.name],
        cwd=folder,
        env=series.env(folder),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(read.stdout))


def _answers(url: str, data: bytes | None = None) -> bool:
    headers = {"Content-Type": "application/json"}
    if data is not None:
        headers |= {"Cookie": f"csrftoken={CSRF}", "X-CSRFToken": CSRF}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return 200 <= response.status < 300
    except OSError:
        return False


@contextmanager
def serve(
    task: str, series: Series, python: Path, folder: Path, workers: int, cpus: str
) -> Iterator[str]:
    """Start the sample under its server; yield the URL wrk measures once it answers 200."""
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            series.command(python, port, workers, cpus),
            cwd=folder,
            env=series.env(folder),
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


def measure(url: str, seconds: int, connections: int, cpus: str) -> dict[str, float]:
    wrk(url, 1, connections, cpus=cpus)  # warm the workers: imports, connections, caches
    result = wrk(url, seconds, connections, cpus=cpus)
    if result["errors"] or result["socket_errors"]:
        raise SystemExit(f"{url}: {result['errors']} bad answers; {result['socket_errors']}")
    return result


def _cpus() -> tuple[str, str]:
    """The server's CPUs and wrk's: wrk on the last one this process may use, the server on
    the others, so the load generator never takes a core from the server it measures."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        raise SystemExit("two CPUs are needed, one of them for wrk alone")
    return ",".join(map(str, cpus[:-1])), str(cpus[-1])


def _figures(measured: list[dict[str, float]]) -> dict[str, float]:
    """Requests/s and latency of one run, or the medians of several, as the content holds them."""
    return {
        "requests_per_second": round(statistics.median(r["rps"] for r in measured)),
        "p50_ms": round(statistics.median(r["p50"] for r in measured), 2),
        "p99_ms": round(statistics.median(r["p99"] for r in measured), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    server_cpus, load_cpus = _cpus()
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
        configured = {key: settings(key[1], python, folder) for key, folder in folders.items()}
        runs: dict[tuple[str, Series], list[dict[str, float]]] = {key: [] for key in folders}
        order = list(folders.items())
        for n in range(args.rounds):
            # Each round starts one series later, so no series always runs first or last.
            shift = n % len(order)
            for (task, series), folder in order[shift:] + order[:shift]:
                with serve(task, series, python, folder, args.workers, server_cpus) as url:
                    result = measure(url, args.seconds, args.connections, load_cpus)
                runs[(task, series)].append(result)
                print(
                    f"round {n + 1}: {task} {series.framework} {series.server}: "
                    f"{result['rps']:,.0f} requests/s",
                    file=sys.stderr,
                )
    results = [
        {
            "task": task,
            "framework": series.framework,
            "server": f"{series.server} {versions[series.server]}",
            "version": versions[series.framework],
            "worker_class": series.worker_class,
            "server_cpus": server_cpus,
            "load_cpus": load_cpus,
            "settings": configured[(task, series)],
            **_figures(measured),
            "per_round": [_figures([r]) for r in measured],
        }
        for (task, series), measured in runs.items()
    ]
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
        "# Written by bench/frameworks.py; rerun it rather than edit. Medians of the rounds,\n"
        "# then each round's own figures in the order the rounds ran.\n"
        + yaml.safe_dump(figures, sort_keys=False),
        encoding="utf-8",
    )
    print(report(figures))


def report(figures: dict[str, Any]) -> str:
    """What the command prints: the same figures it writes, in the same order, each series'
    configuration beside its medians, then each round's requests/s and p99."""
    lines = [
        f"{figures['command']}: {figures['measured']}, {figures['cores']} cores, "
        f"Python {figures['python']}, {figures['workers']} workers, "
        f"{figures['connections']} connections, {figures['rounds']} x {figures['seconds']} s",
        "",
        "| task | framework | server | version | worker class | server CPUs | wrk CPUs "
        "| settings | requests/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|---:|---:|---:|",
    ]
    for r in figures["results"]:
        configured = "; ".join(f"{k}={v}" for k, v in r["settings"].items()) or "-"
        lines.append(
            f"| {r['task']} | {r['framework']} | {r['server']} | {r['version']} | "
            f"{r['worker_class']} | {r['server_cpus']} | {r['load_cpus']} | {configured} | "
            f"{r['requests_per_second']} | {r['p50_ms']} | {r['p99_ms']} |"
        )
    lines += ["", "Each round: requests/s (p99 ms)", ""]
    for r in figures["results"]:
        each = ", ".join(
            f"{one['requests_per_second']} ({one['p99_ms']})" for one in r["per_round"]
        )
        lines.append(f"{r['task']} {r['framework']} {r['server']}: {each}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

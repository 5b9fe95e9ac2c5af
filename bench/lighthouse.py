#!/usr/bin/env python3
"""Lighthouse's timed audits of the pages the browser tests gate, median of several runs.

    python bench/lighthouse.py [--runs 5] [--page NAME ...] [--form-factor mobile|desktop ...]

The browser tests gate Lighthouse on what does not depend on the machine's speed
(tests/e2e/lighthouse.py); the performance score and the timings it is made of (first and
largest contentful paint, total blocking time, speed index) are measured here. It serves the
site the browser tests see (SQLite, the packaged content, decisions over four months, from a
thread on loopback), runs Lighthouse on each page and form factor --runs times, and prints the
median of each figure, its range, and the run's conditions: the load average before and after,
the CPU count, Lighthouse's and Chromium's versions, its throttling settings and the
benchmark index it measured (Lighthouse's own reading of the machine's speed).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.e2e import lighthouse  # noqa: E402
from tests.e2e.conftest import CHROMIUM, address, served_site  # noqa: E402

#: What is reported, with how each is shown: the score as is, the timings in ms.
FIGURES = {"performance": "score", **dict.fromkeys(lighthouse.TIMED_AUDITS, "ms")}


def figures(report: dict) -> dict[str, float]:
    """The performance score and each timed audit's value from one report."""
    found = {"performance": report["categories"]["performance"]["score"]}
    found |= {audit: report["audits"][audit]["numericValue"] for audit in lighthouse.TIMED_AUDITS}
    return found


def shown(values: list[float], unit: str) -> str:
    median, low, high = statistics.median(values), min(values), max(values)
    if unit == "score":
        return f"{median:.2f} ({low:.2f} to {high:.2f})"
    return f"{median:,.0f} ({low:,.0f} to {high:,.0f})"


def conditions(report: dict) -> str:
    settings = report["configSettings"]
    throttling = settings["throttling"]
    return (
        f"{report['configSettings']['formFactor']}: {settings['throttlingMethod']} throttling, "
        f"RTT {throttling['rttMs']} ms, {throttling['throughputKbps']:,.0f} kbit/s, "
        f"CPU slowdown x{throttling['cpuSlowdownMultiplier']}; "
        f"benchmark index {report['environment']['benchmarkIndex']:,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", action="append", choices=lighthouse.PAGES)
    parser.add_argument("--form-factor", action="append", choices=lighthouse.FORM_FACTORS)
    args = parser.parse_args()
    pages = args.page or lighthouse.PAGES
    form_factors = args.form_factor or lighthouse.FORM_FACTORS
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    before = os.getloadavg()
    print(f"Lighthouse {_lighthouse_version()}, {chromium.strip()}, {os.cpu_count()} CPUs")
    print(f"load average before: {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}")
    with tempfile.TemporaryDirectory() as folder, served_site(Path(folder)) as site:
        # The site's access log writes a line per request, which would bury the tables (set
        # here, once the migrations' logging setup has run).
        logging.getLogger("selector.access").disabled = True
        for form_factor in form_factors:
            print()
            print(f"| {form_factor} | " + " | ".join(FIGURES) + " |")
            print("|---" * (len(FIGURES) + 1) + "|")
            settings = ""
            for name in pages:
                runs = []
                for n in range(args.runs):
                    report = Path(folder) / f"{name}-{form_factor}-{n}.json"
                    runs.append(lighthouse.run(site + address(name), form_factor, report))
                measured = [figures(run) for run in runs]
                cells = [shown([m[key] for m in measured], unit) for key, unit in FIGURES.items()]
                print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
                settings = conditions(runs[-1])
            print(f"\nmedian (lowest to highest) of {args.runs} runs; {settings}")
    after = os.getloadavg()
    print(f"load average after: {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")


def _lighthouse_version() -> str:
    return subprocess.run(
        ["node", str(lighthouse.CLI), "--version"], capture_output=True, text=True
    ).stdout.strip()


if __name__ == "__main__":
    main()

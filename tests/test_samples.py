"""The code samples: each passes its own test in its own environment, the guide shows them
with what they last passed against, and the content refuses samples that drifted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
import yaml

from selector import create_app
from selector.content import sample_env
from selector.content.markup import highlight_python
from selector.content.paths import DEFAULT_DIR
from selector.content.read import read_content
from selector.content.reader import ContentError
from tests.conftest import load_content, require
from tests.content_tools import copy_content, edit

SAMPLES = DEFAULT_DIR / "samples"
ROOT = Path(__file__).resolve().parent.parent
#: The environment the CLI and bench/frameworks.py use too: built once per checkout.
SAMPLES_VENV = Path(create_app().config["SAMPLES_VENV"])
FOLDERS = sample_env.sample_folders(SAMPLES)
FRAMEWORKS = ["Flask", "FastAPI", "Django", "Quart"]
TASKS = sorted(path.parent.name for path in SAMPLES.glob("*/task.yaml"))
#: The keys the samples that sign something refuse to start without.
SECRET_VARIABLES = ("FLASK_SECRET_KEY", "SECRET_KEY", "DJANGO_SECRET_KEY")


@pytest.fixture(scope="session")
def interpreter() -> sample_env.Interpreter:
    minimum = sample_env.minimum_python(SAMPLES)
    found = sample_env.newest_python(minimum)
    require(
        found is not None,
        f"the code samples need CPython {minimum[0]}.{minimum[1]} or newer "
        "(a pyenv version or python3.N on PATH)",
    )
    assert found is not None
    return found


@pytest.fixture(scope="session")
def samples_python(interpreter) -> Path:
    return sample_env.environment(SAMPLES, SAMPLES_VENV, interpreter)


def test_there_are_eleven_tasks_in_four_frameworks():
    assert len(TASKS) == 11
    assert len(FOLDERS) == 4 * len(TASKS)


@pytest.fixture(scope="session")
def sample_outcomes(samples_python, request) -> dict[Path, sample_env.Outcome]:
    """The own test of every sample this session reports on, run before the first report, as
    many at once as there are cores: each run is a process of its own, in its own folder (a
    sample's server takes a free port), while pytest itself only waits for it."""
    folders = [
        item.callspec.params["folder"]
        for item in request.session.items
        if getattr(item, "originalname", "") == test_every_sample_passes_its_own_test.__name__
    ]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        outcomes = pool.map(partial(sample_env.run_sample, samples_python), folders)
        return dict(zip(folders, outcomes, strict=True))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_sample_passes_its_own_test(sample_outcomes, folder):
    outcome = sample_outcomes[folder]
    assert outcome.passed, outcome.output
    assert re.search(r"\d+ passed", outcome.output)
    leftovers = {path.name for path in folder.iterdir()} - {"app.py", "test_app.py", "sample.yaml"}
    assert not leftovers, "a sample's test must leave nothing in its folder"


def case_problems(python: Path, samples: Path, task: str, scratch: Path) -> list[str]:
    """What tests/sample_cases.py finds when it sends the task's cases to each of the task's
    samples in samples/, in one process of the samples' Python."""
    (spec,) = [t for t in read_content().tasks if t.slug == task]
    out = scratch / "problems.json"
    given = {
        "task": str(samples / task),
        "frameworks": sorted(spec.samples),
        "cases": [dataclasses.asdict(case) for case in spec.cases],
        "out": str(out),
    }
    env = {name: "a-key-for-tests-only-and-32-bytes-long" for name in SECRET_VARIABLES}
    # Celery's broker in memory: the Flask sample queues its job with no broker running.
    env["CELERY_BROKER_URL"] = "memory://"
    done = subprocess.run(
        [str(python), str(ROOT / "tests" / "sample_cases.py")],
        input=json.dumps(given),
        cwd=scratch,
        env=sample_env.clean_env(**env),
        capture_output=True,
        text=True,
        timeout=sample_env.RUN_SECONDS,
    )
    assert done.returncode == 0, done.stderr
    return [f"{p['framework']}: {p['case']}: {p['problem']}" for p in json.loads(out.read_text())]


#: The tasks whose four samples share no request to send them all: each framework's admin
#: screen has its own paths and its own login (a redirect to a form, or HTTP Basic), and a
#: schema migration is run by a command, not served.
UNSHARED = {"admin-screen", "schema-migration"}


def test_every_task_but_the_unshared_ones_has_cases_for_all_four():
    assert {task.slug for task in read_content().tasks if not task.cases} == UNSHARED


@pytest.mark.parametrize("task", sorted(set(TASKS) - UNSHARED))
def test_the_four_samples_of_a_task_answer_its_cases_alike(samples_python, task, tmp_path):
    problems = case_problems(samples_python, SAMPLES, task, tmp_path)
    assert not problems, "\n".join(problems)


def test_a_sample_that_accepts_what_the_others_refuse_is_caught(samples_python, tmp_path):
    samples = copy_content(tmp_path / "content") / "samples"
    app_py = samples / "validated-post" / "flask" / "app.py"
    app_py.write_text(app_py.read_text().replace("Range(min=1,", "Range(min=0,"))

    problems = case_problems(samples_python, samples, "validated-post", tmp_path)

    # Only the changed sample, only on the case it now answers otherwise: status and shape.
    where = "flask: no seats is below the minimum: "
    assert problems[0] == where + "status 201, not 422"
    assert len(problems) == 2 and problems[1].startswith(where + "answered {")


def test_the_environment_holds_the_versions_the_guide_shows(samples_python):
    installed = sample_env.installed(samples_python)
    content = read_content()
    for framework in content.frameworks:
        assert installed[framework.slug] == framework.version.current
    assert installed == {**installed, **sample_env.pins(SAMPLES)}


def test_the_floor_is_the_highest_min_python_of_the_framework_files(interpreter):
    floors = [f.version.min_python for f in read_content().frameworks]
    highest = max(tuple(map(int, floor.split("."))) for floor in floors)
    assert sample_env.minimum_python(SAMPLES) == highest
    assert interpreter.version[:2] >= highest


def fake_python(folder: Path, name: str, answer: str) -> Path:
    """An executable that answers the probe the way some interpreter would."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{answer}'\n")
    path.chmod(0o755)
    return path


def test_the_newest_final_cpython_is_chosen(tmp_path, monkeypatch):
    candidates = [
        fake_python(tmp_path, "py312", "CPython final False 3 12 7"),
        fake_python(tmp_path, "py314", "CPython final False 3 14 1"),
        fake_python(tmp_path, "py315a", "CPython alpha False 3 15 0"),
        fake_python(tmp_path, "py314t", "CPython final True 3 14 1"),
        fake_python(tmp_path, "pypy", "PyPy final False 3 14 0"),
        fake_python(tmp_path, "shim", ""),
        tmp_path / "missing",
    ]
    monkeypatch.setattr(sample_env, "_candidates", lambda: iter(candidates))
    found = sample_env.newest_python((3, 13))
    assert found == sample_env.Interpreter((3, 14, 1), tmp_path / "py314")
    assert sample_env.newest_python((3, 15)) is None


def test_the_lock_holds_each_framework_at_the_version_the_guide_shows(monkeypatch, tmp_path):
    calls = []

    def pip(python, *args):
        calls.append(args)
        if "-c" in args:
            calls.append(Path(args[args.index("-c") + 1]).read_text())
        return "flask==3.1.3\n" if args[0] == "freeze" else ""

    samples = copy_content(tmp_path / "content") / "samples"
    monkeypatch.setattr(sample_env, "_pip", pip)
    monkeypatch.setattr(sample_env, "_create", lambda venv, interpreter: venv / "bin" / "python")
    sample_env.lock(samples, sample_env.Interpreter((3, 13, 0), Path("/usr/bin/python3")))
    constraints = calls[1]
    for framework in read_content().frameworks:
        assert f"{framework.slug}=={framework.version.current}\n" in constraints
    assert sample_env.pins(samples) == {"flask": "3.1.3"}


def cli(root: Path, tmp_path: Path, *args: str):
    app = create_app(
        {"TESTING": True, "CONTENT_DIR": str(root), "SAMPLES_VENV": str(SAMPLES_VENV)},
        instance_path=str(tmp_path / "instance"),
    )
    return app.test_cli_runner().invoke(args=["samples", "run", *args])


def test_a_rerun_writes_what_the_sample_last_passed_against(samples_python, interpreter, tmp_path):
    root = copy_content(tmp_path / "content")
    runs = root / "samples" / sample_env.RUNS
    edit(
        runs,
        lambda data: data["json-endpoint"]["flask"].update(
            ran=dt.date(2026, 1, 5), python="3.13.0", packages={"flask": "3.0.0"}
        ),
    )
    with pytest.raises(ContentError, match=r"json-endpoint/flask: \(last run\): ran against"):
        read_content(root)

    result = cli(root, tmp_path, "--task", "json-endpoint", "--framework", "flask")

    assert result.exit_code == 0, result.output
    assert "passed  json-endpoint/flask" in result.output
    assert yaml.safe_load(runs.read_text())["json-endpoint"]["flask"] == {
        "ran": dt.date.today(),
        "python": interpreter.release,
        "packages": {"flask": sample_env.pins(SAMPLES)["flask"]},
        "code": sample_env.code_digest(root / "samples" / "json-endpoint" / "flask"),
    }
    read_content(root)  # valid again


def test_a_failing_sample_is_reported_and_its_last_run_kept(samples_python, tmp_path):
    root = copy_content(tmp_path / "content")
    app_py = root / "samples" / "json-endpoint" / "flask" / "app.py"
    app_py.write_text(app_py.read_text().replace("Hello", "Goodbye"))
    runs = root / "samples" / sample_env.RUNS
    before = runs.read_text()

    result = cli(root, tmp_path, "--task", "json-endpoint", "--framework", "flask")

    assert result.exit_code == 1
    assert "FAILED  json-endpoint/flask" in result.output
    assert "1 of 1 sample(s) failed" in result.output
    assert runs.read_text() == before


def problems_after(tmp_path: Path, change) -> str:
    root = copy_content(tmp_path / "content")
    change(root)
    with pytest.raises(ContentError) as refused:
        read_content(root)
    return str(refused.value)


def test_the_lock_must_pin_the_version_the_guide_shows(tmp_path):
    def newer(root):
        edit(root / "frameworks" / "flask.yaml", lambda d: d["version"].update(current="3.9.0"))

    assert "flask: pins 3.1.3, the guide shows 3.9.0" in problems_after(tmp_path, newer)


def test_every_add_on_is_pinned(tmp_path):
    def unpinned(root):
        edit(
            root / "samples" / "database-row" / "flask" / "sample.yaml",
            lambda d: d["addons"][0].update(package="flask-sqlalchemy-lite"),
        )

    assert "flask-sqlalchemy-lite: not pinned in requirements.txt" in problems_after(
        tmp_path, unpinned
    )


def test_every_task_is_written_for_every_framework(tmp_path):
    message = problems_after(
        tmp_path, lambda root: shutil.rmtree(root / "samples" / "form-page" / "quart")
    )
    assert "form-page/task.yaml: quart: no sample for this framework" in message


def test_a_sample_never_run_is_refused(tmp_path):
    def bottle(root):
        tasks = root / "samples" / "json-endpoint"
        shutil.copytree(tasks / "flask", tasks / "bottle")

    message = problems_after(tmp_path, bottle)
    assert "json-endpoint/bottle: (last run): not in runs.yaml" in message


def test_a_sample_for_an_unknown_framework_is_refused(tmp_path):
    def bottle(root):
        tasks = root / "samples" / "json-endpoint"
        shutil.copytree(tasks / "flask", tasks / "bottle")
        edit(
            root / "samples" / "runs.yaml",
            lambda d: d["json-endpoint"].update(bottle=d["json-endpoint"]["flask"]),
        )

    assert "json-endpoint/bottle: (folder): no framework 'bottle'" in problems_after(
        tmp_path, bottle
    )


def test_a_sample_changed_since_its_last_run_is_refused(tmp_path):
    def touched(root):
        app_py = root / "samples" / "json-endpoint" / "quart" / "app.py"
        app_py.write_text(app_py.read_text() + "\n# an afterthought\n")

    assert (
        "json-endpoint/quart: (last run): changed since its test last ran: "
        "run `flask samples run`" in problems_after(tmp_path, touched)
    )


@pytest.mark.parametrize(
    ("lock", "problem"),
    [
        ("flask>=3\n", "line 1: 'flask>=3' does not pin one version with =="),
        ("flask==3==4\n", "line 1:"),
        ("\n# pins\n\nflask==3.1.3\nnot a requirement!\n", "line 5:"),
    ],
)
def test_a_malformed_lock_is_a_problem_not_a_crash(tmp_path, lock, problem):
    message = problems_after(
        tmp_path, lambda root: (root / "samples" / "requirements.txt").write_text(lock)
    )
    assert f"samples/requirements.txt: (file): {problem}" in message


def test_a_linked_file_is_refused(tmp_path):
    def linked(root):
        app_py = root / "samples" / "json-endpoint" / "flask" / "app.py"
        app_py.unlink()
        app_py.symlink_to("/etc/hostname")

    assert "json-endpoint/flask/app.py: (file): a symbolic link" in problems_after(tmp_path, linked)


def test_a_sample_missing_its_test_is_refused(tmp_path):
    message = problems_after(
        tmp_path, lambda root: (root / "samples/json-endpoint/django/test_app.py").unlink()
    )
    assert "json-endpoint/django/test_app.py: (file): missing" in message


# The pages


def test_the_samples_index_shows_what_each_framework_needs_for_each_task(client):
    page = client.get("/samples").get_data(as_text=True)
    for name in FRAMEWORKS:
        assert f">{name}</a></th>" in page
    rows = re.findall(r'<tr><th scope="row"><a href="/samples/([a-z-]+)">', page)
    assert sorted(rows) == TASKS
    assert page.count("built in") >= 8
    assert '<a href="https://flask-sqlalchemy.readthedocs.io/' in page


@pytest.mark.parametrize("task", TASKS)
def test_a_task_page_shows_all_four_frameworks_with_their_runs(client, task):
    page = client.get(f"/samples/{task}").get_data(as_text=True)
    headings = re.findall(r'<h2 id="' + task + r'-[a-z]+">([^<]+)</h2>', page)
    assert headings == FRAMEWORKS
    runs = yaml.safe_load((SAMPLES / sample_env.RUNS).read_text())[task]
    for slug, name in zip(["flask", "fastapi", "django", "quart"], FRAMEWORKS, strict=True):
        run = runs[slug]
        assert (
            f"last passed against {name} {run['packages'][slug]}" in page
            and f'on Python {run["python"]}, on <time datetime="{run["ran"].isoformat()}">' in page
        )
        assert f'href="/samples/{task}/{slug}/test_app.py"' in page
    # Highlighted on the server: keywords and strings carry the highlighter's classes.
    assert '<span class="k">import</span>' in page
    assert '<span class="s">' in page


def test_the_plain_text_file_is_exactly_the_file_the_test_ran(client):
    response = client.get("/samples/database-row/django/app.py")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == (SAMPLES / "database-row/django/app.py").read_text()


@pytest.mark.parametrize(
    "path",
    [
        "/samples/no-such-task",
        "/samples/json-endpoint/bottle/app.py",
        "/samples/json-endpoint/flask/sample.yaml",
        "/samples/json-endpoint/flask/../../requirements.txt",
    ],
)
def test_unknown_samples_are_404(client, path):
    assert client.get(path).status_code == 404


def test_a_framework_page_links_its_own_samples_to_their_code(client):
    page = client.get("/frameworks/quart").get_data(as_text=True)
    assert len(re.findall(r'<h3 id="[a-z-]+-quart">', page)) == len(TASKS)
    assert 'id="json-endpoint-flask"' not in page
    for task in TASKS:
        # The code beside the other frameworks' on the task's page, and the file itself.
        assert f'href="/samples/{task}#{task}-quart"' in page
        assert re.search(rf'href="/samples/{task}/quart/(app|test_app)\.py"', page)
    assert "<pre" not in page


@pytest.mark.parametrize("query", ["", "?f=flask&f=quart", "?f=flask&f=django&f=quart"])
def test_compare_points_to_the_task_pages_for_the_code(client, query):
    page = client.get(f"/compare{query}").get_data(as_text=True)
    assert "<pre" not in page
    assert sorted(re.findall(r'<th scope="row"><a href="/samples/([a-z-]+)">', page)) == TASKS


def test_the_sitemap_lists_the_sample_pages(client):
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    for task in TASKS:
        assert f"/samples/{task}</loc>" in sitemap


# The measured speed


def figures() -> dict:
    return yaml.safe_load((DEFAULT_DIR / "benchmarks.yaml").read_text())


def test_the_committed_output_of_the_bench_command_is_the_content_file():
    measured = figures()
    printed = (ROOT / "bench" / "frameworks.txt").read_text()
    assert printed.startswith(measured["command"] + ": " + measured["measured"].isoformat())
    rows = re.findall(
        r"^\| ([a-z-]+) \| ([a-z]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([\d,]+) \| ([\d,]+) "
        r"\| ([^|]+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$",
        printed,
        re.M,
    )
    assert [(*texts, int(rps), float(p50), float(p99)) for *texts, rps, p50, p99 in rows] == [
        (
            r["task"],
            r["framework"],
            r["server"],
            r["version"],
            r["worker_class"],
            r["server_cpus"],
            r["load_cpus"],
            "; ".join(f"{k}={v}" for k, v in r["settings"].items()) or "-",
            r["requests_per_second"],
            r["p50_ms"],
            r["p99_ms"],
        )
        for r in measured["results"]
    ]
    each_round = re.findall(r"^([a-z-]+) ([a-z]+) ([a-z]+ \S+): (.+)$", printed, re.M)
    assert [
        (task, framework, server, re.findall(r"(\d+) \(([\d.]+)\)", rounds))
        for task, framework, server, rounds in each_round
    ] == [
        (
            r["task"],
            r["framework"],
            r["server"],
            [(str(one["requests_per_second"]), str(one["p99_ms"])) for one in r["per_round"]],
        )
        for r in measured["results"]
    ]


def test_the_chart_and_its_table_show_the_committed_figures(client):
    results = figures()["results"]
    page = client.get("/guide/measured-speed").get_data(as_text=True)
    assert figures()["command"] in page
    cells = re.findall(
        r'<td class="num">([\d,]+)</td><td class="num">([\d.]+)</td><td class="num">([\d.]+)</td>',
        page,
    )
    assert cells == [
        (f"{r['requests_per_second']:,}", str(r["p50_ms"]), str(r["p99_ms"])) for r in results
    ]
    charts = re.findall(r'<svg class="chart".*?</svg>', page, re.S)
    assert len(charts) == len({r["task"] for r in results})
    for chart in charts:
        assert 'role="img"' in chart and "<title id=" in chart
        values = [
            int(v.replace(",", "")) for v in re.findall(r'class="value"[^>]*>([\d,]+)<', chart)
        ]
        widths = [float(w) for w in re.findall(r'<rect class="bar"[^>]* width="([\d.]+)"', chart)]
        assert values and len(widths) == len(values)
        for value, width in zip(values, widths, strict=True):
            assert width / max(widths) == pytest.approx(value / max(values), abs=0.01)
    assert [v for chart in charts for v in re.findall(r'class="value"[^>]*>([\d,]+)<', chart)] == [
        f"{r['requests_per_second']:,}" for r in results
    ]


def test_the_database_chart_says_what_was_measured(client):
    for url, words in (
        ("/guide/measured-speed", "GET /items/1, one row read by its id from SQLite"),
        ("/ja/guide/measured-speed", "GET /items/1、SQLiteからIDで1行を読み取り"),
    ):
        titles = re.findall(
            r"<title id=[^>]*>([^<]+)</title>", client.get(url).get_data(as_text=True)
        )
        assert any(title.startswith(words) for title in titles)


@pytest.mark.parametrize(
    ("url", "workers", "each_round"),
    [
        (
            "/guide/measured-speed",
            "{n} workers, {kind}; server on CPU {server}, wrk on CPU {load}",
            "Round {n}",
        ),
        (
            "/ja/guide/measured-speed",
            "ワーカー{n}個（{kind}）、サーバーはCPU {server}、wrkはCPU {load}",  # noqa: RUF001
            "ラウンド{n}",
        ),
    ],
)
def test_each_series_shows_its_configuration_and_its_rounds(client, url, workers, each_round):
    """Beside its figures each series says how it was served, and a table under them gives
    every round's figures, in both editions."""
    measured = figures()
    page = html.unescape(client.get(url).get_data(as_text=True))
    configs = re.findall(r'<td class="config">(.*?)</td>', page)
    assert len(configs) == len(measured["results"])
    for config, r in zip(configs, measured["results"], strict=True):
        assert config.startswith(
            workers.format(
                n=measured["workers"],
                kind=r["worker_class"],
                server=r["server_cpus"],
                load=r["load_cpus"],
            )
        )
        assert re.findall(r"<code>(\w+)=(.*?)</code>", config) == list(r["settings"].items())
    for n in range(1, measured["rounds"] + 1):
        assert f'<th scope="col">{each_round.format(n=n)}</th>' in page
    rounds = [
        re.findall(r'<td class="num">([\d,]+) / ([\d.]+)</td>', row)
        for row in re.findall(
            r"<tr><th scope=\"row\">[^<]+</th>(<td class=\"num\">[\d,]+ / .*?)</tr>", page
        )
    ]
    assert rounds == [
        [(f"{one['requests_per_second']:,}", str(one["p99_ms"])) for one in r["per_round"]]
        for r in measured["results"]
    ]


def _stated_orders(page: str) -> list[tuple[list[list[str]], list[list[str]]]]:
    """The orders the page states under each task's table: groups of series labels, best first."""

    def groups(line: str) -> list[list[str]]:
        return [group.split(" = ") for group in line.split(" → ")]

    by_throughput = re.findall(r"<li>Most requests per second first: (.*?)</li>", page)
    by_p99 = re.findall(r"<li>Lowest p99 latency first: (.*?)</li>", page)
    return [(groups(a), groups(b)) for a, b in zip(by_throughput, by_p99, strict=True)]


def _holds(groups: list[list[str]], series: dict[str, dict], figure: str, most_first: bool) -> None:
    """A stated order holds for these figures: every series once; each group's medians come
    before the next group's; series given as equal have rounds that overlap, series ranked
    apart next to each other do not."""
    assert sorted(label for group in groups for label in group) == sorted(series)
    flat = [label for group in groups for label in group]
    medians = [series[label][figure] for label in flat]
    assert medians == sorted(medians, reverse=most_first)

    def spread(label: str) -> tuple[float, float]:
        each = [one[figure] for one in series[label]["per_round"]]
        return min(each), max(each)

    placed = [(label, n) for n, group in enumerate(groups) for label in group]
    for (before, n_before), (label, n) in itertools.pairwise(placed):
        (lo1, hi1), (lo2, hi2) = spread(before), spread(label)
        assert (lo1 <= hi2 and lo2 <= hi1) == (n_before == n), (before, label)


def _by_label(results: list[dict], task: str) -> dict[str, dict]:
    names = {"flask": "Flask", "django": "Django", "fastapi": "FastAPI", "quart": "Quart"}
    return {
        f"{names[r['framework']]} · {r['server'].split()[0]}": r
        for r in results
        if r["task"] == task
    }


def _check_orders(page: str, measured: dict) -> None:
    tasks = list(dict.fromkeys(r["task"] for r in measured["results"]))
    stated = _stated_orders(html.unescape(page))
    assert len(stated) == len(tasks)
    for task, (by_throughput, by_p99) in zip(tasks, stated, strict=True):
        series = _by_label(measured["results"], task)
        _holds(by_throughput, series, "requests_per_second", most_first=True)
        _holds(by_p99, series, "p99_ms", most_first=False)


def test_the_conclusions_under_each_table_agree_with_the_committed_figures(client):
    _check_orders(client.get("/guide/measured-speed").get_data(as_text=True), figures())


def test_the_conclusions_follow_the_figures_when_they_change(app, tmp_path):
    """Edit the figures, two rounds each: Flask becomes the slowest with the worst p99, and
    FastAPI and Quart, whose rounds overlap, tie on throughput. The orders stated follow."""
    rounds = {
        ("flask", "gunicorn"): (1, 1),
        ("django", "gunicorn"): (2000, 2100),
        ("django", "uvicorn"): (1500, 1600),
        ("fastapi", "uvicorn"): (900, 1100),
        ("quart", "uvicorn"): (1000, 1200),
    }

    def change(data):
        data["rounds"] = 2
        for r in data["results"]:
            each = rounds[(r["framework"], r["server"].split()[0])]
            p99 = 9999.0 if r["framework"] == "flask" else r["p99_ms"]
            r.update(requests_per_second=sum(each) / 2, p99_ms=p99)
            r["per_round"] = [
                {"requests_per_second": rps, "p50_ms": r["p50_ms"], "p99_ms": p99} for rps in each
            ]

    root = copy_content(tmp_path / "content")
    edit(root / "benchmarks.yaml", change)
    load_content(app, root)
    page = html.unescape(app.test_client().get("/guide/measured-speed").get_data(as_text=True))
    _check_orders(page, yaml.safe_load((root / "benchmarks.yaml").read_text()))
    for by_throughput, by_p99 in _stated_orders(page):
        assert by_throughput[-1] == ["Flask · gunicorn"] and by_p99[-1] == ["Flask · gunicorn"]
        assert ["Quart · uvicorn", "FastAPI · uvicorn"] in by_throughput


def test_the_method_the_page_states_is_the_one_the_figures_were_taken_with():
    """What the text says of the run, against the figures: Django with startproject's seven
    middleware, persistent connections under Gunicorn only, and wrk on cores of its own."""
    for r in figures()["results"]:
        assert not set(r["server_cpus"].split(",")) & set(r["load_cpus"].split(","))
        if r["framework"] != "django":
            continue
        middleware = r["settings"]["MIDDLEWARE"].split(", ")
        assert len(middleware) == 7 and "CsrfViewMiddleware" in middleware
        assert r["settings"]["DEBUG"] == "False"
        if r["task"] == "database-row":
            gunicorn = r["server"].startswith("gunicorn")
            assert (r["settings"]["CONN_MAX_AGE"] != "0") == gunicorn


def test_what_the_fit_parts_say_of_speed_holds_for_the_committed_figures():
    """The four "when it fits" parts cite the measured speed in words, not figures: each
    comparison they make must hold for the run the guide shows."""
    rps = {
        (r["task"], r["framework"], r["server"].split()[0]): r["requests_per_second"]
        for r in figures()["results"]
    }
    json = {key[1:]: value for key, value in rps.items() if key[0] == "json-endpoint"}
    db = {key[1:]: value for key, value in rps.items() if key[0] == "database-row"}
    flask, fastapi, quart = ("flask", "gunicorn"), ("fastapi", "uvicorn"), ("quart", "uvicorn")
    django, django_asgi = ("django", "gunicorn"), ("django", "uvicorn")
    # Flask's part: less than half of FastAPI's bare figure; with a query the two change places.
    assert json[flask] < json[fastapi] / 2 and db[flask] > db[fastapi]
    # Django's: behind Flask and FastAPI with a query, ahead of Quart; under ASGI the lowest.
    assert db[flask] > db[django] and db[fastapi] > db[django] > db[quart]
    assert min(json, key=json.get) == min(db, key=db.get) == django_asgi
    # Quart's: second on the bare endpoint, behind Flask with a query.
    assert sorted(json, key=json.get, reverse=True)[1] == quart and db[quart] < db[flask]


@pytest.mark.parametrize("task", ["json-endpoint", "database-row"])
def test_the_bench_serves_django_with_a_projects_settings(samples_python, tmp_path, task):
    """bench/served.py, what bench/frameworks.py serves: Django's sample under the middleware
    of startproject (its headers are on the answer) with CONN_MAX_AGE where there is a
    database, and the settings it reports are the ones Django runs with."""
    folder = Path(shutil.copytree(SAMPLES / task / "django", tmp_path / "sample"))
    shutil.copy(ROOT / "bench" / "served.py", folder)
    env = sample_env.clean_env(ITEMS_DB=str(folder / "items.sqlite3"), BENCH_CONN_MAX_AGE="60")
    if task == "database-row":
        # As the bench makes the table: through the sample's own migrate.
        migrate = [str(samples_python), "app.py", "migrate", "--run-syncdb", "-v", "0"]
        subprocess.run(migrate, cwd=folder, env=env, check=True)
    ask = (
        "import served; from django.test import Client; "
        f"r = Client().get('{'/hello' if task == 'json-endpoint' else '/items/1'}', "
        "HTTP_HOST='127.0.0.1'); print(r.status_code, r.headers['X-Frame-Options'])"
    )
    answer = subprocess.run(
        [str(samples_python), "-c", ask], cwd=folder, env=env, capture_output=True, text=True
    )
    assert answer.returncode == 0, answer.stderr
    # No row is stored here, so the database sample answers 404, through the same middleware.
    assert answer.stdout.split() == ["404" if task == "database-row" else "200", "DENY"]
    reported = subprocess.run(
        [str(samples_python), "served.py"], cwd=folder, env=env, capture_output=True, text=True
    )
    settings = json.loads(reported.stdout)
    assert settings["DEBUG"] == "False"
    assert settings["MIDDLEWARE"].split(", ")[-1] == "XFrameOptionsMiddleware"
    assert settings.get("CONN_MAX_AGE") == ("60" if task == "database-row" else None)


def test_figures_for_an_unknown_framework_are_refused(tmp_path):
    def unknown(root):
        edit(root / "benchmarks.yaml", lambda d: d["results"][0].update(framework="bottle"))

    assert "benchmarks.yaml: results.0.framework: no framework 'bottle'" in problems_after(
        tmp_path, unknown
    )


def test_figures_missing_a_round_are_refused(tmp_path):
    def missing(root):
        edit(root / "benchmarks.yaml", lambda d: d.update(rounds=d["rounds"] + 1))

    assert "results.0.per_round: " in problems_after(tmp_path, missing)


def test_highlighting_escapes_and_keeps_the_source_exact():
    source = "def f(x: int) -> str:\n    # <b>&\n    return f\"<{x}>\" if x > 1 else '&'\n"
    html = highlight_python(source)
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert '<span class="k">def</span> <span class="f">f</span>' in html
    assert '<span class="c"># &lt;b&gt;&amp;</span>' in html
    text = re.sub(r"</?span[^>]*>", "", html)
    assert text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == source.rstrip()


def test_every_token_class_has_a_colour_in_both_schemes():
    css = (ROOT / "selector" / "static" / "style.css").read_text()
    for token in ("k", "s", "c", "f", "m", "t"):
        rule = re.search(rf"\.code \.{token} {{ color: var\((--[a-z-]+)\)", css)
        assert rule, token
        variable = rule.group(1)
        # Defined for the light scheme and again for the dark one (muted is shared).
        assert css.count(f"{variable}:") == 2, variable

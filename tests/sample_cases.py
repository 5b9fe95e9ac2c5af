"""Send one task's cases to each framework's sample and report where an answer differs.

Run with the samples' own Python (tests/test_samples.py does), from a scratch folder:

    python sample_cases.py < {"task": "<folder>", "frameworks": [...], "cases": [...],
                              "out": "<file>"}

Every sample is driven by the same code: imported afresh, built by its `create_app()` when it
has one, its tables made, then called in-process through httpx2's WSGI or ASGI transport, the
cases in order by one client keeping its cookies, as one visitor would send them. A
WebSocket case opens the connection through the ASGI messages themselves, or, for a WSGI app
(which can only upgrade a real socket), through a server on a loopback port. Writes a JSON list
of problems to "out" (a sample may print), each naming the framework and the case; an empty
list means all agree.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

import httpx2

#: The host every sample allows (Django's ALLOWED_HOSTS); https because some cookies are Secure.
BASE = "https://localhost"


def load(folder: Path) -> Any:
    """The sample's app, as its server would get it, with its database ready."""
    sys.modules.pop("app", None)
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module("app")
    finally:
        sys.path.remove(str(folder))
    if folder.name == "django":
        from django.conf import settings
        from django.core.management import call_command

        if settings.DATABASES:
            call_command("migrate", run_syncdb=True, verbosity=0)
    elif hasattr(module, "init_db"):
        made = module.init_db()
        if inspect.isawaitable(made):
            asyncio.run(made)
    return module.create_app() if hasattr(module, "create_app") else module.app


def is_asgi(app: Any) -> bool:
    return inspect.iscoroutinefunction(type(app).__call__)


def request_of(case: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": case["method"],
        "url": case["path"],
        "params": case["query"],
        "json": case["json_body"],
        "data": case["form"],
        "headers": case["headers"],
    }


def problems_in(response: httpx2.Response, case: dict[str, Any]) -> list[str]:
    found = []
    if response.status_code != case["status"]:
        found.append(f"status {response.status_code}, not {case['status']}")
    kind = response.headers.get("content-type", "")
    if case["html"] and not kind.startswith("text/html"):
        found.append(f"answered {kind!r}, not HTML")
    if case["body"] is None and case["keys"] is None and case["invalid"] is None:
        return found
    if not kind.startswith("application/json"):
        return [*found, f"answered {kind!r}, not JSON: {response.text[:200]!r}"]
    body = response.json()
    if case["body"] is not None and body != case["body"]:
        found.append(f"answered {body}, not {case['body']}")
    if case["keys"] is not None and (
        not isinstance(body, dict) or sorted(body) != sorted(case["keys"])
    ):
        found.append(f"answered {body}, not an object with keys {case['keys']}")
    if case["invalid"] is not None:
        detail = body.get("detail") if isinstance(body, dict) else None
        shaped = isinstance(detail, list) and all(
            isinstance(item, dict)
            and isinstance(item.get("loc"), list)
            and isinstance(item.get("msg"), str)
            for item in detail
        )
        named = sorted({str(item["loc"][-1]) for item in detail}) if shaped else None
        if named != sorted(case["invalid"]):
            found.append(f"answered {body}, not a detail list naming {case['invalid']}")
    return found


async def asgi_websocket(app: Any, case: dict[str, Any]) -> tuple[int, list[str]]:
    """The handshake's status (101, or 403 as an ASGI server answers a close before accept)
    and what came back for each message sent."""
    headers = [(k.lower().encode(), v.encode()) for k, v in (case["headers"] or {}).items()]
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "wss",
        "path": case["path"],
        "raw_path": case["path"].encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "server": ("localhost", 443),
        "client": ("127.0.0.1", 50000),
        "subprotocols": [],
        "extensions": {},
    }
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    running = asyncio.create_task(app(scope, to_app.get, from_app.put))
    status, echoed = 403, []
    try:
        await to_app.put({"type": "websocket.connect"})
        async with asyncio.timeout(5):
            if (await from_app.get())["type"] == "websocket.accept":
                status = 101
                for text in case["send"] or []:
                    await to_app.put({"type": "websocket.receive", "text": text})
                    echoed.append((await from_app.get()).get("text"))
    finally:
        # The client goes away, as a browser would; the app must then finish.
        await to_app.put({"type": "websocket.disconnect", "code": 1000})
        async with asyncio.timeout(5):
            await asyncio.gather(running, return_exceptions=True)
    return status, echoed


def wsgi_websocket(app: Any, case: dict[str, Any]) -> tuple[int, list[str]]:
    from simple_websocket import Client, ConnectionError
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"ws://localhost:{server.server_port}{case['path']}"
        try:
            ws = Client.connect(url, headers=case["headers"])
        except ConnectionError as refused:
            return refused.status_code, []
        try:
            echoed = []
            for text in case["send"] or []:
                ws.send(text)
                echoed.append(ws.receive(timeout=5))
            return 101, echoed
        finally:
            ws.close()
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def websocket_problems(status: int, echoed: list[str], case: dict[str, Any]) -> list[str]:
    if status != case["status"]:
        return [f"handshake {status}, not {case['status']}"]
    if status == 101 and echoed != list(case["send"] or []):
        return [f"sent {case['send']}, got back {echoed}"]
    return []


async def asgi_problems(app: Any, cases: list[dict[str, Any]]) -> list[list[str]]:
    """Every case on one event loop, as one server process would answer them."""
    found = []
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url=BASE) as client:
        for case in cases:
            if case["method"] == "WEBSOCKET":
                found.append(websocket_problems(*await asgi_websocket(app, case), case))
            else:
                found.append(problems_in(await client.request(**request_of(case)), case))
    return found


def wsgi_problems(app: Any, cases: list[dict[str, Any]]) -> list[list[str]]:
    found = []
    with httpx2.Client(transport=httpx2.WSGITransport(app=app), base_url=BASE) as client:
        for case in cases:
            if case["method"] == "WEBSOCKET":
                found.append(websocket_problems(*wsgi_websocket(app, case), case))
            else:
                found.append(problems_in(client.request(**request_of(case)), case))
    return found


def main() -> None:
    given = json.load(sys.stdin)
    task = Path(given["task"])
    found = []
    for framework in given["frameworks"]:
        # A database of its own for each sample, in the scratch folder.
        for name in ("ITEMS_DB", "USERS_DB"):
            os.environ[name] = str(Path(f"{framework}-{name.lower()}.sqlite3").resolve())
        app = load(task / framework)
        cases = given["cases"]
        answers = (
            asyncio.run(asgi_problems(app, cases)) if is_asgi(app) else wsgi_problems(app, cases)
        )
        for case, problems in zip(cases, answers, strict=True):
            found += [
                {"framework": framework, "case": case["name"], "problem": p} for p in problems
            ]
    Path(given["out"]).write_text(json.dumps(found))


if __name__ == "__main__":
    main()

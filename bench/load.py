#!/usr/bin/env python3
"""A bounded mixed load against the site with several workers, on SQLite or PostgreSQL.

    python bench/load.py [--database-url URL] [--seconds 10] [--workers 4] [--connections 16]
                         [--server granian|gunicorn]

wrk sends, in turn, page reads, result permalinks, form submissions with a real
CSRF token and API calls to 127.0.0.1 only. The run passes when no request
failed and the decisions stored equal the form submissions answered with a 303.
Prints the figures, and exits 1 when the run did not pass.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, SERVERS, form_token, prepared_site, serve

MIX = """
local n = 0
local form = "csrf_token=%s&starting_point=flask&clients=pages&clients=spa&needs=realtime"
local api = '{"answers": {"starting_point": "new", "clients": ["spa"], "needs": ["admin"]}}'
local requests = {
  function() return wrk.format("GET", "/guide") end,
  function() return wrk.format("GET", "/scenarios/realtime-io") end,
  function() return wrk.format("GET",
      "/decide/result?starting_point=new&clients=pages&needs=accounts&needs=relational") end,
  function() return wrk.format("POST", "/decide",
      {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "%s"}, form) end,
  function() return wrk.format("POST", "/api/v2/recommendations",
      {["Content-Type"] = "application/json"}, api) end,
}
-- Globals, so that done() can read each thread's counts with thread:get().
see_other, bad = 0, 0
-- Writes stop two seconds before the end, so that every POST sent gets its answer counted.
local stop_writes = os.time() + %d
request = function()
  n = n + 1
  local pick = (n %% #requests) + 1
  if pick >= 4 and os.time() >= stop_writes then pick = 1 end
  return requests[pick]()
end
response = function(status, headers, body)
  if status == 303 then see_other = see_other + 1 end
  if status >= 400 then bad = bad + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local total_303, total_bad = 0, 0
  for _, thread in ipairs(threads) do
    total_303 = total_303 + thread:get("see_other")
    total_bad = total_bad + thread:get("bad")
  end
  io.write(string.format("RESULT {\\"see_other\\": %%d, \\"bad\\": %%d, \\"requests\\": %%d}\\n",
    total_303, total_bad, summary.requests))
end
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--server", choices=SERVERS, default="granian", help="default: the Procfile's"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="selector-load-"))
    url = args.database_url or f"sqlite:///{work / 'load.sqlite'}"
    env = prepared_site(url)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        before = connection.execute(text("SELECT count(*) FROM decision")).scalar_one()
    with serve(args.server, "wsgi:app", env, ROOT, workers=args.workers) as (site, _):
        token, cookie = form_token(site)
        script = work / "mix.lua"
        script.write_text(MIX % (token, cookie, max(1, args.seconds - 2)))
        output = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script), site],
            capture_output=True,
            text=True,
            check=True,
            timeout=args.seconds + 60,
        ).stdout
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM decision")).scalar_one() - before
    engine.dispose()
    counts = json.loads(re.search(r"RESULT (\{.*\})", output).group(1))
    socket_errors = re.search(r"Socket errors: .*", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    backend = url.split(":", 1)[0]
    print(
        f"backend {backend}, {args.server} with {args.workers} workers, "
        f"{args.connections} connections, {args.seconds} s"
    )
    print(
        f"requests {counts['requests']}, {rate}/s, failed {counts['bad']}, "
        f"socket errors {socket_errors.group(0) if socket_errors else 'none'}"
    )
    print(f"form submissions answered 303: {counts['see_other']}, decisions stored: {stored}")
    passed = counts["bad"] == 0 and not socket_errors and stored == counts["see_other"] > 0
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

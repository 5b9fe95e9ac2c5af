"""The production stack for the front-proxy tests: the Procfile's granian behind deploy/nginx.conf.

Each process runs in its own process group and is killed with it. The nginx
configuration is the shipped file with only what a test must change replaced
(each replacement must match exactly as often as expected, so a change to the
shipped file cannot leave a test silently running something else).
Nothing here downloads anything: a missing nginx, openssl, node or npm tool is
a skip with the way to install it, and under CI=true a failure.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
#: The files deploy/nginx.conf includes from its own folder (nginx-websocket.conf where
#: uncommented, for an app with WebSockets).
NGINX_INCLUDES = ("security-headers.conf", "proxy-headers.conf", "nginx-websocket.conf")
VENV_BIN = Path(sys.executable).parent
OBSERVATORY = ROOT / "tools" / "node_modules" / "@mdn" / "mdn-http-observatory"
HOST = "localhost"

PROCFILE_WEB = next(
    line.removeprefix("web:").strip()
    for line in (ROOT / "Procfile").read_text().splitlines()
    if line.startswith("web:")
)


def nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    require(
        Path(found).exists() and os.access(found, os.X_OK),
        "the front-proxy tests need nginx: run `make test` as root, or `apt-get install nginx`",
    )
    require(
        shutil.which("openssl") is not None,
        "the front-proxy tests need openssl for their certificates: `apt-get install openssl`",
    )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], timeout: float = 60, **kwargs) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


# Certificates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    ca: Path
    cert: Path
    key: Path

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca))
        context.set_alpn_protocols(["http/1.1"])
        return context


def make_certificates(folder: Path) -> Certificates:
    """A test certificate authority and a certificate it signed for localhost and 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "server.ext").write_text(
        "basicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        f"subjectAltName=DNS:{HOST},IP:127.0.0.1\n"
    )
    key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    for command in (
        f"req -x509 {key} -keyout ca.key -out ca.pem -days 2 -subj /CN=selector-test-CA"
        " -addext basicConstraints=critical,CA:TRUE"
        " -addext keyUsage=critical,keyCertSign,cRLSign",
        f"req -new {key} -keyout server.key -out server.csr -subj /CN={HOST}",
        "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem"
        " -days 2 -extfile server.ext",
    ):
        run(["openssl", *command.split()], cwd=folder)
    return Certificates(ca=folder / "ca.pem", cert=folder / "server.pem", key=folder / "server.key")


# The app: an instance with its database, and the Procfile's web process ----------------------


def production_environment(database_url: str) -> dict[str, str]:
    """What an operator sets for the web process behind the front proxy."""
    alphabet = string.ascii_letters + string.digits
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FLASK_", "GRANIAN_"))
        and name not in ("DATABASE_URL", "REDIS_URL", "PORT", "WEB_CONCURRENCY")
    }
    environment.update(
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        FLASK_SECRET_KEY="k" + "".join(secrets.choice(alphabet) for _ in range(39)),
        FLASK_TRUSTED_HOSTS='["localhost", "127.0.0.1"]',
        FLASK_SERVER_NAME=HOST,
        FLASK_PROXY_COUNT="1",
        DATABASE_URL=database_url,
        WEB_CONCURRENCY="2",
    )
    return environment


def prepare_instance(folder: Path) -> dict[str, str]:
    """A SQLite database at the latest migration with the content loaded, as `release` does."""
    folder.mkdir(parents=True, exist_ok=True)
    environment = production_environment(f"sqlite:///{folder / 's.sqlite'}")
    flask = str(VENV_BIN / "flask")
    for command in (["db", "upgrade"], ["content", "load"]):
        run([flask, "--app", "wsgi", *command], timeout=120, cwd=ROOT, env=environment)
    return environment


# Processes ------------------------------------------------------------------------------------


class Group:
    """Processes started in their own process groups, each killed with its group."""

    def __init__(self, folder: Path, netns: str | None = None) -> None:
        self.folder = folder
        self.netns = netns
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        if self.netns:
            command = ["ip", "netns", "exec", self.netns, *command]
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        log.close()
        self.processes.append((name, process))
        return process

    def logs(self) -> str:
        return "\n".join(
            f"--- {name}.log (exit {process.poll()}) ---\n"
            + (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]
            for name, process in self.processes
        )

    def check_running(self) -> None:
        for name, process in self.processes:
            assert process.poll() is None, f"{name} exited\n{self.logs()}"

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in reversed(self.processes):
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=10)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def start_web(group: Group, environment: dict[str, str], port: int) -> None:
    """The Procfile's web line, through a shell as Procfiles are run."""
    group.start(
        "granian",
        ["sh", "-c", PROCFILE_WEB],
        cwd=ROOT,
        env={**environment, "PORT": str(port)},
    )


def nginx_config(
    folder: Path, certificates: Certificates, changes: tuple[tuple[str, str, int], ...] = ()
) -> Path:
    """deploy/nginx.conf with its paths and certificate under `folder`, plus `changes`.

    Each change is (shipped text, replacement, how many times the text occurs). The files
    it includes are copied beside it unchanged.
    """
    replacements = {
        "user www-data;": (f"user {pwd.getpwuid(os.getuid()).pw_name};", 1),
        "/run/nginx.pid": (str(folder / "nginx.pid"), 1),
        "/var/log/nginx/": (f"{folder}/", 2),
        "/var/lib/nginx/": (f"{folder}/", 5),
        "/etc/ssl/selector/fullchain.pem": (str(certificates.cert), 1),
        "/etc/ssl/selector/privkey.pem": (str(certificates.key), 1),
        "server_name guide.example;": (f"server_name {HOST};", 2),
    }
    replacements.update({old: (new, count) for old, new, count in changes})
    text = NGINX_CONF.read_text()
    for old, (new, count) in replacements.items():
        assert text.count(old) == count, f"deploy/nginx.conf: expected {old!r} {count} time(s)"
        text = text.replace(old, new)
    for name in NGINX_INCLUDES:
        assert f"include {name};" in text, f"deploy/nginx.conf no longer includes {name}"
        shutil.copyfile(NGINX_CONF.parent / name, folder / name)
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


def start_nginx(group: Group, binary: str, conf: Path) -> None:
    """nginx in the foreground, its pid, logs and temporary files beside `conf`."""
    command = [binary, "-p", f"{conf.parent}/", "-c", str(conf), "-e", "stderr"]
    run([*command, "-t"], timeout=30)
    group.start("nginx", [*command, "-g", "daemon off;"])


def wait_until(ready: Callable[[], bool], group: Group, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        group.check_running()
        if ready():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} not ready after {seconds} s\n{group.logs()}")


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


# A network namespace: ports 80 and 443 of a loopback of our own ------------------------------


@contextmanager
def network_namespace() -> Iterator[str]:
    require(
        os.geteuid() == 0 and shutil.which("ip") is not None,
        "the Observatory scan needs ports 80 and 443 in a network namespace: run as root "
        "with iproute2",
    )
    name = f"selector-test-{os.getpid()}-{secrets.token_hex(3)}"
    run(["ip", "netns", "add", name])
    try:
        run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=30)


def wait_in_namespace(netns: str, group: Group, ports: list[int], seconds: float = 30) -> None:
    """Wait until every port accepts connections inside the namespace."""
    probe = (
        "import socket, sys, time\n"
        f"deadline = time.monotonic() + {seconds}\n"
        f"for port in {ports!r}:\n"
        "    while True:\n"
        "        try:\n"
        "            socket.create_connection(('127.0.0.1', port), timeout=1).close()\n"
        "            break\n"
        "        except OSError:\n"
        "            if time.monotonic() > deadline:\n"
        "                sys.exit(f'port {port} not listening')\n"
        "            time.sleep(0.1)\n"
    )
    done = subprocess.run(
        ["ip", "netns", "exec", netns, sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=seconds + 10,
    )
    group.check_running()
    assert done.returncode == 0, f"{done.stderr}\n{group.logs()}"


# Mozilla's HTTP Observatory -------------------------------------------------------------------

#: Grades each target with the scanner's own scan(), given "host/path" as its host name (it
#: builds its URLs as `https://${hostname}`, and the CLI takes no path). scan() refuses a page
#: whose status is 4xx other than 401 and 403; such a page is graded by the same retrieval,
#: the same ten tests and the same sum, with only that refusal left out, and the root page is
#: graded both ways to show the two agree.
SCAN_SCRIPT = r"""
const src = process.env.OBSERVATORY_SRC;
const { scan } = await import(`${src}/scanner/index.js`);
const { retrieve } = await import(`${src}/retriever/retriever.js`);
const { ALL_TESTS, NUM_TESTS } = await import(`${src}/constants.js`);
const { getGradeForScore, getScoreModifier } = await import(`${src}/grader/grader.js`);
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await import(`${src}/grader/charts.js`);

function brief(result) {
  const tests = {};
  for (const [name, test] of Object.entries(result.tests)) {
    tests[name] = { result: test.result, pass: test.pass, scoreModifier: test.scoreModifier };
  }
  const { grade, score, statusCode } = result.scan;
  return { grade, score, statusCode, tests };
}

async function scanAnyStatus(target) {
  const r = await retrieve(target);
  if (!r.responses.auto) throw new Error("The site seems to be down.");
  const tests = {};
  let withExtraCredit = 100, uncurved = 100, passed = 0;
  for (const test of ALL_TESTS) {
    const output = test(r);
    output.scoreModifier = getScoreModifier(output.result);
    passed += output.pass ? 1 : 0;
    withExtraCredit += output.scoreModifier;
    if (output.scoreModifier < 0) uncurved += output.scoreModifier;
    tests[output.constructor.name] = output;
  }
  const score = uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved;
  const { grade } = getGradeForScore(score);
  return brief({
    scan: { grade, score: Math.max(score, 0), statusCode: r.responses.auto.status,
            testsFailed: NUM_TESTS - passed },
    tests,
  });
}

const host = process.env.OBSERVATORY_HOST;
const report = {};
for (const path of JSON.parse(process.env.OBSERVATORY_PATHS)) {
  const target = `${host}${path}`;
  try {
    report[path] = { by: "scan", ...brief(await scan(target)) };
  } catch (error) {
    if (!/unexpected HTTP status code/.test(error.message)) {
      report[path] = { error: error.message };
      continue;
    }
    report[path] = { by: "scan without its status check", refused: error.message,
                     ...(await scanAnyStatus(target)) };
  }
}
report["agreement on /"] = await scanAnyStatus(`${host}/`);
console.log(JSON.stringify(report));
"""


def observatory_node() -> str:
    node = shutil.which("node")
    require(node is not None, "the Observatory scan needs Node.js: `apt-get install nodejs npm`")
    require(
        (OBSERVATORY / "src" / "scanner" / "index.js").exists(),
        "the Observatory scan needs @mdn/mdn-http-observatory: run `tools/install-test-tools` "
        "(or `npm ci --ignore-scripts` in tools/)",
    )
    preload = OBSERVATORY / "conf" / "hsts-preload.json"
    if not preload.exists() or not preload.stat().st_size:
        # Its install script would download the preload list; no test host is on it.
        preload.write_text("{}\n")
    return node


def observatory_scan(
    node: str, netns: str, ca: Path, paths: list[str], timeout: float = 50
) -> dict[str, dict]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    environment.update(
        NODE_EXTRA_CA_CERTS=str(ca),
        NO_PROXY="*",
        OBSERVATORY_SRC=(OBSERVATORY / "src").as_uri(),
        OBSERVATORY_HOST=HOST,
        OBSERVATORY_PATHS=json.dumps(paths),
    )
    done = subprocess.run(
        ["ip", "netns", "exec", netns, node, "--input-type=module", "-e", SCAN_SCRIPT],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=OBSERVATORY,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])

"""The shipped front proxy (deploy/nginx.conf) in front of the Procfile's granian, on loopback.

1. Slow request bodies do not take the site down: nginx holds them, not the app's workers,
   and drops them after its body timeout.
2. Port 80 redirects only to the site's own name; any other name gets no answer.
3. nginx's own responses (its redirect and its error pages) carry the app's security
   headers, with the values selector.edge.middleware sends, and the app's responses carry each once.
4. Every route reaches A+ on Mozilla's HTTP Observatory, graded by Mozilla's own scanner
   (@mdn/mdn-http-observatory, pinned in tools/package-lock.json) over ports 80 and 443 of a
   network namespace the test creates, with TLS from a certificate authority the test makes.
5. With deploy/nginx-websocket.conf included, a WebSocket handshake and a message pass
   through to a bare ASGI app; the main location passes the same request as plain HTTP, and
   holds an event stream back unless the response says `X-Accel-Buffering: no`.

Needs nginx and openssl (and, for 4, root, iproute2, Node.js and the npm tools); without
them the tests are skipped with the reason, and under CI=true they fail.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import secrets
import select
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from selector.edge.middleware import HSTS, SECURITY_HEADERS
from tests.conftest import NOT_FOUND, ROUTES
from tests.front_proxy import (
    HOST,
    NGINX_CONF,
    ROOT,
    VENV_BIN,
    Certificates,
    Group,
    accepts,
    free_port,
    make_certificates,
    network_namespace,
    nginx,
    nginx_config,
    observatory_node,
    observatory_scan,
    prepare_instance,
    start_nginx,
    start_web,
    wait_in_namespace,
    wait_until,
)
from tests.stream_app import EVENT, NOT_UPGRADED

#: deploy/nginx.conf's client_body_timeout.
BODY_TIMEOUT = 10
SLOW_CLIENTS = 20


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> tuple[dict[str, str], Certificates]:
    """The production environment with a loaded SQLite database, and the test's certificates."""
    nginx()
    folder = tmp_path_factory.mktemp("front-proxy")
    return prepare_instance(folder / "instance"), make_certificates(folder / "tls")


# 1. Slow bodies ---------------------------------------------------------------------------------


def loopback_ports() -> dict[str, int]:
    ports = {"app": free_port(), "http": free_port(), "https": free_port()}
    assert len(set(ports.values())) == 3
    return ports


def loopback_changes(ports: dict[str, int]) -> tuple[tuple[str, str, int], ...]:
    """deploy/nginx.conf on loopback `ports` for 80 and 443, with the app on `ports["app"]`."""
    return (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{ports['app']};", 1),
        ("listen 80", f"listen 127.0.0.1:{ports['http']}", 2),
        ("listen 443 ", f"listen 127.0.0.1:{ports['https']} ", 2),
        ("        listen [::]:80;\n", "", 1),
        ("        listen [::]:80 default_server;\n", "", 1),
        ("        listen [::]:443 ssl http2 default_server;\n", "", 1),
        ("        listen [::]:443 ssl http2;\n", "", 1),
    )


@pytest.fixture(scope="module")
def loopback_proxy(instance, tmp_path_factory) -> Iterator[dict]:
    """granian on a free port behind deploy/nginx.conf on free loopback ports for 80 and 443."""
    environment, certificates = instance
    folder = tmp_path_factory.mktemp("loopback-proxy")
    ports = loopback_ports()
    conf = nginx_config(folder, certificates, loopback_changes(ports))
    group = Group(folder)
    try:
        start_web(group, environment, ports["app"])
        wait_until(lambda: accepts(ports["app"]), group, "granian")
        start_nginx(group, nginx(), conf)
        context = certificates.client_context()
        wait_until(lambda: get(ports["https"], "/healthz", context)[0] == 200, group, "the site")
        yield {**ports, "group": group, "context": context}
    finally:
        group.stop()


def get(port: int, path: str, context: ssl.SSLContext, timeout: float = 2, **headers):
    """One HTTPS GET to localhost; (status, headers), or (0, error) when it fails or times out."""
    connection = http.client.HTTPSConnection(HOST, port, context=context, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    except (OSError, http.client.HTTPException) as error:
        return 0, error
    finally:
        connection.close()


def slow_post(port: int, context: ssl.SSLContext) -> ssl.SSLSocket:
    """A form POST that announces 1000 bytes of body, sends one, and stalls."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock = context.wrap_socket(raw, server_hostname=HOST)
    sock.sendall(
        b"POST /decide HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nb"
    )
    return sock


def ends(sent: dict[ssl.SSLSocket, float], seconds: float) -> dict[ssl.SSLSocket, tuple]:
    """When (after its last byte) and how each connection was ended by the other side."""
    for sock in sent:
        sock.setblocking(False)
    pending, ended = set(sent), {}
    deadline = time.monotonic() + seconds
    while pending and time.monotonic() < deadline:
        readable, _, _ = select.select(list(pending), [], [], 0.2)
        for sock in readable:
            try:
                data = sock.recv(4096)
            except ssl.SSLWantReadError:
                continue  # a TLS record with no data in it, such as a session ticket
            except OSError as error:  # reset, or closed without close_notify
                data = type(error).__name__.encode()
            ended[sock] = (time.monotonic() - sent[sock], data[:40])
            pending.discard(sock)
    return ended


def test_slow_bodies_do_not_take_the_site_down(loopback_proxy):
    port, context = loopback_proxy["https"], loopback_proxy["context"]
    sent: dict[ssl.SSLSocket, float] = {}
    try:
        for _ in range(SLOW_CLIENTS):
            sock = slow_post(port, context)
            sent[sock] = time.monotonic()
        time.sleep(0.5)
        # More slow bodies than the app has workers (2, one thread each), and still:
        answers = []
        for path in ("/healthz", "/guide", "/guide", "/healthz"):
            started = time.monotonic()
            status, _ = get(port, path, context, timeout=2)
            answers.append((path, status, round(time.monotonic() - started, 3)))
        loopback_proxy["group"].check_running()
        assert all(status == 200 for _, status, _ in answers), answers
        assert all(seconds < 2 for _, _, seconds in answers), answers
        # They were held all along, and ended by nginx's body timeout, not answered by the app.
        ended = ends(sent, BODY_TIMEOUT + 10)
        assert len(ended) == SLOW_CLIENTS, f"{SLOW_CLIENTS - len(ended)} still open after 20 s"
        for seconds, data in ended.values():
            assert BODY_TIMEOUT - 1 <= seconds <= BODY_TIMEOUT + 6, (seconds, data)
            assert data in (b"", b"ConnectionResetError") or data.startswith(b"HTTP/1.1 408"), data
    finally:
        for sock in sent:
            sock.close()


def test_the_proxy_redirects_http_refuses_big_bodies_and_names_each_request(loopback_proxy):
    context = loopback_proxy["context"]
    plain = http.client.HTTPConnection("127.0.0.1", loopback_proxy["http"], timeout=5)
    plain.request("GET", "/guide?x=1", headers={"Host": HOST})
    response = plain.getresponse()
    assert (response.status, response.getheader("Location")) == (301, "https://localhost/guide?x=1")
    plain.close()
    # Refused before it is read: the announced length is over client_max_body_size (64k).
    big = http.client.HTTPSConnection(HOST, loopback_proxy["https"], context=context, timeout=5)
    big.putrequest("POST", "/decide")
    big.putheader("Content-Length", str(64 * 1024 + 1))
    big.endheaders()
    assert big.getresponse().status == 413
    big.close()
    # The request id is nginx's ($request_id), whatever the client sent.
    status, headers = get(
        loopback_proxy["https"], "/healthz", context, **{"X-Request-ID": "mine-123"}
    )
    assert status == 200
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"]), headers["X-Request-ID"]
    # A host name the site does not serve never reaches the app: no TLS handshake.
    raw = socket.create_connection(("127.0.0.1", loopback_proxy["https"]), timeout=5)
    with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME"):
        context.wrap_socket(raw, server_hostname="other.example")
    raw.close()


# 2. Port 80 redirects only to the site's own name ---------------------------------------------


def exchange(
    port: int, request: bytes, context: ssl.SSLContext | None = None
) -> http.client.HTTPResponse | None:
    """Send `request` as it is (over TLS for localhost when given a context) and read the
    answer; None when the connection is closed without one (nginx's 444)."""
    sock: socket.socket = socket.create_connection(("127.0.0.1", port), timeout=5)
    if context is not None:
        sock = context.wrap_socket(sock, server_hostname=HOST)
    try:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock, method="GET")
        try:
            response.begin()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return None
        response.read()
        return response
    finally:
        sock.close()


def test_port_80_redirects_only_to_the_sites_own_name(loopback_proxy):
    port = loopback_proxy["http"]
    own = exchange(port, b"GET /guide?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert own is not None
    assert (own.status, own.getheader("Location")) == (301, "https://localhost/guide?x=1")
    # Any other name, however it is given, gets no answer at all: the connection is closed.
    for request in (
        b"GET /guide HTTP/1.1\r\nHost: evil.example\r\n\r\n",
        b"GET /guide HTTP/1.1\r\nHost: evil.example:80\r\n\r\n",
        b"GET /guide HTTP/1.1\r\nHost: localhost.evil.example\r\n\r\n",
        b"GET http://evil.example/guide HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /guide HTTP/1.0\r\n\r\n",
    ):
        response = exchange(port, request)
        assert response is None, (request, response.status, response.getheader("Location"))


# 3. Security headers on nginx's own responses -------------------------------------------------


def assert_security_headers(response: http.client.HTTPResponse, hsts: bool | None) -> None:
    """Each of the app's security headers exactly once, with the app's value. HSTS likewise
    when `hsts`, never when False, and when None (plain HTTP, where browsers ignore it)
    at most once and right."""
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_all(name) == [value], (name, response.headers.items())
    sent = response.headers.get_all("Strict-Transport-Security")
    expected = {True: ([HSTS],), False: (None,), None: (None, [HSTS])}[hsts]
    assert sent in expected, (sent, response.headers.items())


BIG_BODY = 70 * 1024
#: (name, status, port ("http" or "https"), over TLS, the request, HSTS expected)
NGINX_RESPONSES = [
    ("redirect", 301, "http", False, b"GET /guide HTTP/1.1\r\nHost: localhost\r\n\r\n", False),
    ("malformed request line", 400, "https", True, b"G@T / HTTP/1.1\r\n\r\n", True),
    (
        "header too large",
        400,
        "https",
        True,
        b"GET /guide HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",
        True,
    ),
    (
        "duplicate Host",
        400,
        "https",
        True,
        b"GET /guide HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n",
        True,
    ),
    ("no Host", 400, "https", True, b"GET /guide HTTP/1.1\r\n\r\n", True),
    (
        "plain HTTP to the HTTPS port",
        400,
        "https",
        False,
        b"GET /guide HTTP/1.1\r\nHost: localhost\r\n\r\n",
        None,
    ),
    (
        "plain HTTP to the HTTPS port, another name",
        400,
        "https",
        False,
        b"GET /guide HTTP/1.1\r\nHost: evil.example\r\n\r\n",
        None,
    ),
    (
        "nginx's 404",
        404,
        "https",
        True,
        b"GET /.edge-error HTTP/1.1\r\nHost: localhost\r\n\r\n",
        True,
    ),
    ("TRACE", 405, "https", True, b"TRACE /guide HTTP/1.1\r\nHost: localhost\r\n\r\n", True),
    (
        "70 KB body",
        413,
        "https",
        True,
        b"POST /decide HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {BIG_BODY}\r\n\r\n".encode()
        + b"a" * BIG_BODY,
        True,
    ),
    (
        "20 KB URI",
        414,
        "https",
        True,
        b"GET /" + b"a" * 20 * 1024 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
        True,
    ),
]


@pytest.mark.parametrize(
    ("status", "port", "tls", "request_bytes", "hsts"),
    [case[1:] for case in NGINX_RESPONSES],
    ids=[case[0] for case in NGINX_RESPONSES],
)
def test_nginx_responses_carry_the_security_headers(
    loopback_proxy, status, port, tls, request_bytes, hsts
):
    context = loopback_proxy["context"] if tls else None
    response = exchange(loopback_proxy[port], request_bytes, context)
    assert response is not None
    assert response.status == status, response.headers.items()
    assert_security_headers(response, hsts)
    assert response.getheader("Retry-After") is None


def test_too_many_requests_at_once_carry_the_headers_and_retry_after(loopback_proxy):
    """limit_conn: 32 requests in progress from one address (stalled uploads), the 33rd is 429."""
    port, context = loopback_proxy["https"], loopback_proxy["context"]
    held = []
    try:
        held = [slow_post(port, context) for _ in range(32)]
        time.sleep(0.5)
        response = exchange(
            port, b"GET /guide HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", context
        )
        assert response is not None
        assert response.status == 429, response.headers.items()
        assert_security_headers(response, True)
        assert response.getheader("Retry-After") == "1"
    finally:
        for sock in held:
            sock.close()
    # Closed uploads free their places at once.
    deadline = time.monotonic() + 10
    while get(port, "/healthz", context)[0] != 200:
        assert time.monotonic() < deadline, "still 429 after the uploads were closed"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def proxy_without_app(instance, tmp_path_factory) -> Iterator[dict]:
    """deploy/nginx.conf as in loopback_proxy, with nothing listening on the app's port."""
    _, certificates = instance
    folder = tmp_path_factory.mktemp("proxy-without-app")
    ports = loopback_ports()
    group = Group(folder)
    try:
        start_nginx(group, nginx(), nginx_config(folder, certificates, loopback_changes(ports)))
        wait_until(lambda: accepts(ports["https"]), group, "nginx")
        yield {**ports, "context": certificates.client_context()}
    finally:
        group.stop()


def test_the_app_down_is_a_502_with_the_headers(proxy_without_app):
    response = exchange(
        proxy_without_app["https"],
        b"GET /guide HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        proxy_without_app["context"],
    )
    assert response is not None
    assert response.status == 502, response.headers.items()
    assert_security_headers(response, True)


@pytest.mark.parametrize(
    ("path", "status"), [("/guide", 200), ("/healthz", 200), ("/no-such-page", 404)]
)
def test_the_apps_responses_carry_each_header_once_and_pass_unchanged(loopback_proxy, path, status):
    response = exchange(
        loopback_proxy["https"],
        f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode(),
        loopback_proxy["context"],
    )
    assert response is not None
    assert response.status == status
    assert_security_headers(response, True)
    # The app's own page and headers (its request id), not nginx's error page.
    assert response.getheader("X-Request-ID") is not None
    assert response.getheader("Cache-Control") != "no-store"


# The header values in deploy/nginx.conf are the app's ----------------------------------------


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] | None = field(default=None)

    def children(self, name: str) -> list[Directive]:
        return [child for child in self.block or [] if child.name == name]


NGINX_TOKEN = re.compile(
    r"""\s+|\#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'\#]+)"""
)


def parse_nginx(path: Path) -> list[Directive]:
    """The directives of an nginx configuration file, with its includes (from its folder)
    parsed in their places."""
    tokens: list[tuple[str, bool]] = []  # (text, is a brace or semicolon)
    text = path.read_text()
    position = 0
    while position < len(text):
        match = NGINX_TOKEN.match(text, position)
        assert match, f"{path.name}: cannot read {text[position : position + 40]!r}"
        position = match.end()
        double, single, punctuation, word = match.groups()
        if punctuation:
            tokens.append((punctuation, True))
        elif word is not None or double is not None or single is not None:
            quoted = double if double is not None else single
            value = word if word is not None else re.sub(r"\\(.)", r"\1", quoted or "")
            tokens.append((value, False))

    def block(index: int, closing: bool) -> tuple[list[Directive], int]:
        directives: list[Directive] = []
        words: list[str] = []
        while index < len(tokens):
            value, punctuation = tokens[index]
            index += 1
            if not punctuation:
                words.append(value)
            elif value == ";":
                name, *args = words
                if name == "include":
                    directives.extend(parse_nginx(path.parent / args[0]))
                else:
                    directives.append(Directive(name, args))
                words = []
            elif value == "{":
                inner, index = block(index, True)
                directives.append(Directive(words[0], words[1:], inner))
                words = []
            else:
                assert closing and not words, f"{path.name}: unexpected }}"
                return directives, index
        assert not closing and not words, f"{path.name}: unclosed block"
        return directives, index

    return block(0, False)[0]


def added_headers(directive: Directive) -> dict[str, str]:
    """The headers a server or location adds itself, each once and `always` (on errors too)."""
    headers: dict[str, str] = {}
    for add in directive.children("add_header"):
        name, value, *flags = add.args
        assert flags == ["always"], f"add_header {name} without always"
        assert name not in headers, f"add_header {name} twice in one block"
        headers[name] = value
    return headers


def test_nginx_conf_adds_the_apps_security_headers_to_its_own_responses_only():
    """nginx sends these headers itself, on the responses it makes; their values are
    selector.edge.middleware's (SECURITY_HEADERS and HSTS), and never added where it proxies the app."""
    (http_block,) = [d for d in parse_nginx(NGINX_CONF) if d.name == "http"]
    security = set(SECURITY_HEADERS) | {"Strict-Transport-Security"}
    assert not (set(added_headers(http_block)) & security)  # inherited by every location
    servers = http_block.children("server")
    assert len(servers) == 4
    for server in servers:
        listens = [listen.args for listen in server.children("listen")]
        tls = any("ssl" in listen for listen in listens)
        expected = {**SECURITY_HEADERS, **({"Strict-Transport-Security": HSTS} if tls else {})}
        locations = server.children("location")
        proxied = [location for location in locations if location.children("proxy_pass")]
        if not proxied:
            # Every response of this server is nginx's own.
            assert not locations
            assert added_headers(server) == expected, listens
            continue
        # Headers at the server level would be inherited by the proxied location.
        assert not (set(added_headers(server)) & security), listens
        for location in proxied:
            assert not (set(added_headers(location)) & security), location.args
            assert location.children("proxy_intercept_errors")[0].args == ["off"]
        # nginx's error pages come from the error_page targets, each with the headers.
        pages = server.children("error_page")
        codes = {code for page in pages for code in page.args[:-1] if not code.startswith("=")}
        assert {"400", "405", "413", "414", "429", "494", "497", "502", "504"} <= codes
        for target in {page.args[-1] for page in pages}:
            (location,) = [location for location in locations if location.args[-1] == target]
            headers = added_headers(location)
            assert {name: headers.get(name) for name in expected} == expected, target


# 4. Mozilla's HTTP Observatory ------------------------------------------------------------------

#: Every route the app's own header tests check, and the compare page without a choice.
SCANNED = [*ROUTES, "/compare", "/decide/result?starting_point=new&clients=spa&needs=realtime"]
A_PLUS = 120


@pytest.fixture(scope="module")
def observatory(instance, tmp_path_factory) -> dict[str, dict]:
    """Scan every route through the shipped configuration, unchanged but for paths and names.

    In a network namespace of its own, granian listens on 8000 (the upstream as shipped)
    and nginx on 80 and 443, and the scanner runs there too.
    """
    environment, certificates = instance
    binary, node = nginx(), observatory_node()
    folder = tmp_path_factory.mktemp("observatory")
    with network_namespace() as netns:
        group = Group(folder, netns)
        try:
            start_web(group, environment, 8000)
            start_nginx(group, binary, nginx_config(folder, certificates))
            wait_in_namespace(netns, group, [8000, 80, 443])
            report = observatory_scan(node, netns, certificates.ca, SCANNED)
            group.check_running()
            return report
        finally:
            group.stop()


@pytest.mark.parametrize("path", SCANNED)
def test_every_route_reaches_a_plus_on_mozillas_observatory(observatory, path):
    result = observatory[path]
    shown = json.dumps(result, indent=1)
    assert "error" not in result, shown
    failed = {name: test for name, test in result["tests"].items() if not test["pass"]}
    assert result["score"] >= A_PLUS and result["grade"] == "A+", f"{failed}\n{shown}"
    assert result["tests"]["redirection"]["result"] == "redirection-to-https", shown
    assert result["tests"]["strict-transport-security"]["pass"], shown
    if path == NOT_FOUND:
        assert result["statusCode"] == 404, shown
    if path == "/decide":
        # The form's token cookie is graded too, not missed.
        assert result["tests"]["cookies"]["result"] != "cookies-not-found", shown


def test_the_grading_of_error_pages_agrees_with_the_scanner(observatory):
    """The 4xx pages are graded with scan()'s steps minus its status check; on / they agree."""
    root = {key: value for key, value in observatory["/"].items() if key != "by"}
    assert observatory["agreement on /"] == root
    assert observatory[NOT_FOUND]["by"] == "scan without its status check"


# 5. Streams: deploy/nginx-websocket.conf carries WebSockets, the main location does not ------

#: The GUID RFC 6455 appends to the client's key to make Sec-WebSocket-Accept.
WEBSOCKET_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@pytest.fixture(scope="module")
def stream_proxy(tmp_path_factory) -> Iterator[dict]:
    """deploy/nginx.conf with its WebSocket include uncommented, in front of granian running a
    bare ASGI app (tests/stream_app.py) in place of the site."""
    binary = nginx()
    folder = tmp_path_factory.mktemp("websocket-proxy")
    certificates = make_certificates(folder / "tls")
    ports = loopback_ports()
    uncommented = ("# include nginx-websocket.conf;", "include nginx-websocket.conf;", 1)
    conf = nginx_config(folder, certificates, (*loopback_changes(ports), uncommented))
    group = Group(folder)
    try:
        group.start(
            "granian",
            [
                *(str(VENV_BIN / "granian"), "--interface", "asgi", "--workers", "1"),
                *("--host", "127.0.0.1", "--port", str(ports["app"]), "tests.stream_app:app"),
            ],
            cwd=ROOT,
        )
        wait_until(lambda: accepts(ports["app"]), group, "granian")
        start_nginx(group, binary, conf)
        wait_until(lambda: accepts(ports["https"]), group, "nginx")
        yield {"port": ports["https"], "context": certificates.client_context(), "group": group}
    finally:
        group.stop()


def receive_exactly(sock: ssl.SSLSocket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, f"closed after {data!r}"
        data += chunk
    return data


def upgrade_request() -> tuple[dict[str, str], bytes]:
    """A browser's WebSocket opening headers, and the Sec-WebSocket-Accept they call for."""
    key = base64.b64encode(secrets.token_bytes(16))
    headers = {
        "Host": HOST,
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": key.decode(),
        "Sec-WebSocket-Version": "13",
    }
    return headers, base64.b64encode(hashlib.sha1(key + WEBSOCKET_GUID).digest())


def test_the_websocket_include_carries_a_handshake_and_a_message(stream_proxy):
    headers, accept = upgrade_request()
    raw = socket.create_connection(("127.0.0.1", stream_proxy["port"]), timeout=5)
    sock = stream_proxy["context"].wrap_socket(raw, server_hostname=HOST)
    try:
        lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        sock.sendall(f"GET /ws/echo HTTP/1.1\r\n{lines}\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := sock.recv(4096)):
            answer += chunk
        head = answer.lower().split(b"\r\n")
        assert head[0].startswith(b"http/1.1 101"), answer
        assert b"sec-websocket-accept: " + accept.lower() in head, answer
        # One masked text frame out, as a browser sends it; the same text comes back.
        text = b"hello through nginx"
        mask = secrets.token_bytes(4)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(text))
        sock.sendall(bytes([0x81, 0x80 | len(text)]) + mask + masked)
        first, second = receive_exactly(sock, 2)
        assert (first, second) == (0x81, len(text))  # a final text frame, unmasked, short
        assert receive_exactly(sock, len(text)) == text
    finally:
        sock.close()
    stream_proxy["group"].check_running()


def test_the_main_location_does_not_upgrade(stream_proxy):
    """The same request outside the WebSocket path reaches the app as plain HTTP."""
    headers, _ = upgrade_request()
    connection = http.client.HTTPSConnection(
        HOST, stream_proxy["port"], context=stream_proxy["context"], timeout=5
    )
    try:
        connection.request("GET", "/echo", headers=headers)
        response = connection.getresponse()
        assert (response.status, response.read()) == (426, NOT_UPGRADED)
    finally:
        connection.close()


def first_bytes(proxy: dict, path: str, seconds: float) -> bytes:
    """What a GET of an endless `path` brings within `seconds` (it is never complete)."""
    raw = socket.create_connection(("127.0.0.1", proxy["port"]), timeout=5)
    sock = proxy["context"].wrap_socket(raw, server_hostname=HOST)
    try:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        received = b""
        deadline = time.monotonic() + seconds
        while EVENT not in received and (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
        return received
    finally:
        sock.close()


def test_the_main_location_passes_an_event_stream_at_once_when_the_app_asks(stream_proxy):
    """location / buffers what the app sends (proxy_buffering on), so an event stream waits
    in nginx, unless the response says `X-Accel-Buffering: no`, as FastAPI's does."""
    marked = first_bytes(stream_proxy, "/events", seconds=5)
    assert marked.startswith(b"HTTP/1.1 200") and EVENT in marked, marked
    assert EVENT not in first_bytes(stream_proxy, "/events-unmarked", seconds=2)

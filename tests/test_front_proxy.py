"""The shipped front proxy (deploy/nginx.conf) in front of the Procfile's granian, on loopback.

1. Slow request bodies do not take the site down: nginx holds them, not the app's workers,
   and drops them after its body timeout.
2. Every route reaches A+ on Mozilla's HTTP Observatory, graded by Mozilla's own scanner
   (@mdn/mdn-http-observatory, pinned in tools/package-lock.json) over ports 80 and 443 of a
   network namespace the test creates, with TLS from a certificate authority the test makes.

Needs nginx and openssl (and, for 2, root, iproute2, Node.js and the npm tools); without
them the tests are skipped with the reason, and under CI=true they fail.
"""

from __future__ import annotations

import http.client
import json
import re
import select
import socket
import ssl
import time
from collections.abc import Iterator

import pytest

from tests.front_proxy import (
    HOST,
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


@pytest.fixture(scope="module")
def loopback_proxy(instance, tmp_path_factory) -> Iterator[dict]:
    """granian on a free port behind deploy/nginx.conf on free loopback ports for 80 and 443."""
    environment, certificates = instance
    folder = tmp_path_factory.mktemp("loopback-proxy")
    ports = {"app": free_port(), "http": free_port(), "https": free_port()}
    assert len(set(ports.values())) == 3
    conf = nginx_config(
        folder,
        certificates,
        (
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{ports['app']};", 1),
            ("listen 80 ", f"listen 127.0.0.1:{ports['http']} ", 1),
            ("listen 443 ", f"listen 127.0.0.1:{ports['https']} ", 2),
            ("        listen [::]:80 default_server;\n", "", 1),
            ("        listen [::]:443 ssl http2 default_server;\n", "", 1),
            ("        listen [::]:443 ssl http2;\n", "", 1),
        ),
    )
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


# 2. Mozilla's HTTP Observatory ------------------------------------------------------------------

NOT_FOUND = "/no-such-page"
#: The issue's routes, and every route tests/observatory.py's port graded (tests/test_http.py).
ROUTES = [
    "/",
    "/guide",
    "/frameworks/flask",
    "/compare",
    "/compare?f=flask&f=django",
    "/scenarios",
    "/scenarios/json-api",
    "/decide",
    "/decide/result?batteries=no&async_or_typed=yes&assemble=no",
    "/decide/result?batteries=no&async_or_typed=no&assemble=yes",
    "/decide/result.md?batteries=no&async_or_typed=no&assemble=yes",
    "/decide/result?batteries=perhaps",
    "/api/v1/openapi.json",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/readyz",
    "/static/style.css",
    NOT_FOUND,
]
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
            report = observatory_scan(node, netns, certificates.ca, ROUTES)
            group.check_running()
            return report
        finally:
            group.stop()


@pytest.mark.parametrize("path", ROUTES)
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

"""The Mozilla HTTP Observatory's scoring rules, applied to one response.

Penalties first; bonuses count only when the score without them is 90 or more.
Each rule names the Observatory test result it implements.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

SIX_MONTHS = 15768000


def _policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return directives


def csp(headers) -> tuple[str, int]:
    header = headers.get("Content-Security-Policy")
    if not header:
        return "csp-not-implemented", -25
    policy = _policy(header)
    default = policy.get("default-src")
    for directive in ("script-src", "object-src"):
        sources = policy.get(directive, default)
        if sources is None:
            return "csp-implemented-with-unsafe-inline", -20
        if {"'unsafe-inline'", "data:", "https:", "http:", "*"} & set(sources):
            return "csp-implemented-with-unsafe-inline", -20
    if any("'unsafe-eval'" in sources for sources in policy.values()):
        return "csp-implemented-with-unsafe-eval", -10
    if "'unsafe-inline'" in policy.get("style-src", default or []):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies(headers, hsts: bool) -> tuple[str, int]:
    raw = headers.get_all("Set-Cookie")
    if not raw:
        return "cookies-not-found", 0
    parsed = [SimpleCookie(line) for line in raw]
    morsels = [m for cookie in parsed for m in cookie.values()]
    if any(m["samesite"] and m["samesite"].lower() not in ("strict", "lax") for m in morsels):
        return "cookies-samesite-flag-invalid", -20
    session = [m for m in morsels if "session" in m.key.lower()]
    if any(not m["httponly"] for m in session):
        return "cookies-session-without-httponly-flag", -30
    if any(not m["secure"] for m in session):
        if hsts:
            return "cookies-session-without-secure-flag-but-protected-by-hsts", -10
        return "cookies-session-without-secure-flag", -40
    if any(not m["secure"] for m in morsels):
        return (
            ("cookies-without-secure-flag-but-protected-by-hsts", -5)
            if hsts
            else ("cookies-without-secure-flag", -20)
        )
    if all(m["samesite"] for m in morsels):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def cors(headers) -> tuple[str, int]:
    if headers.get("Access-Control-Allow-Origin", "").strip() == "*":
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    return "cross-origin-resource-sharing-not-implemented", 0


def redirection(http_response) -> tuple[str, int]:
    location = http_response.headers.get("Location", "")
    if http_response.status_code in (301, 302, 307, 308) and location.startswith("https://"):
        return "redirection-to-https", 0
    return "redirection-missing", -20


def referrer(headers) -> tuple[str, int]:
    value = headers.get("Referrer-Policy", "").split(",")[-1].strip().lower()
    if not value:
        return "referrer-policy-not-implemented", 0
    if value in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
        return "referrer-policy-private", 5
    if value in ("origin", "origin-when-cross-origin", "unsafe-url"):
        return "referrer-policy-unsafe", -5
    return "referrer-policy-header-invalid", -5


def hsts(headers) -> tuple[str, int]:
    match = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if not match:
        return "hsts-not-implemented", -20
    if int(match.group(1)) < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


def sri(response) -> tuple[str, int]:
    if response.mimetype != "text/html":
        return "sri-not-implemented-response-not-html", 0
    scripts = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True), re.I)
    if not scripts:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    external = [s for s in scripts if re.search(r"src=[\"']?(https?:)?//", s)]
    if not external:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    if all("integrity=" in s for s in external):
        return "sri-implemented-and-external-scripts-loaded-securely", 5
    return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50


def content_type_options(headers) -> tuple[str, int]:
    value = headers.get("X-Content-Type-Options")
    if value is None:
        return "x-content-type-options-not-implemented", -5
    if value.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff", 0
    return "x-content-type-options-header-invalid", -5


def frame_options(headers) -> tuple[str, int]:
    if "frame-ancestors" in _policy(headers.get("Content-Security-Policy", "")):
        return "x-frame-options-implemented-via-csp", 5
    value = headers.get("X-Frame-Options", "").strip().lower()
    if value in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-not-implemented", -20


def resource_policy(headers) -> tuple[str, int]:
    value = headers.get("Cross-Origin-Resource-Policy", "").strip().lower()
    if not value:
        return "corp-not-implemented", 5
    if value in ("same-origin", "same-site"):
        return f"corp-implemented-with-{value}", 0
    if value == "cross-origin":
        return "corp-implemented-with-cross-origin", -20
    return "corp-header-invalid", -20


def grade(https_response, http_response) -> tuple[int, dict[str, tuple[str, int]]]:
    """Score a route from its HTTPS response and the answer to the same request over HTTP."""
    headers = https_response.headers
    protected = hsts(headers)[1] == 0
    results = {
        "content-security-policy": csp(headers),
        "cookies": cookies(headers, protected),
        "cross-origin-resource-sharing": cors(headers),
        "redirection": redirection(http_response),
        "referrer-policy": referrer(headers),
        "strict-transport-security": hsts(headers),
        "subresource-integrity": sri(https_response),
        "x-content-type-options": content_type_options(headers),
        "x-frame-options": frame_options(headers),
        "cross-origin-resource-policy": resource_policy(headers),
    }
    score = 100 + sum(points for _, points in results.values() if points < 0)
    if score >= 90:
        score += sum(points for _, points in results.values() if points > 0)
    return max(score, 0), results

"""What keeps the page to the clerk who started it: a random token in the address (kept in a
cookie after the first visit), the Host header checked against the addresses served (no DNS
rebinding), the Origin of every POST checked, and a CSRF token on every form and upload."""

import hashlib
import hmac
import secrets

from flask import Flask, abort, g, redirect, request

COOKIE = "docgen_token"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def new_token() -> str:
    return secrets.token_urlsafe(18)


def csrf_for(token: str) -> str:
    """The CSRF token of a server: derived from its access token, so no state is kept."""
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()[:32]


def install(app: Flask, token: str, hosts: set[str]) -> None:
    """Refuse every request that does not carry the token, names a foreign Host, or (a POST)
    comes from a foreign Origin or without the CSRF token."""
    csrf = csrf_for(token)

    @app.before_request
    def guard():
        if request.host.lower() not in hosts:
            abort(400, description="foreign-host")
        given = request.args.get("token")
        if given is not None:
            if not hmac.compare_digest(given, token):
                abort(403, description="bad-token")
            if request.method in SAFE_METHODS:
                # Keep the token in a cookie and drop it from the address bar.
                query = {k: v for k, v in request.args.items() if k != "token"}
                target = request.path + (
                    "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
                )
                response = redirect(target)
                response.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
                return response
        elif not hmac.compare_digest(request.cookies.get(COOKIE, ""), token):
            abort(403, description="no-token")
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
            if not any(
                origin == f"http://{host}" or origin.startswith(f"http://{host}/") for host in hosts
            ):
                abort(403, description="foreign-origin")
            sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
            if not hmac.compare_digest(sent, csrf):
                abort(403, description="no-csrf")
        g.csrf = csrf

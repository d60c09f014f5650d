"""A WSGI application that does nothing: the floor under bench/feedback.py's load.

It answers the load generator's two requests the way Koers's answer page does (a page with a
CSRF cookie and form token; a POST answered with a 302 to the thank-you page), without
Django and without a database, so gunicorn and the load generator are measured alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

PAGE = (
    b'<!doctype html><form method="post"><input type="hidden" name="csrfmiddlewaretoken"'
    b' value="floorfloorfloorfloorfloorfloor12"></form>'
)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"].read(length)
        location = environ["PATH_INFO"] + "bedankt/?taal=nl"
        start_response("302 Found", [("Location", location), ("Content-Length", "0")])
        return [b""]
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(PAGE))),
        ("Set-Cookie", "csrftoken=floorfloorfloorfloorfloorfloor12; Path=/"),
    ]
    start_response("200 OK", headers)
    return [PAGE]

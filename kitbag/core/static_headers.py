"""The browser protections on static files, which WhiteNoise answers before any other middleware.

WhiteNoise serves /static/ from inside the middleware stack, ahead of django-csp and the
clickjacking middleware, so without this its answers would lack the policy every page has. It calls
`add_static_headers` once per file when it starts (WHITENOISE_ADD_HEADERS_FUNCTION in
settings.py). A static file is never a page, so its policy allows nothing to run or load in it: an
SVG or a stylesheet opened on its own can run no script and be framed by nobody.
"""

from __future__ import annotations

from collections.abc import MutableMapping

# Nothing may run, load or submit from a static file shown on its own; a stylesheet's own fonts
# and images load under the policy of the page that uses it, not this one.
STATIC_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def add_static_headers(headers: MutableMapping[str, str], path: str, url: str) -> None:
    headers["Content-Security-Policy"] = STATIC_CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"

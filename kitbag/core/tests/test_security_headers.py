"""Every page carries the browser protections; production adds transport security."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from kitbag.core.tests.test_settings import run_kitbag

PRODUCTION_ENV = {
    "KITBAG_ENVIRONMENT": "production",
    "SECRET_KEY": "k" * 20 + "this-is-a-long-random-production-secret-key-for-tests",
    "ALLOWED_HOSTS": "kitbag.example.org,testserver",
}
PAGES = ["/", "/about-the-data/", "/account/login/", "/account/signup/", "/no-such-page/"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages_forbid_inline_and_foreign_script(client: Client, url: str) -> None:
    response = client.get(url)
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    for name, sources in directives.items():
        assert "'unsafe-inline'" not in sources, name
        assert "'unsafe-eval'" not in sources, name
        assert "*" not in sources, name


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages_cannot_be_framed_sniffed_or_leak_the_referrer(client: Client, url: str) -> None:
    response = client.get(url)
    assert csp_directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style_attribute(client: Client) -> None:
    for url in PAGES:
        html = client.get(url).content.decode()
        assert "<script>" not in html, url
        assert "style=" not in html, url
        assert " onclick=" not in html.lower(), url


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_not_readable_by_script_where_it_matters(
    client: Client,
) -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    # Django's own advice: the CSRF cookie being readable adds no risk, and GOV.UK Frontend
    # forms do not need it, so the setting only documents the choice.
    assert settings.CSRF_COOKIE_HTTPONLY is False
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_security_txt_says_how_to_report_a_vulnerability(client: Client) -> None:
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Contact: mailto:security@kitbag.example" in text
    assert "Expires: " in text
    assert "Canonical: http://testserver/.well-known/security.txt" in text


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client

# No collectstatic here: plain storage, as in the root conftest.py.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
client = Client()
plain = client.get("/healthz")
secure = client.get("/account/login/", secure=True)
csrf = secure.cookies.get("csrftoken")
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts_seconds": settings.SECURE_HSTS_SECONDS,
    "hsts_subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code,
    "hsts_header": secure.get("Strict-Transport-Security", ""),
    "csrf_cookie_secure": bool(csrf and csrf["secure"]),
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp_path: Path = tmp_path_factory.mktemp("production")
    migrated = run_kitbag("migrate", "--noinput", env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    result = run_kitbag("shell", "-c", PRODUCTION_PROBE, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    probe: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return probe


def test_production_cookies_are_secure_only(production: dict[str, object]) -> None:
    assert production["session_secure"] is True
    assert production["csrf_secure"] is True
    assert production["csrf_cookie_secure"] is True


def test_production_redirects_plain_http_to_https(production: dict[str, object]) -> None:
    assert production["plain_status"] == 301
    assert str(production["plain_location"]).startswith("https://")


def test_production_sends_hsts_for_a_year_including_subdomains(
    production: dict[str, object],
) -> None:
    assert production["secure_status"] == 200
    assert production["hsts_seconds"] == 31536000
    assert production["hsts_subdomains"] is True
    assert production["hsts_header"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize(
    "path", ["kitbag/kitbag.css", "kitbag/start.mjs", "govuk/assets/images/favicon.svg"]
)
def test_static_files_carry_the_same_protections_as_pages(client: Client, path: str) -> None:
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / path).exists():
        pytest.skip(f"{path} is not collected (run `make install`)")
    response = client.get(f"/static/{path}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "script-src" not in directives  # nothing may run in a static file shown on its own

"""How the API is put together: plumbing in kitbag/api/, a subpackage per domain, no page modules.

What a page and the API both need (queries, services, permissions, a FilterSet) lives in the domain
app; the API never reaches into a page's views or forms for it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from drf_spectacular.views import SpectacularAPIView

from kitbag.api.base import ApiView
from kitbag.api.tests.routes import api_url_patterns, view_class_of

API = Path(__file__).resolve().parents[1]
PAGE_MODULE = re.compile(r"^(views|forms)(_\w+)?$")
DOMAINS = ("registry", "accounts", "cases", "meetings", "performance", "resources")


def _module_name(path: Path) -> str:
    # A package's __init__ keeps its name here, so that its relative imports resolve rightly.
    return ".".join(path.relative_to(API.parents[1]).with_suffix("").parts)


def imported_modules(source: str, *, module: str) -> list[str]:
    """Every module an import names, relative ones made absolute; `from x import y` gives both
    x and x.y, since y may be a module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[: -node.level]
                base = ".".join([*package, *([base] if base else [])])
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def page_modules_among(modules: list[str]) -> list[str]:
    """Those that are a domain app's page module: kitbag.<app>...views, views_*, forms, forms_*."""
    return [
        name
        for name in modules
        if name.startswith("kitbag.")
        and name.split(".")[1] != "api"
        and any(PAGE_MODULE.match(part) for part in name.split(".")[2:])
    ]


def test_no_api_module_imports_a_page_module() -> None:
    offenders = {}
    for path in sorted(API.rglob("*.py")):
        module = _module_name(path)
        found = page_modules_among(imported_modules(path.read_text(), module=module))
        if found:
            offenders[module] = found
    assert offenders == {}


@pytest.mark.parametrize(
    "source",
    [
        "from kitbag.cases.views import case_detail",
        "from kitbag.cases import forms_spread",
        "import kitbag.accounts.views.profile",
        "from kitbag.meetings.calendar.views import calendar",
        "from ...cases.views_spread import adoption_create",
    ],
)
def test_the_check_finds_a_page_module_however_it_is_imported(source: str) -> None:
    modules = imported_modules(source, module="kitbag.api.cases.views")
    assert page_modules_among(modules)


@pytest.mark.parametrize(
    "source",
    [
        "from kitbag.registry.filters import OrganisationFilter",
        "from kitbag.cases import services, queries",
        "from kitbag.api.cases import views",
        "from rest_framework.views import APIView",
        "from django import forms",
    ],
)
def test_the_check_lets_domain_reads_writes_and_the_apis_own_modules_through(
    source: str,
) -> None:
    assert page_modules_among(imported_modules(source, module="kitbag.api.urls")) == []


def test_each_domain_has_its_views_serializers_urls_and_tests() -> None:
    for domain in DOMAINS:
        for part in ("views.py", "serializers.py", "urls.py", "tests/__init__.py"):
            assert (API / domain / part).is_file(), f"kitbag/api/{domain}/{part}"


def test_every_api_view_derives_from_the_one_base() -> None:
    checked = 0
    for pattern in api_url_patterns():
        view_class = view_class_of(pattern)
        if view_class is None or view_class is SpectacularAPIView:
            continue  # the docs page and the JSON 404 are plain views; the schema is a library's
        assert issubclass(view_class, ApiView), pattern.name
        checked += 1
    assert checked >= 15

"""The API docs page (/api/docs), read from the OpenAPI schema so the docs cannot drift from the API."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from kitbag.api.pagination import KitbagPagination
from kitbag.core.rate_limits import describe_rate

HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# Realistic values for the example request of each operation; other parameters are left out.
EXAMPLE_PARAMETERS: dict[str, dict[str, str]] = {
    "organisations_list": {"kind": "local-authority", "nation": "Wales", "current": "true"},
    "organisations_retrieve": {"slug": "cardiff"},
    "organisations_resolve": {"name": "Cyngor Caerdydd"},
    "profiles_retrieve": {"id": "1"},
    "cases_list": {"q": "chatbot council tax", "phase": "live"},
    "cases_retrieve": {"id": "3f1c9a52-6d1e-4b8a-9c57-2f0e8d4b7a10"},
    "cases_similar_list": {"id": "3f1c9a52-6d1e-4b8a-9c57-2f0e8d4b7a10"},
    "cases_adoptions_list": {"id": "3f1c9a52-6d1e-4b8a-9c57-2f0e8d4b7a10"},
    "cases_adoptions_create": {"id": "3f1c9a52-6d1e-4b8a-9c57-2f0e8d4b7a10"},
    "cases_relations_list": {"id": "3f1c9a52-6d1e-4b8a-9c57-2f0e8d4b7a10"},
    "cases_relations_create": {"id": "3f1c9a52-6d1e-4b8a-9c57-2f0e8d4b7a10"},
    "adoptions_retrieve": {"id": "12"},
    "adoptions_destroy": {"id": "12"},
    "relations_retrieve": {"id": "7"},
    "relations_destroy": {"id": "7"},
}

# The JSON body of the example request of each write; a write not listed sends none.
EXAMPLE_BODIES: dict[str, str] = {
    "me_profile_partial_update": '{"job_title": "Analyst"}',
    "cases_adoptions_create": '{"organisation": "camden", "status": "piloting", "cost": "12500"}',
    "cases_relations_create": (
        '{"to_case": "8d2b4e61-0c3f-4a7e-b1d9-5e6f7a8b9c0d", "relation": "adapted", '
        '"changes_made": "Translated into Welsh"}'
    ),
}


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "query" or "path"
    required: bool
    type: str
    description: str
    allowed: list[str]


@dataclass(frozen=True)
class ResponseCode:
    status: str
    description: str


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    responses: list[ResponseCode]
    example_url: str
    # Only with a token: the schema's security list for it does not allow anonymous ({}).
    needs_token: bool = False

    @property
    def anchor(self) -> str:
        return self.operation_id.replace("_", "-")

    @property
    def curl(self) -> str:
        if self.method != "GET":
            body = EXAMPLE_BODIES.get(self.operation_id)
            sends = f"-H 'Content-Type: application/json' -d '{body}' " if body else ""
            return (
                f"curl -X {self.method} -H 'Authorization: Bearer $KITBAG_TOKEN' "
                f"{sends}'{self.example_url}'"
            )
        if self.needs_token:
            return (
                "curl -H 'Accept: application/json' -H 'Authorization: Bearer $KITBAG_TOKEN' "
                f"'{self.example_url}'"
            )
        return f"curl -H 'Accept: application/json' '{self.example_url}'"


def api_docs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/api_docs.html",
        {
            "operations": operations(base_url=request.build_absolute_uri("/").rstrip("/")),
            "max_page_size": KitbagPagination.max_page_size,
            "default_page_size": KitbagPagination.page_size,
            "rate_limits": {
                "anonymous": describe_rate("api-anonymous"),
                "person": describe_rate("api-person"),
            },
        },
    )


@functools.cache
def openapi_schema() -> dict[str, Any]:
    """The schema is fixed for a given version of the code, so one generation per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(*, base_url: str) -> list[Operation]:
    schema = openapi_schema()
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                found.append(_operation(path, method, item[method], base_url=base_url))
    return found


def _operation(path: str, method: str, spec: dict[str, Any], *, base_url: str) -> Operation:
    operation_id = spec.get("operationId", f"{method}_{path}")
    parameters = [_parameter(raw) for raw in spec.get("parameters", [])]
    examples = EXAMPLE_PARAMETERS.get(operation_id, {})
    values = {
        parameter.name: examples.get(parameter.name)
        or (parameter.allowed[0] if parameter.allowed else parameter.name)
        for parameter in parameters
        if parameter.name in examples or parameter.required
    }
    example_path = path
    query: dict[str, str] = {}
    # In the order the examples are written, which reads better than the schema's sorted order.
    for name in sorted(
        values, key=lambda n: list(examples).index(n) if n in examples else len(examples)
    ):
        location = next(p.location for p in parameters if p.name == name)
        if location == "path":
            example_path = example_path.replace("{" + name + "}", values[name])
        elif location == "query":
            query[name] = values[name]
    example_url = base_url + example_path + (f"?{urlencode(query)}" if query else "")
    responses = [
        ResponseCode(status=code, description=str(response.get("description", "")))
        for code, response in sorted(spec.get("responses", {}).items())
    ]
    return Operation(
        operation_id=operation_id,
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        parameters=parameters,
        responses=responses,
        example_url=example_url,
        needs_token=bool(spec.get("security")) and {} not in spec.get("security", []),
    )


def _parameter(raw: dict[str, Any]) -> Parameter:
    schema = raw.get("schema", {})
    type_ = schema.get("type", "string")
    if schema.get("format"):
        type_ = f"{type_} ({schema['format']})"
    description = raw.get("description", "")
    # drf-spectacular appends a bulleted list of choices; the page shows them in their own column.
    description = description.split("\n\n*")[0].strip()
    return Parameter(
        name=raw["name"],
        location=raw.get("in", "query"),
        required=bool(raw.get("required", False)),
        type=type_,
        description=description,
        allowed=[str(value) for value in schema.get("enum", []) if value not in ("", None)],
    )

"""The OpenAPI responses that endpoints of more than one domain give, each written once.

A response that only one domain gives ("No public case has this id.") stays in that domain's
views. The 429 every operation may give is added by schema.py, not here.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse


def json_response(description: str) -> OpenApiResponse:
    """An answer whose body is a JSON object (an error: `detail`, or fields mapped to errors)."""
    return OpenApiResponse(response=OpenApiTypes.OBJECT, description=description)


# 400s: for reads, a wrong query parameter; for writes, a wrong field; for both, either.
BAD_PARAMETERS = json_response(
    "A parameter is wrong: the body maps each wrong parameter to what is wrong with it."
)
BAD_FIELDS = json_response("A field is wrong: the body maps each wrong field to what is wrong.")
BAD_REQUEST = json_response(
    "A parameter or field is wrong: the body maps each one to what is wrong."
)
BAD_PAGE_SIZE = json_response("page_size is not a whole number from 1; the body says so.")

UNAUTHENTICATED = json_response(
    "No valid credentials: send Authorization: Bearer <token>. The body says what is wrong."
)
FORBIDDEN = json_response("You may not make this change; the body says why.")
NOT_A_PAGE = json_response("There is no such page; the body says so in detail.")
NO_PARTNERSHIP = json_response("No partnership with this slug that you may see.")
NO_COMPARISON_GROUP = json_response("No comparison group with this slug that you may see.")
NOT_REPUBLISHED = json_response(
    "The indicator's figures come from a source Kitbag holds for evaluation only and does not "
    "republish; the body says so."
)

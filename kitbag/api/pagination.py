from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param


def whole_number_param(value: str, name: str, *, most: int | None = None) -> int:
    """A query parameter that must be a whole number from 1: else a 400 naming it.

    Above `most` it is `most` (a page size); without `most` it is as given (a page number,
    which each view checks against its last page).
    """
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        upper = f" to {most}" if most else ""
        raise ValidationError({name: [f"A whole number from 1{upper}."]})
    return min(int(value), most) if most else int(value)


def page_links(request: Request, *, page: int, pages: int) -> dict[str, str | None]:
    """`next` and `previous` for a list a domain's own search has paged (it counts and slices
    the results itself), written as KitbagPagination writes them: the first page's address has
    no page parameter."""
    url = request.build_absolute_uri()
    previous = None
    if page > 1:
        previous = (
            remove_query_param(url, "page")
            if page == 2
            else replace_query_param(url, "page", page - 1)
        )
    return {
        "next": replace_query_param(url, "page", page + 1) if page < pages else None,
        "previous": previous,
    }


class KitbagPagination(PageNumberPagination):
    """Every API list: count, next, previous, results; ?page=N&page_size=up to 1000.

    A page_size that is not a whole number of at least 1 is a 400, not silently the default: a
    client that asked for something else should hear so. Above the maximum it is the maximum.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_query_description = "Page number, from 1."
    page_size_query_description = "Results per page, from 1; above 1000 gives 1000 (default 50)."

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return whole_number_param(raw, self.page_size_query_param, most=self.max_page_size)

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        # DRF reads page= as page 1; an empty or wrong page is "Invalid page" (404) like any other.
        return request.query_params.get(self.page_query_param, 1)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

from rest_framework.pagination import PageNumberPagination


class KitbagPagination(PageNumberPagination):
    """Every API list: count, next, previous, results; ?page=N&page_size=up to 1000."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

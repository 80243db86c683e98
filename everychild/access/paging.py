"""How the API pages its lists (settings: DEFAULT_PAGINATION_CLASS); views that build a list
by hand use the same class."""

from rest_framework import pagination

MAX_PAGE = 100


class Paging(pagination.LimitOffsetPagination):
    """Every list is paged: no call returns more than MAX_PAGE rows (issue 17: one call must
    not copy every child of the area)."""

    default_limit = 50
    max_limit = MAX_PAGE

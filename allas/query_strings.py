"""Addresses holding a NUL character answer 400 before any view runs.

PostgreSQL refuses NUL in text ("A string literal cannot contain NUL"), so a ``%00`` in a
search box or a filter of any page (public lists, staff search, admin search, changelist
filters, autocomplete) would end as a 500. Django's forms refuse NUL themselves, but the admin's
search and filters and plain ``request.GET`` reads do not. No legitimate address holds one, so
the request is refused rather than cleaned: stripping would silently search for something else
than what was sent, and one check here covers every view, present and future.

The public filtered lists (allas.listing.FilteredListView) and the API are the exception: every
parameter they read goes through their FilterSet's form, which refuses a NUL (a list shows the
page with a notice saying which filter was ignored, tests/partners/test_public_bad_input.py; the
API answers 400 in JSON naming the parameter). An address
whose path holds a NUL matches no URL and answers 404 before any view.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _


def has_nul(request):
    # The raw query string keeps %00 encoded (%2500 is a typed "%00", not a NUL); the path is
    # already decoded.
    query = request.META.get("QUERY_STRING", "")
    return "%00" in query or "\x00" in query or "\x00" in request.path


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not has_nul(request) or validates_its_query(view_func):
            return None
        return render(
            request,
            "bad_request.html",
            {"message": _("The address holds a character that is not allowed (NUL).")},
            status=400,
        )


def validates_its_query(view_func):
    """Views that read every parameter through a form that refuses NUL with its own message:
    the public filtered lists, and views marked ``validates_its_query`` (the API's, which
    answer in JSON)."""
    from allas.listing import FilteredListView

    if getattr(view_func, "validates_its_query", False):
        return True
    view_class = getattr(view_func, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, FilteredListView)

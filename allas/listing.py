"""Shared pieces of the public list pages: pagination that never errors, filter notices and the
options of the filter selects.

Bad input on a list page gives the page with a message (an ignored filter, a malformed page
number) or a 404 (a page number past the end) — never a server error.
"""

import unicodedata

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import ListView

# A value echoed back in a message is cut to this length (the query string may hold anything).
ECHO_LENGTH = 20


def sort_key(text):
    """Sort key that puts "Éire" next to "Eire" and ignores case, in any of the site's languages."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class KeysFirstPaginator(Paginator):
    """Sorts and cuts the list on its keys alone, then reads the page's rows by key, in one
    query (the page's keys are its subquery). A long list (a network's 5,000 activities) is
    then sorted from an index of its sort columns instead of with every row's columns and
    joins. ``rows(keys)`` gives the records whose primary key is in ``keys``, in the list's
    order, with what the page shows of them."""

    def __init__(self, object_list, per_page, *, rows):
        super().__init__(object_list, per_page)
        self.rows = rows

    def page(self, number):
        # As Paginator.page (no orphans here), but on the keys.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return Page(self.rows(self.object_list.values("pk")[bottom:top]), number, self)


def paginate(request, queryset, per_page, notices, count=None, rows=None):
    """The page asked for in ``?page=``.

    A page number that is not a whole number gives the first page and a notice (appended to
    ``notices``); a number outside the pages gives a 404. Costs a COUNT and the page's query;
    ``count()``, when given, answers instead of the COUNT (a cached one). ``rows``: sort on
    the keys first (``KeysFirstPaginator``).
    """
    if rows is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = KeysFirstPaginator(queryset, per_page, rows=rows)
    if count is not None:
        paginator.count = count()  # Paginator.count is a cached_property: set, it is not run
    raw = request.GET.get("page", "")
    number = 1
    if raw:
        try:
            number = int(raw)
        except ValueError:
            notices.append(
                _("“%(page)s” is not a page number; showing the first page.")
                % {"page": raw[:ECHO_LENGTH]}
            )
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404(_("There is no page %(page)s in this list.") % {"page": number}) from None


def filter_notices(filterset):
    """One message per filter whose value was not valid and was therefore ignored."""
    notices = []
    if filterset.is_bound:
        for name in filterset.form.errors:
            field = filterset.form.fields.get(name)
            label = field.label if field is not None else name
            notices.append(
                _("The value given for “%(filter)s” is not valid, so that filter was ignored.")
                % {"filter": label}
            )
    return notices


def select_options(choices, selected, counts=None):
    """Options for a filter <select>: dicts of value, label, count (or None) and selected.

    ``choices`` are (value, label) pairs; ``selected`` is the raw value from the query string.
    """
    selected = "" if selected is None else str(selected)
    options = []
    for value, label in choices:
        value = str(value)
        options.append(
            {
                "value": value,
                "label": label,
                "count": None if counts is None else counts.get(value, 0),
                "selected": value == selected,
            }
        )
    return options


class FilteredListView(ListView):
    """A ListView filtered by a django-filter FilterSet and paginated with ``paginate``.

    Subclasses give ``filterset_class`` and ``base_queryset()``; the template gets ``filter``,
    ``notices`` (messages about ignored input) and the page.
    """

    filterset_class = None
    paginate_by = 20

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.notices = []
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.base_queryset(), request=self.request
        )
        queryset = self.filterset.qs
        self.notices.extend(filter_notices(self.filterset))
        return queryset

    def cleaned(self, name):
        """The valid value of one filter, or None."""
        if not self.filterset.is_bound:
            return None
        return self.filterset.form.cleaned_data.get(name)

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size, self.notices)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["notices"] = self.notices
        context["raw"] = {key: self.request.GET.get(key, "") for key in self.filterset.filters}
        context["is_filtered"] = any(
            self.cleaned(name) not in (None, "") for name in self.filterset.filters
        )
        return context

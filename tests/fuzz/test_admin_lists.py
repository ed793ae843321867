"""Every admin changelist, the admin's autocomplete and the staff partner search answer
generated query strings (search terms, filter values, ordering and page numbers, NUL included)
with a page, a redirect or a 4xx, never a 500, on SQLite and PostgreSQL."""

from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import example, response_status, without_template_capture
from tests.fuzz.strategies import fuzz_settings, hostile, plausible_text

# Parameters of every changelist: search, ordering, page, facets, the "invalid lookup" flag.
CHANGELIST_PARAMS = ["q", "o", "p", "_facets", "e", "all"]


def changelist_urls():
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        urls.append(pytest.param(url, id=opts.label))
    return sorted(urls, key=lambda p: p.id)


def filter_links(html):
    """(name, value) of the filter links of a changelist (``href="?kind__exact=city"``)."""
    pairs = set()
    for chunk in html.split('href="?')[1:]:
        pairs.update(parse_qsl(unescape(chunk.split('"', 1)[0]), keep_blank_values=True))
    return sorted(pairs)


def params(names, known_values):
    value = st.one_of(st.sampled_from(known_values or [""]), hostile, plausible_text)
    return st.dictionaries(
        st.one_of(st.sampled_from(names), st.text(max_size=6)),
        st.one_of(value, st.lists(value, min_size=2, max_size=3)),
        max_size=4,
    )


@pytest.mark.parametrize("url", changelist_urls())
def test_an_admin_changelist_never_fails_on_a_generated_query_string(
    coordinator_client, fuzz_world, url
):
    page = coordinator_client.get(url)
    if page.status_code == 403:
        pytest.skip("coordinators do not see these records")
    assert page.status_code == 200
    links = filter_links(page.content.decode())
    names = sorted({name for name, _ in links} | set(CHANGELIST_PARAMS))
    target = f"admin changelist {url}"

    @fuzz_settings
    @given(data=params(names, [value for _, value in links]))
    def run(data):
        with example(target), without_template_capture():
            response = coordinator_client.get(url, data)
            assert response_status(target, response) in {200, 302, 400, 404}

    run()


def autocomplete_fields():
    fields = []
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            fields.append((model._meta.app_label, model._meta.model_name, name))
    return sorted(set(fields))


def test_the_admin_autocomplete_never_fails_on_a_generated_query_string(
    coordinator_client, fuzz_world
):
    url = reverse("admin:autocomplete")
    fields = autocomplete_fields()
    assert fields
    target = "admin autocomplete"

    @fuzz_settings
    @given(
        field=st.sampled_from(fields),
        term=st.one_of(hostile, plausible_text),
        page=st.one_of(st.none(), hostile),
        broken=st.sampled_from([None, "app_label", "model_name", "field_name"]),
        wrong=hostile,
    )
    def run(field, term, page, broken, wrong):
        data = dict(zip(["app_label", "model_name", "field_name"], field, strict=True))
        if broken:
            data[broken] = wrong
        data["term"] = term
        if page is not None:
            data["page"] = page
        with example(target):
            response = coordinator_client.get(url, data)
            assert response_status(target, response) in {200, 400, 403, 404}

    run()


def test_the_staff_partner_search_never_fails_on_a_generated_query_string(client, fuzz_world):
    client.force_login(fuzz_world["staff"])
    url = reverse("staff:partner-search")
    target = "staff partner search"

    @fuzz_settings
    @given(q=st.one_of(hostile, plausible_text, st.lists(hostile, min_size=2, max_size=3)))
    def run(q):
        with example(target):
            response = client.get(url, {"q": q})
            assert response_status(target, response) in {200, 400}

    run()

"""Every list of the API answers generated query strings with JSON — a page, or a 400 naming
what is wrong — never a 500: wrong types, huge and empty values, odd unicode, impossible dates,
repeated and unknown parameters, forged cursors, in every language."""

import pytest
from django.urls import resolve
from hypothesis import given
from hypothesis import strategies as st

from opendata.api_urls import router
from tests.fuzz.conftest import example, response_status
from tests.fuzz.strategies import Field, Form, form_data, fuzz_settings

# Every list the router serves: a new endpoint is fuzzed without being listed here.
LISTS = [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]


def parameters(url):
    """The endpoint's query parameters as a form: its filters (choices as selects), the
    cursor, the page size and the language."""
    viewset = resolve(url).func.cls
    fields = {}
    filterset = viewset.filterset_class
    for name, declared in (filterset.base_filters if filterset else {}).items():
        choices = declared.extra.get("choices")
        options = [value for value, _label in choices()] if callable(choices) else None
        if options is None and isinstance(choices, list | tuple):
            options = [value for value, _label in choices]
        fields[name] = Field(name, "select", options=options) if options else Field(name, "text")
    fields["cursor"] = Field("cursor", "text")
    fields["page_size"] = Field("page_size", "number")
    fields["lang"] = Field("lang", "select", options=["es", "pt", "fr", "en", "de", ""])
    return Form("get", url, fields)


@pytest.mark.parametrize("url", LISTS)
def test_an_api_list_never_fails_on_a_generated_query_string(client, fuzz_world, url, settings):
    settings.API_THROTTLE_RATE = "100000/minute"
    target = f"api {url}"
    form = parameters(url)

    @fuzz_settings
    @given(params=form_data(form), language=st.sampled_from(["es", "pt", "fr", "en"]))
    def run(params, language):
        with example(target):
            response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
            assert response_status(target, response) in {200, 400}, response.status_code
            assert response["Content-Type"] == "application/json"
            if response.status_code == 400:
                assert set(response.json()) <= {*form.fields, "detail"}, response.json()

    run()

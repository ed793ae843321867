"""Every filtered public list answers generated query strings with a page or a 4xx, never a
500: wrong types, huge and empty values, odd unicode, impossible dates, repeated and unknown
parameters, in every language."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import example, response_status
from tests.fuzz.strategies import fuzz_settings, query_data, read_form

LISTS = [
    "partners:partner-list",
    "partners:agreement-list",
    "activities:activity-list",
    "activities:resource-list",
    "partners:partner-graph",
]


@pytest.mark.parametrize("url_name", LISTS)
def test_a_public_list_never_fails_on_a_generated_query_string(client, fuzz_world, url_name):
    url = reverse(url_name)
    form = read_form(client.get(url).content.decode(), method="get")
    target = f"query string {url_name}"

    @fuzz_settings
    @given(params=query_data(form), language=st.sampled_from(["es", "pt", "fr", "en"]))
    def run(params, language):
        with example(target):
            response = client.get(url.replace("/es/", f"/{language}/", 1), params)
            assert response_status(target, response) in {200, 400, 404}, response.status_code

    run()


def test_the_directory_map_never_fails_on_a_generated_query_string(client, fuzz_world):
    """The directory's map reads the directory's filters (front/directory.py)."""
    form = read_form(client.get(reverse("partners:partner-list")).content.decode(), method="get")
    url = reverse("partners:partner-map-ids")
    target = "query string partners:partner-map-ids"

    @fuzz_settings
    @given(params=query_data(form), language=st.sampled_from(["es", "pt", "fr", "en"]))
    def run(params, language):
        with example(target):
            response = client.get(url.replace("/es/", f"/{language}/", 1), params)
            assert response_status(target, response) in {200, 400}, response.status_code

    run()

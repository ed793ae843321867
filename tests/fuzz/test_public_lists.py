"""Every filtered public list answers generated query strings with a page or a 4xx, never a
500: wrong types, huge and empty values, odd unicode, impossible dates, repeated and unknown
parameters, in every language."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import example, response_status
from tests.fuzz.strategies import Form, fuzz_settings, query_data, read_form

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


@pytest.mark.parametrize("url_name", ["results", "period", "records", "period-csv"])
def test_the_results_pages_never_fail_on_a_generated_query_string(client, fuzz_world, url_name):
    """The public Results pages read only ?page= (the records behind a figure): any other
    query string is ignored, a bad page number is the first page or a 404 (issue 16)."""
    from results.models import Measure
    from tests.results.work_plan import make_indicator, make_period

    period = make_period(slug="year-fuzz")
    indicator = make_indicator(measure=Measure.ATTENDEES, targets={period: 10})
    args = {"results": [], "period": [period.slug], "period-csv": [period.slug]}
    url = reverse(f"results:{url_name}", args=args.get(url_name, [period.slug, indicator.pk]))
    target = f"query string results:{url_name}"

    @fuzz_settings
    @given(params=query_data(Form("get", url)), language=st.sampled_from(["es", "pt", "fr", "en"]))
    def run(params, language):
        with example(target):
            response = client.get(url.replace("/es/", f"/{language}/", 1), params)
            assert response_status(target, response) in {200, 302, 400, 404}, response.status_code

    run()

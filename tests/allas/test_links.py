"""allas/links.py: a record's address from its slug is the address reverse() gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from allas.links import slug_url

VIEWS = [
    "partners:partner-detail",
    "partners:agreement-detail",
    "activities:activity-detail",
    "activities:resource-detail",
]


@pytest.mark.parametrize("language", ["es", "pt", "fr", "en"])
@pytest.mark.parametrize("view_name", VIEWS)
def test_the_address_is_that_of_reverse_in_every_language(view_name, language):
    with translation.override(language):
        for slug in ("montevideo", "syn-a-000123", "x_1"):
            assert slug_url(view_name, slug) == reverse(view_name, kwargs={"slug": slug})


def test_under_a_script_prefix_and_for_slugs_the_addresses_refuse():
    try:
        set_script_prefix("/allas/")
        with translation.override("es"):
            expected = reverse("partners:partner-detail", kwargs={"slug": "quito"})
            assert expected.startswith("/allas/es/")
            assert slug_url("partners:partner-detail", "quito") == expected
    finally:
        set_script_prefix("/")
    with translation.override("en"), pytest.raises(NoReverseMatch):
        slug_url("partners:partner-detail", "medellín")  # as reverse() refuses it

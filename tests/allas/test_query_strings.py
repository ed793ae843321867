"""A NUL character in an address (allas/query_strings.py): PostgreSQL refuses it in text, so it
would reach the database as a 500 from every search box and filter. Every such request answers
400 with a short message in the site's layout, before any view runs."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "app_label=partners&model_name=membership&field_name=member"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partners/partner/?q=%00",
        "/admin/partners/partner/?q=ab%00cd",
        "/admin/partners/partner/?country=%00",
        "/admin/partners/partner/?kind__exact=%00",
        "/admin/partners/membership/?q=%00",
        "/admin/partners/agreement/?status__exact=%00",
        f"/admin/autocomplete/?term=%00&{AUTOCOMPLETE}",
        f"/admin/autocomplete/?term=a%00b&{AUTOCOMPLETE}",
    ],
)
def test_a_nul_in_an_admin_query_string_answers_400_not_500(coordinator_client, url):
    response = coordinator_client.get(url)
    assert response.status_code == 400


def test_a_nul_in_the_staff_partner_search_answers_400_not_500(staff_a_client, partner_b):
    url = reverse("staff:partner-search")
    assert staff_a_client.get(url + "?q=qui").status_code == 200
    assert staff_a_client.get(url + "?q=%00ab").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/es/?q=%00",
        "/en/calendar/activities.ics?x=a%00",
        "/data/v1/partners.geojson?v=%00",
        "/es/?%00=x",
    ],
)
def test_a_nul_in_a_public_address_answers_400_with_a_message_in_the_sites_layout(client, url):
    response = client.get(url)
    assert response.status_code == 400
    content = response.content.decode()
    assert "<h1>Solicitud incorrecta</h1>" in content or "<h1>Bad request</h1>" in content
    assert "not allowed (NUL)" in content or "no permitido (NUL)" in content
    assert 'name="robots" content="noindex"' in content


def test_the_public_lists_keep_showing_a_notice_for_a_nul_in_a_filter(client):
    """Their FilterSet refuses it and says which filter was ignored (never the database)."""
    response = client.get("/es/partners/?q=%00")
    assert response.status_code == 200
    assert 'class="notice"' in response.content.decode()
    assert client.get("/es/partners/x%00y/").status_code == 404


def test_the_bad_request_page_speaks_the_visitors_language(client):
    response = client.get("/pt/?q=%00")
    assert response.status_code == 400
    assert "<h1>Pedido inválido</h1>" in response.content.decode()


def test_a_percent_sign_followed_by_zeros_elsewhere_is_not_refused(client):
    """%2500 is a literal "%00" typed by someone: text, not a NUL."""
    assert client.get("/es/partners/?q=%2500").status_code == 200
    assert client.get("/es/partners/?q=100%25").status_code == 200

"""The error pages visitors see: in the site's layout and language, with a way on."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.public_site import populate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/es/no-such-page/", "Página no encontrada"),
        ("/pt/partners/no-such-partner/", "Página não encontrada"),
        ("/fr/activities/?page=999", "Page introuvable"),
        ("/en/agreements/no-such-agreement/", "Page not found"),
    ],
)
def test_a_missing_page_answers_404_in_the_visitors_language_with_links_on(client, url, title):
    populate(3)
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert f"<h1>{title}</h1>" in content
    assert 'name="robots" content="noindex"' in content
    assert f'href="/{url[1:3]}/partners/"' in content  # the directory, in the same language
    assert 'hreflang="en"' in content  # the language switcher works on it too


def test_the_server_error_page_needs_neither_the_request_nor_the_database():
    with translation.override("pt"):
        response = server_error(RequestFactory().get("/pt/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "<h1>Erro do servidor</h1>" in content
    assert "css/site" in content


def test_while_the_database_is_unreachable_pages_answer_503_with_retry_after(client, monkeypatch):
    """A restart or failover of PostgreSQL: "try again shortly", not "broken"."""
    from django.db import OperationalError

    from allas.views import RETRY_AFTER_SECONDS
    from front import views

    def unreachable():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(views, "home_figures", unreachable)
    client.raise_request_exception = False
    response = client.get("/en/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "<h1>Server error</h1>" in response.content.decode()


def test_any_other_failure_stays_a_500(client, monkeypatch):
    from front import views

    def broken():
        raise ValueError("a bug")

    monkeypatch.setattr(views, "home_figures", broken)
    client.raise_request_exception = False
    response = client.get("/en/")
    assert response.status_code == 500
    assert "Retry-After" not in response

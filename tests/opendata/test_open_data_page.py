"""The open-data page for people: in four languages, every table and field with its meaning,
a link to each download and to the API, the licence, and examples that work as written."""

import re
import shlex
from html import unescape
from urllib.parse import urlsplit

import pytest

from opendata.tables import TABLES
from tests.public_site import populate

pytestmark = pytest.mark.django_db

LANGUAGES = ["es", "pt", "fr", "en"]
SITE_URL = "https://allas.example.org"
CODE_BLOCK_RE = re.compile(r"<pre[^>]*><code>(.*?)</code></pre>", re.S)
HREF_RE = re.compile(r'href="([^"]+)"')


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def page(client, language="en"):
    response = client.get(f"/{language}/open-data/")
    assert response.status_code == 200
    return response.content.decode()


def curl_commands(html):
    """Each ``curl`` line of the page's examples, split as a shell would."""
    for block in CODE_BLOCK_RE.findall(html):
        for line in unescape(block).splitlines():
            if line.startswith("curl "):
                yield shlex.split(line)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_answers_in_each_language(client, language):
    html = page(client, language)

    assert f'<html lang="{language}">' in html
    assert "<h1>" in html


def test_it_lists_every_table_and_every_field(client):
    html = page(client).replace("<wbr>", "")  # names may wrap after an underscore

    for table in TABLES:
        assert f'id="table-{table.name}"' in html, table.name
        section = html.split(f'id="table-{table.name}"', 1)[1].split("</table>", 1)[0]
        for column in table.columns:
            assert f">{column.name}</code>" in section, f"{table.name}.{column.name}"
            for name in column.flat_names():  # a translated text's column per language
                assert f">{name}</code>" in section, f"{table.name}: {name}"


def test_each_field_is_explained_in_the_page_language(client):
    """Descriptions come from opendata/tables.py, translated with the page."""
    from django.utils import translation

    html = page(client, "fr")
    with translation.override("fr"):
        description = str(TABLES[0].columns[0].description)
    assert description.replace("'", "&#x27;") in html


def test_it_links_to_each_download_the_api_and_its_documentation(client):
    links = set(HREF_RE.findall(page(client)))

    for table in TABLES:
        assert f"{SITE_URL}/data/v1/{table.name}.csv" in links, table.name
    for path in [
        "/data/v1/partners.geojson",
        "/data/v1/datapackage.json",
        "/data/v1/catalog.jsonld",
        "/api/v1/",
        "/api/v1/partners/",
        "/api/v1/memberships/",
        "/api/v1/agreements/",
        "/api/v1/activities/",
        "/api/v1/participations/",
        "/api/v1/resources/",
        "/api/v1/themes/",
        "/api/v1/schema/",
        "/api/v1/docs/",
    ]:
        assert SITE_URL + path in links, path


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_states_the_licence_and_how_to_credit_the_network(client, language):
    html = page(client, language)

    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert 'rel="license"' in html
    assert "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/</code>" in html


def test_the_rate_limit_shown_is_the_one_applied(client, settings):
    settings.API_THROTTLE_RATE = "30/hour"

    assert "Up to 30 requests per hour from each address." in page(client)


def test_every_example_works_as_written(client, settings):
    """Each ``curl`` of the page, sent to the site: the documentation cannot drift from the
    addresses and parameters the API and the downloads take. The error example gives the 400
    it describes."""
    settings.API_THROTTLE_RATE = "10000/minute"  # other tests' requests count in the cache
    populate(2)
    commands = list(curl_commands(page(client)))
    assert len(commands) >= len(TABLES) + 10

    for command in commands:
        url = next(token for token in command if token.startswith(SITE_URL))
        headers = dict(
            command[index + 1].split(": ", 1)
            for index, token in enumerate(command)
            if token == "-H"
        )
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        method = client.head if "-I" in command else client.get
        response = method(path, headers=headers)
        if "year=soon" in url:
            assert response.status_code == 400, url
            assert "year" in response.json(), url
        else:
            assert response.status_code == 200, (url, response.content[:300])


def test_the_tables_the_api_gives_inside_agreements_are_where_the_page_says(client):
    populate(1)
    html = page(client)
    agreement = client.get("/api/v1/agreements/").json()["results"][0]

    for table, field in [("agreement_parties", "parties"), ("agreement_steps", "steps")]:
        section = html.split(f'id="table-{table}"', 1)[1].split("</dl>", 1)[0]
        assert f"as <code>{field}</code>" in section
        assert agreement[field], field


def test_every_page_links_to_it_from_the_footer(client):
    for language in LANGUAGES:
        html = client.get(f"/{language}/").content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert f'href="/{language}/open-data/"' in footer


def test_the_sitemap_lists_it_in_four_languages(client):
    text = client.get("/sitemap-pages.xml").content.decode()

    for language in LANGUAGES:
        assert f"/{language}/open-data/</loc>" in text


@pytest.mark.parametrize("rows", [1, 12])
def test_it_makes_no_query_whatever_the_size_of_the_data(client, django_assert_num_queries, rows):
    """Everything on the page comes from the table definitions and the settings."""
    populate(rows)

    with django_assert_num_queries(0):
        page(client)

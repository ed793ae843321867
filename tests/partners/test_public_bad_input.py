"""Bad query strings on every filtered public page: a page with a message, or a 404 for a page
number past the end — never a server error."""

import pytest

from tests.public_site import populate

pytestmark = pytest.mark.django_db

FILTERED_PAGES = {
    "/en/partners/": [
        *["q", "kind", "region", "country", "network", "role", "membership", "theme", "sort"],
    ],
    "/en/agreements/": ["status", "kind", "partner"],
    "/en/activities/": ["kind", "theme", "partner", "country", "year", "when", "after"],
    "/en/resources/": ["q", "theme", "kind", "language"],
}
# Parameters where any short text is a valid value.
FREE_TEXT = {"q"}

BAD_VALUES = [
    "no-such-choice",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 5000,
    "nul\x00byte",
    "2024-13-45",
    "20x4",
    "-1",
    "1e999",
    "9999999999999999999999",
    "☃ ünïcödé",
]


@pytest.fixture
def site(db):
    return populate(3)


def notice_shown(response):
    return 'class="notice"' in response.content.decode()


def notice_text(response):
    content = response.content.decode()
    start = content.find('class="notice"')
    return "" if start < 0 else content[start : content.find("</div>", start)]


@pytest.mark.parametrize("url", FILTERED_PAGES)
def test_bad_filter_values_give_the_page_with_a_message_never_a_500(client, site, url):
    for name in FILTERED_PAGES[url]:
        for value in BAD_VALUES:
            response = client.get(url, {name: value})
            label = f"{url}?{name}={value[:30]!r}"
            assert response.status_code == 200, label
            content = response.content.decode()
            assert "<script>alert" not in content, label
            if name not in FREE_TEXT or len(value) > 100 or "\x00" in value:
                assert notice_shown(response), label


@pytest.mark.parametrize("url", FILTERED_PAGES)
def test_repeated_parameters_take_the_last_value_and_never_fail(client, site, url):
    for name in FILTERED_PAGES[url]:
        response = client.get(url, {name: ["first", "<script>", "' OR 1=1"], "page": ["1", "1"]})
        assert response.status_code == 200, name


@pytest.mark.parametrize("url", FILTERED_PAGES)
@pytest.mark.parametrize(
    ("page", "status", "notice"),
    [
        ("abc", 200, True),
        ("1.5", 200, True),
        ("%00", 200, True),
        ("\x00", 200, True),
        ("x" * 5000, 200, True),
        ("", 200, False),
        ("1", 200, False),
        ("0", 404, False),
        ("-1", 404, False),
        ("999", 404, False),
        ("99999999999999999999999", 404, False),
    ],
)
def test_a_malformed_page_gives_page_one_with_a_message_and_a_missing_page_404(
    client, site, url, page, status, notice
):
    response = client.get(url, {"page": page})
    assert response.status_code == status
    if status == 200:
        assert notice_shown(response) is notice
        assert "x" * 100 not in notice_text(response)  # echoed values are cut short


def test_a_valid_search_with_odd_characters_is_a_search_not_an_error(client, site):
    for value in ["' OR 1=1 --", "<b>", "%", "_", "\\"]:
        response = client.get("/en/partners/", {"q": value})
        assert response.status_code == 200
        assert not notice_shown(response)
        assert response.context["paginator"].count == 0


def test_a_raw_nul_byte_in_the_query_string_is_harmless(client, site):
    for url in FILTERED_PAGES:
        assert client.get(url + "?country=%00&q=%00&page=%00").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/en/partners/x%00y/",
        "/en/activities/" + "a" * 3000 + "/",
        "/en/calendar/partners/%3Cscript%3E.ics",
        "/en/calendar/themes/nothing.ics",
    ],
)
def test_bad_addresses_answer_404(client, site, url):
    assert client.get(url).status_code == 404

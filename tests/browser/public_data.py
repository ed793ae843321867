"""Data for the browser tests: the test network with the names of real partner cities."""

from partners.models import Partner
from tests.public_site import populate

NAMES = {
    "city-000": "Montevideo",
    "city-001": "Quito",
    "city-002": "Morón",
    "city-003": "Belo Horizonte",
    "city-004": "Medellín",
    "city-005": "Lima",
    "city-006": "Ciudad de México",
    "city-007": "Cités Unies France",
    "city-008": "Sevilla",
}


def populate_named(n=9):
    site = populate(n)
    for slug, name in NAMES.items():
        Partner.objects.filter(slug=slug).update(name=name, locality=name)
    return site


def block_external_requests(page):
    """Refuses every request to another host and returns the list of their addresses, which a
    test asserts empty: no page may make a visitor's browser call another server (issue 15: the
    map draws its own base layer), and the tests must not depend on the internet."""
    outside = []

    def handle(route):
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", handle)
    return outside


def wait_for_map(page):
    """Waits until allas/static/js/map.js has drawn the outlines and every marker."""
    page.wait_for_selector("#map[data-ready=true]", timeout=15_000)


def partners_on_map(page):
    """The partners the map shows: markers plus the counts of the clusters."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#map .leaflet-marker-icon')].reduce(
            (sum, icon) => sum + (icon.classList.contains('marker-cluster')
                ? parseInt(icon.textContent, 10) : 1), 0)"""
    )


def watch_console(page):
    """Collects console errors (a CSP violation shows up as one)."""
    errors = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return errors

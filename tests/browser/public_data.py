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
    """Map tiles come from the internet; the tests must not depend on it."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://localhost") else route.abort()
        ),
    )


def watch_console(page):
    """Collects console errors (a CSP violation shows up as one)."""
    errors = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return errors

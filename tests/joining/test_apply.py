"""The public application form: what an applicant types, what is stored and mailed, every bad
input refused with a message, and each limit against programs and floods (joining/abuse.py)."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from joining import abuse, privacy
from joining.models import Application
from partners.models import Membership, Partner
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(settings):
    """The time taken to fill the form is the subject of its own tests only."""
    settings.JOINING_MIN_FILL_SECONDS = 0


def url_in(language, name="joining:apply"):
    with translation.override(language):
        return reverse(name)


def payload(joining=None, **overrides):
    """A valid application of a city proposing an agreement, or asking to join the network
    ``joining``, with a token as the form gives it."""
    data = {
        "partner": "",
        "organisation_name": "  Comune di Prova  ",
        "kind": Partner.Kind.CITY,
        "institution_type": "",
        "official_name": "Comune di Prova",
        "country": "IT",
        "locality": "Prova",
        "website": "https://prova.example.it/",
        "proposal": Application.Proposal.AGREEMENT,
        "network": "",
        "role": "",
        "proposal_title": "Twinning on climate plans",
        "motivation": "Vorremmo collaborare sulla pianificazione climatica.",
        "contact_name": "Giulia Rossi",
        "contact_role": "International relations",
        "contact_email": "Giulia.Rossi@Prova.EXAMPLE.it",
        "consent": "on",
        abuse.HONEYPOT: "",
        "started": abuse.form_started_token(),
    }
    if joining is not None:
        data.update(
            proposal=Application.Proposal.MEMBERSHIP,
            network=str(joining.pk),
            role=Membership.Role.PARTNER,
            proposal_title="",
        )
    data.update(overrides)
    return data


def send(client, data, language="en", address="192.0.2.1"):
    return client.post(url_in(language), data, REMOTE_ADDR=address)


@pytest.fixture
def sends(client, django_capture_on_commit_callbacks):
    """Post the form and run what waits for the commit (the confirmation e-mail)."""

    def post(data, language="en", address="192.0.2.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return send(client, data, language, address)

    return post


def errors_of(response):
    return response.context["form"].errors


# -- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "pt", "fr", "en"])
def test_the_form_shows_in_each_language_and_is_never_cached(client, network, language):
    response = client.get(url_in(language))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'name="{abuse.HONEYPOT}"' in html and 'tabindex="-1"' in html
    assert 'name="started"' in html
    with translation.override(language):
        assert privacy.notice() in response.context["form"].fields["consent"].help_text


def test_the_form_offers_only_public_networks(client, network):
    hidden = factories.make_network(name="Hidden network", slug="hidden-network", is_public=False)

    html = client.get(url_in("en")).content.decode()

    assert f'<option value="{network.pk}">' in html
    assert f'value="{hidden.pk}"' not in html and "Hidden network" not in html


def test_the_form_takes_as_many_queries_with_many_partners_as_with_few(
    client, network, django_assert_num_queries
):
    """Prevents N+1: the networks' select is one query."""
    with django_assert_num_queries(1):
        client.get(url_in("en"))
    for n in range(30):
        factories.make_network(name=f"Network {n}", slug=f"network-{n}")
        factories.make_partner(name=f"City {n}", slug=f"city-{n}")
    with django_assert_num_queries(1):
        response = client.get(url_in("en"))
    assert response.content.decode().count('<option value="') > 30


def test_the_home_page_the_directory_and_the_footer_link_to_the_form(client):
    link = f'href="{url_in("pt")}"'
    for name in ("home", "partners:partner-list"):
        assert link in client.get(url_in("pt", name)).content.decode(), name


# -- a valid application -----------------------------------------------------------------------


def test_an_application_is_recorded_unconfirmed_and_the_link_mailed_in_the_page_language(
    client, sends
):
    response = sends(payload(), language="pt")

    assert response.status_code == 302
    assert response.url == url_in("pt", "joining:sent")
    application = Application.objects.get()
    assert application.status == Application.Status.UNCONFIRMED
    assert application.language == "pt"
    assert application.organisation_name == "Comune di Prova"
    # The domain is lower-cased, the local part kept as typed.
    assert application.contact_email == "Giulia.Rossi@prova.example.it"
    assert application.consent_version == privacy.VERSION
    with translation.override("pt"):
        assert application.consent_text == privacy.notice()
    assert application.consent_given_at is not None
    assert application.partner is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Giulia.Rossi@prova.example.it"]
    assert application.reference in message.subject
    assert re.search(r"/pt/join/confirm/[^/\s]+/", message.body)


def test_the_sent_page_says_to_check_the_inbox_and_carries_no_address(client, sends):
    response = sends(payload())
    page = client.get(response.url)

    assert page.status_code == 200
    html = page.content.decode().lower()
    assert "check your inbox" in html
    assert "giulia" not in html and "prova.example.it" not in html
    assert "giulia" not in repr(dict(client.session)).lower()
    assert "giulia" not in response.url.lower()


def test_a_membership_records_the_network_and_role_and_drops_a_stray_title(sends, network):
    sends(payload(network, proposal_title="Left over from another choice"))

    application = Application.objects.get()
    assert application.network == network
    assert application.role == Membership.Role.PARTNER
    assert application.proposal_title == ""


def test_an_agreement_drops_a_stray_network_and_role(sends, network):
    sends(payload(network=str(network.pk), role=Membership.Role.OBSERVER))

    application = Application.objects.get()
    assert application.network is None and application.role == ""
    assert application.proposal_title == "Twinning on climate plans"


def test_a_city_drops_a_stray_institution_type(sends):
    sends(payload(institution_type=Partner.InstitutionType.NGO))

    assert Application.objects.get().institution_type == ""


def test_an_applicant_picks_its_organisation_among_public_partners(sends, partner_a):
    response = sends(payload(partner="Montevideo", organisation_name="Intendencia de Montevideo"))

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.partner == partner_a
    # What they typed stays: the coordinator sees both, acceptance uses the partner.
    assert application.organisation_name == "Intendencia de Montevideo"


def test_an_applicant_can_pick_a_partner_by_its_identifier(sends, partner_a):
    sends(payload(partner="montevideo"))

    assert Application.objects.get().partner == partner_a


def test_a_partner_that_is_not_public_is_not_revealed_by_the_form(client):
    factories.make_partner(name="Secret City", slug="secret-city", is_public=False)

    response = send(client, payload(partner="Secret City"))

    assert response.status_code == 400
    assert errors_of(response)["partner"] == [
        "No partner is called “Secret City”. Check the spelling or pick a suggestion."
    ]
    response = send(client, payload(partner="secret-city"))
    assert "partner" in errors_of(response)
    assert not Application.objects.exists()


def test_a_network_that_is_not_public_cannot_be_chosen(client):
    hidden = factories.make_network(name="Hidden", slug="hidden", is_public=False)

    response = send(client, payload(hidden))

    assert response.status_code == 400
    assert "network" in errors_of(response)
    assert not Application.objects.exists()


# -- bad input ---------------------------------------------------------------------------------


def test_an_empty_form_lists_each_missing_answer_at_the_top_and_by_its_field(client):
    response = send(client, {"started": abuse.form_started_token()})

    assert response.status_code == 400
    errors = errors_of(response)
    for name in (
        "organisation_name",
        "kind",
        "country",
        "proposal",
        "motivation",
        "contact_name",
        "contact_role",
        "contact_email",
        "consent",
    ):
        assert name in errors, name
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_organisation_name"' in html and 'href="#id_kind_0"' in html
    assert 'aria-describedby="id_organisation_name_error"' in html
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"proposal": "membership", "proposal_title": ""}, "network", "Choose the network"),
        ({"proposal": "membership", "proposal_title": ""}, "role", "Choose the role"),
        ({"proposal": "activity", "proposal_title": "  "}, "proposal_title", "a title"),
        ({"kind": "institution"}, "institution_type", "type of institution"),
        ({"consent": ""}, "consent", "privacy notice"),
        ({"contact_email": "giulia@"}, "contact_email", "valid email"),
        ({"website": "javascript:alert(1)"}, "website", "valid URL"),
        ({"country": "XX"}, "country", "valid choice"),
        ({"proposal": "everything"}, "proposal", "valid choice"),
        ({"role": "emperor", "proposal": "membership"}, "role", "valid choice"),
        ({"motivation": "a\x00b"}, "motivation", "Null characters"),
    ],
)
def test_a_wrong_answer_is_refused_next_to_its_field(client, network, overrides, field, message):
    response = send(client, payload(**overrides))

    assert response.status_code == 400
    assert message in " ".join(errors_of(response)[field])
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("organisation_name", 200),
        ("official_name", 200),
        ("locality", 120),
        ("proposal_title", 250),
        ("motivation", 4000),
        ("contact_name", 150),
        ("contact_role", 150),
        ("website", 200),
        ("contact_email", 254),
    ],
)
def test_an_over_long_answer_is_refused_with_its_limit(client, field, limit):
    value = "x" * (limit + 1)
    if field == "website":
        value = "https://example.org/" + "x" * limit
    elif field == "contact_email":
        value = "a@" + "b" * limit + ".org"

    response = send(client, payload(**{field: value}))

    assert response.status_code == 400
    assert f"at most {limit} characters" in " ".join(errors_of(response)[field])
    assert not Application.objects.exists()


def test_what_was_typed_is_kept_when_the_form_is_refused(client):
    response = send(client, payload(consent=""))

    html = response.content.decode()
    assert 'value="Comune di Prova"' in html
    assert "Vorremmo collaborare" in html


# -- abuse -------------------------------------------------------------------------------------


def test_a_filled_honeypot_is_answered_as_sent_and_nothing_is_stored_or_mailed(sends):
    response = sends(payload(**{abuse.HONEYPOT: "https://spam.example/"}))

    assert response.status_code == 302
    assert response.url == url_in("en", "joining:sent")
    assert not Application.objects.exists()
    assert mail.outbox == []


def test_a_form_sent_too_fast_is_shown_again_and_accepted_once_time_has_passed(
    client, sends, settings
):
    settings.JOINING_MIN_FILL_SECONDS = 5

    response = sends(payload(started=abuse.form_started_token()))

    assert response.status_code == 400
    assert "check your answers and send the form again" in response.content.decode()
    assert not Application.objects.exists() and mail.outbox == []
    # The page shown again carries a new token; a person who sends it later passes.
    fresh = re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)
    assert abuse.seconds_since_display(fresh) is not None
    later = abuse.form_started_token(now=time.time() - 6)
    assert sends(payload(started=later)).status_code == 302
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    # Built in the test: a token made at collection would differ between xdist's workers.
    ["", "1700000000", "1700000000:forged:signature", "real token, separator changed"],
)
def test_a_missing_or_forged_start_token_is_refused(client, token):
    if token.startswith("real token"):
        token = abuse.form_started_token().replace(":", ";")
    data = payload()
    data["started"] = token

    response = send(client, data)

    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_start_token_older_than_a_day_is_refused(client):
    token = abuse.form_started_token(now=time.time() - 2 * 86400)

    response = send(client, payload(started=token))

    assert response.status_code == 400
    assert not Application.objects.exists()


def email(n):
    return f"person{n}@example.org"


def test_one_address_sends_at_most_the_limit_an_hour(sends, settings):
    settings.JOINING_LIMIT_PER_ADDRESS = 2

    codes = [sends(payload(contact_email=email(n))).status_code for n in range(3)]

    assert codes == [302, 302, 429]
    assert Application.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_refusal_over_a_limit_keeps_what_was_typed(client, settings):
    settings.JOINING_LIMIT_PER_ADDRESS = 0

    response = send(client, payload())

    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Too many applications were sent from your connection" in html
    assert 'value="Comune di Prova"' in html
    assert not Application.objects.exists()


def test_one_email_address_gets_at_most_the_limit_a_day_whoever_sends(sends, settings):
    settings.JOINING_LIMIT_PER_EMAIL = 2
    spellings = ["giulia@prova.example.it", "Giulia@PROVA.example.it ", "giulia@prova.example.it"]

    codes = [
        sends(payload(contact_email=value), address=f"198.51.100.{n}").status_code
        for n, value in enumerate(spellings)
    ]

    assert codes == [302, 302, 429]
    assert Application.objects.count() == 2


def test_no_application_is_stored_beyond_the_unconfirmed_ceiling(sends, settings):
    settings.JOINING_MAX_UNCONFIRMED = 1
    factories.make_application()

    response = sends(payload())

    assert response.status_code == 503
    assert "too many applications right now" in response.content.decode()
    assert Application.objects.count() == 1
    assert mail.outbox == []


def test_no_more_confirmation_emails_are_sent_than_the_hourly_ceiling(sends, settings):
    settings.JOINING_MAX_EMAILS_PER_HOUR = 2

    codes = [
        sends(payload(contact_email=email(n)), address=f"203.0.113.{n}").status_code
        for n in range(4)
    ]

    assert codes == [302, 302, 503, 503]
    assert len(mail.outbox) == 2


def test_a_flood_from_one_address_stores_and_mails_at_most_the_limit(sends, settings):
    for n in range(50):
        sends(payload(contact_email=email(n)), address="192.0.2.66")

    assert Application.objects.count() == settings.JOINING_LIMIT_PER_ADDRESS
    assert len(mail.outbox) == settings.JOINING_LIMIT_PER_ADDRESS


# -- suggestions -------------------------------------------------------------------------------


def test_suggestions_name_public_partners_only(client, partner_a):
    factories.make_partner(name="Montevideo Secret", slug="montevideo-secret", is_public=False)

    data = client.get(url_in("en", "joining:partner-search"), {"q": "monte"}).json()

    assert data == {"results": [{"value": "Montevideo", "label": "Montevideo (Uruguay)"}]}


def test_suggestions_need_two_characters_and_stop_at_twenty(client):
    for n in range(25):
        factories.make_partner(name=f"Villa {n:02d}", slug=f"villa-{n:02d}")
    url = url_in("en", "joining:partner-search")

    assert client.get(url, {"q": "v"}).json() == {"results": []}
    assert client.get(url).json() == {"results": []}
    assert len(client.get(url, {"q": "villa"}).json()["results"]) == 20
    assert client.get(url, {"q": "villa" * 100}).status_code == 200


def test_suggestions_sharing_a_name_are_told_apart_by_their_identifier(client):
    factories.make_partner(name="San José", slug="san-jose-cr", country="CR")
    factories.make_partner(name="San José", slug="san-jose-uy", country="UY")

    results = client.get(url_in("en", "joining:partner-search"), {"q": "san jo"}).json()["results"]

    assert [r["value"] for r in results] == ["san-jose-cr", "san-jose-uy"]

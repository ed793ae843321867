"""The applicant's signed links: confirming the e-mail address (a GET changes nothing, the
button's POST confirms, once) and the application's own page (its state in words, questions
and answers, no personal data); forged, expired or misused links answer 404, never 500."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import resolve, reverse
from django.utils import translation

from joining import abuse, links, services
from joining.models import Application, Message
from tests import factories

pytestmark = pytest.mark.django_db


def confirm_url(application, language="en"):
    with translation.override(language):
        return reverse("joining:confirm", args=[links.token(application, links.CONFIRM)])


def status_url(application, language="en"):
    with translation.override(language):
        return reverse("joining:status", args=[links.token(application, links.STATUS)])


def is_status_link(url, application, language="en"):
    """Whether ``url`` is ``application``'s status page in ``language``. A signed link holds
    the second it was made, so two links made a second apart differ: compare what they sign."""
    match = resolve(url)
    return (
        url.startswith(f"/{language}/join/application/")
        and match.view_name == "joining:status"
        and links.application_id(match.kwargs["token"], links.STATUS) == application.pk
    )


@pytest.fixture
def questioned(coordinator):
    """An application under review with a coordinator's question."""
    application = factories.make_application(
        status=Application.Status.RECEIVED,
        contact_email="probe.person@example.org",
        contact_name="Probe Person",
        contact_role="Probe liaison",
    )
    services.application_ask(application=application, by=coordinator, question="Which year?")
    application.refresh_from_db()
    return application


# -- the journey -------------------------------------------------------------------------------


def test_an_applicant_confirms_by_the_mailed_link_and_follows_the_state(
    client, settings, django_capture_on_commit_callbacks
):
    settings.JOINING_MIN_FILL_SECONDS = 0
    data = {
        "organisation_name": "Câmara Municipal de Teste",
        "kind": "city",
        "country": "PT",
        "proposal": "activity",
        "proposal_title": "Semana da cooperação",
        "motivation": "Queremos organizar uma semana juntos.",
        "contact_name": "Rita Teste",
        "contact_role": "Relações internacionais",
        "contact_email": "rita@teste.example.pt",
        "consent": "on",
        "started": abuse.form_started_token(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/pt/join/", data).status_code == 302
    (message,) = mail.outbox
    link = next(line for line in message.body.split() if "/join/confirm/" in line)
    path = link.removeprefix(settings.SITE_URL)
    assert path.startswith("/pt/join/confirm/")

    # Opening the link (as a mail scanner would) changes nothing.
    page = client.get(path)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()  # the button that confirms
    application = Application.objects.get()
    assert application.status == Application.Status.UNCONFIRMED

    response = client.post(path)
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    assert response.status_code == 302
    assert is_status_link(response.url, application, "pt")
    confirmed_at = application.confirmed_at

    # A second press changes nothing and leads to the same page.
    again = client.post(path)
    application.refresh_from_db()
    assert again.status_code == 302 and is_status_link(again.url, application, "pt")
    assert application.confirmed_at == confirmed_at

    status = client.get(response.url)
    assert status.status_code == 200
    html = status.content.decode()
    assert application.reference in html
    with translation.override("pt"):
        assert str(Application.Status.RECEIVED.label) in html
    assert "rita" not in html.lower()


def test_the_confirmation_page_says_so_once_the_address_is_confirmed(client):
    application = factories.make_application(status=Application.Status.RECEIVED)

    response = client.get(confirm_url(application))

    assert response.status_code == 200
    html = response.content.decode()
    assert "already confirmed" in html
    hrefs = re.findall(r'href="(/en/join/application/[^"]+)"', html)
    assert any(is_status_link(href, application) for href in hrefs)


def test_an_expired_application_cannot_be_confirmed(client):
    application = factories.make_application(status=Application.Status.ABANDONED)

    for response in (client.get(confirm_url(application)), client.post(confirm_url(application))):
        assert response.status_code == 409
        assert "has expired" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.ABANDONED


# -- bad links ---------------------------------------------------------------------------------


def test_a_confirmation_link_older_than_its_limit_is_refused(client, settings):
    application = factories.make_application()
    hours = settings.JOINING_CONFIRMATION_HOURS
    with mock.patch("django.core.signing.time.time", return_value=time.time() - hours * 3600 - 5):
        url = confirm_url(application)

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert "not valid or has expired" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.UNCONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_and_misused_links_answer_404(client, method):
    application = factories.make_application()
    status_token = links.token(application, links.STATUS)
    confirm_token = links.token(application, links.CONFIRM)
    bad = [
        ("joining:confirm", "nonsense"),
        ("joining:confirm", confirm_token[:-2] + "xx"),
        ("joining:confirm", status_token),  # a link of another purpose
        ("joining:status", "nonsense"),
        ("joining:status", confirm_token),
        ("joining:status", "eyJhIjoiMSJ9:1xZ:abc"),
    ]
    for name, token in bad:
        response = getattr(client, method)(reverse(name, args=[token]))
        assert response.status_code == 404, (name, token)
    application.refresh_from_db()
    assert application.status == Application.Status.UNCONFIRMED


def test_a_link_to_an_application_that_is_gone_answers_404(client):
    application = factories.make_application()
    urls = [confirm_url(application), status_url(application)]
    application.delete()

    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_the_linked_pages_are_kept_from_search_engines_and_referers(client, questioned):
    for url in (confirm_url(questioned), status_url(questioned)):
        response = client.get(url)
        assert response["Referrer-Policy"] == "same-origin"
        assert '<meta name="robots" content="noindex">' in response.content.decode()
        assert "no-cache" in response["Cache-Control"]


# -- the status page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Application.Status.UNCONFIRMED, "has not been confirmed yet"),
        (Application.Status.RECEIVED, "has reached the coordinators"),
        (Application.Status.UNDER_REVIEW, "are reviewing the application"),
        (Application.Status.ACCEPTED, "was accepted on"),
        (Application.Status.DECLINED, "Outside the network's scope."),
        (Application.Status.ABANDONED, "not confirmed in time"),
    ],
)
def test_the_status_page_tells_the_state_in_words(client, status, words):
    fields = {"decline_reason": "Outside the network's scope."}
    if status == Application.Status.ACCEPTED:
        fields["partner"] = factories.make_partner(name="Accepted", slug="accepted")
    if status != Application.Status.DECLINED:
        fields = {k: v for k, v in fields.items() if k != "decline_reason"}
    application = factories.make_application(status=status, **fields)

    response = client.get(status_url(application))

    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert words in html
    assert str(application.get_status_display()) in html


def test_the_status_page_never_shows_the_contact_person(client, questioned):
    services.application_answer(application=questioned, answer="In 2027.")

    html = client.get(status_url(questioned)).content.decode().lower()

    for value in ("probe.person@example.org", "probe person", "probe liaison", "example.org"):
        assert value not in html


def test_the_status_page_says_when_the_personal_data_was_erased(client, questioned):
    services.application_answer(application=questioned, answer="In 2027, write to me.")
    services.application_erase_personal_data(application=questioned)

    html = client.get(status_url(questioned)).content.decode()

    assert "details were erased" in html
    assert "write to me" not in html and "(erased)" in html


def test_the_applicant_answers_a_question_from_the_status_page(client, questioned):
    url = status_url(questioned)
    page = client.get(url).content.decode()
    assert "Which year?" in page and 'name="answer"' in page

    response = client.post(url, {"answer": "  From March 2027.  "})

    assert response.status_code == 302 and is_status_link(response.url, questioned)
    answer = questioned.messages.get(direction=Message.Direction.ANSWER)
    assert answer.body == "From March 2027."
    html = client.get(url).content.decode()
    assert "From March 2027." in html
    assert "Your answer was added" in html


@pytest.mark.parametrize(
    ("answer", "message"), [("   ", "Write your answer first."), ("x" * 4001, "at most 4000")]
)
def test_an_empty_or_over_long_answer_is_refused(client, questioned, answer, message):
    response = client.post(status_url(questioned), {"answer": answer})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not questioned.messages.filter(direction=Message.Direction.ANSWER).exists()


def test_a_closed_application_takes_no_answer(client, questioned, coordinator):
    services.application_decline(application=questioned, by=coordinator, reason="No budget.")
    url = status_url(questioned)
    assert 'name="answer"' not in client.get(url).content.decode()

    response = client.post(url, {"answer": "But please!"})

    assert response.status_code == 409
    assert "can no longer change" in response.content.decode()
    assert not questioned.messages.filter(direction=Message.Direction.ANSWER).exists()


def test_an_application_without_a_question_offers_no_answer_box(client):
    application = factories.make_application(status=Application.Status.RECEIVED)

    html = client.get(status_url(application)).content.decode()

    assert "No questions so far." in html
    assert 'name="answer"' not in html
    assert client.post(status_url(application), {"answer": "Hello"}).status_code == 409


def test_answers_stop_at_the_limit(client, questioned, settings):
    settings.JOINING_MAX_ANSWERS = 2
    url = status_url(questioned)

    codes = [client.post(url, {"answer": f"Answer {n}"}).status_code for n in range(3)]

    assert codes == [302, 302, 409]
    assert questioned.messages.filter(direction=Message.Direction.ANSWER).count() == 2

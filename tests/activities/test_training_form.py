"""The "Log a training" form: what staff type, what is saved, and every bad input refused."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Activity, Participation
from allas.translation import columns
from partners.models import PartnerStaff
from tests import factories

pytestmark = pytest.mark.django_db


def payload(language="en", **overrides):
    """A valid submission for staff of Montevideo writing in ``language`` (the page's, English
    by default); rows are (partner, role, attendees)."""
    today = timezone.localdate()
    rows = overrides.pop("rows", [("Quito", "participant", "12")])
    data = {
        "original_language": language,
        **dict.fromkeys(columns("title", "venue_name"), ""),
        f"title_{language}": "Training on city lobbying",
        "starts_on": today.replace(day=1).isoformat(),
        "ends_on": "",
        "hours": "3",
        "format": "online",
        "trainers": "A trainer",
        "venue_type": "online",
        "venue_partner": "",
        "venue_country": "",
        "notes": "",
        "organiser_attendees": "8",
        "action": "submit",
        "rows-TOTAL_FORMS": str(max(len(rows), 3)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "200",
    }
    for index, (partner, role, attendees) in enumerate(rows):
        data[f"rows-{index}-partner"] = partner
        data[f"rows-{index}-role"] = role
        data[f"rows-{index}-attendees"] = attendees
    for index in range(len(rows), 3):
        data[f"rows-{index}-role"] = "participant"
    data.update(overrides)
    return data


@pytest.fixture
def url():
    return reverse("staff:training-create")


def url_in(language):
    """The form's address on the pages of ``language`` (/pt/staff/trainings/new/)."""
    with translation.override(language):
        return reverse("staff:training-create")


def post(client, url, data):
    return client.post(url, data)


def test_it_logs_a_training_with_its_partners_and_the_organiser(
    staff_a_client, url, partner_a, partner_b
):
    response = post(staff_a_client, url, payload())

    assert response.status_code == 302
    assert response.url == reverse("staff:activity-list")
    activity = Activity.objects.get()
    assert activity.kind == Activity.Kind.TRAINING
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.hours == 3
    assert activity.created_by.username == "staff_a"
    roles = {p.partner: (p.role, p.attendees) for p in activity.participations.all()}
    assert roles == {partner_a: ("organiser", 8), partner_b: ("participant", 12)}


def test_it_saves_a_draft_when_asked(staff_a_client, url, partner_b):
    post(staff_a_client, url, payload(action="draft"))

    assert Activity.objects.get().status == Activity.Status.DRAFT


def test_it_generates_a_unique_slug_from_title_and_date(staff_a_client, url, partner_b):
    post(staff_a_client, url, payload(title_en="Formación en cooperación"))
    post(staff_a_client, url, payload(title_en="Formación en cooperación"))

    slugs = sorted(Activity.objects.values_list("slug", flat=True))
    start = timezone.localdate().replace(day=1).isoformat()
    assert slugs == [f"formacion-en-cooperacion-{start}", f"formacion-en-cooperacion-{start}-2"]


def test_it_finds_partners_by_short_name_or_slug(staff_a_client, url, partner_b):
    factories.make_partner(name="Fondo Andaluz", short_name="FAMSI", slug="famsi", country="ES")
    post(
        staff_a_client,
        url,
        payload(rows=[("quito", "participant", "1"), ("famsi", "trainer", "2")]),
    )

    names = set(Participation.objects.values_list("partner__short_name", "role"))
    assert ("FAMSI", "trainer") in names


def assert_refused(response, field, text):
    assert response.status_code == 200, "the form is shown again"
    assert not Activity.objects.exists(), "nothing half-saved"
    assert not Participation.objects.exists()
    errors = response.context["form"].errors.get(field, [])
    assert any(text in str(e) for e in errors), errors
    # The message is rendered next to the field.
    assert text in response.content.decode()


def test_it_refuses_an_end_before_the_start(staff_a_client, url, partner_b):
    today = timezone.localdate()
    response = post(
        staff_a_client,
        url,
        payload(
            starts_on=today.isoformat(),
            ends_on=(today - datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert_refused(response, "ends_on", "cannot be before the start date")


def test_it_refuses_a_missing_title(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(title_en="  ", title_fr="Formation"))
    assert_refused(response, "title_en", "Write it in English, the original language.")


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-2", "at least half an hour"),
        ("0", "at least half an hour"),
        ("0.2", "at least half an hour"),
        ("9000", "more than a training can last"),
        ("lots", "Enter a number"),
    ],
)
def test_it_refuses_negative_or_absurd_hours(staff_a_client, url, partner_b, hours, message):
    response = post(staff_a_client, url, payload(hours=hours))
    assert_refused(response, "hours", message)


@pytest.mark.parametrize(
    ("attendees", "message"),
    [("-3", "cannot be negative"), ("1000000", "Check the figure"), ("many", "whole number")],
)
def test_it_refuses_negative_or_absurd_attendees(
    staff_a_client, url, partner_b, attendees, message
):
    response = post(staff_a_client, url, payload(rows=[("Quito", "participant", attendees)]))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    formset = response.context["formset"]
    assert any(message in str(e) for e in formset.forms[0].errors["attendees"])
    assert message in response.content.decode()


def test_it_refuses_negative_attendees_for_the_organiser(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(organiser_attendees="-1"))
    assert_refused(response, "organiser_attendees", "greater than or equal to 0")


def test_it_refuses_a_partner_listed_twice(staff_a_client, url, partner_b):
    response = post(
        staff_a_client,
        url,
        payload(rows=[("Quito", "participant", "1"), ("quito", "trainer", "2")]),
    )

    assert response.status_code == 200
    assert not Activity.objects.exists()
    errors = response.context["formset"].forms[1].errors["partner"]
    assert "already listed" in str(errors)


def test_it_refuses_the_own_organisation_as_a_second_row(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(rows=[("Montevideo", "participant", "1")]))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert "already listed" in str(response.context["formset"].forms[0].errors["partner"])


def test_it_refuses_an_unknown_partner_with_a_clear_message(staff_a_client, url):
    response = post(staff_a_client, url, payload(rows=[("Atlantis", "participant", "1")]))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert "No partner is called “Atlantis”" in response.content.decode()


def test_it_does_not_reveal_partners_that_are_not_public(staff_a_client, url):
    factories.make_partner(name="Hidden city", is_public=False)
    response = post(staff_a_client, url, payload(rows=[("Hidden city", "participant", "1")]))

    assert "No partner is called" in response.content.decode()
    assert not Activity.objects.exists()


def test_it_asks_for_a_city_when_the_venue_is_a_partner_city(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(venue_type="city", venue_partner=""))
    assert_refused(response, "venue_partner", "Type the partner city")


def test_it_saves_a_partner_city_as_the_venue(staff_a_client, url, partner_b):
    post(staff_a_client, url, payload(venue_type="city", venue_partner="Quito", format="in_person"))

    assert Activity.objects.get().venue_partner == partner_b


def test_it_asks_to_confirm_a_date_far_in_the_past(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(starts_on="2001-05-01"))
    assert_refused(response, "starts_on", "tick “Yes, the dates are right”")
    assert 'name="confirm_dates"' in response.content.decode()

    response = post(staff_a_client, url, payload(starts_on="2001-05-01", confirm_dates="on"))

    assert response.status_code == 302
    assert Activity.objects.get().starts_on == datetime.date(2001, 5, 1)


def test_it_asks_to_confirm_a_date_far_in_the_future(staff_a_client, url, partner_b):
    future = timezone.localdate() + datetime.timedelta(days=3 * 366)
    response = post(staff_a_client, url, payload(starts_on=future.isoformat()))
    assert_refused(response, "starts_on", "more than 2 years away")


def test_it_ignores_empty_extra_rows(staff_a_client, url, partner_b, partner_a):
    data = payload(rows=[("Quito", "participant", "5")], **{"rows-TOTAL_FORMS": "6"})
    for index in range(1, 6):
        data[f"rows-{index}-role"] = "participant"
    response = post(staff_a_client, url, data)

    assert response.status_code == 302
    assert Participation.objects.count() == 2


def test_a_broken_formset_gives_a_message_not_a_server_error(staff_a_client, url):
    data = payload()
    del data["rows-TOTAL_FORMS"]
    response = post(staff_a_client, url, data)

    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_staff_of_several_partners_choose_which_one_logs_it(client, partner_a, partner_b):
    network = factories.make_network(name="CUF", slug="cuf", country="FR")
    user = factories.make_staff(partner_a, "two_hats")
    PartnerStaff.objects.create(user=user, partner=network)
    client.force_login(user)
    url = reverse("staff:training-create")

    page = client.get(url).content.decode()
    assert '<select name="organiser"' in page
    client.post(url, payload(organiser=str(network.pk)))

    organiser = Participation.objects.get(role="organiser")
    assert organiser.partner == network


def test_staff_cannot_log_for_an_organisation_they_do_not_belong_to(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(organiser=str(partner_b.pk), rows=[]))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    # One partner only: the choice is fixed to it, and anything else is refused.
    assert "organiser" in response.context["form"].errors


def test_the_form_offers_no_select_of_every_partner(staff_a_client, url):
    for n in range(150):
        factories.make_partner(name=f"City {n:03}", slug=f"city-{n}")
    page = staff_a_client.get(url).content.decode()

    selects = re.findall(r'<select name="([^"]+)"(.*?)</select>', page, re.S)
    assert selects, "the page has selects (format, roles, country)"
    for name, body in selects:
        if name != "venue_country":
            assert body.count("<option") <= 10, name
    suggestions = page.split('<datalist id="partner-suggestions">')[1].split("</datalist>")[0]
    assert suggestions.count("<option") == 100


def test_partner_search_suggests_matching_public_partners(staff_a_client, partner_b):
    factories.make_partner(name="Quilmes hidden", is_public=False)
    response = staff_a_client.get(reverse("staff:partner-search"), {"q": "qui"})

    assert response.status_code == 200
    assert [r["value"] for r in response.json()["results"]] == ["Quito"]


def test_staff_cannot_publish_by_tampering_with_the_button(staff_a_client, url, partner_b):
    post(staff_a_client, url, payload(action="publish"))

    activity = Activity.objects.get()
    assert activity.status == Activity.Status.DRAFT
    assert activity.published_at is None


def test_the_service_saves_nothing_when_a_participation_is_invalid(partner_a, partner_b, staff_a):
    from activities.services import ActivityError, ParticipationRow, activity_log

    with pytest.raises(ActivityError) as error:
        activity_log(
            by=staff_a,
            organiser=partner_a,
            fields={
                "title": "Half saved?",
                "starts_on": datetime.date(2024, 5, 1),
                "hours": 2,
                "format": "online",
                "venue_type": "online",
            },
            participations=[ParticipationRow(partner_b, "participant", 10**9)],
        )

    assert "participations" in error.value.errors
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()


def test_the_service_refuses_a_status_only_coordinators_set(partner_a, staff_a):
    from activities.services import ActivityError, activity_log

    with pytest.raises(ActivityError):
        activity_log(
            by=staff_a,
            organiser=partner_a,
            fields={"title": "x", "starts_on": datetime.date(2024, 5, 1), "venue_type": "online"},
            status=Activity.Status.PUBLISHED,
        )
    assert not Activity.objects.exists()


def test_partners_met_on_recent_activities_are_suggested_before_others(
    staff_a_client, url, partner_a
):
    met = factories.make_partner(name="Zárate", slug="zarate")
    factories.make_activity(partners=[partner_a, met])
    for n in range(150):
        factories.make_partner(name=f"City {n:03}", slug=f"city-{n}")
    page = staff_a_client.get(url).content.decode()
    for datalist in ("partner-suggestions", "city-suggestions"):
        options = page.split(f'<datalist id="{datalist}">')[1].split("</datalist>")[0]
        assert options.count("<option") == 100
        assert "Zárate" in options and "Montevideo" in options
        assert "City 000" in options and "City 120" not in options


def test_the_form_costs_the_same_queries_for_few_and_many_partners_and_records(
    staff_a_client, url, partner_a, partner_b, django_assert_num_queries
):
    factories.make_activity(partners=[partner_a, partner_b])
    staff_a_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_a_client.get(url)
    for n in range(40):
        factories.make_activity(partners=[partner_a, factories.make_partner(slug=f"many-{n}")])
    with django_assert_num_queries(len(few.captured_queries)):
        staff_a_client.get(url)


def test_a_place_without_its_name_is_refused_once_next_to_the_field(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(venue_type="place", venue_name_en=" "))

    assert_refused(response, "venue_name_en", "Name the place")
    assert len(response.context["form"].errors["venue_name_en"]) == 1


def test_the_form_works_on_the_29th_of_february(staff_a_client, url, partner_b, monkeypatch):
    leap_day = datetime.date(2028, 2, 29)
    monkeypatch.setattr("activities.forms.activity.timezone.localdate", lambda: leap_day)

    response = post(staff_a_client, url, payload(starts_on="2028-02-01"))

    assert response.status_code == 302
    assert Activity.objects.get().starts_on == datetime.date(2028, 2, 1)


# --- Texts in four languages (allas/translation.py) ----------------------------------------


def test_a_staff_member_on_the_portuguese_pages_writes_the_training_in_portuguese(
    staff_a_client, partner_b
):
    url = url_in("pt")
    page = staff_a_client.get(url)
    form = page.context["form"]
    assert form["original_language"].value() == "pt"
    html = page.content.decode()
    # The Portuguese title is the form's title; the other languages wait in the disclosure.
    assert html.index('name="title_pt"') < html.index("<details") < html.index('name="title_es"')

    response = post(staff_a_client, url, payload("pt", title_pt="Formação em cooperação"))

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.original_language == "pt"
    assert (activity.title_pt, activity.title_es, activity.title_en) == (
        "Formação em cooperação",
        "",
        "",
    )
    assert activity.slug.startswith("formacao-em-cooperacao-")


def test_a_french_title_added_among_the_other_languages_is_saved(staff_a_client, url, partner_b):
    html = staff_a_client.get(url).content.decode()
    others = html.split("<details", 1)[1].split("</details>", 1)[0]
    assert "Other languages (optional)" in others
    assert "<legend>French</legend>" in others
    assert '<label for="id_title_fr">Title (French)</label>' in others
    assert 'name="title_fr" maxlength="250" lang="fr"' in others

    response = post(staff_a_client, url, payload(title_fr="Formation au plaidoyer des villes"))

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.original_language, activity.title_en, activity.title_fr) == (
        "en",
        "Training on city lobbying",
        "Formation au plaidoyer des villes",
    )
    assert activity.slug.startswith("training-on-city-lobbying-")  # the original's words


def test_a_title_missing_in_the_original_language_is_asked_for_in_that_language(
    staff_a_client, url, partner_b
):
    """Written in Portuguese, titled in English only: refused on the Portuguese title, which
    the page shows again as the form's title."""
    response = post(staff_a_client, url, payload("pt", title_pt="", title_en="Lobbying"))

    assert_refused(response, "title_pt", "Write it in Portuguese, the original language.")
    form = response.context["form"]
    assert list(form.errors) == ["title_pt"]
    assert form.written["title"].name == "title_pt"
    assert form["title_en"].value() == "Lobbying"  # what was typed is kept


def test_an_error_in_another_language_opens_its_group(staff_a_client, url, partner_b):
    response = post(staff_a_client, url, payload(title_fr="x" * 300))

    assert response.status_code == 200
    assert "title_fr" in response.context["form"].errors
    assert '<details class="group other-languages" open>' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("language", ["xx", "", "pt-BR", "es' OR 1=1", "e\x00s"])
def test_an_original_language_the_site_does_not_have_is_refused_next_to_the_field(
    staff_a_client, url, partner_b, language
):
    response = post(staff_a_client, url, payload(original_language=language))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["original_language"]
    assert form.written["title"].name == "title_en"  # laid out in the page's language
    assert not Activity.objects.exists()


def test_the_address_comes_from_the_original_title_whatever_the_pages_language(
    staff_a_client, url, partner_b
):
    response = post(staff_a_client, url, payload("pt", title_pt="Formação", title_en="Training"))

    assert response.status_code == 302
    assert Activity.objects.get().slug.startswith("formacao-")

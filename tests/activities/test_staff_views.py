"""The staff area: the list with yearly totals, edit, duplicate, and access per organisation."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Activity, Participation
from allas.translation import columns
from tests import factories

pytestmark = pytest.mark.django_db


def training(partners, **fields):
    fields.setdefault("kind", Activity.Kind.TRAINING)
    return factories.make_activity(partners=partners, **fields)


def edit_payload(activity, **overrides):
    """The edit form as the browser would post it, with the activity's current texts in every
    language and its current rows; ``title`` stands for the title in the original language."""
    data = {
        "original_language": activity.original_language,
        **{column: getattr(activity, column) for column in columns("title", "venue_name")},
        "starts_on": activity.starts_on.isoformat(),
        "ends_on": "",
        "hours": str(activity.hours or ""),
        "format": activity.format,
        "trainers": "",
        "venue_type": activity.venue_type,
        "venue_partner": "",
        "venue_country": "",
        "notes": "",
        "confirm_dates": "on",
        "action": "draft",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "200",
    }
    if "title" in overrides:
        data[f"title_{activity.original_language}"] = overrides.pop("title")
    rows = overrides.pop("rows", None)
    if rows is None:
        rows = [(p.partner.name, p.role, str(p.attendees)) for p in activity.participations.all()]
    data["rows-TOTAL_FORMS"] = str(len(rows))
    for index, (partner, role, attendees) in enumerate(rows):
        data[f"rows-{index}-partner"] = partner
        data[f"rows-{index}-role"] = role
        data[f"rows-{index}-attendees"] = attendees
    data.update(overrides)
    return data


def test_the_list_shows_only_records_of_the_users_organisations(
    staff_a_client, partner_a, partner_b
):
    ours = training([partner_a], title="Montevideo's own")
    joint = training([partner_b, partner_a], title="Quito's with us")
    training([partner_b], title="Quito alone", status=Activity.Status.DRAFT)

    response = staff_a_client.get(reverse("staff:activity-list"))

    assert response.status_code == 200
    assert set(response.context["activities"]) == {ours, joint}
    assert "Quito alone" not in response.content.decode()


def test_the_list_totals_sessions_hours_and_attendee_hours_per_year(
    staff_a_client, partner_a, partner_b
):
    first = training([partner_a, partner_b], hours=3, starts_on=datetime.date(2023, 5, 1))
    training([partner_a], hours=2, starts_on=datetime.date(2023, 9, 1))
    training([partner_a], hours=4, starts_on=datetime.date(2024, 2, 1))
    training([partner_a], hours=9, status=Activity.Status.CANCELLED)
    factories.make_activity(partners=[partner_a], starts_on=datetime.date(2024, 3, 1))
    Participation.objects.filter(activity=first, partner=partner_b).update(attendees=20)

    totals = staff_a_client.get(reverse("staff:activity-list")).context["totals"]

    by_year = {row["year"]: row for row in totals}
    assert by_year[2023]["sessions"] == 2
    assert by_year[2023]["hours"] == 5
    # 3 h × (10 + 20) attendees + 2 h × 10 attendees
    assert by_year[2023]["attendees"] == 40
    assert by_year[2023]["attendee_hours"] == 110
    assert by_year[2024]["sessions"] == 1
    assert by_year[2024]["attendee_hours"] == 40


def test_the_list_costs_the_same_queries_for_few_and_many_records(
    client, partner_a, partner_b, staff_a, django_assert_num_queries
):
    """Prevents N+1 on the list (partners of each record are prefetched)."""
    client.force_login(staff_a)
    url = reverse("staff:activity-list")
    training([partner_a, partner_b])
    client.get(url)  # warm the session and content types

    with django_assert_num_queries(8) as few:
        client.get(url)
    for n in range(30):
        training(
            [partner_a, partner_b, factories.make_partner()],
            starts_on=datetime.date(2020 + n % 5, 1, 1),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_staff_edit_their_organisations_record(staff_a_client, partner_a, partner_b):
    activity = training([partner_b, partner_a], status=Activity.Status.DRAFT)
    activity.participations.filter(partner=partner_a).update(role="co_organiser")
    url = reverse("staff:activity-edit", args=[activity.pk])
    assert staff_a_client.get(url).status_code == 200

    data = edit_payload(
        activity,
        title="Renamed",
        action="submit",
        rows=[("Quito", "organiser", "10"), ("Montevideo", "co_organiser", "33")],
    )
    response = staff_a_client.post(url, data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed"
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.participations.get(partner=partner_a).attendees == 33


def test_editing_keeps_change_history_of_participations(staff_a_client, partner_a, partner_b):
    activity = training([partner_a, partner_b], status=Activity.Status.DRAFT)
    url = reverse("staff:activity-edit", args=[activity.pk])

    staff_a_client.post(url, edit_payload(activity, rows=[("Montevideo", "organiser", "10")]))

    assert not activity.participations.filter(partner=partner_b).exists()
    assert Participation.history.filter(partner=partner_b, history_type="-").count() == 1
    # The untouched row was not rewritten.
    assert Participation.history.filter(partner=partner_a).count() == 1


def test_staff_cannot_drop_their_own_organisation_from_a_record(
    staff_a_client, partner_a, partner_b
):
    activity = training([partner_a, partner_b], status=Activity.Status.DRAFT)
    url = reverse("staff:activity-edit", args=[activity.pk])

    response = staff_a_client.post(url, edit_payload(activity, rows=[("Quito", "organiser", "1")]))

    assert response.status_code == 200
    assert "Keep one of your organisations" in response.content.decode()
    assert activity.participations.filter(partner=partner_a).exists()


def test_what_the_service_refuses_about_the_rows_is_said_above_them(
    staff_a_client, partner_a, partner_b
):
    activity = training([partner_b, partner_a], status=Activity.Status.DRAFT)
    activity.participations.filter(partner=partner_a).update(role="co_organiser")
    url = reverse("staff:activity-edit", args=[activity.pk])
    rows = [("Quito", "participant", "1"), ("Montevideo", "co_organiser", "1")]

    response = staff_a_client.post(url, edit_payload(activity, rows=rows))

    assert response.status_code == 200
    assert any("only a coordinator can remove it" in e for e in response.context["rows_errors"])
    assert "only a coordinator can remove it" in response.content.decode()
    assert activity.participations.get(partner=partner_b).role == "organiser"


def test_editing_a_published_record_keeps_it_published_and_proposes_the_change(
    staff_a_client, partner_a
):
    activity = training([partner_a])
    url = reverse("staff:activity-edit", args=[activity.pk])
    title = activity.title

    response = staff_a_client.post(url, edit_payload(activity, action="draft", title="Fixed"))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.status) == (title, Activity.Status.PUBLISHED)
    assert activity.proposed_changes.get().proposed["fields"]["title_es"] == "Fixed"


def test_staff_edit_other_kinds_of_activity_without_training_fields(staff_a_client, partner_a):
    activity = factories.make_activity(
        partners=[partner_a], kind=Activity.Kind.SEMINAR, status=Activity.Status.DRAFT
    )
    url = reverse("staff:activity-edit", args=[activity.pk])
    page = staff_a_client.get(url).content.decode()
    assert 'name="hours"' not in page

    data = edit_payload(activity, title="Seminar renamed")
    del data["hours"], data["format"]
    response = staff_a_client.post(url, data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Seminar renamed"
    assert activity.hours is None


def test_duplicate_prefills_a_new_record_for_the_next_session(staff_a_client, partner_a, partner_b):
    theme = factories.make_theme()
    source = training([partner_a, partner_b], title="Monthly clinic", hours=2)
    source.themes.add(theme)
    url = reverse("staff:activity-duplicate", args=[source.pk])

    page = staff_a_client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["title_es"].value() == "Monthly clinic"
    assert page.context["form"]["starts_on"].value() in (None, "")
    assert 'value="Quito"' in page.content.decode()

    next_month = timezone.localdate().replace(day=1).isoformat()
    data = edit_payload(source, starts_on=next_month, action="submit")
    data["rows-TOTAL_FORMS"] = "1"
    data.update({"rows-0-partner": "Quito", "rows-0-role": "participant", "rows-0-attendees": "4"})
    data["organiser_attendees"] = "6"
    data["themes"] = [str(theme.pk)]
    response = staff_a_client.post(url, data)

    assert response.status_code == 302
    copy = Activity.objects.exclude(pk=source.pk).get()
    assert copy.title == "Monthly clinic"
    assert copy.slug != source.slug
    assert copy.status == Activity.Status.SUBMITTED
    assert list(copy.themes.all()) == [theme]
    assert {(p.partner, p.role) for p in copy.participations.all()} == {
        (partner_a, "organiser"),
        (partner_b, "participant"),
    }
    source.refresh_from_db()
    assert source.title == "Monthly clinic"


@pytest.mark.parametrize("name", ["staff:activity-edit", "staff:activity-duplicate"])
def test_another_organisations_record_is_not_found(staff_a_client, partner_b, name):
    """404 rather than 403, so a URL does not tell that Quito's draft exists."""
    draft = training([partner_b], status=Activity.Status.DRAFT)

    assert staff_a_client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert staff_a_client.post(reverse(name, args=[draft.pk]), {}).status_code == 404
    assert staff_a_client.get(reverse(name, args=[999999])).status_code == 404


def test_a_user_without_an_organisation_is_told_so(coordinator_client):
    response = coordinator_client.get(reverse("staff:training-create"))

    assert response.status_code == 403
    assert "not linked" in response.content.decode()


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("staff:training-create"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


def test_staff_log_in_and_land_on_their_list(client, staff_a):
    response = client.post(
        reverse("staff:login"), {"username": "staff_a", "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("staff:activity-list")


def test_a_wrong_password_shows_a_message(client, staff_a):
    response = client.post(reverse("staff:login"), {"username": "staff_a", "password": "nope"})

    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_staff_log_out_with_a_post(staff_a_client):
    response = staff_a_client.post(reverse("staff:logout"))

    assert response.status_code == 302
    assert staff_a_client.get(reverse("staff:activity-list")).status_code == 302


def test_staff_reset_a_forgotten_password_by_email(client, staff_a):
    response = client.post(reverse("staff:password_reset"), {"email": staff_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+/)", mail.outbox[0].body).group(1)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "An0ther-long-pass", "new_password2": "An0ther-long-pass"},
    )

    assert response.status_code == 302
    assert response.url == reverse("staff:password_reset_complete")
    staff_a.refresh_from_db()
    assert staff_a.check_password("An0ther-long-pass")


def test_partner_search_needs_a_login(client):
    response = client.get(reverse("staff:partner-search"), {"q": "qui"})
    assert response.status_code == 302


def test_a_record_saves_unchanged_with_a_shared_name_and_a_hidden_host_city(
    staff_a_client, partner_a
):
    factories.make_partner(name="Córdoba", slug="cordoba-ar", country="AR")
    spain = factories.make_partner(name="Córdoba", slug="cordoba-es", country="ES")
    hidden = factories.make_partner(name="Hidden town", slug="hidden-town", is_public=False)
    activity = training([partner_a, spain], venue_type="city", venue_partner=hidden)
    url = reverse("staff:activity-edit", args=[activity.pk])

    page = staff_a_client.get(url).content.decode()
    # The form names partners by slug, which is unique, and posts back what it showed.
    assert 'value="cordoba-es"' in page and 'value="hidden-town"' in page
    rows = [(p.partner.slug, p.role, str(p.attendees)) for p in activity.participations.all()]
    response = staff_a_client.post(
        url, edit_payload(activity, rows=rows, venue_partner="hidden-town")
    )

    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert activity.venue_partner == hidden
    assert set(activity.participants.all()) == {partner_a, spain}


# --- Texts in four languages (allas/translation.py) ----------------------------------------


def test_duplicate_copies_the_texts_in_every_language_and_their_original_language(
    staff_a_client, partner_a
):
    source = training(
        [partner_a],
        original_language="pt",
        title="Clínica mensal",
        title_fr="Clinique mensuelle",
        venue_type="place",
        venue_name="Prefeitura",
        venue_name_es="Alcaldía",
        venue_country="BR",
    )
    url = reverse("staff:activity-duplicate", args=[source.pk])

    form = staff_a_client.get(url).context["form"]

    assert form["original_language"].value() == "pt"
    assert form.written["title"].name == "title_pt"  # on /en/, the record's language first
    assert {column: form[column].value() for column in columns("title", "venue_name")} == {
        column: getattr(source, column) for column in columns("title", "venue_name")
    }
    data = edit_payload(source, starts_on=timezone.localdate().replace(day=1).isoformat())
    data.update({"organiser_attendees": "6", "venue_country": "BR", "rows-TOTAL_FORMS": "0"})
    response = staff_a_client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    copy = Activity.objects.exclude(pk=source.pk).get()
    assert copy.original_language == "pt"
    assert (copy.title_pt, copy.title_fr, copy.title_es) == (
        "Clínica mensal",
        "Clinique mensuelle",
        "",
    )
    assert (copy.venue_name_pt, copy.venue_name_es) == ("Prefeitura", "Alcaldía")


def test_the_list_marks_a_title_shown_in_another_language(staff_a_client, partner_a):
    training([partner_a], title="Formación en cooperación")  # Spanish only
    training([partner_a], title="Formación", title_en="Training on cooperation")

    html = staff_a_client.get(reverse("staff:activity-list")).content.decode()

    assert '<span lang="es">Formación en cooperación</span>' in html
    assert "(in Spanish)" in html
    assert "Training on cooperation" in html and ">Formación<" not in html


def test_the_edit_form_keeps_the_records_language_first_whatever_the_pages(
    client, staff_a, partner_a
):
    activity = training(
        [partner_a], status=Activity.Status.DRAFT, original_language="pt", title="Oficina"
    )
    client.force_login(staff_a)
    with translation.override("fr"):
        url = reverse("staff:activity-edit", args=[activity.pk])

    form = client.get(url).context["form"]

    assert form["original_language"].value() == "pt"
    assert form.written["title"].name == "title_pt"
    assert [group.code for group in form.other_languages] == ["es", "fr", "en"]

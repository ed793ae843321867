"""Nothing lost: every edited record keeps its history, and any earlier version comes back."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity, Participation
from allas.translation import columns
from partners.models import AgreementParty, Partner, PartnerStaff
from tests import factories


def tracked_values(obj):
    """Every stored field except the automatic timestamps."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)
    }


def _membership():
    return factories.make_membership()


def _party():
    agreement = factories.make_agreement(parties=[factories.make_partner()])
    return AgreementParty.objects.create(agreement=agreement, partner=factories.make_partner())


def _participation():
    return Participation.objects.create(
        activity=factories.make_activity(), partner=factories.make_partner(), attendees=5
    )


def _staff():
    user = factories.make_user()
    return PartnerStaff.objects.create(user=user, partner=factories.make_partner())


def _activity_in_portuguese():
    return factories.make_activity(
        original_language="pt", title="Fórum do Recife", title_es="Foro de Recife"
    )


# model: (make one, [first edit], [second edit])
CASES = {
    "partner": (factories.make_partner, {"name": "Renamed"}, {"website": "https://example.org"}),
    "membership": (_membership, {"role": "observer"}, {"left_on": datetime.date(2020, 1, 1)}),
    "agreement": (factories.make_agreement, {"title": "New title"}, {"summary": "Now with text"}),
    "agreement party": (_party, {"role": "witness"}, {"role": "funder"}),
    "activity": (factories.make_activity, {"title": "Other"}, {"summary": "What happened"}),
    "participation": (_participation, {"attendees": 7}, {"role": "trainer"}),
    "resource": (factories.make_resource, {"title": "Toolkit"}, {"description": "Long"}),
    "partner staff link": (
        _staff,
        {"partner": factories.make_partner},
        {"partner": factories.make_partner},
    ),
    "theme": (factories.make_theme, {"name_en": "Lobbying"}, {"description": "Influence"}),
    "texts in several languages": (
        _activity_in_portuguese,
        {"title_fr": "Forum de Recife", "summary_pt": "Três dias de formação"},
        {"original_language": "es", "title_pt": "", "summary_en": "Three days"},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_each_record_edited_twice_and_deleted_can_be_restored_version_by_version(case):
    make, first_edit, second_edit = CASES[case]
    obj = make()
    model = type(obj)
    versions = [tracked_values(obj)]
    for edit in (first_edit, second_edit):
        for name, value in edit.items():
            setattr(obj, name, value() if callable(value) else value)
        obj.save()
        versions.append(tracked_values(obj))
    pk = obj.pk
    obj.delete()
    assert not model.objects.filter(pk=pk).exists()

    records = list(model.history.filter(id=pk).order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~", "~", "-"]
    for record, expected in zip(records[:3], versions, strict=True):
        record.instance.save()
        restored = model.objects.get(pk=pk)
        assert tracked_values(restored) == expected


def test_the_history_shows_who_changed_which_field_in_the_admin(coordinator_client, coordinator):
    city = factories.make_partner(name="Moron", slug="moron", country="AR")
    url = reverse("admin:partners_partner_change", args=[city.pk])
    data = {
        "kind": "city",
        "name": "Morón",
        "slug": "moron",
        "country": "AR",
        "is_public": "on",
        "original_language": "es",
        **{
            f"{prefix}-{key}": value
            for prefix in ("memberships", "staff_links")
            for key, value in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        },
    }
    assert coordinator_client.post(url, data).status_code == 302
    latest = city.history.first()
    assert latest.history_user == coordinator
    assert latest.diff_against(latest.prev_record).changed_fields == ["name"]
    page = coordinator_client.get(reverse("admin:partners_partner_history", args=[city.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Moron" in html and "Morón" in html


def test_an_earlier_version_is_restored_from_the_admin_revert_page(coordinator_client, coordinator):
    city = factories.make_partner(name="Lima", slug="lima", country="PE", locality="Centro")
    first = city.history.get()
    city.name, city.locality = "Lima Metropolitana", "Cercado"
    city.save()
    url = reverse("admin:partners_partner_simple_history", args=[city.pk, first.history_id])
    form = coordinator_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data["is_public"] = "on"
    data["country"] = "PE"
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    city.refresh_from_db()
    assert (city.name, city.locality) == ("Lima", "Centro")
    assert city.history.first().history_user == coordinator


def test_deleting_in_the_admin_keeps_the_last_version(coordinator_client, coordinator):
    city = factories.make_partner(name="Medellín", slug="medellin", country="CO")
    url = reverse("admin:partners_partner_delete", args=[city.pk])
    assert coordinator_client.post(url, {"post": "yes"}).status_code == 302
    deleted = Partner.history.filter(id=city.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", coordinator)
    deleted.instance.save()
    assert Partner.objects.get(pk=city.pk).name == "Medellín"


def test_bulk_publishing_records_a_history_step_per_activity(coordinator_client, coordinator):
    drafts = [factories.make_activity(status=Activity.Status.DRAFT) for _ in range(2)]
    coordinator_client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "publish", "_selected_action": [a.pk for a in drafts]},
    )
    for activity in drafts:
        assert [h.status for h in activity.history.all()] == ["published", "draft"]


def test_a_changed_portuguese_title_is_recorded_under_its_column(coordinator_client):
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    activity = _activity_in_portuguese()
    activity.title_pt = "Fórum de cooperação do Recife"
    activity.save()
    latest = activity.history.first()
    delta = latest.diff_against(latest.prev_record)
    assert delta.changed_fields == ["title_pt"]
    assert [(c.old, c.new) for c in delta.changes] == [
        ("Fórum do Recife", "Fórum de cooperação do Recife")
    ]
    page = coordinator_client.get(reverse("admin:activities_activity_history", args=[activity.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Title (Portuguese)" in html
    assert "Fórum do Recife" in html and "Fórum de cooperação do Recife" in html


def test_a_coordinator_changing_a_portuguese_description_is_recorded(
    coordinator_client, coordinator
):
    city = factories.make_partner(
        name="Recife", slug="recife", country="BR", original_language="pt", description="Cidade"
    )
    data = {
        "kind": "city",
        "name": "Recife",
        "slug": "recife",
        "country": "BR",
        "is_public": "on",
        "original_language": "pt",
        "description_pt": "Cidade do Nordeste, à beira-mar",
        **{
            f"{prefix}-{key}": value
            for prefix in ("memberships", "staff_links")
            for key, value in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        },
    }
    response = coordinator_client.post(
        reverse("admin:partners_partner_change", args=[city.pk]), data
    )
    assert response.status_code == 302
    latest = city.history.first()
    assert latest.history_user == coordinator
    assert latest.diff_against(latest.prev_record).changed_fields == ["description_pt"]


@pytest.mark.django_db
def test_an_earlier_version_brings_back_every_language_and_the_original_language():
    activity = _activity_in_portuguese()
    activity.summary_fr = "Trois jours, « coopération »"
    activity.save()
    first = activity.history.first()
    activity.original_language = "en"
    activity.title_en = "Recife forum"
    activity.title_pt = ""
    activity.summary_fr = ""
    activity.save()

    Activity.history.as_of(first.history_date).get(pk=activity.pk).save()

    activity.refresh_from_db()
    assert activity.original_language == "pt"
    assert {column: getattr(activity, column) for column in columns("title", "summary")} == {
        "title_es": "Foro de Recife",
        "title_pt": "Fórum do Recife",
        "title_fr": "",
        "title_en": "",
        "summary_es": "",
        "summary_pt": "",
        "summary_fr": "Trois jours, « coopération »",
        "summary_en": "",
    }


def test_the_admin_revert_page_restores_texts_in_each_language(coordinator_client, coordinator):
    city = factories.make_partner(
        name="Recife",
        slug="recife",
        country="BR",
        original_language="pt",
        description="Cidade do Nordeste",
        description_fr="Ville du Nordeste",
        official_name_fr="Recife (Pernambouc)",
    )
    first = city.history.get()
    city.original_language = "es"
    city.description_es = "Ciudad del Nordeste"
    city.description_pt = city.description_fr = city.official_name_fr = ""
    city.save()
    url = reverse("admin:partners_partner_simple_history", args=[city.pk, first.history_id])
    form = coordinator_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data["is_public"] = "on"
    data["country"] = "BR"
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    city.refresh_from_db()
    assert (city.original_language, city.official_name_fr) == ("pt", "Recife (Pernambouc)")
    assert [city.description_es, city.description_pt, city.description_fr] == [
        "",
        "Cidade do Nordeste",
        "Ville du Nordeste",
    ]
    assert city.history.first().history_user == coordinator

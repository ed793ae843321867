"""The back-office: every page answers, query counts do not grow with rows, the model rules
reach the admin forms as messages, protected deletes are refused, the agreement lifecycle."""

import contextlib
import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from activities.models import Activity, Participation
from partners.models import (
    Agreement,
    AgreementParty,
    Membership,
    Partner,
    PartnerStaff,
)
from partners.services import agreement_change_status
from tests import factories
from tests.pages import largest_select


@pytest.fixture
def admin_client(coordinator_client):
    """The coordinator, reading the admin in English (the source language of messages)."""
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return coordinator_client


def populate(n, *, network, anchor):
    """Add ``n`` rows of every kind of record, many of them hanging from ``anchor`` records
    (the network, one agreement, one activity), so both lists and inlines grow."""
    theme = factories.make_theme()
    for _ in range(n):
        city = factories.make_partner()
        factories.make_partner(kind=Partner.Kind.INSTITUTION)
        other_network = factories.make_network()
        factories.make_membership(member=city, network=network)
        factories.make_membership(
            member=city, network=other_network, left_on=datetime.date(2020, 1, 1)
        )
        AgreementParty.objects.create(agreement=anchor["agreement"], partner=city)
        agreement = factories.make_agreement(parties=[city, other_network])
        agreement.themes.add(theme)
        agreement_change_status(agreement=agreement, to_status=Agreement.Status.NEGOTIATION)
        Participation.objects.create(activity=anchor["activity"], partner=city, attendees=3)
        activity = factories.make_activity(partners=[city, other_network], venue_partner=city)
        activity.themes.add(theme)
        resource = factories.make_resource()
        resource.partners.add(city)
        resource.activities.add(activity)
        factories.make_staff(city)
        factories.make_theme()


@pytest.fixture
def anchor(network, partner_a, partner_b):
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    activity = factories.make_activity(partners=[partner_a, partner_b], kind=Activity.Kind.TRAINING)
    factories.make_membership(member=partner_a, network=network)
    return {"agreement": agreement, "activity": activity, "network": network}


def admin_pages(coordinator, app_labels, anchor):
    """(label, url) for the changelist, add and change page of every registered model."""
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    preferred = {
        Agreement: anchor["agreement"],
        Activity: anchor["activity"],
        Partner: anchor["network"],
    }
    pages = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in app_labels:
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append((f"{name}_changelist", reverse(f"{name}_changelist")))
        if model_admin.has_add_permission(request):
            pages.append((f"{name}_add", reverse(f"{name}_add")))
        obj = preferred.get(model)
        if obj is None or not model_admin.get_queryset(request).filter(pk=obj.pk).exists():
            obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None:
            pages.append((f"{name}_change", reverse(f"{name}_change", args=[obj.pk])))
            with contextlib.suppress(NoReverseMatch):
                pages.append((f"{name}_history", reverse(f"{name}_history", args=[obj.pk])))
    return pages


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


def assert_pages_do_not_grow(client, coordinator, anchor, app_labels):
    """Prevents N+1: each page runs as many queries with 30 rows as with 2."""
    populate(2, network=anchor["network"], anchor=anchor)
    pages = admin_pages(coordinator, app_labels, anchor)
    assert pages
    for _label, url in pages:
        client.get(url)  # warm the per-process caches (content types, permissions)
    few = {label: count_queries(client, url) for label, url in pages}
    populate(28, network=anchor["network"], anchor=anchor)
    for label, url in pages:
        many, sql = count_queries(client, url)
        assert many == few[label][0], (label, few[label][0], many)


@pytest.mark.django_db
def test_every_partners_and_accounts_admin_page_answers_with_a_constant_query_count(
    admin_client, coordinator, anchor
):
    assert_pages_do_not_grow(admin_client, coordinator, anchor, {"partners", "auth"})


@pytest.mark.django_db
def test_no_admin_form_lists_every_partner_in_a_select(admin_client, coordinator, anchor):
    Partner.objects.bulk_create(
        Partner(kind="city", name=f"City {i}", slug=f"bulk-city-{i}", country="UY", region="latam")
        for i in range(120)
    )
    for label, url in admin_pages(coordinator, {"partners", "activities", "auth"}, anchor):
        if label.endswith("_changelist") or label.endswith("_history"):
            continue
        html = admin_client.get(url).content.decode()
        assert ">City 7<" not in html, label
        # Permission and country lists are fixed in size, not data: leave them out.
        html = re.sub(
            r'<select[^>]*name="(user_permissions|permissions|country|venue_country)".*?</select>',
            "",
            html,
            flags=re.S,
        )
        assert largest_select(html) <= 100, label


def test_the_admin_site_names_the_network(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "AL-LAs Network" in response.content.decode()


def test_staff_of_a_partner_are_sent_to_the_admin_login(staff_a_client):
    for url in [
        reverse("admin:index"),
        reverse("admin:partners_partner_changelist"),
        reverse("admin:activities_activity_changelist"),
    ]:
        response = staff_a_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


# --- Sections -------------------------------------------------------------------------------


def test_the_partner_list_filtered_by_kind_lists_only_that_kind(admin_client, partner_a, network):
    changelist = reverse("admin:partners_partner_changelist")
    cities = admin_client.get(changelist + "?kind=city")
    networks = admin_client.get(changelist + "?kind=network")
    assert list(cities.context["cl"].result_list) == [partner_a]
    assert list(networks.context["cl"].result_list) == [network]


def test_the_admin_index_links_to_cities_networks_and_institutions(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    changelist = reverse("admin:partners_partner_changelist")
    for kind in Partner.Kind.values:
        assert f'href="{changelist}?kind={kind}"' in html, kind


def test_an_institution_is_added_with_its_type(admin_client):
    response = admin_client.post(
        reverse("admin:partners_partner_add"),
        {
            "kind": "institution",
            "original_language": "es",
            "name": "Universidad de la República",
            "slug": "udelar",
            "country": "UY",
            "institution_type": "university",
            "is_public": "on",
            **empty_inlines("memberships", "staff_links"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Partner.objects.get(slug="udelar").kind == Partner.Kind.INSTITUTION


def test_an_institution_without_a_type_gets_the_models_message(admin_client):
    response = admin_client.post(
        reverse("admin:partners_partner_add"),
        {
            "kind": "institution",
            "original_language": "es",
            "name": "Somewhere",
            "slug": "somewhere",
            "country": "UY",
            **empty_inlines("memberships", "staff_links"),
        },
    )
    assert response.status_code == 200
    assert "Choose the type of institution." in response.content.decode()


def empty_inlines(*prefixes):
    data = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


# --- Membership rules as admin messages -----------------------------------------------------


def membership_post(client, **fields):
    data = {"role": "partner", "joined_on": "", "left_on": "", "note": ""} | {
        key: str(value) for key, value in fields.items()
    }
    return client.post(reverse("admin:partners_membership_add"), data)


def test_a_membership_ending_before_it_began_is_refused_with_a_message(
    admin_client, partner_a, network
):
    response = membership_post(
        admin_client,
        member=partner_a.pk,
        network=network.pk,
        joined_on="2020-01-01",
        left_on="2019-01-01",
    )
    assert "The end date cannot be before the date the partner joined." in response.content.decode()
    assert not Membership.objects.exists()


def test_an_overlapping_membership_is_refused_with_a_message(admin_client, partner_a, network):
    factories.make_membership(
        member=partner_a,
        network=network,
        joined_on=datetime.date(2013, 5, 1),
        left_on=datetime.date(2016, 1, 1),
    )
    response = membership_post(
        admin_client, member=partner_a.pk, network=network.pk, joined_on="2015-01-01"
    )
    assert "overlaps another membership" in response.content.decode()
    assert Membership.objects.count() == 1


def test_a_city_cannot_be_chosen_as_a_network(admin_client, partner_a, partner_b):
    response = membership_post(
        admin_client, member=partner_a.pk, network=partner_b.pk, joined_on="2015-01-01"
    )
    assert "Only a network of local governments can have members." in response.content.decode()
    assert not Membership.objects.exists()


def test_ending_memberships_today_keeps_the_period(admin_client, partner_a, network):
    membership = factories.make_membership(member=partner_a, network=network)
    response = admin_client.post(
        reverse("admin:partners_membership_changelist"),
        {"action": "end_today", "_selected_action": [membership.pk]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on is not None
    assert membership.history.count() == 2


# --- Protected deletes ----------------------------------------------------------------------


def test_deleting_a_partner_with_memberships_is_refused_and_nothing_is_lost(
    admin_client, partner_a, network
):
    factories.make_membership(member=partner_a, network=network)
    url = reverse("admin:partners_partner_delete", args=[partner_a.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["protected"]
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Partner.objects.filter(pk=partner_a.pk).exists()
    assert Membership.objects.count() == 1


def test_bulk_deleting_referenced_partners_is_refused_and_nothing_is_lost(
    admin_client, partner_a, partner_b
):
    factories.make_agreement(parties=[partner_a, partner_b])
    factories.make_activity(partners=[partner_a])
    response = admin_client.post(
        reverse("admin:partners_partner_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [partner_a.pk, partner_b.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert Partner.objects.filter(pk__in=[partner_a.pk, partner_b.pk]).count() == 2
    assert AgreementParty.objects.count() == 2
    assert Participation.objects.count() == 1


def test_a_delete_refused_by_the_database_gives_a_message_not_an_error(
    admin_client, partner_a, network, monkeypatch
):
    """The confirmation page saw nothing protected, but the delete itself is refused."""
    from partners.admin.partners import PartnerAdmin

    monkeypatch.setattr(
        PartnerAdmin, "get_deleted_objects", lambda self, objs, request: ([], {}, set(), [])
    )
    factories.make_membership(member=partner_a, network=network)
    response = admin_client.post(
        reverse("admin:partners_partner_delete", args=[partner_a.pk]), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "Nothing was deleted" in response.content.decode()
    assert Partner.objects.filter(pk=partner_a.pk).exists()


# --- Agreements -----------------------------------------------------------------------------


def agreement_post(parties, **fields):
    data = {
        "original_language": "es",
        "title_es": "Founding agreement",
        "slug": "founding",
        "kind": "partnership",
        "proposed_on": "2013-05-01",
        "is_public": "on",
        "party_links-TOTAL_FORMS": str(len(parties)),
        "party_links-INITIAL_FORMS": "0",
        "party_links-MIN_NUM_FORMS": "0",
        "party_links-MAX_NUM_FORMS": "1000",
    }
    for index, partner in enumerate(parties):
        data[f"party_links-{index}-partner"] = str(partner.pk)
        data[f"party_links-{index}-role"] = "signatory"
    return data | fields


def test_a_new_agreement_starts_proposed_with_its_first_step_recorded(
    admin_client, coordinator, partner_a, partner_b
):
    response = admin_client.post(
        reverse("admin:partners_agreement_add"),
        agreement_post([partner_a, partner_b], status="in_force"),
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="founding")
    assert agreement.status == Agreement.Status.PROPOSED
    step = agreement.status_changes.get()
    assert (step.from_status, step.to_status, step.changed_by) == ("", "proposed", coordinator)
    assert agreement.party_links.count() == 2
    assert agreement.history.get().history_user == coordinator


def test_an_agreement_needs_two_parties(admin_client, partner_a):
    response = admin_client.post(
        reverse("admin:partners_agreement_add"), agreement_post([partner_a])
    )
    assert response.status_code == 200
    assert "An agreement needs at least two parties." in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_same_party_twice_is_refused_with_a_message(admin_client, partner_a):
    response = admin_client.post(
        reverse("admin:partners_agreement_add"), agreement_post([partner_a, partner_a])
    )
    assert "This partner is already a party to this agreement." in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_status_cannot_be_edited_in_the_change_form(admin_client, partner_a, partner_b):
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    data = agreement_post([], title_es=agreement.title, slug=agreement.slug, status="in_force")
    data |= {
        "party_links-TOTAL_FORMS": "2",
        "party_links-INITIAL_FORMS": "2",
    }
    for index, link in enumerate(agreement.party_links.all()):
        data |= {
            f"party_links-{index}-id": str(link.pk),
            f"party_links-{index}-agreement": str(agreement.pk),
            f"party_links-{index}-partner": str(link.partner_id),
            f"party_links-{index}-role": "signatory",
        }
    response = admin_client.post(
        reverse("admin:partners_agreement_change", args=[agreement.pk]), data
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PROPOSED


def test_the_change_page_offers_one_button_per_allowed_transition_and_the_timeline(
    admin_client, coordinator, partner_a, partner_b
):
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    agreement_change_status(
        agreement=agreement,
        to_status="under_evaluation",
        by=coordinator,
        note="Sent to legal",
        on=datetime.date(2020, 2, 1),
    )
    html = admin_client.get(
        reverse("admin:partners_agreement_change", args=[agreement.pk])
    ).content.decode()
    for status in ["negotiation", "signed", "declined"]:
        assert reverse("admin:partners_agreement_transition", args=[agreement.pk, status]) in html
    assert (
        reverse("admin:partners_agreement_transition", args=[agreement.pk, "in_force"]) not in html
    )
    timeline = html.split('id="agreement-timeline"')[1]
    assert "Sent to legal" in timeline and "coordinator" in timeline


def test_a_transition_from_the_admin_goes_through_the_lifecycle_and_is_recorded(
    admin_client, coordinator, partner_a, partner_b
):
    agreement = factories.make_agreement(parties=[partner_a, partner_b], status="negotiation")
    url = reverse("admin:partners_agreement_transition", args=[agreement.pk, "signed"])
    assert "signed_on" in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, {"on": "2021-03-10", "signed_on": "2021-03-01", "note": "Signed in Quito"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    assert agreement.signed_on == datetime.date(2021, 3, 1)
    step = agreement.status_changes.latest()
    assert (step.from_status, step.to_status, step.changed_by, step.note) == (
        "negotiation",
        "signed",
        coordinator,
        "Signed in Quito",
    )
    assert agreement.history.first().history_user == coordinator


def test_a_forbidden_transition_is_refused_with_the_lifecycle_message(
    admin_client, partner_a, partner_b
):
    agreement = factories.make_agreement(parties=[partner_a, partner_b], status="declined")
    steps = agreement.status_changes.count()
    url = reverse("admin:partners_agreement_transition", args=[agreement.pk, "in_force"])
    response = admin_client.post(url, {"on": "2021-03-10", "signed_on": "2021-03-01"})
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "declined"
    assert agreement.status_changes.count() == steps


def test_a_signature_after_the_change_date_is_refused_with_a_message(
    admin_client, partner_a, partner_b
):
    agreement = factories.make_agreement(parties=[partner_a, partner_b], status="negotiation")
    url = reverse("admin:partners_agreement_transition", args=[agreement.pk, "signed"])
    response = admin_client.post(url, {"on": "2021-03-10", "signed_on": "2021-04-01"})
    assert "cannot be after the date of this change" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "negotiation"


def test_a_bad_date_or_unknown_status_in_a_transition_gives_a_4xx_or_a_message(
    admin_client, partner_a, partner_b
):
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    bad_status = reverse("admin:partners_agreement_transition", args=[agreement.pk, "nonsense"])
    assert admin_client.get(bad_status).status_code == 404
    url = reverse("admin:partners_agreement_transition", args=[agreement.pk, "negotiation"])
    response = admin_client.post(url, {"on": "31/31/2021"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    missing = reverse("admin:partners_agreement_transition", args=[999999, "negotiation"])
    assert admin_client.get(missing).status_code == 404


def test_status_changes_are_read_only_in_the_admin(admin_client, partner_a, partner_b):
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    step = agreement_change_status(agreement=agreement, to_status="negotiation")
    assert admin_client.get(reverse("admin:partners_agreementstatuschange_add")).status_code == 403
    page = admin_client.get(reverse("admin:partners_agreementstatuschange_change", args=[step.pk]))
    assert page.status_code == 200
    assert 'name="to_status"' not in page.content.decode()


# --- Partner staff accounts -----------------------------------------------------------------


def test_a_coordinator_links_a_user_to_an_organisation_on_the_user_page(
    admin_client, partner_b, staff_a
):
    url = reverse("admin:auth_user_change", args=[staff_a.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        "username": staff_a.username,
        "email": staff_a.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": "10:00:00",
        "partner_links-TOTAL_FORMS": "2",
        "partner_links-INITIAL_FORMS": "1",
        "partner_links-MIN_NUM_FORMS": "0",
        "partner_links-MAX_NUM_FORMS": "1000",
        "partner_links-0-id": str(staff_a.partner_links.get().pk),
        "partner_links-0-user": str(staff_a.pk),
        "partner_links-0-partner": str(staff_a.partner_links.get().partner_id),
        "partner_links-1-user": str(staff_a.pk),
        "partner_links-1-partner": str(partner_b.pk),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(
        PartnerStaff.objects.filter(user=staff_a).values_list("partner__slug", flat=True)
    ) == {
        "montevideo",
        "quito",
    }
    staff_a.refresh_from_db()
    assert not staff_a.is_staff


def test_the_account_list_tells_back_office_access_from_partner_staff(
    coordinator_client, staff_a, coordinator
):
    page = coordinator_client.get(reverse("admin:auth_user_changelist")).content.decode()
    # Django's is_staff is shown as what it means here (column and filter), never as "staff";
    # partner staff is the organisations column. The admin speaks Spanish by default.
    assert "Acceso al panel de administración" in page  # the column
    assert "Por acceso al panel de administración" in page  # the filter
    assert "es staff" not in page.lower()
    assert "Montevideo" in page
    filtered = coordinator_client.get(reverse("admin:auth_user_changelist"), {"is_staff__exact": 0})
    assert list(filtered.context["cl"].result_list) == [staff_a]

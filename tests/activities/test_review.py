"""Staff change only what their organisation organises, and nothing they write goes live
unreviewed: edits of public activities and resources wait as proposed changes that a
coordinator approves or rejects (activities/services/review.py, activities/review.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from activities import review
from activities.models import Activity, ProposedChange, Resource
from activities.services import (
    ActivityError,
    ParticipationRow,
    ReviewError,
    activity_update,
    change_approve,
    change_reject,
)
from tests import factories
from tests.activities.test_staff_resources import PDF, resource_of
from tests.activities.test_staff_resources import payload as resource_payload
from tests.activities.test_staff_views import edit_payload, training

pytestmark = pytest.mark.django_db


@pytest.fixture
def quitos_published(partner_a, partner_b):
    """Quito's published training, in which Montevideo (staff A's organisation) took part."""
    return training([partner_b, partner_a], title="Quito's training")


def propose(staff, activity, title):
    """``staff``'s edit of the title of ``activity``, which their organisation organises."""
    organiser = activity.participations.get(role="organiser")
    return activity_update(
        activity=activity,
        by=staff,
        fields={"title": title},
        participations=[ParticipationRow(organiser.partner, "organiser", organiser.attendees)],
    )


def public_page(client, record):
    return client.get(record.get_absolute_url()).content.decode()


# --- Who may change what ------------------------------------------------------------------


def test_a_partner_that_only_took_part_cannot_rewrite_the_organisers_record(
    staff_a_client, quitos_published, partner_a, client
):
    """The attack of the security review: delete the organiser's row, become sole
    organiser, 99,999 attendees, a new title. It now changes nothing."""
    url = reverse("staff:activity-edit", args=[quitos_published.pk])
    attack = edit_payload(
        quitos_published,
        title="Montevideo's training",
        action="save",
        rows=[("Montevideo", "organiser", "99999")],
    )

    page = staff_a_client.get(url)
    response = staff_a_client.post(url, attack)

    assert page.status_code == response.status_code == 403
    assert "its organisers keep the record" in page.content.decode()
    quitos_published.refresh_from_db()
    assert quitos_published.title == "Quito's training"
    assert quitos_published.participations.get(role="organiser").partner.slug == "quito"
    assert quitos_published.participations.get(partner=partner_a).attendees == 10
    assert not ProposedChange.objects.exists()
    client.logout()
    assert "Quito&#x27;s training" in public_page(client, quitos_published)


def test_the_list_offers_no_edit_on_records_organised_by_another_partner(
    staff_a_client, quitos_published
):
    page = staff_a_client.get(reverse("staff:activity-list")).content.decode()

    assert reverse("staff:activity-edit", args=[quitos_published.pk]) not in page
    assert "Organised by another partner" in page


def test_staff_may_add_partners_to_their_own_record(staff_a, partner_a, partner_b):
    activity = training([partner_a], status=Activity.Status.DRAFT)
    city = factories.make_partner(name="Lima", slug="lima", country="PE")

    activity_update(
        activity=activity,
        by=staff_a,
        fields={"title": activity.title},
        participations=[
            ParticipationRow(partner_a, "organiser", 5),
            ParticipationRow(partner_b, "co_organiser", 3),
            ParticipationRow(city, "trainer", 1),
        ],
    )

    assert set(activity.participations.values_list("partner__slug", "role")) == {
        ("montevideo", "organiser"),
        ("quito", "co_organiser"),
        ("lima", "trainer"),
    }


@pytest.mark.parametrize(
    "quito_row",
    [None, ("co_organiser", 2), ("participant", 2)],
    ids=["removed", "demoted-to-co-organiser", "demoted-to-participant"],
)
def test_staff_never_remove_or_demote_another_organisations_organiser_row(
    staff_a, partner_a, partner_b, quito_row
):
    activity = training([partner_a, partner_b], status=Activity.Status.DRAFT)
    activity.participations.filter(partner=partner_b).update(role="organiser")
    rows = [ParticipationRow(partner_a, "organiser", 5)]
    if quito_row:
        rows.append(ParticipationRow(partner_b, *quito_row))

    with pytest.raises(ActivityError, match="only a coordinator can remove it"):
        activity_update(activity=activity, by=staff_a, fields={}, participations=rows)

    assert activity.participations.get(partner=partner_b).role == "organiser"


def test_staff_never_make_another_organisation_the_sole_organiser(
    staff_a_client, partner_a, partner_b
):
    activity = training([partner_a, partner_b], status=Activity.Status.DRAFT)
    url = reverse("staff:activity-edit", args=[activity.pk])
    data = edit_payload(
        activity, rows=[("Montevideo", "participant", "1"), ("Quito", "organiser", "1")]
    )

    response = staff_a_client.post(url, data)

    assert response.status_code == 200
    assert "Keep one of your organisations as organiser" in response.content.decode()
    assert activity.participations.get(partner=partner_a).role == "organiser"


# --- Public activities: proposed, reviewed, then live ---------------------------------------


def propose_title(client, activity, title, **overrides):
    url = reverse("staff:activity-edit", args=[activity.pk])
    return client.post(url, edit_payload(activity, title=title, action="save", **overrides))


def test_an_edit_of_a_public_activity_waits_for_review_and_the_public_page_keeps_it(
    staff_a_client, staff_a, partner_a, client
):
    activity = training([partner_a], title="Approved title")

    response = propose_title(
        staff_a_client, activity, "Unreviewed title", rows=[("Montevideo", "organiser", "99999")]
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Approved title"
    assert activity.participations.get().attendees == 10
    change = ProposedChange.objects.get()
    assert (change.activity, change.status, change.proposed_by) == (activity, "pending", staff_a)
    assert change.proposed["participations"] == [[partner_a.pk, "organiser", 99999]]
    listing = staff_a_client.get(reverse("staff:activity-list")).content.decode()
    assert "Change waiting for review" in listing
    form = staff_a_client.get(reverse("staff:activity-edit", args=[activity.pk])).content.decode()
    assert 'value="Unreviewed title"' in form  # staff go on with their proposal
    client.logout()
    page = public_page(client, activity)
    assert "Approved title" in page and "Unreviewed title" not in page


def test_saving_again_replaces_the_proposal_and_saving_the_live_version_withdraws_it(
    staff_a_client, partner_a
):
    activity = training([partner_a], title="Live")

    propose_title(staff_a_client, activity, "First try")
    propose_title(staff_a_client, activity, "Second try")
    assert ProposedChange.objects.get().proposed["fields"]["title_es"] == "Second try"

    propose_title(staff_a_client, activity, "Live")
    assert ProposedChange.objects.get().status == ProposedChange.Status.WITHDRAWN


def test_a_coordinator_approves_and_the_public_page_shows_the_change(
    staff_a_client, coordinator, partner_a, partner_b, client
):
    activity = training([partner_a], title="Old")
    propose_title(
        staff_a_client,
        activity,
        "New",
        rows=[("Montevideo", "organiser", "12"), ("Quito", "participant", "4")],
    )
    change = ProposedChange.objects.get()
    client = factories_client(coordinator)

    diff = client.get(reverse("admin:activities_proposedchange_change", args=[change.pk]))
    response = client.post(
        reverse("admin:activities_proposedchange_review", args=[change.pk]),
        {"decision": "approve", "note": "Thanks"},
    )

    diff_html = diff.content.decode()
    assert "<del>Old</del>" in diff_html and "<ins>New</ins>" in diff_html
    assert "Quito (participant, 4)" in diff_html
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "New"
    assert set(activity.participations.values_list("partner__slug", "attendees")) == {
        ("montevideo", 12),
        ("quito", 4),
    }
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.note) == ("approved", coordinator, "Thanks")
    # Decided, it still reads as a diff: against the version it was proposed on.
    decided = client.get(reverse("admin:activities_proposedchange_change", args=[change.pk]))
    decided_html = decided.content.decode()
    assert "<del>Old</del>" in decided_html and "Quito (participant, 4)" in decided_html
    latest = activity.history.first()
    assert latest.history_user == coordinator
    assert "approved" in latest.history_change_reason
    # History keeps both the proposal and the decision.
    assert list(change.history.values_list("status", flat=True)) == ["approved", "pending"]
    assert "New" in public_page(Client(), activity)


def test_approving_applies_only_what_staff_changed(staff_a, coordinator, partner_a):
    activity = training([partner_a], title="Old", summary="")
    propose(staff_a, activity, "Staff's title")
    # A coordinator edits another field meanwhile, in the admin.
    Activity.objects.filter(pk=activity.pk).update(summary_es="Coordinator's summary")

    change_approve(change=ProposedChange.objects.get(), by=coordinator)

    activity.refresh_from_db()
    assert (activity.title, activity.summary) == ("Staff's title", "Coordinator's summary")


def test_a_rejection_needs_a_note_which_the_staff_member_reads(
    staff_a_client, coordinator, partner_a, client
):
    activity = training([partner_a], title="Old")
    propose_title(staff_a_client, activity, "Bad")
    change = ProposedChange.objects.get()
    review_url = reverse("admin:activities_proposedchange_review", args=[change.pk])
    coordinator_client = factories_client(coordinator)

    without_note = coordinator_client.post(review_url, {"decision": "reject", "note": " "})
    change.refresh_from_db()
    assert without_note.status_code == 302 and change.status == "pending"
    with pytest.raises(ReviewError, match="Say why"):
        change_reject(change=change, by=coordinator, note="")

    coordinator_client.post(review_url, {"decision": "reject", "note": "Title is wrong."})

    change.refresh_from_db()
    activity.refresh_from_db()
    assert (change.status, activity.title) == ("rejected", "Old")
    listing = staff_a_client.get(reverse("staff:activity-list")).content.decode()
    assert "Your change was not accepted" in listing and "Title is wrong." in listing


def test_a_decided_change_cannot_be_decided_again(staff_a, coordinator, partner_a):
    activity = training([partner_a])
    propose(staff_a, activity, "Other")
    change = ProposedChange.objects.get()
    change_reject(change=change, by=coordinator, note="No.")

    with pytest.raises(ReviewError, match="already decided"):
        change_approve(change=change, by=coordinator)


def test_the_review_address_answers_only_posts(coordinator_client, staff_a, partner_a):
    activity = training([partner_a])
    propose(staff_a, activity, "Other")
    url = reverse("admin:activities_proposedchange_review", args=[ProposedChange.objects.get().pk])

    assert coordinator_client.get(url).status_code == 405


def test_the_review_queue_opens_on_what_is_waiting(coordinator_client, staff_a, partner_a):
    waiting = training([partner_a], title="Waiting one")
    decided = training([partner_a], title="Decided one")
    for activity in (waiting, decided):
        propose(staff_a, activity, activity.title + " (edited)")
    change_reject(change=ProposedChange.objects.get(activity=decided), by=staff_a, note="Not now.")

    page = coordinator_client.get(reverse("admin:activities_proposedchange_changelist"))

    html = page.content.decode()
    assert "Waiting one" in html and "Decided one" not in html


def test_the_dashboard_lists_changes_due_for_review(coordinator, staff_a, partner_a):
    activity = training([partner_a])
    propose(staff_a, activity, "Other")

    page = factories_client(coordinator).get(reverse("admin:dashboard")).content.decode()

    assert "1 change by staff to a public record awaits review." in page
    assert reverse("admin:activities_proposedchange_changelist") in page


def test_drafts_change_at_once_without_review(staff_a_client, partner_a):
    activity = training([partner_a], status=Activity.Status.DRAFT, title="Draft")

    propose_title(staff_a_client, activity, "Renamed draft")

    activity.refresh_from_db()
    assert activity.title == "Renamed draft"
    assert not ProposedChange.objects.exists()


# --- Public resources ---------------------------------------------------------------------


def test_a_public_resources_link_cannot_be_swapped_before_review(
    staff_a_client, coordinator, partner_a, client
):
    resource = resource_of(partner_a, title="Guide", url="https://example.org/approved")
    url = reverse("staff:resource-edit", args=[resource.pk])

    response = staff_a_client.post(
        url, resource_payload("es", title="Guide", url="https://evil.example/swap")
    )

    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.url == "https://example.org/approved"
    assert "evil.example" not in public_page(client, resource)
    listing = staff_a_client.get(reverse("staff:resource-list")).content.decode()
    assert "Change waiting for review" in listing

    change_approve(change=ProposedChange.objects.get(), by=coordinator)
    resource.refresh_from_db()
    assert resource.url == "https://evil.example/swap"  # once a coordinator said so


def test_a_new_file_for_a_public_resource_waits_with_the_proposal(
    staff_a_client, coordinator, partner_a
):
    resource = resource_of(partner_a, title="Guide", url="https://example.org/guide")
    url = reverse("staff:resource-edit", args=[resource.pk])
    upload = SimpleUploadedFile("new-guide.pdf", PDF, content_type="application/pdf")

    staff_a_client.post(url, {**resource_payload("es", title="Guide", url=""), "file": upload})

    resource.refresh_from_db()
    change = ProposedChange.objects.get()
    assert not resource.file
    assert change.file.name.endswith(".pdf") and change.file.read() == PDF

    change_approve(change=change, by=coordinator)

    resource.refresh_from_db()
    assert resource.file.read() == PDF
    assert resource.file.name != change.file.name  # the resource has its own copy
    assert resource.url == ""


def test_unpublished_resources_change_at_once(staff_a_client, partner_a):
    resource = resource_of(partner_a, title="Draft guide", is_public=False)
    url = reverse("staff:resource-edit", args=[resource.pk])

    staff_a_client.post(url, resource_payload("es", title="Renamed guide"))

    resource.refresh_from_db()
    assert resource.title == "Renamed guide"
    assert not ProposedChange.objects.exists()


# --- Data rules ---------------------------------------------------------------------------


def test_a_record_has_at_most_one_pending_change(staff_a, partner_a):
    activity = training([partner_a])
    snapshot = {"fields": {}}
    ProposedChange.objects.create(
        activity=activity, base=snapshot, proposed=snapshot, proposed_by=staff_a
    )
    second = ProposedChange(
        activity=activity, base=snapshot, proposed=snapshot, proposed_by=staff_a
    )

    with pytest.raises(Exception, match="already has a change waiting"):
        second.full_clean()


def test_a_change_is_for_exactly_one_record(staff_a, partner_a):
    resource = Resource.objects.create(title="R", slug="r", kind="guide", url="https://e.org")
    change = ProposedChange(
        activity=training([partner_a]),
        resource=resource,
        base={},
        proposed={},
        proposed_by=staff_a,
    )

    with pytest.raises(Exception, match="one activity or resource"):
        change.full_clean()


def test_the_staff_list_costs_the_same_queries_with_review_states(
    staff_a_client, staff_a, partner_a, django_assert_max_num_queries
):
    """Prevents N+1: review states are subqueries of the list's query."""
    for n in range(12):
        activity = training([partner_a], title=f"T{n}")
        activity_update(
            activity=activity,
            by=staff_a,
            fields={"title": f"T{n} edited"},
            participations=[ParticipationRow(partner_a, "organiser", 10)],
        )
    url = reverse("staff:activity-list")
    staff_a_client.get(url)
    with django_assert_max_num_queries(12):
        staff_a_client.get(url)


def factories_client(user):
    """A client of ``user`` in English (the admin's addresses have no language prefix)."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_a_proposed_file_downloads_only_for_coordinators_and_the_publishers_staff(
    staff_a_client, coordinator, staff_b, partner_a, client
):
    resource = resource_of(partner_a, title="Guide", url="https://example.org/guide")
    upload = SimpleUploadedFile("secret-draft.pdf", PDF, content_type="application/pdf")
    staff_a_client.post(
        reverse("staff:resource-edit", args=[resource.pk]),
        {**resource_payload("es", title="Guide", url=""), "file": upload},
    )
    url = ProposedChange.objects.get().file.url
    assert "secret-draft" not in url.rsplit("/", 1)[0]  # a random folder or name

    assert staff_a_client.get(url).status_code == 200
    for user, expected in [(None, 404), (staff_b, 404), (coordinator, 200)]:
        other = Client()
        if user is not None:
            other.force_login(user)
        assert other.get(url).status_code == expected, user


# --- Texts in four languages: every language's text is reviewed -----------------------------


def test_a_portuguese_summary_by_staff_reaches_the_public_page_only_once_approved(
    staff_a, coordinator, partner_a
):
    activity = training([partner_a], title="Formación", summary="Resumen en español.")
    with translation.override("pt"):
        portuguese_page = activity.get_absolute_url()

    saved = activity_update(
        activity=activity,
        by=staff_a,
        fields={"summary_pt": "Resumo em português."},
        participations=[ParticipationRow(partner_a, "organiser", 10)],
    )

    change = saved.pending_change
    assert change is not None and change.is_pending
    activity.refresh_from_db()
    assert activity.summary_pt == ""
    page = Client().get(portuguese_page).content.decode()
    assert "Resumo em português." not in page and "Resumen en español." in page
    # The coordinator reads which language the changed text is in.
    review_page = factories_client(coordinator).get(
        reverse("admin:activities_proposedchange_change", args=[change.pk])
    )
    assert (
        '<th scope="row">Summary (Portuguese)</th><td><del>—</del></td>'
        "<td><ins>Resumo em português.</ins></td>"
    ) in review_page.content.decode()

    change_approve(change=change, by=coordinator)

    activity.refresh_from_db()
    assert (activity.summary_pt, activity.summary_es) == (
        "Resumo em português.",
        "Resumen en español.",
    )
    assert "Resumo em português." in Client().get(portuguese_page).content.decode()


def test_a_translation_staff_add_in_the_form_to_a_public_record_waits_for_review(
    staff_a_client, partner_a
):
    activity = training([partner_a], title="Formación")

    response = propose_title(staff_a_client, activity, "Formación", title_fr="Formation")

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title_fr == ""
    change = ProposedChange.objects.get()
    assert change.proposed["fields"]["title_fr"] == "Formation"
    assert review.diff(change) == [("Title (French)", "—", "Formation")]


def test_changing_the_original_language_of_a_public_record_is_reviewed_too(
    staff_a, coordinator, partner_a
):
    activity = training([partner_a], title="Formación")

    saved = activity_update(
        activity=activity,
        by=staff_a,
        fields={"original_language": "pt", "title_pt": "Formação"},
        participations=[ParticipationRow(partner_a, "organiser", 10)],
    )

    activity.refresh_from_db()
    assert activity.original_language == "es"
    assert {label: new for label, _old, new in review.diff(saved.pending_change)} == {
        "Original language": "Portuguese",
        "Title (Portuguese)": "Formação",
    }
    change_approve(change=saved.pending_change, by=coordinator)
    activity.refresh_from_db()
    assert (activity.original_language, activity.title_pt) == ("pt", "Formação")


def test_a_public_resources_description_in_another_language_waits_for_review(
    staff_a_client, coordinator, partner_a
):
    resource = resource_of(partner_a, title="Guía", url="https://example.org/guia")
    url = reverse("staff:resource-edit", args=[resource.pk])

    staff_a_client.post(
        url,
        resource_payload(
            "es", title="Guía", url="https://example.org/guia", description_en="A guide."
        ),
    )

    resource.refresh_from_db()
    assert resource.description_en == ""
    change = ProposedChange.objects.get()
    assert ("Description (English)", "—", "A guide.") in review.diff(change)
    change_approve(change=change, by=coordinator)
    resource.refresh_from_db()
    assert resource.description_en == "A guide."

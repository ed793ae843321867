"""The staff area's resources: the list, add and edit, and access per organisation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from activities.models import Resource
from allas.translation import columns
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def resource_of(partner, **fields):
    resource = factories.make_resource(**fields)
    resource.partners.add(partner)
    return resource


def payload(language="en", **overrides):
    """The form as posted by staff writing in ``language`` (the page's, English by default);
    ``title`` and ``description`` stand for the texts in that language."""
    data = {
        "original_language": language,
        **dict.fromkeys(columns("title", "description"), ""),
        f"title_{language}": overrides.pop("title", "Climate toolkit"),
        f"description_{language}": overrides.pop("description", "How cities plan for heat."),
        "kind": Resource.Kind.TOOLKIT,
        "url": "https://example.org/toolkit",
        "language": Resource.Language.SPANISH,
        "published_on": "2024-05-02",
    }
    data.update(overrides)
    return data


def test_the_list_shows_only_resources_of_the_users_organisations(
    staff_a_client, partner_a, partner_b
):
    ours = resource_of(partner_a, title="Montevideo's guide")
    theirs = resource_of(partner_b, title="Quito's guide", is_public=False)

    response = staff_a_client.get(reverse("staff:resource-list"))

    assert response.status_code == 200
    assert list(response.context["resources"]) == [ours]
    body = response.content.decode()
    assert reverse("staff:resource-edit", args=[ours.pk]) in body
    assert theirs.title not in body


def test_the_staff_navigation_links_to_the_resources(staff_a_client):
    response = staff_a_client.get(reverse("staff:activity-list"))

    assert reverse("staff:resource-list") in response.content.decode()


def test_staff_add_a_link_that_waits_for_a_coordinator(staff_a_client, staff_a, partner_a):
    theme = factories.make_theme()
    activity = factories.make_activity(partners=[partner_a])

    response = staff_a_client.post(
        reverse("staff:resource-create"),
        payload(themes=[theme.pk], activities=[activity.pk]),
    )

    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.slug == "climate-toolkit"
    assert resource.url == "https://example.org/toolkit"
    assert resource.is_public is False
    assert resource.created_by == staff_a
    assert list(resource.partners.all()) == [partner_a]
    assert list(resource.themes.all()) == [theme]
    assert list(resource.activities.all()) == [activity]


def test_a_second_resource_with_the_same_title_gets_its_own_slug(staff_a_client, partner_a):
    factories.make_resource(slug="climate-toolkit")

    staff_a_client.post(reverse("staff:resource-create"), payload())

    assert Resource.objects.filter(slug="climate-toolkit-2").exists()


def test_staff_upload_a_small_pdf(staff_a_client, partner_a):
    upload = SimpleUploadedFile("guide.pdf", PDF, content_type="application/pdf")

    response = staff_a_client.post(reverse("staff:resource-create"), payload(url="", file=upload))

    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file.name.startswith("resources/")  # under a random name (allas/media.py)
    assert resource.file.name.endswith(".pdf")
    assert resource.file.read() == PDF


def test_staff_with_several_organisations_choose_the_publisher(client, partner_a, partner_b):
    user = factories.make_staff(partner_a)
    factories.PartnerStaff.objects.create(user=user, partner=partner_b)
    client.force_login(user)

    client.post(reverse("staff:resource-create"), payload(publisher=partner_b.pk))

    assert list(Resource.objects.get().partners.all()) == [partner_b]


def test_the_activity_choices_are_only_the_users_own(staff_a_client, partner_a, partner_b):
    own = factories.make_activity(partners=[partner_a])
    other = factories.make_activity(partners=[partner_b])

    response = staff_a_client.get(reverse("staff:resource-create"))

    choices = set(response.context["form"].fields["activities"].queryset)
    assert choices == {own}
    response = staff_a_client.post(reverse("staff:resource-create"), payload(activities=[other.pk]))
    assert "activities" in response.context["form"].errors
    assert not Resource.objects.exists()


def test_staff_edit_their_resource_and_a_public_one_stays_public(staff_a_client, partner_a):
    resource = resource_of(partner_a, title="Old title", is_public=True)
    url = reverse("staff:resource-edit", args=[resource.pk])

    assert staff_a_client.get(url).status_code == 200
    response = staff_a_client.post(url, payload("es", title="New title"))

    assert response.status_code == 302
    resource.refresh_from_db()
    # Public: the change waits for a coordinator (tests/activities/test_review.py).
    assert resource.title == "Old title"
    assert resource.proposed_changes.get().proposed["fields"]["title_es"] == "New title"
    assert resource.is_public is True
    assert resource.slug != "new-title"  # the address stays the same
    assert list(resource.partners.all()) == [partner_a]


def test_editing_keeps_links_to_activities_the_form_does_not_offer(
    staff_a_client, partner_a, partner_b
):
    resource = resource_of(partner_a)
    theirs = factories.make_activity(partners=[partner_b])
    resource.activities.add(theirs)

    staff_a_client.post(reverse("staff:resource-edit", args=[resource.pk]), payload("es"))

    assert list(resource.activities.all()) == [theirs]


def test_another_organisations_resource_answers_404(staff_a_client, partner_b):
    theirs = resource_of(partner_b, title="Quito's guide")
    url = reverse("staff:resource-edit", args=[theirs.pk])

    assert staff_a_client.get(url).status_code == 404
    assert staff_a_client.post(url, payload("es", title="Taken")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Quito's guide"


def test_visitors_are_sent_to_the_login(client, partner_a):
    resource = resource_of(partner_a)

    for url in [
        reverse("staff:resource-list"),
        reverse("staff:resource-create"),
        reverse("staff:resource-edit", args=[resource.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("staff:login"))


def test_coordinators_without_an_organisation_cannot_add_resources(coordinator_client):
    response = coordinator_client.get(reverse("staff:resource-create"))

    assert response.status_code == 403
    assert response.templates[0].name == "staff/no_partner.html"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"url": ""}, "url", "Upload a file or give a link."),
        ({"url": "not a link at all"}, "url", "Enter a valid URL."),
        (
            {
                "url": "",
                "file": SimpleUploadedFile("page.html", b"<html><script></script></html>"),
            },
            "file",
            "are not accepted",
        ),
        ({"title": ""}, "title_en", "Write it in English, the original language."),
        ({"title": "", "title_es": "Guía"}, "title_en", "Write it in English, the original"),
        ({"original_language": "xx"}, "original_language", "Select a valid choice."),
        ({"original_language": ""}, "original_language", "This field is required."),
    ],
    ids=[
        "no-file-no-link",
        "bad-url",
        "html-file",
        "no-title",
        "title-only-in-another-language",
        "unknown-original-language",
        "no-original-language",
    ],
)
def test_bad_input_gives_a_message_next_to_the_field_and_writes_nothing(
    staff_a_client, partner_a, overrides, field, message
):
    response = staff_a_client.post(reverse("staff:resource-create"), payload(**overrides))

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert not form.non_field_errors()
    assert not Resource.objects.exists()


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_makes_the_same_number_of_queries_for_few_and_many_resources(
    client, staff_a, partner_a, partner_b, count, django_assert_num_queries
):
    """Prevents N+1: one query per page part, not per resource."""
    for n in range(count):
        resource = resource_of(partner_a, title=f"Guide {n}")
        resource.partners.add(partner_b)
    client.force_login(staff_a)
    client.get(reverse("staff:resource-list"))  # warm the session and content types

    with django_assert_num_queries(6):
        response = client.get(reverse("staff:resource-list"))

    assert len(response.context["resources"]) == count


# --- Texts in four languages (allas/translation.py) ----------------------------------------


def test_a_resource_added_on_the_portuguese_pages_is_written_in_portuguese(
    staff_a_client, partner_a
):
    with translation.override("pt"):
        url = reverse("staff:resource-create")
    form = staff_a_client.get(url).context["form"]
    assert form["original_language"].value() == "pt"
    assert [form.written["title"].name, form.written["description"].name] == [
        "title_pt",
        "description_pt",
    ]

    response = staff_a_client.post(
        url,
        payload(
            "pt",
            title="Guia de cooperação",
            description="Como as cidades cooperam.",
            title_fr="Guide de coopération",
        ),
    )

    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.original_language == "pt"
    assert (resource.title_pt, resource.title_fr, resource.title_es) == (
        "Guia de cooperação",
        "Guide de coopération",
        "",
    )
    assert resource.description_pt == "Como as cidades cooperam."
    assert resource.slug == "guia-de-cooperacao"


def test_the_other_languages_of_a_resource_are_grouped_per_language(staff_a_client, partner_a):
    resource = resource_of(partner_a, title="Guía", title_en="Guide", is_public=False)

    response = staff_a_client.get(reverse("staff:resource-edit", args=[resource.pk]))

    form = response.context["form"]
    assert form.written["title"].name == "title_es"
    groups = {group.code: [field.name for field in group.fields] for group in form.other_languages}
    assert groups == {
        "pt": ["title_pt", "description_pt"],
        "fr": ["title_fr", "description_fr"],
        "en": ["title_en", "description_en"],
    }
    html = response.content.decode()
    assert "<legend>English</legend>" in html
    assert 'value="Guide"' in html.split("<details", 1)[1]


def test_the_address_comes_from_the_original_title_whatever_the_pages_language(
    staff_a_client, partner_a
):
    response = staff_a_client.post(
        reverse("staff:resource-create"), payload("pt", title="Guia", title_en="Guide")
    )

    assert response.status_code == 302
    assert Resource.objects.get().slug == "guia"

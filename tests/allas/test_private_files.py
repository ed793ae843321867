"""Uploaded files are stored under unguessable names and served only to whom the record allows:
files of public records to everyone, others to coordinators and the owning organisation's staff
(404 for anyone else, so an address never tells that a file exists)."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import clear_url_caches

from allas.media import RandomFileName
from tests import factories
from tests.allas.test_uploads import PDF, png_bytes


def resource_with_file(*, is_public, partners=(), name="report.pdf", content=PDF):
    resource = factories.make_resource(is_public=is_public, url="", file=ContentFile(content, name))
    resource.partners.set(partners)
    return resource


def url_of(field_file):
    return field_file.url


@pytest.fixture
def debug_urls(settings):
    """The URLs as a DEBUG run builds them (pytest-django turns DEBUG off before they load):
    before the fix, DEBUG served every file in MEDIA_ROOT to anyone."""
    import allas.urls

    settings.DEBUG = True
    importlib.reload(allas.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(allas.urls)
    clear_url_caches()


@pytest.fixture
def hidden_resource(partner_a):
    return resource_with_file(is_public=False, partners=[partner_a])


@pytest.fixture
def hidden_agreement(partner_a, partner_b):
    agreement = factories.make_agreement(is_public=False, parties=[partner_a])
    agreement.document.save("signed.pdf", ContentFile(PDF))
    return agreement


def test_an_anonymous_visitor_cannot_download_an_unpublished_resources_file(
    client, debug_urls, hidden_resource
):
    assert client.get(url_of(hidden_resource.file)).status_code == 404


def test_an_anonymous_visitor_cannot_download_a_non_public_agreements_document(
    client, debug_urls, hidden_agreement
):
    assert client.get(url_of(hidden_agreement.document)).status_code == 404


def test_files_of_non_public_records_are_not_served_in_production_either(
    client, settings, hidden_resource
):
    settings.DEBUG = False
    assert client.get(url_of(hidden_resource.file)).status_code == 404


def test_a_coordinator_downloads_files_of_non_public_records_uncached(
    coordinator_client, hidden_resource, hidden_agreement
):
    for file in (hidden_resource.file, hidden_agreement.document):
        response = coordinator_client.get(url_of(file))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
        assert response["Content-Disposition"] == "attachment"


def test_the_owning_organisations_staff_download_its_non_public_files(
    staff_a_client, hidden_resource, hidden_agreement
):
    assert staff_a_client.get(url_of(hidden_resource.file)).status_code == 200
    assert staff_a_client.get(url_of(hidden_agreement.document)).status_code == 200


def test_staff_of_another_organisation_get_404(client, staff_b, hidden_resource, partner_a):
    agreement = factories.make_agreement(is_public=False, parties=[partner_a])
    agreement.document.save("signed.pdf", ContentFile(PDF))
    client.force_login(staff_b)

    assert client.get(url_of(hidden_resource.file)).status_code == 404
    assert client.get(url_of(agreement.document)).status_code == 404


def test_a_non_public_partners_logo_is_shown_to_its_staff_only(client, staff_a, partner_a):
    partner_a.is_public = False
    partner_a.save()
    partner_a.logo.save("logo.png", ContentFile(png_bytes()))

    assert client.get(partner_a.logo.url).status_code == 404
    client.force_login(staff_a)
    assert client.get(partner_a.logo.url).status_code == 200


def test_a_public_resources_file_downloads_for_everyone_with_the_download_headers(db):
    resource = resource_with_file(is_public=True)

    response = Client().get(url_of(resource.file))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_public_partners_logo_is_shown_inline(client, partner_a):
    partner_a.logo.save("logo.png", ContentFile(png_bytes()))

    response = client.get(partner_a.logo.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_no_record_owns_is_not_served(client, settings, db):
    (settings.MEDIA_ROOT / "resources").mkdir(parents=True)
    (settings.MEDIA_ROOT / "resources" / "orphan.pdf").write_bytes(PDF)

    assert client.get("/media/resources/orphan.pdf").status_code == 404


def test_two_uploads_of_the_same_name_get_different_unguessable_names(db):
    first = resource_with_file(is_public=True, name="report.pdf").file.name
    second = resource_with_file(is_public=True, name="report.pdf").file.name

    assert first != second
    for name in (first, second):
        folder, _, stored = name.partition("/")
        assert folder == "resources"
        assert "report" not in stored
        assert stored.endswith(".pdf")
        assert len(stored.removesuffix(".pdf")) >= 20  # 128 random bits


def test_the_upload_name_keeps_only_a_harmless_extension():
    name = RandomFileName("agreements")(None, "Acta <final>.P<D>F")
    assert name.startswith("agreements/")
    assert name.endswith(".pdf")
    assert "<" not in name
    assert RandomFileName("logos")(None, "no-extension").count(".") == 0


@pytest.mark.parametrize(
    "path",
    [
        "/media/../allas/settings.py",
        "/media/%2e%2e/allas/settings.py",
        "/media/resources/%2e%2e/%2e%2e/allas/settings.py",
        "/media/%2fetc/passwd",
        "/media//etc/passwd",
        "/media/resources\\..\\x.pdf",
        "/media/%252e%252e/allas/settings.py",
    ],
)
def test_paths_that_leave_the_media_folder_answer_404(client, hidden_resource, path):
    assert client.get(path).status_code == 404


def test_a_nul_byte_in_the_path_is_refused_before_any_file_is_opened(client, hidden_resource):
    # Django itself answers 400 to a NUL in the path, before the view.
    assert client.get("/media/resources/a%00.pdf").status_code in (400, 404)


def test_a_path_naming_a_records_file_through_dot_segments_answers_404(client, db):
    resource = resource_with_file(is_public=True)
    folder, _, stored = resource.file.name.partition("/")

    assert client.get(f"/media/{folder}/./{stored}").status_code == 404
    assert client.get(f"/media/{folder}/x/../{stored}").status_code == 404


def test_with_x_accel_redirect_nginx_sends_the_file_and_the_app_only_the_header(
    coordinator_client, settings, hidden_resource
):
    settings.MEDIA_SERVE = "x-accel-redirect"
    settings.MEDIA_ACCEL_PREFIX = "/protected-media/"

    response = coordinator_client.get(url_of(hidden_resource.file))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + hidden_resource.file.name
    assert response.content == b""
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert response["Content-Disposition"] == "attachment"


def test_with_x_sendfile_apache_gets_the_absolute_path(client, settings, db):
    settings.MEDIA_SERVE = "x-sendfile"
    resource = resource_with_file(is_public=True)

    response = client.get(url_of(resource.file))

    assert response["X-Sendfile"] == str((settings.MEDIA_ROOT / resource.file.name).resolve())
    assert response.content == b""


def test_x_accel_redirect_still_refuses_outsiders(client, settings, hidden_resource):
    settings.MEDIA_SERVE = "x-accel-redirect"

    response = client.get(url_of(hidden_resource.file))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_the_source_of_a_figure_entered_by_hand_is_for_coordinators_only(staff_a, coordinator):
    """The figure may be public (results/files.py); the document behind it is not."""
    from tests.results.work_plan import make_indicator, make_period

    period = make_period()
    indicator = make_indicator(measure="", targets={period: 10})
    target = indicator.targets.get()
    target.source_document.save("survey.pdf", ContentFile(PDF))
    staff, coordinator_client = Client(), Client()
    staff.force_login(staff_a)
    coordinator_client.force_login(coordinator)

    assert Client().get(url_of(target.source_document)).status_code == 404
    assert staff.get(url_of(target.source_document)).status_code == 404
    response = coordinator_client.get(url_of(target.source_document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

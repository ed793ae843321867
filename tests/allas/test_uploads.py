"""Uploaded files: size and type limits with a clear message, content that matches the name,
names with paths or script extensions stored harmlessly, nothing served as something a browser
would run."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from PIL import Image

from allas.media import serve_media
from allas.validators import validate_document, validate_image
from partners.models import Agreement, Partner
from tests import factories


def png_bytes(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
PE = b"MZ\x90\x00" + b"\x00" * 100


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def messages(error):
    return " ".join(error.value.messages)


# -- accepted -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("logo.png", png_bytes()), ("logo.jpg", jpeg_bytes()), ("LOGO.JPEG", jpeg_bytes())],
)
def test_real_images_are_accepted_as_logos(name, content):
    validate_image(upload(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("agreement.pdf", PDF),
        ("agreement.docx", docx_bytes()),
        ("members.csv", b"name,country\nMontevideo,UY\nS\xc3\xa3o Paulo,BR\n"),
        ("notes.txt", "Acuerdo firmado en Quito; 3 < 5 años".encode()),
        ("scan.png", png_bytes()),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50),
    ],
)
def test_documents_whose_content_matches_their_name_are_accepted(name, content):
    validate_document(upload(name, content))


# -- refused --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("logo.svg", SVG),
        ("run.js", b"alert(1)"),
        ("setup.exe", PE),
        ("tool", ELF),
        ("shell.php", b"<?php system($_GET['c']); ?>"),
    ],
)
def test_html_svg_scripts_and_executables_are_refused_by_their_name(name, content):
    with pytest.raises(ValidationError) as error:
        validate_document(upload(name, content))
    assert error.value.code == "file_type"
    assert "are not accepted" in messages(error)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("agreement.pdf", HTML),
        ("agreement.pdf", PE),
        ("report.docx", PDF),
        ("members.csv", HTML),
        ("members.csv", SVG),
        ("notes.txt", b"plain start\n<script src=//evil.example/x.js></script>"),
        ("notes.txt", "UTF-16 text".encode("utf-16")),
        ("scan.png", HTML),
        ("clip.mp4", ELF),
    ],
)
def test_a_document_whose_content_is_not_what_its_name_says_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_document(upload(name, content))
    assert error.value.code == "file_content"
    assert "does not look like" in messages(error)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", HTML),
        ("logo.png", SVG),
        ("logo.png", png_bytes()[:40]),  # truncated
        ("logo.png", jpeg_bytes()),  # a JPEG called .png
        ("logo.gif", PE),
    ],
)
def test_a_logo_that_is_not_a_real_image_of_its_type_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_image(upload(name, content))
    assert error.value.code == "file_content"


def test_a_logo_with_an_absurd_number_of_pixels_is_refused():
    # A few bytes claiming 8,000 x 8,000 pixels, over our limit and under Pillow's own:
    # the header of a decompression bomb.
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 8_000, 8_000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    with pytest.raises(ValidationError) as error:
        validate_image(upload("bomb.png", bomb))
    assert error.value.code == "file_content"


def test_a_file_over_the_size_limit_is_refused_with_both_sizes_in_the_message(settings):
    settings.MAX_UPLOAD_SIZE = 1000
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_document(upload("big.pdf", PDF + b"0" * 2000))
    assert error.value.code == "file_too_large"
    with translation.override("en"):
        assert messages(error) == "This file is 2.0\xa0KB; the limit is 1000\xa0bytes."


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(upload("empty.pdf", b""))
    assert error.value.code == "file_empty"


# -- through the models ---------------------------------------------------------------------


def test_model_validation_rejects_a_script_as_agreement_document(db):
    agreement = factories.make_agreement()
    agreement.document = upload("agreement.pdf", HTML)

    with pytest.raises(ValidationError) as error:
        agreement.full_clean()

    assert "document" in error.value.message_dict


def test_a_stored_file_is_not_read_again_when_the_record_is_validated(db, settings):
    """Editing a record must not fail because its stored file is missing or slow to read."""
    partner = factories.make_partner()
    partner.logo.save("logo.png", ContentFile(png_bytes()), save=True)
    (settings.MEDIA_ROOT / partner.logo.name).unlink()

    Partner.objects.get(pk=partner.pk).full_clean()


def multipart_upload(filename, content):
    """The file as Django's request parser hands it to a view, from a raw multipart body
    carrying ``filename`` exactly as an attacker would send it."""
    boundary = "BoUnDaRy"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="document"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = RequestFactory().generic(
        "POST", "/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    return request.FILES["document"]


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd.pdf", "/etc/cron.d/evil.pdf", "..\\..\\win.pdf", "a/b/../c.pdf"],
)
def test_a_name_with_a_path_is_stored_inside_the_upload_folder(db, settings, name):
    agreement = factories.make_agreement()
    agreement.document = multipart_upload(name, PDF)
    agreement.full_clean()

    agreement.save()

    stored = (settings.MEDIA_ROOT / agreement.document.name).resolve()
    assert stored.is_file()
    assert stored.parent == (settings.MEDIA_ROOT / "agreements").resolve()
    assert agreement.document.name.count("/") == 1
    assert ".." not in agreement.document.name


def test_a_name_like_a_script_is_stored_under_a_harmless_name(db, settings):
    agreement = factories.make_agreement()

    agreement.document = multipart_upload("<script>alert(1)<\\script>.pdf", PDF)
    agreement.save()

    assert "<" not in agreement.document.name
    assert agreement.document.name.endswith(".pdf")


# -- how uploads are served -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.pdf", "notes.html"])
def test_uploaded_documents_are_served_as_downloads_never_rendered(client, db, name):
    agreement = factories.make_agreement()
    agreement.document.save(name, ContentFile(HTML if name.endswith("html") else PDF))

    response = client.get(agreement.document.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_uploaded_images_are_shown_inline_with_nosniff_and_a_sandbox(client, db):
    partner = factories.make_partner()
    partner.logo.save("a.png", ContentFile(png_bytes()))

    response = client.get(partner.logo.url)

    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_nul_byte_or_a_backslash_in_the_path_is_404_in_the_view(db):
    for path in ("resources/a\x00.pdf", "resources\\..\\x.pdf", "/etc/passwd", "a/../b.pdf"):
        with pytest.raises(Http404):
            serve_media(RequestFactory().get("/"), path)


def test_model_fields_keep_the_upload_validators():
    """Guards against a refactoring that drops the validators from a file field."""
    assert validate_image in Partner._meta.get_field("logo").validators
    assert validate_document in Agreement._meta.get_field("document").validators
    from activities.models import Resource

    assert validate_document in Resource._meta.get_field("file").validators

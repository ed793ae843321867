import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from simple_history.models import HistoricalChanges

from activities.demo import texts
from activities.models import Activity, Participation, Resource
from allas.cache import content_version
from allas.translation import LANGUAGE_CODES, columns
from partners.models import Agreement, AgreementStatusChange, Membership, Partner, Theme

TRANSLATABLE = [Theme, Partner, Agreement, Activity, Resource]


def counts():
    models = [
        Partner, Membership, Agreement, AgreementStatusChange, Activity, Participation,
        Resource, Theme,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def history_rows():
    """Rows of every historical table (django-simple-history), by model."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    }


def every_row():
    """Every row of every table: a no-op save would still change an "updated" timestamp."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed
    }


def make_run():
    """What `make run` loads (Makefile, target demo)."""
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("load_demo_work_plan", stdout=io.StringIO())
    call_command("load_demo_applications", stdout=io.StringIO())
    call_command("create_local_accounts", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_demo_command_loads_the_network_described_in_the_product_brief():
    call_command("load_demo_data", stdout=io.StringIO())

    al_las = Partner.objects.get(slug="al-las", kind="network")
    coordinator = Membership.objects.get(network=al_las, role="coordinator")
    assert coordinator.member.slug == "mexico-city"
    assert set(
        Membership.objects.filter(network=al_las, role="partner").values_list(
            "member__slug", flat=True
        )
    ) == {"montevideo", "moron", "belo-horizonte", "quito", "medellin", "lima", "cuf", "famsi"}
    assert Partner.objects.get(slug="european-union").institution_type == "funder"
    # Only the Wikidata items checked by hand; the others stay empty rather than guessed.
    assert dict(Partner.objects.exclude(wikidata_id="").values_list("slug", "wikidata_id")) == {
        "mexico-city": "Q1489",
        "montevideo": "Q1335",
        "belo-horizonte": "Q42800",
        "quito": "Q2900",
        "medellin": "Q48278",
        "lima": "Q2868",
        "european-union": "Q458",
    }
    assert set(Partner.objects.networks().values_list("slug", flat=True)) >= {
        "femp", "vng", "uclg",
    }  # fmt: skip
    assert Agreement.objects.get(slug="founding-partnership-agreement").status == "in_force"
    assert set(
        Agreement.objects.filter(status="under_evaluation").values_list("slug", flat=True)
    ) == {"partnership-italy-national-network", "partnership-portugal-national-network"}
    assert Activity.objects.get(slug="launch-of-al-las").starts_on.strftime("%Y-%m") == "2013-05"
    assert Activity.objects.get(slug="joint-training-session-with-femp").kind == "training"
    meeting = Activity.objects.get(slug="strategic-meeting-uclg-capacity-building")
    assert set(meeting.participants.values_list("slug", flat=True)) >= {"vng", "uclg"}
    assert Theme.objects.count() == 6
    # Whatever is not in the brief is marked as illustrative.
    assert "Illustrative" in meeting.notes
    assert "Illustrative" in coordinator.note


@pytest.mark.django_db
def test_the_demo_command_is_idempotent():
    call_command("load_demo_data", stdout=io.StringIO())
    first = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == first


@pytest.mark.django_db
def test_local_accounts_are_created_once_with_a_random_password(capsys):
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("create_local_accounts")
    first = capsys.readouterr().out
    call_command("create_local_accounts")
    second = capsys.readouterr().out

    assert "password" in first and "shown only this once" in first
    assert "already exists" in second and "shown only this once" not in second
    from django.contrib.auth.models import User

    coordinator = User.objects.get(username="coordinator")
    assert coordinator.is_staff and coordinator.groups.filter(name="Coordinators").exists()
    staff = User.objects.get(username="montevideo-staff")
    assert not staff.is_staff
    assert staff.partner_links.get().partner.slug == "montevideo"


@pytest.mark.django_db
def test_a_second_make_run_writes_nothing():
    # A save that changes nothing still writes a history row and, through the save signals,
    # empties the page cache of every visitor: a second run must do neither.
    make_run()
    history, rows, version = history_rows(), every_row(), content_version()
    with CaptureQueriesContext(connection) as queries:
        make_run()
    # Not even a write that changes nothing (an UPDATE to the same values, an INSERT that
    # conflicts and is ignored).
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert history_rows() == history
    assert every_row() == rows
    assert content_version() == version


@pytest.mark.django_db
def test_a_demo_value_changed_since_is_set_back_with_one_history_entry():
    # The command has always refreshed existing demo records to its values; it keeps doing so,
    # and now records it like any other edit: one history entry, the page cache cleared.
    call_command("load_demo_data", stdout=io.StringIO())
    al_las = Partner.objects.get(slug="al-las")
    demo_description = al_las.description
    al_las.description = "Changed by a coordinator."
    al_las.save()
    agreement = Agreement.objects.get(slug="founding-partnership-agreement")
    demo_title = agreement.title
    agreement.title = "Changed by a coordinator."
    agreement.save()
    launch = Activity.objects.get(slug="launch-of-al-las")
    demo_summary = launch.summary
    launch.summary = "Changed by a coordinator."
    launch.save()
    history, version = history_rows(), content_version()

    call_command("load_demo_data", stdout=io.StringIO())

    al_las.refresh_from_db()
    agreement.refresh_from_db()
    launch.refresh_from_db()
    assert (al_las.description, agreement.title, launch.summary) == (
        demo_description,
        demo_title,
        demo_summary,
    )
    added = {name: count - history[name] for name, count in history_rows().items()}
    assert {name: n for name, n in added.items() if n} == {
        "HistoricalPartner": 1,
        "HistoricalAgreement": 1,
        "HistoricalActivity": 1,
    }
    assert content_version() != version


def load_demo_data():
    call_command("load_demo_data", stdout=io.StringIO())


@pytest.mark.django_db
def test_every_demo_record_is_written_in_the_four_languages():
    load_demo_data()

    gaps = [
        f"{model.__name__} {record.slug} lacks {', '.join(record.missing_languages())}"
        for model in TRANSLATABLE
        for record in model.objects.order_by("slug")
        if record.missing_languages()
    ]
    assert gaps == []
    # missing_languages() only looks at fields written in the original language: each record
    # has its main text there (a partner its description), so none is complete by being empty.
    empty = [
        f"{model.__name__} {record.slug} has no {model.TRANSLATED_FIELDS[0]} in "
        f"{record.original_language}"
        for model in TRANSLATABLE
        for record in model.objects.order_by("slug")
        if not record.text_in_original_language(model.TRANSLATED_FIELDS[0])
    ]
    assert empty == []


@pytest.mark.django_db
def test_demo_records_are_written_in_the_language_of_who_wrote_them():
    load_demo_data()

    def originals(model):
        return dict(model.objects.values_list("slug", "original_language"))

    partners = originals(Partner)
    assert partners["al-las"] == partners["montevideo"] == "es"
    assert partners["belo-horizonte"] == "pt"
    assert partners["cuf"] == "fr"
    assert partners["uclg"] == partners["vng"] == "en"
    assert originals(Activity)["strategic-meeting-uclg-capacity-building"] == "en"
    assert originals(Activity)["launch-of-al-las"] == "es"
    assert set(originals(Theme).values()) == {"es"}


@pytest.mark.django_db
def test_official_names_are_given_only_in_the_languages_the_organisation_has_them():
    load_demo_data()

    def official(slug):
        partner = Partner.objects.get(slug=slug)
        return {
            language: (
                getattr(partner, f"official_name_{language}"),
                getattr(partner, f"official_short_name_{language}"),
            )
            for language in LANGUAGE_CODES
            if getattr(partner, f"official_name_{language}")
        }

    assert official("uclg") == {
        "es": ("Ciudades y Gobiernos Locales Unidos", "CGLU"),
        "pt": ("Cidades e Governos Locais Unidos", "CGLU"),
        "fr": ("Cités et Gouvernements Locaux Unis", "CGLU"),
        "en": ("United Cities and Local Governments", "UCLG"),
    }
    assert official("femp") == {"es": ("Federación Española de Municipios y Provincias", "FEMP")}
    assert set(official("al-las")) == {"es", "en"}
    assert official("al-las")["en"][0] == "Euro-Latin-American Alliance of Cooperation among Cities"
    # A city's official name stays as the city writes it.
    for slug in ["mexico-city", "montevideo", "belo-horizonte", "medellin"]:
        assert official(slug) == {}
    with translation.override("fr"):
        assert str(Partner.objects.get(slug="uclg")) == "Cités et Gouvernements Locaux Unis (CGLU)"
        assert str(Partner.objects.get(slug="belo-horizonte")) == (
            "Prefeitura de Belo Horizonte (Belo Horizonte)"
        )


@pytest.mark.django_db
def test_the_portuguese_page_of_a_demo_activity_is_in_portuguese(client):
    load_demo_data()
    meeting = Activity.objects.get(slug="strategic-meeting-uclg-capacity-building")

    with translation.override("pt"):
        url = meeting.get_absolute_url()
    page = client.get(url).content.decode()

    assert url.startswith("/pt/")
    # Written in English, read in Portuguese: title, summary, venue.
    assert "Reunião estratégica com a equipe de fortalecimento de capacidades da CGLU" in page
    assert "coordenada pela Associação dos Municípios dos Países Baixos" in page
    assert "Haia" in page
    assert "capacity-building team" not in page


@pytest.mark.django_db
def test_a_run_over_an_older_demo_brings_its_records_to_the_texts_in_four_languages():
    load_demo_data()
    # What migrations partners/0006 and activities/0011 made of the older demo: its English
    # texts in the Spanish columns, Spanish as the original language, no other language.
    for model in TRANSLATABLE:
        names = model.TRANSLATED_FIELDS
        model.objects.update(
            original_language="es",
            **dict.fromkeys(columns(*names, languages=["pt", "fr", "en"]), ""),
            **dict.fromkeys(columns(*names, languages=["es"]), "An older English text"),
        )
    Partner.objects.update(**dict.fromkeys(columns("official_name", "official_short_name"), ""))
    history = history_rows()

    load_demo_data()

    for model in TRANSLATABLE:
        assert not model.objects.filter(
            **{f"{model.TRANSLATED_FIELDS[0]}_es": "An older English text"}
        ).exists()
        assert all(record.missing_languages() == [] for record in model.objects.all())
    launch = Activity.objects.get(slug="launch-of-al-las")
    assert launch.title_en == texts.ACTIVITIES["launch-of-al-las"]["title"]["en"]
    uclg = Partner.objects.get(slug="uclg")
    assert (uclg.original_language, uclg.official_short_name_es) == ("en", "CGLU")
    # One history entry per record brought up to date, like any other edit.
    added = {name: count - history[name] for name, count in history_rows().items()}
    assert added["HistoricalActivity"] == Activity.objects.count()
    assert added["HistoricalTheme"] == Theme.objects.count()

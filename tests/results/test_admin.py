"""The work plan in the back-office: periods, objectives, indicators with their targets (the
rules between fields shown as messages, never a server error), reported figures read only, and
earlier versions restored from the history."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from results.models import Indicator, Measure, Objective, Period, ReportedFigure, Target
from results.services import period_close
from tests import factories
from tests.results.work_plan import make_indicator, make_objective, make_period

pytestmark = pytest.mark.django_db

MANAGEMENT = {
    "TOTAL_FORMS": "0",
    "INITIAL_FORMS": "0",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}


@pytest.fixture(autouse=True)
def _in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def period():
    return make_period(starts_on=datetime.date(2014, 1, 1), ends_on=datetime.date(2014, 12, 31))


def indicator_data(objective, *, targets=(), **fields):
    """What the indicator's add or change form posts: ``targets`` are rows of the open
    periods' inline ({"period": pk, "value": …})."""
    data = {
        "objective": objective.pk,
        "position": "0",
        "baseline": "0",
        "on_track_from": "80",
        "is_public": "on",
        "original_language": "en",
        "name_en": "Trainings held",
        "unit_en": "trainings",
        "source": "computed",
        "measure": "trainings",
        **{f"targets-{key}": value for key, value in MANAGEMENT.items()},
        **{f"targets-2-{key}": value for key, value in MANAGEMENT.items()},
        "targets-TOTAL_FORMS": str(len(targets)),
    }
    for index, row in enumerate(targets):
        data.update({f"targets-{index}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data


def errors_of(response):
    """Every error message of the admin form and its inlines."""
    assert response.status_code == 200
    # The form's errors come as lists, an inline's own (across its rows) as strings.
    return [
        message
        for errors in response.context["errors"]
        for message in ([errors] if isinstance(errors, str) else errors)
    ]


def post_data(form):
    """A form's initial values as its page would post them back."""
    data = {}
    for name, value in form.initial.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None and str(getattr(value, "pk", value)) != "":
            data[name] = str(getattr(value, "pk", value))
    return data


PAGES = [
    "admin:results_period_changelist",
    "admin:results_period_add",
    "admin:results_objective_changelist",
    "admin:results_objective_add",
    "admin:results_indicator_changelist",
    "admin:results_indicator_add",
    "admin:results_target_changelist",
    "admin:results_target_add",
    "admin:results_reportedfigure_changelist",
]


@pytest.mark.parametrize("name", PAGES)
def test_a_coordinator_opens_the_work_plan_pages(coordinator_client, period, name):
    make_indicator(targets={period: 3})
    period_close(period=period)
    assert coordinator_client.get(reverse(name)).status_code == 200


def test_the_period_list_and_page_link_the_results(coordinator_client, period):
    url = reverse("admin:results_period_results", args=[period.pk])
    assert (
        url in coordinator_client.get(reverse("admin:results_period_changelist")).content.decode()
    )
    change = coordinator_client.get(reverse("admin:results_period_change", args=[period.pk]))
    assert url in change.content.decode()


def test_a_coordinator_adds_a_period(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:results_period_add"),
        {
            "slug": "year-1",
            "starts_on": "2014-01-01",
            "ends_on": "2014-12-31",
            "original_language": "en",
            "name_en": "Year 1",
        },
    )
    assert response.status_code == 302
    assert str(Period.objects.get(slug="year-1").name) == "Year 1"


def test_a_period_ending_before_it_starts_is_refused_with_its_message(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:results_period_add"),
        {
            "slug": "year-1",
            "starts_on": "2014-12-31",
            "ends_on": "2014-01-01",
            "original_language": "en",
            "name_en": "Year 1",
        },
    )
    assert "The period cannot end before it starts." in errors_of(response)


def test_an_objective_needs_a_theme(coordinator_client):
    theme = factories.make_theme()
    url = reverse("admin:results_objective_add")
    data = {"position": "0", "original_language": "en", "title_en": "Train the cities"}
    assert "This field is required." in errors_of(coordinator_client.post(url, data))
    response = coordinator_client.post(url, {**data, "themes": [theme.pk]})
    assert response.status_code == 302
    assert list(Objective.objects.get().themes.all()) == [theme]


def test_a_coordinator_adds_an_indicator_with_its_target(coordinator_client, period):
    objective = make_objective()
    response = coordinator_client.post(
        reverse("admin:results_indicator_add"),
        indicator_data(objective, targets=[{"period": period.pk, "value": "12"}]),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.measure, indicator.targets.get().value) == ("trainings", 12)


WRONG_COMBINATIONS = {
    "by hand with a definition": (
        {"source": "by_hand", "measure": "activities"},
        "A computed indicator needs its definition (“computed as”); one entered by hand has none.",
    ),
    "computed without a definition": (
        {"measure": ""},
        "A computed indicator needs its definition (“computed as”); one entered by hand has none.",
    ),
    "agreements without a status": (
        {"measure": "agreements_reaching"},
        "Agreements reaching a status need the status; other definitions have none.",
    ),
    "a status for another definition": (
        {"agreement_status": "signed"},
        "Agreements reaching a status need the status; other definitions have none.",
    ),
    "by hand and narrowed": (
        {"source": "by_hand", "measure": "", "region": "latam"},
        "An indicator entered by hand is not narrowed: leave the kind, status, theme, region, "
        "country, partner kind and network empty.",
    ),
    "a region and a country": (
        {"region": "latam", "country": "UY"},
        "Narrow by a region or by a country, not both.",
    ),
    "a kind of activity for trainings": (
        {"activity_kind": "seminar"},
        "Only published activities, attendees and partners taking part are narrowed by a kind "
        "of activity.",
    ),
}


@pytest.mark.parametrize("case", WRONG_COMBINATIONS)
def test_a_wrong_combination_shows_its_rule(coordinator_client, case):
    fields, message = WRONG_COMBINATIONS[case]
    objective = make_objective()
    response = coordinator_client.post(
        reverse("admin:results_indicator_add"), indicator_data(objective, **fields)
    )
    assert message in errors_of(response)
    assert not Indicator.objects.exists()
    indicator = make_indicator(objective=objective)
    response = coordinator_client.post(
        reverse("admin:results_indicator_change", args=[indicator.pk]),
        indicator_data(objective, **fields),
    )
    assert message in errors_of(response)


def test_a_computed_indicator_takes_no_value_by_hand(coordinator_client, period):
    objective = make_objective()
    row = {"period": period.pk, "value": "10", "actual": "4", "source_note": "Counted"}
    message = "This indicator is computed from the records; leave it empty."
    added = coordinator_client.post(
        reverse("admin:results_indicator_add"), indicator_data(objective, targets=[row])
    )
    assert message in errors_of(added)
    assert not Indicator.objects.exists()


def test_a_value_by_hand_needs_its_source(coordinator_client, period):
    objective = make_objective()
    row = {"period": period.pk, "value": "10", "actual": "4"}
    data = indicator_data(objective, source="by_hand", measure="", targets=[row])
    response = coordinator_client.post(reverse("admin:results_indicator_add"), data)
    assert "Say where the actual value comes from: a note, a link or a document." in errors_of(
        response
    )
    row["source_url"] = "https://example.org/survey"
    response = coordinator_client.post(
        reverse("admin:results_indicator_add"),
        indicator_data(objective, source="by_hand", measure="", targets=[row]),
    )
    assert response.status_code == 302
    assert Target.objects.get().actual == 4


def test_a_second_target_for_the_same_period_is_refused(coordinator_client, period):
    rows = [{"period": period.pk, "value": "1"}, {"period": period.pk, "value": "2"}]
    response = coordinator_client.post(
        reverse("admin:results_indicator_add"), indicator_data(make_objective(), targets=rows)
    )
    assert "This indicator already has a target for the period." in errors_of(response)


def test_a_closed_periods_targets_are_read_only_and_do_not_block_other_edits(
    coordinator_client, period
):
    open_period = make_period(
        starts_on=datetime.date(2015, 1, 1), ends_on=datetime.date(2015, 12, 31)
    )
    indicator = make_indicator(targets={period: 3, open_period: 5})
    period_close(period=period)
    url = reverse("admin:results_indicator_change", args=[indicator.pk])
    page = coordinator_client.get(url)
    open_inline, closed_inline = page.context["inline_admin_formsets"]
    assert [f.instance.period for f in open_inline.formset.forms] == [open_period]
    assert [f.instance.period for f in closed_inline.formset.forms] == [period]
    assert list(open_inline.formset.forms[0].fields["period"].queryset) == [open_period]

    open_target = Target.objects.get(period=open_period)
    data = indicator_data(
        indicator.objective,
        name_en="Renamed",
        measure="activities",
        **{
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "1",
            "targets-0-id": str(open_target.pk),
            "targets-0-indicator": str(indicator.pk),
            "targets-0-period": str(open_period.pk),
            "targets-0-value": "6",
        },
    )
    data["targets-2-TOTAL_FORMS"] = data["targets-2-INITIAL_FORMS"] = "1"
    # A changed value posted for the closed period's row is not read.
    data["targets-2-0-id"] = str(Target.objects.get(period=period).pk)
    data["targets-2-0-value"] = "99"
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert str(Indicator.objects.get().name) == "Renamed"
    assert Target.objects.get(period=open_period).value == 6
    assert Target.objects.get(period=period).value == 3


def test_a_new_target_for_a_closed_period_is_refused(coordinator_client, period):
    period_close(period=period)
    response = coordinator_client.post(
        reverse("admin:results_indicator_add"),
        indicator_data(make_objective(), targets=[{"period": period.pk, "value": "1"}]),
    )
    assert any("Select a valid choice" in message for message in errors_of(response))


def test_a_closed_periods_target_cannot_be_changed_on_its_own_page(coordinator_client, period):
    indicator = make_indicator(targets={period: 3})
    period_close(period=period)
    target = Target.objects.get()
    url = reverse("admin:results_target_change", args=[target.pk])
    assert coordinator_client.get(url).status_code == 200  # to read
    response = coordinator_client.post(
        url, {"indicator": indicator.pk, "period": period.pk, "value": "9"}
    )
    assert response.status_code == 403
    assert Target.objects.get().value == 3


def test_reported_figures_are_read_only(coordinator_client, period):
    make_indicator(targets={period: 3})
    period_close(period=period)
    figure = ReportedFigure.objects.get()
    change = reverse("admin:results_reportedfigure_change", args=[figure.pk])
    assert coordinator_client.get(change).status_code == 200
    assert coordinator_client.post(change, {"actual": "99"}).status_code == 403
    assert coordinator_client.get(reverse("admin:results_reportedfigure_add")).status_code == 403
    delete = reverse("admin:results_reportedfigure_delete", args=[figure.pk])
    assert coordinator_client.post(delete, {"post": "yes"}).status_code == 403
    history = reverse("admin:results_reportedfigure_history", args=[figure.pk])
    assert coordinator_client.get(history).status_code == 200
    assert ReportedFigure.objects.get().actual == figure.actual


def test_restoring_a_periods_earlier_version_does_not_close_or_open_it(coordinator_client, period):
    first = period.history.get()
    period_close(period=period)
    url = reverse("admin:results_period_simple_history", args=[period.pk, first.history_id])
    data = post_data(coordinator_client.get(url).context["adminform"].form)
    assert coordinator_client.post(url, data).status_code == 302
    assert Period.objects.get(pk=period.pk).is_closed


def _revert(client, model_name, obj, version, extra=None):
    url = reverse(f"admin:results_{model_name}_simple_history", args=[obj.pk, version.history_id])
    page = client.get(url)
    assert page.status_code == 200
    data = {**post_data(page.context["adminform"].form), **(extra or {})}
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)


def test_an_objectives_earlier_version_is_restored(coordinator_client, coordinator):
    first_theme, second_theme = factories.make_theme(), factories.make_theme()
    objective = make_objective(title_en="Train the cities", themes=[first_theme])
    first = objective.history.first()
    objective.title_en, objective.position = "Train every city", 4
    objective.save()
    objective.themes.set([second_theme])
    _revert(coordinator_client, "objective", objective, first, {"themes": [first_theme.pk]})
    objective.refresh_from_db()
    assert (objective.title_en, objective.position) == ("Train the cities", 0)
    assert objective.history.first().history_user == coordinator


def test_an_indicators_earlier_version_is_restored(coordinator_client, coordinator, period):
    indicator = make_indicator(measure=Measure.ACTIVITIES, name_en="Activities held")
    first = indicator.history.first()
    indicator.name_en, indicator.measure, indicator.baseline = "Trainings", "trainings", 5
    indicator.save()
    _revert(coordinator_client, "indicator", indicator, first)
    indicator.refresh_from_db()
    assert (indicator.name_en, indicator.measure, indicator.baseline) == (
        "Activities held",
        "activities",
        Decimal(0),
    )
    assert indicator.history.first().history_user == coordinator


def test_a_targets_earlier_version_is_restored(coordinator_client, coordinator, period):
    indicator = make_indicator(measure="", targets={period: 10})
    target = Target.objects.get()
    first = target.history.first()
    target.value, target.actual, target.source_note = 12, 4, "Survey"
    target.save()
    _revert(coordinator_client, "target", target, first)
    target.refresh_from_db()
    assert (target.value, target.actual, target.source_note) == (10, None, "")
    assert target.indicator == indicator
    assert target.history.first().history_user == coordinator


def test_a_closed_periods_target_is_not_restored(coordinator_client, period):
    make_indicator(measure="", targets={period: 10})
    target = Target.objects.get()
    first = target.history.first()
    target.value = 12
    target.save()
    period_close(period=period)
    url = reverse("admin:results_target_simple_history", args=[target.pk, first.history_id])
    page = coordinator_client.get(url)
    response = coordinator_client.post(url, post_data(page.context["adminform"].form))
    assert (
        "The period is closed: its figures were reported. Reopen it to change them."
        in errors_of(response)
    )
    assert Target.objects.get().value == 12

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from activities.models import Activity, Participation, Resource
from allas import cache as page_cache
from allas.translation import LANGUAGE_CODES, columns, missing_language
from partners.models import (
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    Membership,
    Partner,
    Theme,
)

TRANSLATABLE = [Partner, Agreement, Activity, Resource]
TODAY = datetime.date(2026, 3, 15)
SMALL = {
    "partners": 40,
    "memberships": 90,
    "agreements": 15,
    "activities": 120,
    "participations": 600,
    "resources": 12,
}


def generate(seed=7, **counts):
    out = io.StringIO()
    options = {**SMALL, **counts}
    call_command(
        "generate_synthetic_data",
        seed=seed,
        today=TODAY,
        stdout=out,
        stderr=io.StringIO(),
        **options,
    )
    return out.getvalue()


def snapshot():
    """Everything the command wrote, without the creation timestamps."""
    return {
        "partners": list(
            Partner.objects.order_by("pk").values_list(
                "pk",
                "kind",
                "name",
                "slug",
                "country",
                "region",
                "latitude",
                "is_public",
                "original_language",
                *columns("description"),
            )
        ),
        "memberships": sorted(
            Membership.objects.values_list(
                "member_id", "network_id", "role", "joined_on", "left_on"
            )
        ),
        "agreements": list(
            Agreement.objects.order_by("pk").values_list(
                "pk", "slug", "status", "proposed_on", "signed_on", "starts_on", "ends_on"
            )
        ),
        "changes": sorted(
            AgreementStatusChange.objects.values_list(
                "agreement_id", "from_status", "to_status", "changed_on", "recorded_at"
            )
        ),
        "activities": list(
            Activity.objects.order_by("pk").values_list(
                "pk",
                "slug",
                "kind",
                "status",
                "starts_on",
                "venue_partner_id",
                "hours",
                "original_language",
                *columns("title", "outcomes", "venue_name"),
            )
        ),
        "activity_themes": sorted(
            Activity.themes.through.objects.values_list("activity_id", "theme_id")
        ),
        "participations": sorted(
            Participation.objects.values_list("activity_id", "partner_id", "role", "attendees")
        ),
        "resources": list(
            Resource.objects.order_by("pk").values_list(
                "pk", "slug", "language", "original_language", *columns("title")
            )
        ),
    }


def delete_synthetic_data():
    Participation.objects.all().delete()
    Resource.objects.all().delete()
    Activity.objects.all().delete()
    Agreement.objects.all().delete()
    Membership.objects.all().delete()
    Partner.objects.all().delete()


@pytest.mark.django_db
def test_it_writes_the_counts_asked_for():
    version = page_cache.content_version()
    report = generate()

    assert page_cache.content_version() != version  # bulk writes send no signal: said here

    assert Partner.objects.filter(slug__startswith="syn-").count() == 40
    assert Membership.objects.count() == 90
    assert Agreement.objects.count() == 15
    assert Activity.objects.count() == 120
    assert Participation.objects.count() == 600
    assert Resource.objects.count() == 12
    assert "rows/s" in report


@pytest.mark.django_db
def test_progress_bars_go_to_stderr_unless_turned_off():
    shown, hidden = io.StringIO(), io.StringIO()
    call_command(
        "generate_synthetic_data", size="tiny", today=TODAY, stdout=io.StringIO(), stderr=shown
    )
    delete_synthetic_data()
    call_command(
        "generate_synthetic_data",
        "--no-progress",
        size="tiny",
        today=TODAY,
        stdout=io.StringIO(),
        stderr=hidden,
    )

    assert "participations" in shown.getvalue() and "100%" in shown.getvalue()
    assert hidden.getvalue() == ""


@pytest.mark.django_db
def test_a_size_preset_gives_its_counts():
    call_command(
        "generate_synthetic_data",
        size="tiny",
        today=TODAY,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    assert Partner.objects.count() == 60
    assert Participation.objects.count() == 1_500


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate(seed=7)
    first = snapshot()
    delete_synthetic_data()
    generate(seed=7)
    again = snapshot()
    delete_synthetic_data()
    generate(seed=8)
    other = snapshot()

    assert again == first
    assert other["participations"] != first["participations"]
    assert other["partners"] != first["partners"]


@pytest.mark.django_db
def test_memberships_never_overlap_and_are_of_networks():
    generate()

    periods = defaultdict(list)
    for membership in Membership.objects.select_related("network"):
        assert membership.network.kind == Partner.Kind.NETWORK
        assert membership.member_id != membership.network_id
        assert membership.joined_on <= TODAY
        periods[membership.member_id, membership.network_id].append(
            (membership.joined_on, membership.left_on or datetime.date.max)
        )
    assert any(left == datetime.date.max for spans in periods.values() for _, left in spans)
    assert any(left != datetime.date.max for spans in periods.values() for _, left in spans)
    for spans in periods.values():
        spans.sort()
        assert sum(left == datetime.date.max for _, left in spans) <= 1
        for (_, left), (joined, _) in zip(spans, spans[1:], strict=False):
            assert left < joined


@pytest.mark.django_db
def test_each_agreement_status_is_the_end_of_a_recorded_lifecycle():
    generate(agreements=60)

    changes = defaultdict(list)
    for change in AgreementStatusChange.objects.order_by("agreement", "recorded_at"):
        changes[change.agreement_id].append(change)
    statuses = set()
    for agreement in Agreement.objects.all():
        steps = changes[agreement.pk]
        assert (steps[0].from_status, steps[0].to_status) == ("", Agreement.Status.PROPOSED)
        assert steps[0].changed_on == agreement.proposed_on
        for previous, step in zip(steps, steps[1:], strict=False):
            assert step.from_status == previous.to_status
            assert step.to_status in Agreement.TRANSITIONS[previous.to_status]
            assert previous.changed_on <= step.changed_on <= TODAY
        assert steps[-1].to_status == agreement.status
        if agreement.is_signed:
            assert agreement.signed_on is not None
            signed = next(s for s in steps if s.to_status == Agreement.Status.SIGNED)
            assert signed.changed_on == agreement.signed_on
        assert AgreementParty.objects.filter(agreement=agreement).count() >= 2
        statuses.add(agreement.status)
    assert {Agreement.Status.PROPOSED, Agreement.Status.IN_FORCE} <= statuses


@pytest.mark.django_db
def test_records_pass_the_models_own_validation():
    generate()

    for model in (Partner, Membership, Agreement, Activity, Resource):
        for record in model.objects.all():
            record.full_clean()
    pairs = list(Participation.objects.values_list("activity_id", "partner_id"))
    assert len(pairs) == len(set(pairs))
    visible = Activity.objects.visible()
    assert visible.filter(starts_on__gt=TODAY).exists()
    assert visible.filter(starts_on__lte=TODAY).exists()
    assert not Activity.objects.filter(status="published", published_at__isnull=True).exists()


@pytest.mark.django_db
def test_it_refuses_to_add_a_second_synthetic_data_set():
    generate()

    with pytest.raises(CommandError, match="already holds synthetic data"):
        generate()


@pytest.mark.django_db
def test_it_refuses_counts_that_cannot_fit():
    with pytest.raises(CommandError, match="at most one per activity and partner"):
        generate(partners=10, memberships=20, activities=2, participations=30)


def share(part, whole):
    return part / whole if whole else 0.0


@pytest.mark.django_db
def test_most_records_are_written_in_spanish_or_portuguese():
    generate()

    originals = Counter()
    for model in TRANSLATABLE:
        originals.update(model.objects.values_list("original_language", flat=True))
    total = originals.total()

    # 187 records, drawn with the weights 60, 30, 5 and 5 %.
    assert total == 40 + 15 + 120 + 12
    assert 0.5 <= share(originals["es"], total) <= 0.7
    assert 0.2 <= share(originals["pt"], total) <= 0.4
    assert 0 < share(originals["fr"], total) <= 0.12
    assert 0 < share(originals["en"], total) <= 0.12


@pytest.mark.django_db
def test_about_half_of_the_records_are_translated_into_each_other_language():
    generate()

    for language in LANGUAGE_CODES:
        others = translated = 0
        for model in TRANSLATABLE:
            written_elsewhere = model.objects.exclude(original_language=language)
            others += written_elsewhere.count()
            translated += written_elsewhere.exclude(
                missing_language(model.TRANSLATED_FIELDS, language)
            ).count()
        assert 0.35 <= share(translated, others) <= 0.65, (language, translated, others)


@pytest.mark.django_db
def test_pages_have_records_to_show_with_fallbacks_and_records_complete_in_every_language():
    generate()

    activities = list(Activity.objects.visible())
    missing = [activity.missing_languages() for activity in activities]
    assert any(missing) and not all(missing)
    # A record translated into a language shows all its texts in it: title, summary,
    # description (and outcomes, venue name where it has them).
    with translation.override("fr"):
        titles = [activity.title for activity in activities]
        summaries = [activity.summary for activity in activities]
    assert [t.is_fallback for t in titles] == [s.is_fallback for s in summaries]
    assert any(t.is_fallback for t in titles) and not all(t.is_fallback for t in titles)
    assert (
        "Synthetic record for performance tests."
        in Activity.objects.values_list("description_en", flat=True)
        .exclude(description_en="")
        .first()
    )
    # The world network has official names in every language, as UCLG has.
    world = Partner.objects.order_by("pk").first()
    assert world.official_short_name_en == "WNCLG" and world.official_short_name_es == "RMCGL"
    # The demo's themes, named and described in the four languages.
    assert all(theme.missing_languages() == [] for theme in Theme.objects.all())
    assert not Theme.objects.filter(description_pt="").exists()

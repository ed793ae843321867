"""get_FOO_display() through allas.choices: the same answers as Django's, in each language."""

import pytest
from django.utils import translation

from activities.models import Activity, Participation
from partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es", "pt", "fr", "en"])
def test_labels_are_those_of_the_active_language(language):
    activity = Activity(kind=Activity.Kind.TRAINING, status=Activity.Status.PUBLISHED)
    partner = Partner(kind=Partner.Kind.CITY, region=Partner.Region.LATIN_AMERICA)
    with translation.override(language):
        assert activity.get_kind_display() == str(Activity.Kind.TRAINING.label)
        assert activity.get_status_display() == str(Activity.Status.PUBLISHED.label)
        assert partner.get_region_display() == str(Partner.Region.LATIN_AMERICA.label)
        assert Participation(role="organiser").get_role_display() == str(
            Participation.Role.ORGANISER.label
        )
    with translation.override("es"):
        spanish = activity.get_kind_display()
    with translation.override("en"):
        assert activity.get_kind_display() == "Training"
    assert spanish != "Training"


def test_a_value_that_is_not_a_choice_is_shown_as_it_is():
    assert Activity(kind="unknown").get_kind_display() == "unknown"
    assert Activity(kind="").get_kind_display() == ""

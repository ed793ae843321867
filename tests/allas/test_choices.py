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


def test_the_models_get_their_own_display_methods_not_djangos():
    # Defined by allas.choices (public: a model may define get_FOO_display() itself).
    for model, name in [
        (Activity, "kind"),
        (Activity, "status"),
        (Participation, "role"),
        (Partner, "region"),
    ]:
        method = vars(model)[f"get_{name}_display"]
        assert method.__module__ == "allas.choices", (model, name)


def test_a_method_written_in_the_class_body_is_left_alone():
    from django.db import models
    from django.test.utils import isolate_apps

    from allas.choices import ChoiceLabels, define_display_methods

    with isolate_apps("allas"):

        class Thing(ChoiceLabels, models.Model):
            colour = models.CharField(max_length=5, choices=[("r", "Red")])
            size = models.CharField(max_length=5, choices=[("s", "Small")])

            class Meta:
                app_label = "allas"

            def __str__(self):
                return self.colour

            def get_colour_display(self):
                return "mine"

        define_display_methods([Thing])
        assert Thing(colour="r").get_colour_display() == "mine"
        assert Thing(size="s").get_size_display() == "Small"
        assert vars(Thing)["get_size_display"].__module__ == "allas.choices"

"""The staff area's forms: one for a training (or another activity) and its partner rows
(``activity``), one for a resource of the knowledge hub (``resource``), the partner boxes
both use (``partner_lookup``) and how both lay out their texts in four languages
(``languages``)."""

from activities.forms.activity import ActivityForm, ParticipationFormSet, ParticipationRowForm
from activities.forms.partner_lookup import (
    PartnerLookupField,
    datalist_partner_label,
    partner_suggestions,
    partners_choosable,
)
from activities.forms.resource import RECENT_ACTIVITIES, ResourceForm

__all__ = [
    "RECENT_ACTIVITIES",
    "ActivityForm",
    "ParticipationFormSet",
    "ParticipationRowForm",
    "PartnerLookupField",
    "ResourceForm",
    "datalist_partner_label",
    "partner_suggestions",
    "partners_choosable",
]

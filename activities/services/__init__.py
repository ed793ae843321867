"""Writes on activities, the only way the app changes them: a training logged with its
participants, an activity published or cancelled by a coordinator (``activity_publish``,
``activity_cancel``: the admin's actions call them), the resources staff add to the knowledge
hub, and the review of staff edits to public records.

Staff edits to a draft or submitted record apply at once (nobody outside sees it). An edit to
a record the public already sees becomes a ``ProposedChange``: the public page keeps the
approved version until a coordinator approves (``change_approve``) or rejects
(``change_reject``) it, with a note the staff member reads in the staff area.

One module per kind of write: ``activities``, ``resources``, ``review`` (the coordinator's
decision), and ``records`` for what they share (errors, partner rows, proposals). Import from
the package: its names below are the API.
"""

from activities.services.activities import (
    activity_cancel,
    activity_log,
    activity_publish,
    activity_slug,
    activity_update,
)
from activities.services.records import (
    EDITABLE_FIELDS,
    PARTNER_STAFF_STATUSES,
    ActivityError,
    ParticipationRow,
    ReviewError,
)
from activities.services.resources import (
    RESOURCE_EDITABLE_FIELDS,
    ResourceError,
    resource_save,
    resource_slug,
)
from activities.services.review import change_approve, change_reject

__all__ = [
    "EDITABLE_FIELDS",
    "RESOURCE_EDITABLE_FIELDS",
    "PARTNER_STAFF_STATUSES",
    "ActivityError",
    "ParticipationRow",
    "ResourceError",
    "ReviewError",
    "activity_cancel",
    "activity_log",
    "activity_publish",
    "activity_slug",
    "activity_update",
    "change_approve",
    "change_reject",
    "resource_save",
    "resource_slug",
]

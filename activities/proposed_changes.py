"""A staff member's edit of a public record, kept for a coordinator's review (the workflow is
``activities.services``; snapshots and the diff are ``activities.review``)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.querysets import ProposedChangeQuerySet
from allas.media import RandomFileName
from allas.validators import validate_document


class ProposedChange(models.Model):
    """A staff member's edit of a record that is already public, waiting for a coordinator.

    The public page keeps showing the record as approved; ``base`` is the record as it was when
    the change was proposed and ``proposed`` the record as the staff member wants it (both as
    the snapshots of ``activities.review`` hold them: each text as a column per language, with
    the original language), so the coordinator sees a diff, each text labelled with its
    language, and approving applies only what the staff member changed. A new file proposed
    for a resource waits in ``file``, served only to coordinators and the resource's
    publishers. Every proposal and decision stays in the history; nothing here is deleted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_changes",
        verbose_name=_("activity"),
    )
    resource = models.ForeignKey(
        "activities.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_changes",
        verbose_name=_("resource"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    base = models.JSONField(_("live version when proposed"), encoder=DjangoJSONEncoder)
    proposed = models.JSONField(_("proposed version"), encoder=DjangoJSONEncoder)
    file = models.FileField(
        _("proposed file"),
        upload_to=RandomFileName("proposals"),
        blank=True,
        validators=[validate_document],
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(
        _("note to the staff member"),
        blank=True,
        help_text=_("Why the change was not accepted, or anything the proposer should know."),
    )

    history = HistoricalRecords()
    objects = ProposedChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.CheckConstraint(
                name="activities_proposedchange_one_record",
                condition=Q(activity__isnull=False, resource__isnull=True)
                | Q(activity__isnull=True, resource__isnull=False),
                violation_error_message=_("A proposed change is for one activity or resource."),
            ),
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(status="pending"),
                name="activities_proposedchange_one_pending_per_activity",
                violation_error_message=_("This activity already has a change waiting."),
            ),
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(status="pending"),
                name="activities_proposedchange_one_pending_per_resource",
                violation_error_message=_("This resource already has a change waiting."),
            ),
            models.CheckConstraint(
                name="activities_proposedchange_decision_dated",
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                violation_error_message=_("A decision has a date; a pending change has none."),
            ),
            models.CheckConstraint(
                name="activities_proposedchange_rejection_has_note",
                condition=~Q(status="rejected") | ~Q(note=""),
                violation_error_message=_(
                    "Say why the change is not accepted: the staff member reads the note."
                ),
            ),
        ]

    def __str__(self):
        return str(_("Change to “%(record)s”") % {"record": self.record})

    @property
    def record(self):
        return self.activity if self.activity_id else self.resource

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

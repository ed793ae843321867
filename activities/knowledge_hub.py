"""The knowledge hub: guides, toolkits, reports… that partners publish, as a file or a link."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.querysets import ResourceQuerySet
from allas.choices import ChoiceLabels
from allas.links import slug_url
from allas.media import RandomFileName
from allas.translation import Translatable, translated, written_in_original_language
from allas.validators import validate_document
from partners.models import Partner, Theme


class Resource(ChoiceLabels, Translatable):
    """An item of the knowledge hub: a guide, toolkit, report… as a file or a link."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        TOOLKIT = "toolkit", _("Toolkit")
        REPORT = "report", _("Report")
        PRESENTATION = "presentation", _("Presentation")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link")

    class Language(models.TextChoices):
        SPANISH = "es", _("Spanish")
        PORTUGUESE = "pt", _("Portuguese")
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        OTHER = "other", _("Other language")

    TRANSLATED_FIELDS = ("title", "description")
    REQUIRED_IN_ORIGINAL = ("title",)

    title = translated(models.CharField(_("title"), max_length=250))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = translated(models.TextField(_("description")))
    file = models.FileField(
        _("file"),
        upload_to=RandomFileName("resources"),
        blank=True,
        validators=[validate_document],
    )
    url = models.URLField(_("link"), blank=True, max_length=500)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="resources", verbose_name=_("themes")
    )
    activities = models.ManyToManyField(
        "activities.Activity", blank=True, related_name="resources", verbose_name=_("activities")
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="resources", verbose_name=_("published by")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "slug"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            # The home page's latest resources, read in this order; the knowledge hub's order
            # (date, then title) reads the dates from it too.
            models.Index(
                fields=["-published_on", "-id"],
                condition=Q(is_public=True),
                name="activities_resource_public",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="activities_resource_file_or_link",
                condition=~Q(file="") | ~Q(url=""),
                violation_error_message=_("Upload a file or give a link."),
            ),
            models.CheckConstraint(
                name="activities_resource_title_in_original_language",
                condition=written_in_original_language("title"),
                violation_error_message=_("Write the title in the original language."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("activities:resource-detail", self.slug)

"""The organisations of the network's world, the people who keep their records, and the themes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from allas.choices import ChoiceLabels
from allas.links import slug_url
from allas.media import RandomFileName
from allas.search import ranked_search
from allas.translation import (
    Translatable,
    matches_in_any_language,
    translated,
    written_in_original_language,
)
from allas.validators import validate_image
from partners.regions import Region, region_for_country


class Theme(Translatable):
    """One of the network's working themes, named in each of the site's languages."""

    TRANSLATED_FIELDS = ("name", "description")
    REQUIRED_IN_ORIGINAL = ("name",)

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = translated(models.CharField(_("name"), max_length=120))
    description = translated(models.TextField(_("description")))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.CheckConstraint(
                name="partners_theme_name_in_original_language",
                condition=written_in_original_language("name"),
                violation_error_message=_("Write the name in the original language."),
            ),
        ]

    def __str__(self):
        return self.name


# A Wikidata item: Q and a number without leading zero (Q1489).
WIKIDATA_ID = r"^Q[1-9][0-9]*$"
WIKIDATA_URL = "https://www.wikidata.org/wiki/{}"


class PartnerKind(models.TextChoices):
    """``Partner.Kind``; at module level so the constraints in ``Partner.Meta`` can name it."""

    CITY = "city", _("City")
    NETWORK = "network", _("Network of local governments")
    INSTITUTION = "institution", _("Institution")


class PartnerQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def cities(self):
        return self.filter(kind=PartnerKind.CITY)

    def networks(self):
        return self.filter(kind=PartnerKind.NETWORK)

    def named(self, text):
        """Partners whose name, short name or official name or acronym in any language contains
        ``text`` (case-insensitive): the admin's searches by partner."""
        return self.filter(
            Q(name__icontains=text)
            | Q(short_name__icontains=text)
            | matches_in_any_language(("official_name", "official_short_name"), text)
        )

    def possibly_named_as(self, name, *, country):
        """Partners of ``country`` that may be the organisation called ``name``: one of their
        names contains it, or it contains their name ("Montevideo" and "Intendencia de
        Montevideo"), or it is their acronym (an acronym inside a longer name would match by
        chance: "CI" in "Intendencia"). Names shorter than three characters match nothing.

        ``name`` and ``country`` are values, or expressions such as ``OuterRef`` for a
        subquery counting the matches of each row of a list (the applications' admin list).
        One query."""
        if isinstance(name, str):
            name = name.strip()
            if len(name) < 3:
                return self.none()
            name = models.Value(name)
        given = models.ExpressionWrapper(name, output_field=models.CharField())
        return (
            self.filter(country=country)
            .alias(given=given, given_length=Length(given))
            .filter(given_length__gte=3)
            .filter(
                Q(given__icontains=models.F("name"))
                | Q(name__icontains=given)
                | Q(short_name__iexact=given)
                | matches_in_any_language(("official_name",), given)
            )
        )

    # What search() reads: the names in any language rank first, then the description.
    # Migration 0007 indexes the same columns (PostgreSQL).
    SEARCH_HEADING = ("name", "short_name", "official_name", "official_short_name")
    SEARCH_BODY = ("description",)

    def search(self, text):
        """Partners holding every word of ``text`` (or words starting so) in their names or
        description in one language; those with every word in their names first, then by
        name: the directory's search (allas/search.py)."""
        return ranked_search(
            self, text, heading=self.SEARCH_HEADING, body=self.SEARCH_BODY, then=("name", "pk")
        )

    def located(self):
        """Partners with both coordinates: the map's markers."""
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def kept_by(self, user):
        """The organisations whose records ``user`` keeps as partner staff (their PartnerStaff
        links); none for an anonymous or deactivated user. One query when evaluated."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(staff_links__user=user)

    def with_current_network_count(self):
        """Annotates ``current_network_count``: the networks each partner is a current member
        of (no end date). In the same query."""
        return self.annotate(
            current_network_count=Count(
                "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
            )
        )


class Partner(ChoiceLabels, Translatable):
    """An organisation of the network's world: a city, a network of local governments or an
    institution."""

    Kind = PartnerKind
    Region = Region

    class InstitutionType(models.TextChoices):
        UNIVERSITY = "university", _("University")
        THINK_TANK = "think_tank", _("Think tank")
        NGO = "ngo", _("NGO")
        INTERNATIONAL = "international", _("International organisation")
        FUNDER = "funder", _("Funder")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    institution_type = models.CharField(
        _("type of institution"),
        max_length=20,
        choices=InstitutionType.choices,
        blank=True,
        help_text=_("Required for institutions, empty for cities and networks."),
    )
    # The description is translated; the name and acronym are the organisation's own, with
    # official names in other languages where it has them (UCLG is CGLU in es, fr and pt).
    TRANSLATED_FIELDS = ("description",)

    name = models.CharField(
        _("name"), max_length=200, help_text=_("As the organisation writes it.")
    )
    short_name = models.CharField(
        _("short name or acronym"), max_length=40, blank=True, help_text=_("For example: FAMSI.")
    )
    official_name = translated(
        models.CharField(
            _("official name"),
            max_length=200,
            help_text=_("Only where the organisation has an official name in this language."),
        ),
        fallback=False,
    )
    official_short_name = translated(
        models.CharField(
            _("official acronym"),
            max_length=40,
            help_text=_("Only where the organisation has an official acronym in this language."),
        ),
        fallback=False,
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"))
    region = models.CharField(
        _("region"), max_length=10, choices=Region.choices, editable=False, db_index=True
    )
    locality = models.CharField(
        _("location"), max_length=120, blank=True, help_text=_("City or place of the seat.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    # The rule is the constraint below (and its message); the validator gives it at the field.
    wikidata_id = models.CharField(
        _("Wikidata identifier"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(WIKIDATA_ID, _("A Wikidata identifier is Q and digits: Q1489."))
        ],
        help_text=_(
            "The item of this organisation on Wikidata, for example Q1489 for Mexico City; "
            "only one you have checked."
        ),
    )
    description = translated(models.TextField(_("description")))
    logo = models.ImageField(
        _("logo"), upload_to=RandomFileName("logos"), blank=True, validators=[validate_image]
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown on the public site.")
    )
    note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_("Not shown publicly. Mark here which facts are illustrative."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            models.Index(fields=["is_public", "kind", "name"], name="partners_public_kind_name"),
            models.Index(fields=["country", "name"], name="partners_country_name"),
        ]
        constraints = [
            models.CheckConstraint(
                name="partners_partner_institution_type_only_for_institutions",
                condition=(Q(kind=PartnerKind.INSTITUTION) & ~Q(institution_type=""))
                | (~Q(kind=PartnerKind.INSTITUTION) & Q(institution_type="")),
            ),
            models.CheckConstraint(
                name="partners_partner_coordinates_together",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
            models.CheckConstraint(
                name="partners_partner_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="partners_partner_wikidata_id_format",
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID),
                violation_error_message=_("A Wikidata identifier is Q and digits: Q1489."),
            ),
            models.CheckConstraint(
                name="partners_partner_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            ),
        ]

    def __str__(self):
        name, short_name = self.local_name, self.local_short_name
        if short_name and short_name != name:
            return f"{name} ({short_name})"
        return name

    def get_absolute_url(self):
        return slug_url("partners:partner-detail", self.slug)

    @property
    def wikidata_url(self):
        return WIKIDATA_URL.format(self.wikidata_id) if self.wikidata_id else ""

    @property
    def local_name(self):
        """The official name in the active language where there is one, else the name. A
        proper name, so never marked as a fallback."""
        return self.official_name or self.name

    @property
    def local_short_name(self):
        return self.official_short_name or self.short_name

    @property
    def display_name(self):
        return self.local_short_name or self.local_name

    def clean(self):
        """The field-level messages of the constraints on kind and coordinates (the latitude
        and longitude ranges are the fields' validators)."""
        errors = {}
        if self.kind == self.Kind.INSTITUTION and not self.institution_type:
            errors["institution_type"] = _("Choose the type of institution.")
        if self.kind != self.Kind.INSTITUTION and self.institution_type:
            errors["institution_type"] = _("Only institutions have a type; leave it empty.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both latitude and longitude, or neither."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.region = region_for_country(self.country.code if self.country else "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "country" in update_fields:
            kwargs["update_fields"] = {*update_fields, "region"}
        super().save(*args, **kwargs)


class PartnerStaff(models.Model):
    """Makes a user *partner staff* of an organisation: they keep its records in the staff area
    (see allas/roles.py; not Django's ``is_staff``, which opens the admin)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_links",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="staff_links", verbose_name=_("partner")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner__name", "user__username"]
        verbose_name = _("partner staff link")
        verbose_name_plural = _("partner staff links")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partner"],
                name="partners_partnerstaff_unique",
                violation_error_message=_("This user is already staff of this partner."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.partner}"

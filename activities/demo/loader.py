"""Load the AL-LAs network as PRODUCT.md describes it (the facts are in facts.py, the texts in
four languages in texts.py). Safe to run again: records are matched by slug (or by their
natural key) and updated, never duplicated.

A second run writes nothing: a record is saved only when one of the values below differs from
the stored row (see update_if_changed). A value a coordinator changed since is set back to the
demo value, which shows as one history entry of that record; so does a record of an older
demo (English texts in the Spanish columns) when it is brought to the texts of texts.py.
Agreements are made and walked through their lifecycle by the services (partners/services.py),
as in the admin.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from activities.demo import texts
from activities.demo.facts import CITY_SLUGS, ILLUSTRATIVE, LAUNCH, PARTNERS, WIKIDATA
from activities.demo.texts import column_values
from activities.models import Activity, Participation, Resource
from partners.models import Agreement, AgreementParty, Membership, Partner, Theme
from partners.services import agreement_change_status, agreement_create

# A partner's texts: its description, and its official names where it has them.
PARTNER_TEXTS = (*Partner.TRANSLATED_FIELDS, "official_name", "official_short_name")


def update_if_changed(obj, *, validate=False, **values):
    """Set ``values`` on ``obj`` and save it, but only if it is new or one of them differs.

    Every save(), even one that changes nothing, writes a history row (django-simple-history)
    and clears the whole public page cache (allas/cache.py, through the save signals): running
    the command again must not do either. Returns whether ``obj`` was saved."""
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if not changed and not obj._state.adding:
        return False
    for name, value in changed.items():
        setattr(obj, name, value)
    if validate:
        obj.full_clean()
    obj.save()
    return True


def load(model, values, **lookup):
    """update_or_create(lookup, defaults=values), without saving a record that is as wanted."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    update_if_changed(obj, **values)
    return obj


class DemoLoader:
    """Writes the demo network; ``load()`` returns the line the command prints."""

    @transaction.atomic
    def load(self):
        themes = self.load_themes()
        partners = self.load_partners()
        self.load_memberships(partners)
        agreements = self.load_agreements(partners, themes)
        self.load_activities(partners, themes, agreements)
        self.load_resources(partners, themes)
        return (
            f"Demo network loaded: {Partner.objects.count()} partners, "
            f"{Membership.objects.count()} memberships, {Agreement.objects.count()} "
            f"agreements, {Activity.objects.count()} activities, "
            f"{Resource.objects.count()} resources, {Theme.objects.count()} themes."
        )

    def load_themes(self):
        themes = {}
        for position, (slug, theme_texts) in enumerate(texts.THEMES.items()):
            themes[slug] = load(
                Theme,
                {**column_values(theme_texts, Theme.TRANSLATED_FIELDS), "position": position},
                slug=slug,
            )
        return themes

    def load_partners(self):
        partners = {}
        for slug, kind, name, short, country, locality, lat, lon, itype in PARTNERS:
            notes = []
            if lat:
                notes.append("Coordinates are those of the seat's city.")
            partners[slug] = load(
                Partner,
                {
                    **column_values(texts.PARTNERS[slug], PARTNER_TEXTS),
                    "kind": kind,
                    "name": name,
                    "short_name": short,
                    "country": country,
                    "locality": locality,
                    "latitude": Decimal(lat) if lat else None,
                    "longitude": Decimal(lon) if lon else None,
                    "institution_type": itype,
                    "wikidata_id": WIKIDATA.get(slug, ""),
                    "note": " ".join(notes),
                    "is_public": True,
                },
                slug=slug,
            )
        return partners

    def load_memberships(self, partners):
        network = partners["al-las"]
        members = [("mexico-city", Membership.Role.COORDINATOR)]
        members += [(slug, Membership.Role.PARTNER) for slug in [*CITY_SLUGS, "cuf", "famsi"]]
        for slug, role in members:
            load(
                Membership,
                {"role": role, "note": ILLUSTRATIVE.format(what="the exact day")},
                member=partners[slug],
                network=network,
                joined_on=LAUNCH,
            )
        load(
            Membership,
            {
                "role": Membership.Role.PARTNER,
                "note": ILLUSTRATIVE.format(what="this membership's start date"),
            },
            member=partners["vng"],
            network=partners["uclg"],
            joined_on=datetime.date(2004, 5, 5),
        )

    def load_agreements(self, partners, themes):
        founding = self.agreement(
            slug="founding-partnership-agreement",
            kind=Agreement.Kind.PARTNERSHIP,
            parties=[(partners["mexico-city"], AgreementParty.Role.COORDINATOR)]
            + [
                (partners[slug], AgreementParty.Role.SIGNATORY)
                for slug in [*CITY_SLUGS, "cuf", "famsi"]
            ],
            themes=list(themes.values()),
            proposed_on=datetime.date(2012, 10, 1),
            lifecycle=[
                (Agreement.Status.NEGOTIATION, datetime.date(2012, 12, 1)),
                (Agreement.Status.SIGNED, datetime.date(2013, 4, 15)),
                (Agreement.Status.IN_FORCE, LAUNCH),
            ],
            note=ILLUSTRATIVE.format(what="the dates of the lifecycle"),
        )
        italy = self.agreement(
            slug="partnership-italy-national-network",
            kind=Agreement.Kind.PARTNERSHIP,
            parties=[
                (partners["al-las"], AgreementParty.Role.SIGNATORY),
                (partners["italy-national-network"], AgreementParty.Role.SIGNATORY),
            ],
            themes=[],
            proposed_on=datetime.date(2014, 3, 1),
            lifecycle=[(Agreement.Status.UNDER_EVALUATION, datetime.date(2014, 4, 1))],
            note=ILLUSTRATIVE.format(what="the dates"),
        )
        portugal = self.agreement(
            slug="partnership-portugal-national-network",
            kind=Agreement.Kind.PARTNERSHIP,
            parties=[
                (partners["al-las"], AgreementParty.Role.SIGNATORY),
                (partners["portugal-national-network"], AgreementParty.Role.SIGNATORY),
            ],
            themes=[],
            proposed_on=datetime.date(2014, 3, 1),
            lifecycle=[(Agreement.Status.UNDER_EVALUATION, datetime.date(2014, 4, 1))],
            note=ILLUSTRATIVE.format(what="the dates"),
        )
        return {"founding": founding, "italy": italy, "portugal": portugal}

    def agreement(self, *, slug, parties, themes, lifecycle, **fields):
        """Create the agreement and walk its lifecycle once; later runs only refresh texts."""
        agreement_texts = column_values(texts.AGREEMENTS[slug], Agreement.TRANSLATED_FIELDS)
        agreement = Agreement.objects.filter(slug=slug).first()
        if agreement is not None:
            # A save, not QuerySet.update(): a text set back to the demo value is recorded in
            # the history and clears the page cache, like any other edit.
            update_if_changed(agreement, **agreement_texts, note=fields["note"])
            return agreement
        agreement = agreement_create(
            slug=slug, parties=parties, themes=themes, **agreement_texts, **fields
        )
        for status, on in lifecycle:
            agreement_change_status(
                agreement=agreement,
                to_status=status,
                on=on,
                note="Demo data.",
                signed_on=on if status == Agreement.Status.SIGNED else None,
            )
        agreement.refresh_from_db()
        return agreement

    def load_activities(self, partners, themes, agreements):
        launch = self.activity(
            slug="launch-of-al-las",
            kind=Activity.Kind.CONFERENCE,
            starts_on=LAUNCH,
            venue_type=Activity.VenueType.CITY,
            venue_partner=partners["mexico-city"],
            agreement=agreements["founding"],
            notes=ILLUSTRATIVE.format(what="the exact day and the venue"),
            themes=[themes["legal-framework"], themes["city-council-organisation"]],
            participations=[("mexico-city", Participation.Role.ORGANISER, 0)]
            + [(slug, Participation.Role.PARTICIPANT, 0) for slug in [*CITY_SLUGS, "cuf", "famsi"]]
            + [("european-union", Participation.Role.PARTICIPANT, 0)],
        )
        self.activity(
            slug="joint-training-session-with-femp",
            kind=Activity.Kind.TRAINING,
            starts_on=datetime.date(2014, 3, 10),
            ends_on=datetime.date(2014, 3, 11),
            venue_type=Activity.VenueType.PLACE,
            venue_country="ES",
            hours=Decimal("12"),
            format=Activity.Format.IN_PERSON,
            notes=ILLUSTRATIVE.format(what="the dates, venue, hours and attendee counts"),
            themes=[themes["training"], themes["city-council-organisation"]],
            participations=[
                ("mexico-city", Participation.Role.ORGANISER, 3),
                ("femp", Participation.Role.CO_ORGANISER, 4),
                ("montevideo", Participation.Role.PARTICIPANT, 2),
                ("medellin", Participation.Role.PARTICIPANT, 2),
            ],
        )
        self.activity(
            slug="strategic-meeting-uclg-capacity-building",
            kind=Activity.Kind.STRATEGIC_MEETING,
            starts_on=datetime.date(2014, 5, 20),
            venue_type=Activity.VenueType.PLACE,
            venue_country="NL",
            notes=ILLUSTRATIVE.format(what="the date and venue"),
            themes=[themes["lobbying"], themes["training"]],
            participations=[
                ("mexico-city", Participation.Role.ORGANISER, 0),
                ("vng", Participation.Role.CO_ORGANISER, 0),
                ("uclg", Participation.Role.PARTICIPANT, 0),
            ],
        )
        self.activity(
            slug="first-year-report",
            kind=Activity.Kind.PUBLICATION,
            starts_on=datetime.date(2014, 7, 28),
            venue_type=Activity.VenueType.ONLINE,
            notes="",
            themes=[themes["communication-tools"]],
            participations=[("mexico-city", Participation.Role.ORGANISER, 0)],
        )
        return launch

    def activity(self, *, slug, themes, participations, **fields):
        fields.setdefault("status", Activity.Status.PUBLISHED)
        activity_texts = column_values(texts.ACTIVITIES[slug], Activity.TRANSLATED_FIELDS)
        activity = Activity.objects.filter(slug=slug).first() or Activity(slug=slug)
        update_if_changed(activity, validate=True, **activity_texts, **fields)
        # set() only adds and removes the links that differ: no signal when none does.
        activity.themes.set(themes)
        partners = {
            p.slug: p for p in Partner.objects.filter(slug__in=[s for s, _, _ in participations])
        }
        for partner_slug, role, attendees in participations:
            load(
                Participation,
                {"role": role, "attendees": attendees},
                activity=activity,
                partner=partners[partner_slug],
            )
        return activity

    def load_resources(self, partners, themes):
        launch = Activity.objects.get(slug="launch-of-al-las")
        report = Activity.objects.get(slug="first-year-report")
        resources = [
            (
                "first-year-report",
                Resource.Kind.REPORT,
                Resource.Language.SPANISH,
                datetime.date(2014, 7, 28),
                [report],
                [themes["communication-tools"]],
            ),
            (
                "guide-international-action-of-cities",
                Resource.Kind.GUIDE,
                Resource.Language.SPANISH,
                datetime.date(2014, 6, 1),
                [launch],
                [themes["city-council-organisation"], themes["legal-framework"]],
            ),
        ]
        for slug, kind, language, published_on, activities, resource_themes in resources:
            resource = load(
                Resource,
                {
                    **column_values(texts.RESOURCES[slug], Resource.TRANSLATED_FIELDS),
                    "kind": kind,
                    "language": language,
                    "published_on": published_on,
                    # No public address of the document is known: the link points at the
                    # network's own profile until a coordinator uploads the file.
                    "url": "https://example.org/al-las/" + slug,
                },
                slug=slug,
            )
            # As above: set() writes (and signals) only the links that differ.
            resource.activities.set(activities)
            resource.themes.set(resource_themes)
            resource.partners.set([partners["al-las"]])

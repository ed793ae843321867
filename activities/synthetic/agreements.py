"""The agreements of the synthetic data set, their parties and themes, and the recorded steps of
their lifecycle: each step passes ``partners.services.agreement_step`` (the transitions and the
dates a step sets, as ``agreement_change_status`` applies them), so the statuses and dates are
those the service would have recorded."""

import datetime

from activities.synthetic.dataset import NOON, SLUG_PREFIX
from activities.synthetic.languages import draw_languages, texts_in_columns
from activities.synthetic.names import TOPICS
from activities.synthetic.sampling import random_date, weighted
from allas.translation import columns
from partners.models import Agreement, AgreementParty, AgreementStatusChange
from partners.services import PROPOSAL_NOTE, agreement_step

FIRST_AGREEMENT = datetime.date(2005, 1, 1)
TITLE_LENGTH = Agreement._meta.get_field("title_es").max_length

# How likely each next step is from a status (None: the agreement stays there). Only steps
# that Agreement.TRANSITIONS allows: agreement_step refuses any other. From "in force" the
# agreement expires at its end date or, rarely, is terminated before.
LIFECYCLE_WEIGHTS = {
    Agreement.Status.PROPOSED: [
        (Agreement.Status.UNDER_EVALUATION, 45),
        (Agreement.Status.NEGOTIATION, 30),
        (Agreement.Status.DECLINED, 10),
        (None, 15),
    ],
    Agreement.Status.UNDER_EVALUATION: [
        (Agreement.Status.NEGOTIATION, 35),
        (Agreement.Status.SIGNED, 40),
        (Agreement.Status.DECLINED, 10),
        (None, 15),
    ],
    Agreement.Status.NEGOTIATION: [
        (Agreement.Status.UNDER_EVALUATION, 10),
        (Agreement.Status.SIGNED, 65),
        (Agreement.Status.DECLINED, 10),
        (None, 15),
    ],
    Agreement.Status.SIGNED: [(Agreement.Status.IN_FORCE, 85), (Agreement.Status.TERMINATED, 10)],
}
KIND_WORDS = {
    Agreement.Kind.MOU: {
        "es": "Memorando de entendimiento",
        "pt": "Memorando de entendimento",
        "fr": "Protocole d'accord",
        "en": "Memorandum of understanding",
    },
    Agreement.Kind.COOPERATION: {
        "es": "Convenio de cooperación",
        "pt": "Convênio de cooperação",
        "fr": "Convention de coopération",
        "en": "Cooperation agreement",
    },
    Agreement.Kind.PARTNERSHIP: {
        "es": "Acuerdo de asociación",
        "pt": "Acordo de parceria",
        "fr": "Accord de partenariat",
        "en": "Partnership agreement",
    },
    Agreement.Kind.LETTER_OF_INTENT: {
        "es": "Carta de intención",
        "pt": "Carta de intenções",
        "fr": "Lettre d'intention",
        "en": "Letter of intent",
    },
}
# "<kind> between <first party> and <second party>", in each language.
TITLES = {
    "es": "{kind} entre {first} y {second}",
    "pt": "{kind} entre {first} e {second}",
    "fr": "{kind} entre {first} et {second}",
    "en": "{kind} between {first} and {second}",
}


def lifecycle(rng, proposed_on, today):
    """The steps of one agreement up to ``today``, as ``agreement_change_status`` would have
    recorded them: returns (status, signed_on, starts_on, ends_on, [(from, to, date), ...])."""
    status = Agreement.Status.PROPOSED
    steps = [("", status, proposed_on)]  # as agreement_record_proposal records it
    signed_on = starts_on = ends_on = None
    day = proposed_on
    for _step in range(8):
        if status == Agreement.Status.IN_FORCE:
            if ends_on < today:
                target, on = Agreement.Status.EXPIRED, ends_on
            elif rng.random() < 0.05:
                target = Agreement.Status.TERMINATED
                on = random_date(rng, day, today)
            else:
                break
        elif status in LIFECYCLE_WEIGHTS:
            target = weighted(rng, LIFECYCLE_WEIGHTS[status])
            on = day + datetime.timedelta(days=rng.randint(15, 240))
            if target is None or on > today:
                break
        else:
            break
        target, signed_on, starts_on, ends_on = agreement_step(
            current=status,
            to_status=target,
            on=on,
            signed_on=signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            previous_on=day,
        )
        if target == Agreement.Status.IN_FORCE:
            # How long it runs is written in the agreement: a coordinator enters it.
            ends_on = starts_on + datetime.timedelta(days=365 * rng.randint(1, 6))
        steps.append((status, target, on))
        status, day = target, on
    return status, signed_on, starts_on, ends_on, steps


def write_agreements(data, writer):
    rng = data.rng("agreements")
    language_rng = data.rng("agreements languages")
    n = data.counts.agreements
    first = data.next_id(Agreement)
    agreements, parties, changes, themes = [], [], [], []
    data.signed_agreement_ids = []
    for index in range(n):
        pk = first + index
        kind = rng.choice(Agreement.Kind.values)
        members = rng.sample(data.partner_ids, weighted(rng, [(2, 70), (3, 20), (4, 10)]))
        proposed_on = random_date(rng, FIRST_AGREEMENT, data.today)
        status, signed_on, starts_on, ends_on, steps = lifecycle(rng, proposed_on, data.today)
        if status in Agreement.SIGNED_STATUSES:
            data.signed_agreement_ids.append(pk)
        first_party, second_party = (data.partner_names[m] for m in members[:2])
        topic = rng.choice(TOPICS)
        original, written = draw_languages(language_rng)
        texts = {}
        for language in written:
            title = TITLES[language].format(
                kind=KIND_WORDS[kind][language], first=first_party, second=second_party
            )
            texts[language] = (title[:TITLE_LENGTH], f"{title}: {topic[language]}.")
        agreements.append(
            (
                pk,
                f"{SLUG_PREFIX}agreement-{index + 1:05d}",
                kind,
                status,
                proposed_on,
                signed_on,
                starts_on,
                ends_on,
                "",
                rng.random() < 0.9,
                "",
                data.stamp,
                data.stamp,
                original,
                *texts_in_columns(texts),
            )  # fmt: skip
        )
        for position, member in enumerate(members):
            role = (
                AgreementParty.Role.SIGNATORY
                if position < 2
                else rng.choice(AgreementParty.Role.values)
            )
            parties.append((pk, member, role))
        for order, (from_status, to_status, on) in enumerate(steps):
            recorded = datetime.datetime.combine(on, NOON) + datetime.timedelta(seconds=order)
            note = PROPOSAL_NOTE if not from_status else ""
            changes.append((pk, from_status, to_status, on, None, note, recorded))
        for theme in rng.sample(data.themes, min(len(data.themes), rng.randint(1, 3))):
            themes.append((pk, theme))
    writer.write(
        "agreements",
        Agreement,
        [
            "id",
            "slug",
            "kind",
            "status",
            "proposed_on",
            "signed_on",
            "starts_on",
            "ends_on",
            "document",
            "is_public",
            "note",
            "created_at",
            "updated_at",
            "original_language",
            *columns("title", "summary"),
        ],  # fmt: skip
        agreements,
        n,
    )
    writer.write(
        "agreement parties",
        AgreementParty,
        ["agreement_id", "partner_id", "role"],
        parties,
        len(parties),
    )
    writer.write(
        "agreement status changes",
        AgreementStatusChange,
        [
            "agreement_id",
            "from_status",
            "to_status",
            "changed_on",
            "changed_by_id",
            "note",
            "recorded_at",
        ],  # fmt: skip
        changes,
        len(changes),
    )
    writer.write(
        "agreement themes",
        Agreement.themes.through,
        ["agreement_id", "theme_id"],
        themes,
        len(themes),
    )

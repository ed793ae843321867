"""Add three illustrative applications to the demo network, for coordinators to review:

- an Italian network of municipalities proposing a partnership agreement (received);
- a Portuguese city asking to join AL-LAs as a partner, with a coordinator's question and its
  answer (under review);
- a French institution proposing a joint seminar (received).

The organisations and contact people are invented (e-mail addresses on example.org) and each
application says so in its internal note. Run after load_demo_data (`make demo`). Safe to run
again: an application is matched by its fixed reference and, once there, left as it is (a
coordinator may have decided it, or erased its contact data, since). Nothing is mailed.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from joining import privacy
from joining.models import Application, Message
from partners.models import Membership, Partner

NETWORK_SLUG = "al-las"
NOTE = (
    "Illustrative: an invented application for the demo; the organisation, the contact "
    "person and the dates are not real."
)

# reference, days since it was sent, status, fields; then the questions and answers.
APPLICATIONS = [
    (
        "DEMXAGR2",
        9,
        Application.Status.RECEIVED,
        {
            "language": "en",
            "organisation_name": "Rete dei Comuni per la Cooperazione Decentrata",
            "kind": Partner.Kind.NETWORK,
            "country": "IT",
            "locality": "Roma",
            "website": "https://rete-comuni.example.org/",
            "proposal": Application.Proposal.AGREEMENT,
            "proposal_title": "Partnership agreement on decentralised cooperation",
            "motivation": (
                "La nostra rete riunisce comuni italiani impegnati nella cooperazione "
                "decentrata con l'America Latina. Proponiamo un accordo di partenariato con "
                "AL-LAs per scambi tecnici tra funzionari e una formazione congiunta ogni anno."
            ),
            "contact_name": "Giulia Esempio",
            "contact_role": "Responsabile relazioni internazionali",
            "contact_email": "giulia.esempio@example.org",
        },
        [],
    ),
    (
        "DEMXMEM3",
        16,
        Application.Status.UNDER_REVIEW,
        {
            "language": "pt",
            "organisation_name": "Câmara Municipal de Vila Exemplo",
            "official_name": "Município de Vila Exemplo",
            "kind": Partner.Kind.CITY,
            "country": "PT",
            "locality": "Vila Exemplo",
            "website": "https://vila-exemplo.example.org/",
            "proposal": Application.Proposal.MEMBERSHIP,
            "role": Membership.Role.PARTNER,
            "motivation": (
                "A Câmara Municipal gostaria de aderir à AL-LAs para partilhar experiências de "
                "cooperação descentralizada com cidades da América Latina, em especial sobre "
                "planeamento urbano e participação cidadã."
            ),
            "contact_name": "João Exemplo",
            "contact_role": "Gabinete de Relações Internacionais",
            "contact_email": "joao.exemplo@example.org",
        },
        [
            (
                Message.Direction.QUESTION,
                3,
                "Obrigado pela candidatura. Que serviço da Câmara acompanharia a parceria, e "
                "com que equipa?",
            ),
            (
                Message.Direction.ANSWER,
                5,
                "O Gabinete de Relações Internacionais, com duas pessoas, em articulação com o "
                "Departamento de Urbanismo.",
            ),
        ],
    ),
    (
        "DEMXACT4",
        4,
        Application.Status.RECEIVED,
        {
            "language": "fr",
            "organisation_name": "Institut d'Exemple pour la Coopération des Villes",
            "kind": Partner.Kind.INSTITUTION,
            "institution_type": Partner.InstitutionType.UNIVERSITY,
            "country": "FR",
            "locality": "Lyon",
            "proposal": Application.Proposal.ACTIVITY,
            "proposal_title": "Séminaire sur l'action internationale des villes",
            "motivation": (
                "Notre institut propose d'organiser avec AL-LAs un séminaire d'une journée sur "
                "l'action internationale des villes, ouvert aux équipes municipales des deux "
                "continents."
            ),
            "contact_name": "Claire Exemple",
            "contact_role": "Chargée de projets",
            "contact_email": "claire.exemple@example.org",
        },
        [],
    ),
]


class Command(BaseCommand):
    help = "Add illustrative applications to the demo network (after load_demo_data). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        network = Partner.objects.filter(slug=NETWORK_SLUG, kind=Partner.Kind.NETWORK).first()
        if network is None:
            raise CommandError("The demo network is missing: run `manage.py load_demo_data` first.")
        existing = set(
            Application.objects.filter(
                reference__in=[reference for reference, *_rest in APPLICATIONS]
            ).values_list("reference", flat=True)
        )
        now = timezone.now()
        created = 0
        for reference, days_ago, status, fields, messages in APPLICATIONS:
            if reference not in existing:
                sent = now - datetime.timedelta(days=days_ago)
                _create(reference, sent, status, fields, messages, network)
                created += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo applications: {created} created, {len(existing)} already there."
            )
        )


def _create(reference, sent, status, fields, messages, network):
    """The application as the public form and the confirmation link would have left it."""
    if fields["proposal"] == Application.Proposal.MEMBERSHIP:
        fields = {**fields, "network": network}
    with translation.override(fields["language"]):
        consent_text = privacy.notice()
    application = Application(
        reference=reference,
        status=status,
        submitted_at=sent,
        confirmed_at=sent + datetime.timedelta(minutes=20),
        consent_version=privacy.VERSION,
        consent_text=consent_text,
        consent_given_at=sent,
        note=NOTE,
        **fields,
    )
    application.full_clean()
    application.save()
    for direction, days_later, body in messages:
        message = Message(
            application=application,
            direction=direction,
            body=body,
            sent_at=sent + datetime.timedelta(days=days_later),
        )
        message.full_clean()
        message.save()

"""The e-mails to applicants, each in the language of the application: the confirmation link,
a coordinator's question, the decision. Plain text from templates/joining/email/.

Confirmation e-mails are sent on a visitor's request, so they count against
JOINING_MAX_EMAILS_PER_HOUR (joining/abuse.py checks it before an application is recorded).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import override

from joining import links


def _send(application, name, **context):
    if not application.contact_email:
        return  # erased
    with override(application.language):
        context = {
            "application": application,
            "status_url": links.status_url(application),
            "retention_days": settings.JOINING_RETENTION_DAYS,
            **context,
        }
        subject = render_to_string(f"joining/email/{name}_subject.txt", context)
        body = render_to_string(f"joining/email/{name}.txt", context)
    EmailMessage(
        " ".join(subject.split()),
        body,
        to=[application.contact_email],
        reply_to=[settings.JOINING_REPLY_TO] if settings.JOINING_REPLY_TO else None,
    ).send()


def send_confirmation(application):
    _send(
        application,
        "confirm",
        confirm_url=links.confirm_url(application),
        hours=settings.JOINING_CONFIRMATION_HOURS,
    )


def send_question(application, message):
    _send(application, "question", message=message)


def send_decision(application):
    _send(application, application.status)  # accepted.txt or declined.txt

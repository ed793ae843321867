"""The applicant's pages: the form, the page that says to check the inbox, the confirmation
link, and the application's own page (state, questions and answers) behind a signed link.

None of them is cached (the form and the linked pages hold a CSRF token; the linked pages
are one applicant's), and the linked pages carry their token in the address, so they are
kept out of search engines and out of the Referer header of any link to another site.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from activities.forms.partner_lookup import datalist_partner_label
from joining import abuse, links, services
from joining.forms import AnswerForm, ApplicationForm
from joining.models import Application, Message
from partners.models import Partner

# How long a refused sender is asked to wait (the per-address window), in seconds.
RETRY_AFTER = 3600
SUGGESTIONS = 20


def _apply_page(request, form, *, alert=None, status=200):
    response = render(request, "joining/apply.html", {"form": form, "alert": alert}, status=status)
    if status in (429, 503):
        response["Retry-After"] = str(RETRY_AFTER)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    """The form. A post goes through the checks of joining/abuse.py, cheapest first, before
    anything is stored or mailed; a refused one shows the form again with what was typed."""
    if request.method != "POST":
        return _apply_page(request, ApplicationForm())
    if request.POST.get(abuse.HONEYPOT, "").strip():
        # Answered as if sent, so a program learns nothing: nothing stored, nothing mailed.
        return redirect("joining:sent")
    form = ApplicationForm(request.POST)
    elapsed = abuse.seconds_since_display(request.POST.get("started"))
    if elapsed is None or elapsed < settings.JOINING_MIN_FILL_SECONDS:
        # Too fast for a person, or a page older than a day: a person just sends it again.
        alert = _("Please check your answers and send the form again.")
        return _apply_page(request, form, alert=alert, status=400)
    if not form.is_valid():
        return _apply_page(request, form, status=400)
    if not abuse.address_allowed(request):
        alert = _(
            "Too many applications were sent from your connection in the last hour. Please "
            "try again later; what you wrote is kept below."
        )
        return _apply_page(request, form, alert=alert, status=429)
    if not abuse.email_allowed(form.cleaned_data["contact_email"]):
        alert = _(
            "Too many applications were sent for this e-mail address today. Please try again "
            "tomorrow; what you wrote is kept below."
        )
        return _apply_page(request, form, alert=alert, status=429)
    if not abuse.site_has_room():
        alert = _(
            "We are receiving too many applications right now. Please try again later; what "
            "you wrote is kept below."
        )
        return _apply_page(request, form, alert=alert, status=503)
    try:
        services.application_submit(application=form.application())
    except services.ApplicationError as error:
        return _apply_page(request, form, alert=str(error), status=400)
    # Nothing of the applicant travels to the next page: it says to check the inbox.
    return redirect("joining:sent")


@require_safe
def sent(request):
    return render(request, "joining/sent.html", {"hours": settings.JOINING_CONFIRMATION_HOURS})


def _application(token, purpose, *, max_age=None):
    """The application a signed link names, or None (forged, of another purpose, expired,
    or of an application that no longer exists)."""
    pk = links.application_id(token, purpose, max_age=max_age)
    return (
        None if pk is None else Application.objects.filter(pk=pk).select_related("network").first()
    )


def _linked_page(response):
    # The token in the address must not leave for another site in the Referer header. Not
    # "no-referrer": browsers then send "Origin: null" with the page's own forms, which
    # Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link of the confirmation e-mail. Mail scanners open links to check them, so a GET
    only shows a button; the POST confirms. A second confirmation changes nothing."""
    application = _application(token, links.CONFIRM, max_age=links.confirmation_max_age())
    if application is None:
        return _linked_page(render(request, "joining/confirm.html", {"invalid": True}, status=404))
    context = {"application": application, "status_url": _status_path(application)}
    if application.status == Application.Status.ABANDONED:
        context["error"] = _(
            "This application was not confirmed in time and has expired. Please apply again."
        )
        return _linked_page(render(request, "joining/confirm.html", context, status=409))
    if request.method == "POST":
        try:
            confirmed = services.application_confirm(application=application)
        except services.ApplicationError as error:
            context["error"] = str(error)
            return _linked_page(render(request, "joining/confirm.html", context, status=409))
        if confirmed:
            messages.success(
                request,
                _(
                    "Thank you: your e-mail address is confirmed and the application has "
                    "reached the coordinators."
                ),
            )
        return _linked_page(redirect(context["status_url"]))
    return _linked_page(render(request, "joining/confirm.html", context))


def _status_path(application):
    return reverse("joining:status", args=[links.token(application, links.STATUS)])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request, token):
    """The application's state, its questions and answers, and a box to answer while it is
    open. It shows nothing of the contact person."""
    application = _application(token, links.STATUS)
    if application is None:
        raise Http404
    exchanges = list(application.messages.all())
    can_answer = application.is_open and any(
        m.direction == Message.Direction.QUESTION for m in exchanges
    )
    form, error, code = AnswerForm(), None, 200
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.application_answer(
                    application=application, answer=form.cleaned_data["answer"]
                )
            except services.ApplicationError as refusal:
                error, code = str(refusal), 409
            else:
                messages.success(request, _("Your answer was added to the application."))
                return _linked_page(redirect(request.path))
        else:
            code = 400
    context = {
        "application": application,
        "exchanges": exchanges,
        "can_answer": can_answer,
        "form": form,
        "error": error,
    }
    return _linked_page(render(request, "joining/status.html", context, status=code))


@require_safe
def partner_search(request):
    """Suggestions for "Is your organisation already in our directory?": public partners
    only, at most 20, as JSON. Two queries at most."""
    query = (request.GET.get("q") or "").strip()[:100]
    if len(query) < 2:
        return JsonResponse({"results": []})
    partners = list(Partner.objects.public().named(query).order_by("name", "pk")[:SUGGESTIONS])
    # The name is what the box should show, unless two suggestions share it: then the
    # identifier, which the form reads as well and names one partner.
    names = [p.name.casefold() for p in partners]
    return JsonResponse(
        {
            "results": [
                {
                    "value": p.slug if names.count(p.name.casefold()) > 1 else p.name,
                    "label": datalist_partner_label(p),
                }
                for p in partners
            ]
        }
    )

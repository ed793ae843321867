"""Django's password-reset view with the link on SITE_URL and a throttle."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from allas.login_throttling import password_reset_allowed


class PasswordResetView(auth_views.PasswordResetView):
    """The e-mail's link is built from SITE_URL, not from the request's Host header: a request
    naming another host (any the server answers to) would otherwise mail a valid reset token
    on a link to that host. Requests are throttled per client address and per e-mail address:
    over the limit the form is shown again with status 429 and nothing is sent."""

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(
                None,
                _("Too many password reset requests. Please try again later."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        site = urlsplit(settings.SITE_URL)
        self.extra_email_context = {
            **(self.extra_email_context or {}),
            "protocol": site.scheme,
            "domain": site.netloc,
            "site_name": site.netloc,
        }
        return super().form_valid(form)

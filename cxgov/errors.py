"""The 500 page: it says only what is true about what happens to the error."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader


def server_error(request, template_name="500.html"):
    """Like Django's, plus whether someone is told: mail_admins reaches ADMINS only when it is set.

    No request context and no database: the page must render whatever broke.
    """
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"admins_notified": bool(settings.ADMINS)}))

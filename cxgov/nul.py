"""NUL bytes are removed from every request value before any view sees them.

PostgreSQL cannot store a NUL byte in text, nor even compare one: a NUL in a comment, an owner key
or a question key made the query itself fail (a 500) on PostgreSQL, where SQLite stored or matched it
silently. No one types a NUL (browsers cannot put one in a field); it only comes from a hostile or
broken client and carries no meaning, so removing it is the honest cleaning, and doing it once here
covers every form, htmx endpoint and hand-read value, present and future. A NUL in the path itself
(``/answer/save/D1%001/``) names no page: 404.

Uploaded files are left as they are: their readers (CSV imports) check their own content.
This module is part of the kernel: it imports Django but nothing from the apps.
"""

from django.http import Http404, QueryDict

NUL = "\x00"


def _without_nul(query: QueryDict) -> QueryDict:
    if not any(NUL in key or any(NUL in value for value in values) for key, values in query.lists()):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


class NulByteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            # Reading POST here parses the body once, as the CSRF check right after would anyway.
            request.POST = _without_nul(request.POST)
        return self.get_response(request)

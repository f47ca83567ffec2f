import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error

from courses.forms import SearchForm
from courses.queries import search_catalog
from serving.redirects import safe_next


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = search_catalog(query) if query else None
    return render(request, "cms/search.html", {"form": form, "query": query, "results": results})


@require_GET
def switch_language(request, language):
    """A plain link switches the language, so pages need no form and stay cacheable."""
    response = HttpResponseRedirect(safe_next(request, request.GET.get("next"), "/"))
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


DATABASE_RETRY_AFTER_SECONDS = 5


def server_error(request):
    """Django's 500 page, unless the database is unreachable: then 503 with Retry-After.

    While PostgreSQL restarts or fails over, nothing is wrong with the request and nothing
    was half-done (each request is one transaction), so people are told to try again in a
    moment, and the quiz page retries by itself. As the error handler, not a middleware's
    process_exception, it also covers a failure in a middleware (loading the signed-in
    user, say), which never reaches a view. bench/faults.py restarts PostgreSQL under load.
    """
    if not isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return django_server_error(request)
    if request.content_type == "application/json" or "json" in request.headers.get("Accept", ""):
        message = _("The service is briefly unavailable; your answer will be sent again.")
        response = JsonResponse({"error": "unavailable", "message": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response

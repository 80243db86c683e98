import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from everychild.access.policy import Capability, has_capability, public, requires, roles
from everychild.areas.selectors import serving_area
from everychild.children.selectors import acts_for_themselves
from everychild.home import headlines, selectors
from everychild.home.context_processors import family_portal_name

logger = logging.getLogger(__name__)


@public
@never_cache
def healthz(request):
    """For load balancers and monitoring: is the application up and its database reachable?"""
    body = {"status": "ok", "database": "ok", "version": settings.EVERYCHILD_VERSION}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means the service is not healthy
        logger.error("Health check: database unreachable: %s", error)
        body.update(status="error", database="unreachable")
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def _family_portal(user) -> dict | None:
    """For a parent or young person: the way to their portal, in their own words, instead of
    staff's "Find a child"."""
    if not has_capability(user, Capability.FAMILY_PORTAL):
        return None
    for_themselves = acts_for_themselves(user)
    who = "you" if for_themselves else "your children"
    return {"title": family_portal_name(for_themselves), "link": f"See where things are with {who}"}


@requires(Capability.SIGNED_IN)
def home(request):
    return render(
        request,
        "home/home.html",
        {
            "summary": selectors.home_summary(request.user),
            "my_roles": roles(request.user),
            # Board, finance, leaders and administrators lead with their figures (issue 20).
            "headlines": headlines.home_headlines(request.user),
            "what_you_see": headlines.what_you_see(request.user)
            if headlines.leads_with_figures(request.user)
            else [],
            "tasks": selectors.my_tasks(request.user, request=request),
            "family_portal": _family_portal(request.user),
        },
    )


@public
def accessibility(request):
    return render(request, "home/accessibility.html", {"area": serving_area()})


@public
def privacy(request):
    return render(request, "home/privacy.html")

from django.conf import settings
from django.urls import reverse

from everychild.access.policy import Capability, capabilities, is_staff_member
from everychild.children.selectors import acts_for_themselves


def family_portal_name(for_themselves: bool) -> str:
    """The family portal's name: a young person acting for themselves is spoken to as "you"
    (CFA 2014 s.80), a parent about their children."""
    return "Your assessment and plan" if for_themselves else "Your children"


def navigation_for(user, path: str) -> list[dict]:
    """The service navigation: only the places this user's roles may go."""
    caps = capabilities(user)
    items = []

    def add(text, url_name, capability, not_under=()):
        if capability in caps:
            href = reverse(url_name)
            current = path == href or (href != "/" and path.startswith(href))
            # A section inside another (the team pages under /cases/) is current on its own.
            current = current and not any(path.startswith(reverse(n)) for n in not_under)
            items.append({"text": text, "href": href, "current": current})

    add("Home", "home:home", Capability.SIGNED_IN)
    # Families reach their own children through their portal: the staff list (UPNs, search
    # by name) is not offered to them.
    if is_staff_member(user):
        add("Children", "children:list", Capability.SEE_CHILDREN)
    add(
        "My caseload",
        "casework:caseload",
        Capability.CASEWORK,
        not_under=("casework:team", "casework:tasks", "casework:panel"),
    )
    add("My tasks", "casework:tasks", Capability.CASEWORK)
    add("Panel", "casework:panel", Capability.DECIDE)
    add("Team", "casework:team", Capability.MANAGE_TEAM)
    add("Exceptional access", "break_glass:review", Capability.REVIEW_AUDIT)
    add("Placement fees", "finance:agreed-fees", Capability.MANAGE_TEAM)
    add("High-needs finance", "finance:overview", Capability.FINANCE)
    add("Performance", "performance:dashboard", Capability.SEE_AGGREGATES)
    add("Improvement plan", "improvement:plan", Capability.IMPROVEMENT)
    add("SEN2 return", "returns:sen2-checks", Capability.RETURNS)
    add(
        "Advice queue",
        "advice:queue",
        Capability.GIVE_ADVICE,
        not_under=("advice:waiting-list", "advice:capacity", "advice:forecast"),
    )
    add("Waiting list", "advice:waiting-list", Capability.MANAGE_ADVICE)
    add("Messages sent", "notifications:messages", Capability.ADMINISTER)
    add("Staff", "staff:people", Capability.MANAGE_STAFF)
    add("Data protection", "dataprotection:home", Capability.DATA_PROTECTION)
    for_themselves = Capability.FAMILY_PORTAL in caps and acts_for_themselves(user)
    add(family_portal_name(for_themselves), "families:home", Capability.FAMILY_PORTAL)
    add("Plans", "plans:overview", Capability.CASEWORK, not_under=("plans:reviews",))
    add("Reviews", "plans:reviews", Capability.PLAN_REVIEWS)
    add("Requests for assessment", "schools:requests", Capability.REQUEST_ASSESSMENT)
    add("SEN support", "support:list", Capability.SUPPORT_PLANS)
    add("Advice for settings", "support:consultation-queue", Capability.ANSWER_CONSULTATIONS)
    # Staff make and revoke their own API tokens (issue 17); families have none.
    if is_staff_member(user):
        add("API tokens", "accounts:api-tokens", Capability.SIGNED_IN)
    return items


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_version": settings.EVERYCHILD_VERSION,
        "navigation": navigation_for(user, request.path) if user is not None else [],
        "is_demonstration": not settings.PRODUCTION,
        # Links for staff only (the API documentation): families never see them.
        "is_staff_member": user is not None and is_staff_member(user),
    }

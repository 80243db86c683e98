"""Walking the service as each of its people would: the demonstration area the seed commands
build (as `make run` does, smaller), its sign-ins, and which URLs are pages worth visiting.

Used by the walks that check every page a role can reach (tests/browser/test_reflow_320.py)
and every form with a radio or checkbox question (tests/test_error_summary_links.py)."""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from everychild.areas.models import Area
from everychild.demo.advice import seed_demo_advice
from everychild.demo.calibration import LA_CODE
from everychild.demo.families import seed_demo_families
from everychild.demo.finance import seed_demo_finance
from everychild.demo.improvement import seed_improvement_plan
from everychild.demo.plans import seed_plans
from everychild.demo.schools import seed_demo_schools
from everychild.demo.seed import seed_demo_area
from everychild.demo.support import seed_demo_support

PASSWORD = "demo-password-123"

# Every demonstration sign-in (everychild/demo/area.py SIGN_INS, and the senior leader that
# the finance demonstration adds); None is someone not signed in.
SIGN_INS = [
    None,
    "caseworker@demo.test",
    "manager@demo.test",
    "panel@demo.test",
    "ep@demo.test",
    "epmanager@demo.test",
    "health@demo.test",
    "socialcare@demo.test",
    "senco@demo.test",
    "parent@demo.test",
    "youngperson@demo.test",
    "youngadult@demo.test",
    "board@demo.test",
    "finance@demo.test",
    "leader@demo.test",
    "admin@demo.test",
    "dpo@demo.test",
    "staffadmin@demo.test",
    "epadmin@demo.test",
]
# Where someone not signed in starts (by URL name): the pages that are public.
PUBLIC_STARTS = [
    "home:home",
    "families:request-start",
    "timeline:calculator",
    "home:accessibility",
    "home:privacy",
    "provision:list",
]
# Files, not pages (and signing out, which would end the walk).
NOT_PAGES = {
    "accounts:sign-out",
    "casework:document-download",
    "finance:dsg-management-plan",
    "performance:dashboard-csv",
    "performance:measure-csv",
    "performance:benchmarks-csv",
    "board-pack:status",
    "board-pack:pdf",
    "improvement:evidence-download",
    "dataprotection:export-json",
    "dataprotection:export-pdf",
    "advice:document-download",
    "advice:received-download",
    "plans:version-pdf",
    "families:plan-version-pdf",
    "families:advice-report",
    "families:document",
    "staff:export",
    "support:download",
    "api-schema",
    "api-docs",  # the API's own page (issue 20 has it separately)
}


def seed_demonstration(*, forecast_runs: int = 50):
    """The demonstration area at 3% of its size, with every part `make run` adds."""
    seed_demo_area(password=PASSWORD, scale=0.03)
    area = Area.objects.get(la_code=LA_CODE)
    seed_improvement_plan(area)
    seed_demo_advice()
    seed_demo_families()
    seed_plans(area)
    seed_demo_schools()
    seed_demo_support(scale=0.03)
    # Last, as in `make run`: the forecasts count every request and plan the others made.
    seed_demo_finance(password=PASSWORD, runs=forecast_runs)
    return area


def pattern_of(url: str) -> str | None:
    """The URL pattern a same-site URL is served by, or None for what is not a page."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name in NOT_PAGES or match.route.startswith("api/"):
        return None
    return match.route

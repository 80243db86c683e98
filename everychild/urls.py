from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from everychild.access.api_docs import api_docs
from everychild.access.policy import public
from everychild.children.urls import break_glass_urlpatterns
from everychild.improvement.urls import board_pack_urlpatterns
from everychild.support.urls import public_urlpatterns as ordinarily_available_urlpatterns

# The API description is public (it describes no one); every endpoint it lists is not.
schema_view = public(SpectacularAPIView.as_view())
docs_view = api_docs  # a page of the service, not Swagger UI (docs/decisions/0203)

urlpatterns = [
    path("", include("everychild.home.urls")),
    path("account/", include("everychild.accounts.urls")),
    path("children/", include("everychild.children.urls")),
    path("cases/", include("everychild.casework.urls")),
    path("access/", include(break_glass_urlpatterns)),
    path("timeline/", include("everychild.timelines.urls")),
    path("finance/", include("everychild.finance.urls")),
    path("performance/", include("everychild.performance.urls")),
    path("performance/board-pack/", include(board_pack_urlpatterns)),
    path("improvement/", include("everychild.improvement.urls")),
    path("returns/", include("everychild.returns.urls")),
    path("messages/", include("everychild.notifications.urls")),
    path("data-protection/", include("everychild.dataprotection.urls")),
    path("advice/", include("everychild.advice.urls")),
    path("family/", include("everychild.families.urls")),
    path("schools/", include("everychild.schools.urls")),
    path("staff/", include("everychild.staff.urls")),
    path("plans/", include("everychild.plans.urls")),
    path("support/", include("everychild.support.urls")),
    path("ordinarily-available/", include((ordinarily_available_urlpatterns, "provision"))),
    path("api/v1/", include("everychild.api_urls")),
    path("api/schema/", schema_view, name="api-schema"),
    path("api/docs/", docs_view, name="api-docs"),
]

handler400 = "everychild.core.errors.bad_request"
handler403 = "everychild.core.errors.permission_denied"
handler404 = "everychild.core.errors.page_not_found"
handler500 = "everychild.core.errors.server_error"

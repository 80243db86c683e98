"""/api/v1/: every endpoint applies the access policy (everychild.access.api.PolicyPermission)."""

from rest_framework.routers import SimpleRouter

from everychild.children.api import ChildViewSet

router = SimpleRouter(trailing_slash=True)
router.register("children", ChildViewSet, basename="child")

urlpatterns = router.urls

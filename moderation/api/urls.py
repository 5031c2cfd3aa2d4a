"""Every API route in one file (CC config/api_router.py): the API's surface in one screen."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from moderation.api.views import admin, items, reads

router = DefaultRouter()
# No `.json`/`.api` twin of every route: the Accept header and `?format=` choose the renderer,
# and the twins passed a `format` argument the viewsets' extra actions do not take (a 500).
router.include_format_suffixes = False
router.register("items", items.ItemViewSet, basename="item")
router.register("flags", reads.FlagViewSet, basename="flag")
router.register("actions", items.ActionViewSet, basename="action")
router.register("authors", reads.AuthorViewSet, basename="author")
router.register("channels", reads.ChannelViewSet, basename="channel")
router.register("canned-replies", reads.CannedReplyViewSet, basename="canned-reply")
router.register("audit-events", admin.AuditEventViewSet, basename="audit-event")
router.register("tokens", admin.ApiTokenViewSet, basename="token")
router.register("webhooks", admin.WebhookEndpointViewSet, basename="webhook")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/stats/", reads.StatsView.as_view(), name="stats"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]

from django.urls import path

from moderation.views import channels, health, home, metrics, webhooks

app_name = "moderation"

urlpatterns = [
    path("", home.home, name="home"),
    path("channels/", channels.channel_list, name="channel-list"),
    path("channels/<int:channel_id>/", channels.channel_detail, name="channel-detail"),
    path("channels/<int:channel_id>/connect/", channels.channel_connect_start, name="channel-connect"),
    path(
        "channels/<int:channel_id>/disconnect/", channels.channel_disconnect_view, name="channel-disconnect"
    ),
    path("channels/oauth/callback/", channels.channel_oauth_callback, name="channel-oauth-callback"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("webhooks/<slug:platform>/", webhooks.platform_webhook, name="webhook"),
]

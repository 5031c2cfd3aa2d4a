from django.urls import path

from moderation.views import (
    api_tokens,
    capabilities,
    channels,
    data_protection,
    failures,
    health,
    intranet_webhooks,
    item,
    media,
    metrics,
    queue,
    reports,
    team,
    webhooks,
)
from moderation.views import settings as settings_views

app_name = "moderation"

urlpatterns = [
    path("", queue.queue, name="home"),
    path("queue/arrivals/", queue.queue_arrivals, name="queue-arrivals"),
    path("queue/budgets/", queue.queue_budgets, name="queue-budgets"),
    path("queue/next/", queue.claim_next, name="queue-next"),
    path("queue/bulk/", queue.queue_bulk, name="queue-bulk"),
    path("items/<int:item_id>/", item.item_page, name="item"),
    path("items/<int:item_id>/actions/", item.item_actions_status, name="item-actions"),
    path("items/<int:item_id>/<str:kind>/", item.item_do, name="item-do"),
    path("settings/", settings_views.settings_index, name="settings"),
    # Before settings/<slug:key>/, which would otherwise take api-tokens as a section key.
    path("settings/api-tokens/", api_tokens.api_token_list, name="api-tokens"),
    path(
        "settings/api-tokens/<int:token_id>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api-token-revoke",
    ),
    path("settings/webhooks/", intranet_webhooks.webhook_list, name="webhooks"),
    path(
        "settings/webhooks/<int:endpoint_id>/remove/", intranet_webhooks.webhook_remove, name="webhook-remove"
    ),
    path(
        "settings/webhooks/deliveries/<int:delivery_id>/retry/",
        intranet_webhooks.webhook_retry,
        name="webhook-delivery-retry",
    ),
    path("settings/team/", team.team, name="team"),
    path("settings/team/<int:user_id>/", team.team_change, name="team-change"),
    path("settings/<slug:key>/", settings_views.settings_section, name="settings-section"),
    path("settings/<slug:key>/<int:row_id>/", settings_views.settings_section, name="settings-row"),
    path("settings/<slug:key>/<int:row_id>/delete/", settings_views.settings_delete, name="settings-delete"),
    path("reports/", reports.reports, name="reports"),
    path("reports/monthly/", reports.monthly, name="reports-monthly"),
    path("channels/", channels.channel_list, name="channel-list"),
    path("channels/capabilities/", capabilities.channel_capabilities, name="channel-capabilities"),
    path("channels/<int:channel_id>/", channels.channel_detail, name="channel-detail"),
    path("channels/<int:channel_id>/connect/", channels.channel_connect_start, name="channel-connect"),
    path(
        "channels/<int:channel_id>/disconnect/", channels.channel_disconnect_view, name="channel-disconnect"
    ),
    path("channels/oauth/callback/", channels.channel_oauth_callback, name="channel-oauth-callback"),
    path("items/<int:item_id>/media/<int:index>/", media.item_media, name="item-media"),
    path("items/<int:item_id>/media/<int:index>/show/", media.item_media_show, name="item-media-show"),
    path("data-protection/", data_protection.data_protection, name="data-protection"),
    path("data-protection/retention/", data_protection.data_retention_set, name="data-retention-set"),
    path("data-protection/export/", data_protection.author_export_view, name="author-export"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("failures/", failures.failure_list, name="failures"),
    path("failures/retry/", failures.failure_retry, name="failure-retry"),
    path("webhooks/<slug:platform>/", webhooks.platform_webhook, name="webhook"),
]

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from moderation import checks  # noqa: F401  (registers the system checks)
        from moderation.models import AuditEvent
        from moderation.services.intranet_webhooks import audit_event_emit

        # Intranet webhooks listen to the audit trail (a decoupled listener, docs/architecture.md §3).
        post_save.connect(audit_event_emit, sender=AuditEvent, dispatch_uid="webhooks_from_audit")

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_save

        from moderation import (
            checks,  # noqa: F401  (registers the system checks)
            data_version,
        )
        from moderation.models import AuditEvent
        from moderation.services.intranet_webhooks import audit_event_emit

        # Intranet webhooks listen to the audit trail (a decoupled listener, docs/architecture.md §3).
        post_save.connect(audit_event_emit, sender=AuditEvent, dispatch_uid="webhooks_from_audit")
        # Every write to what the item lists show moves their cache's version on (moderation/data_version.py).
        connection_created.connect(data_version.install, dispatch_uid="items_version_watch")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:  # opened before this ran
                data_version.install(sender=None, connection=connection)

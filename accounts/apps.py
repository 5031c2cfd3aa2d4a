from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts.roles import sync_roles_after_migrate

        # Permissions only exist after post_migrate, so the role groups are
        # brought up to date there, the way contrib.auth creates permissions.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
        from accounts.middleware import two_factor_on_login

        user_logged_in.connect(two_factor_on_login, dispatch_uid="accounts.two_factor_on_login")

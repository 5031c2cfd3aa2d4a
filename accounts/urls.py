"""Sign-in pages under /accounts/ that replace or add to django.contrib.auth.urls."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("two-factor/", views.recovery_codes, name="two-factor"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        views.UnlockingPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]

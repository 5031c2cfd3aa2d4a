from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("moderation.api.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/", include("accounts.urls")),  # two-factor, throttled password reset
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("moderation.urls")),
]

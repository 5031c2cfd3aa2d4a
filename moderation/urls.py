from django.urls import path

from moderation.views import home

app_name = "moderation"

urlpatterns = [
    path("", home.home, name="home"),
]

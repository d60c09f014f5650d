from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from koers.touchpoints import views as touchpoint_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("afmelden/<str:token>/", touchpoint_views.unsubscribe, name="unsubscribe"),
    path("", include("koers.journeys.urls")),
    path("", include("koers.web.urls")),
]

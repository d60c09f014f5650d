from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from koers.web.login import AdminLoginForm, LoginForm

admin.site.login_form = AdminLoginForm

urlpatterns = [
    # First: the public answer pages get by far the most requests, so they are matched first.
    path("", include("koers.feedback.urls")),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("koers.touchpoints.urls")),
    path("", include("koers.journeys.urls")),
    path("kalender/", include("koers.calendar.urls")),
    path("feedback/", include("koers.feedback.results.urls")),
    path("inzichten/", include("koers.insights.urls")),
    path("", include("koers.relations.urls")),
    path("", include("koers.groups.urls")),
    path("", include("koers.web.urls")),
]

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "koers.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import m2m_changed

        from koers.web import checks  # noqa: F401  (registers the deploy checks)
        from koers.web.login import logged_in, login_failed
        from koers.web.roles import roles_changed

        user_login_failed.connect(login_failed, dispatch_uid="koers.web.login_failed")
        user_logged_in.connect(logged_in, dispatch_uid="koers.web.logged_in")

        m2m_changed.connect(
            roles_changed,
            sender=get_user_model().groups.through,
            dispatch_uid="koers.web.roles_changed",
        )

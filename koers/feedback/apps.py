from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "koers.feedback"
    label = "feedback"
    verbose_name = "Feedback"

from __future__ import annotations

from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "koers.channels"
    label = "channels"
    verbose_name = "Kanalen"

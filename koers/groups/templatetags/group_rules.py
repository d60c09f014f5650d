"""The groups' own template tag: a rule in words (`{% load group_rules %}`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from koers.groups.wording import rule_in_words

register = template.Library()


@register.simple_tag
def regel(rule: str, trigger: bool = False) -> SafeString:
    """A rule in words, with the rule as written on hover for whoever writes rules; a rule
    that cannot be read (any more) is shown as written."""
    words = rule_in_words(rule, trigger=trigger)
    if words is None:
        return format_html("<code>{}</code>", rule)
    return format_html('<span class="rule" title="{}">{}</span>', rule, words)

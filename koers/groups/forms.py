from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=120)
    rule = forms.CharField(
        label=_("Regel"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Bijvoorbeeld: mandate.active and support.annual >= 1000"),
    )
    description = forms.CharField(
        label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    key = forms.SlugField(
        label=_("Sleutel"),
        max_length=64,
        required=False,
        help_text=_(
            "Korte naam voor exports en de opdrachtregel; leeg laten maakt er een van de naam."
        ),
    )

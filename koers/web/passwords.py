"""Django's minimum length, with its message in Dutch: Django's own Dutch catalogue lacks
the wording of this Django version, so a Dutch user would read it in English."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import ngettext


class MinimumLength(MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort. Het moet ten minste %(n)d teken bevatten.",
            "Dit wachtwoord is te kort. Het moet ten minste %(n)d tekens bevatten.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Uw wachtwoord moet ten minste %(n)d teken bevatten.",
            "Uw wachtwoord moet ten minste %(n)d tekens bevatten.",
            self.min_length,
        ) % {"n": self.min_length}

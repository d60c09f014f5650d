"""The links in surveys: a signed token per invitation, and a short code for paper.

A token is the invitation's id signed with the site's secret (Django's signing), so it
cannot be guessed or altered to point at another invitation: changing one character breaks
the signature. An invitation belongs to one touchpoint and so to one relation. Letters and
cards cannot carry a long token; they print a short random code instead, which is looked up.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

SALT = "koers.feedback.invitation"
# Long enough for a letter to arrive and lie on the table a while.
VALID_FOR = timedelta(days=120)
# No 0/O, 1/l/I: a code is typed over from paper. 31 symbols, 12 long: about 59 bits.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz"
CODE_LENGTH = 12


@dataclass(frozen=True)
class Opened:
    """What a token says: an invitation id, or why it cannot be used ('expired', 'invalid')."""

    invitation: int | None
    problem: str = ""


def token_for(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=SALT)


def open_token(token: str) -> Opened:
    try:
        value = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired:
        return Opened(None, "expired")
    except signing.BadSignature:
        return Opened(None, "invalid")
    if not isinstance(value, int) or isinstance(value, bool):
        return Opened(None, "invalid")
    return Opened(value)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """A code as typed over from paper: spaces and dashes left out, lower case."""
    return "".join(c for c in text.lower() if c.isalnum())

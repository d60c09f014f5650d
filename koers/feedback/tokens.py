"""The links in surveys: a signed token per invitation, and a short code for paper.

Every invitation has a random code (about 59 bits), stored with it. A letter or card prints
the code, which is looked up. An e-mail link carries the invitation's number and its code,
signed with the site's secret (Django's signing) and dated: changing one character breaks
the signature, and a signature over a guessed number, even one made with the real key, finds
no invitation with that code (docs/decisions/0011-no-default-secret-key.md). An invitation
belongs to one touchpoint and so to one relation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

# A new salt for the links that carry the code: the older links, which carried only the
# number, no longer open anything.
SALT = "koers.feedback.invitation.code"
# Long enough for a letter to arrive and lie on the table a while.
VALID_FOR = timedelta(days=120)
# No 0/O, 1/l/I: a code is typed over from paper. 31 symbols, 12 long: about 59 bits.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz"
CODE_LENGTH = 12


@dataclass(frozen=True)
class Opened:
    """What a token says: an invitation's number and code, or why it cannot be used
    (problem 'expired' or 'invalid'). The code must still match the stored one."""

    invitation: int | None
    code: str = ""
    problem: str = ""


def token_for(invitation_id: int, code: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{invitation_id}.{code}")


def open_token(token: str) -> Opened:
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=VALID_FOR)
    except signing.SignatureExpired:
        return Opened(None, problem="expired")
    except signing.BadSignature:
        return Opened(None, problem="invalid")
    number, _, code = value.partition(".")
    if not (number.isascii() and number.isdigit() and len(number) <= 18 and code):
        return Opened(None, problem="invalid")
    return Opened(int(number), code)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """A code as typed over from paper: spaces and dashes left out, lower case."""
    return "".join(c for c in text.lower() if c.isalnum())

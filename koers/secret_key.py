"""The secret key: from KOERS_SECRET_KEY, or for a local run a random one kept in var/.

No key is written in the code: every link to a relation (survey answers, unsubscribing) and
every session is signed with it, and a key that is public lets anyone sign. Production
refuses to start without a key of its own (see docs/decisions/0011-no-default-secret-key.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ENV = "KOERS_SECRET_KEY"
FILE_NAME = "secret_key"
# Keys that have been published, and so sign nothing: Koers' own former development default.
PUBLIC_KEYS = frozenset({"koers-development-only-secret-key-do-not-use-in-production"})
MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
PUBLISHED = f"{ENV} is a published key that anyone can sign with; make one with: {MAKE_ONE}"
ONLY_HERE = (
    f"{ENV} is not set: Koers signs with the local key in KOERS_VAR_DIR/{FILE_NAME}, which"
    " only this machine has; set one key of your own for every machine of the deployment"
)


def from_environment() -> str:
    return os.environ.get(ENV, "").strip()


def secret_key(var_dir: Path, *, production: bool) -> str:
    """The key to sign with. In production only the environment counts, and a published
    key is refused; elsewhere an unset key means the local key file (made on first use)."""
    key = from_environment()
    if production:
        if not key:
            raise ImproperlyConfigured(
                f"{ENV} must be set when KOERS_PRODUCTION is true; make one with: {MAKE_ONE}"
            )
        if key in PUBLIC_KEYS:
            raise ImproperlyConfigured(PUBLISHED)
        return key
    return key or local_key(var_dir / FILE_NAME)


def local_key(path: Path) -> str:
    """The key in `path`, made (random, readable only by its owner) when there is none yet.

    Two processes may start at once (the development server starts two): the key is written
    to a file of its own and then linked into place, which fails for the second one, so
    both read the same key and neither ever sees a half-written file.
    """
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
        try:
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            draft.unlink()
        return _read(path)
    except OSError as error:
        raise ImproperlyConfigured(
            f"cannot make the local secret key {path} ({error.strerror}); set {ENV} or "
            "KOERS_VAR_DIR to a directory Koers may write to"
        ) from None


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ImproperlyConfigured(
            f"cannot read the local secret key {path} ({error.strerror}); set {ENV} instead"
        ) from None
    if not key:
        raise ImproperlyConfigured(f"the local secret key {path} is empty; delete it to make one")
    return key

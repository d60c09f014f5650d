"""Writes to relation groups. A group is only saved with a rule that compiles."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from koers.groups.models import Group
from koers.groups.rules import RuleError, parse

# Words the group pages use in their own addresses (/groepen/nieuw/, /groepen/tellen/).
RESERVED_KEYS = frozenset({"nieuw", "tellen"})


class GroupError(ValueError):
    """A group that cannot be saved, with a Dutch message naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _validate(key: str, name: str, rule: str, exclude_pk: int | None = None) -> None:
    if not name.strip():
        raise GroupError("name", "geef de groep een naam")
    if not key or key != slugify(key):
        raise GroupError(
            "key", f"'{key}' is geen geldige sleutel: gebruik kleine letters, cijfers en -"
        )
    if key in RESERVED_KEYS:
        raise GroupError("key", f"'{key}' is gereserveerd; kies een andere sleutel")
    clash = Group.objects.filter(key=key)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise GroupError("key", f"er bestaat al een groep met sleutel '{key}'")
    try:
        parse(rule)
    except RuleError as error:
        raise GroupError("rule", f"{error.message} (positie {error.position + 1})") from None


@transaction.atomic
def create_group(*, key: str, name: str, rule: str, description: str = "") -> Group:
    key = key or slugify(name)
    _validate(key, name, rule)
    return Group.objects.create(
        key=key, name=name.strip(), rule=rule.strip(), description=description
    )


@transaction.atomic
def update_group(group: Group, *, name: str, rule: str, description: str = "") -> Group:
    _validate(group.key, name, rule, exclude_pk=group.pk)
    group.name, group.rule, group.description = name.strip(), rule.strip(), description
    group.save()
    return group


def delete_group(group: Group) -> None:
    group.delete()

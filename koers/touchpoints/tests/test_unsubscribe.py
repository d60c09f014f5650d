"""The unsubscribe link: only a genuine link withdraws, and it always leaves a record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import Client

from koers.channels.email import UNSUBSCRIBE_SALT, unsubscribe_token, unsubscribe_url
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Consent, Event, Relation
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db
NOW = local(2026, 11, 10, 10)
OLD_PUBLIC_KEY = "koers-development-only-secret-key-do-not-use-in-production"


def mail_to(relation: Relation, occurrence: str = "1") -> Touchpoint:
    return Touchpoint.objects.create(
        relation=relation,
        source="journey:welkom:mail",
        occurrence=occurrence,
        channel="email",
        nature="inform",
        planned_at=NOW,
    )


def path(token: str) -> str:
    return f"/afmelden/{token}/"


def refused(token: str, relation: Relation) -> bool:
    """Neither the page nor the one-click POST does anything, and no address is shown."""
    shown = Client().get(path(token))
    posted = Client().post(path(token))
    consent = Consent.objects.get(relation=relation, channel="email")
    return (
        (shown.status_code, posted.status_code) == (404, 404)
        and "Deze link werkt niet (meer)" in posted.content.decode()
        and relation.email not in shown.content.decode() + posted.content.decode()
        and consent.withdrawn_at is None
        and not Event.objects.filter(kind="consent.withdrawn").exists()
    )


@time_machine.travel(NOW, tick=False)
def test_a_link_forged_with_the_old_public_key_withdraws_nothing_and_shows_no_address() -> None:
    """The attack from the issue: the old link format, signed with the key that was written
    in settings.py, for touchpoint and relation numbers counted upwards."""
    anna = donor("1", "Anna")
    mail = mail_to(anna)
    old_style = signing.dumps(
        {"t": mail.pk, "r": anna.pk}, key=OLD_PUBLIC_KEY, salt="koers.unsubscribe"
    )
    new_style = signing.TimestampSigner(key=OLD_PUBLIC_KEY, salt=UNSUBSCRIBE_SALT).sign(
        f"{mail.pk}.{anna.unsubscribe_secret}"
    )

    assert refused(old_style, anna) and refused(new_style, anna)


@time_machine.travel(NOW, tick=False)
def test_a_link_made_with_the_real_key_from_a_guessed_number_withdraws_nothing() -> None:
    anna, bram = donor("1", "Anna"), donor("2", "Bram")
    annas, brams = mail_to(anna), mail_to(bram)
    real = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    guessed = real.sign(f"{brams.pk}.{'0' * 20}")
    annas_secret_for_brams_mail = real.sign(f"{brams.pk}.{anna.unsubscribe_secret}")
    numbers_only = signing.dumps({"t": brams.pk, "r": bram.pk}, salt="koers.unsubscribe")

    assert refused(guessed, bram)
    assert refused(annas_secret_for_brams_mail, bram)
    assert refused(numbers_only, bram)
    assert Client().get(path(unsubscribe_token(annas))).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_every_relation_has_its_own_random_secret() -> None:
    secrets = {donor(str(n), f"Donor{n}").unsubscribe_secret for n in range(20)}

    assert len(secrets) == 20
    assert all(len(s) == 20 and int(s, 16) >= 0 for s in secrets)


@time_machine.travel(NOW, tick=False)
def test_an_unsubscribe_link_is_no_longer_than_the_links_it_replaces() -> None:
    mail = mail_to(donor("1", "Anna"))
    mail.pk = 123_456_789  # a large installation's numbers
    old_token = signing.dumps({"t": mail.pk, "r": 98_765_432}, salt="koers.unsubscribe")

    assert len(unsubscribe_url(mail)) == 113
    assert len(unsubscribe_url(mail)) <= len(f"http://localhost:8000/afmelden/{old_token}/")


@pytest.fixture
def counted() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@time_machine.travel(NOW, tick=False)
def test_the_unsubscribe_page_counts_towards_the_limit(counted: None) -> None:
    anna = donor("1", "Anna")
    link = path(unsubscribe_token(mail_to(anna)))
    client = Client(REMOTE_ADDR="203.0.113.7")

    codes = [client.get(link).status_code for _ in range(61)]
    over = client.get(link)

    assert codes.count(200) == 60 and codes[-1] == 429
    assert (
        "Even geduld" in over.content.decode() and "anna@example.org" not in over.content.decode()
    )
    assert Client(REMOTE_ADDR="203.0.113.8").get(link).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_over_the_limit_a_genuine_one_click_unsubscribe_still_withdraws(counted: None) -> None:
    """A mailbox provider posts every one-click unsubscribe from a few addresses: a flood of
    made-up links is refused, a genuine withdrawal never is."""
    anna = donor("1", "Anna")
    provider = Client(REMOTE_ADDR="203.0.113.7")
    made_up = [provider.post(path(f"1.{n:020x}:1tXyZa:forged")).status_code for n in range(61)]

    done = provider.post(path(unsubscribe_token(mail_to(anna))))

    assert made_up.count(404) == 60 and made_up[-1] == 429
    assert done.status_code == 200 and "U bent afgemeld" in done.content.decode()
    assert Consent.objects.get(relation=anna, channel="email").withdrawn_at == NOW

"""The public answer pages: the right answer to every misuse, and nothing wrong stored."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client

from koers.feedback import actions
from koers.feedback.choices import InstrumentKind, ResponseStatus, Scope, SkipReason
from koers.feedback.models import Instrument, Invitation, Response, SurveySkip
from koers.feedback.tokens import SALT, token_for
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Event
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db
NOW = local(2026, 11, 10, 10)


@pytest.fixture
def nps() -> Instrument:
    found, _ = Instrument.objects.update_or_create(
        key="nps-contact",
        defaults={
            "name": "NPS na contact",
            "kind": InstrumentKind.NPS,
            "scope": Scope.TRANSACTIONAL,
            "question": {"nl": "Hoe waarschijnlijk is het dat u ons aanbeveelt?",
                         "en": "How likely are you to recommend us?"},
            "follow_up": {"detractor": {"nl": "Wat kunnen we beter doen?"},
                          "passive": {"nl": "Wat mist u nog?"},
                          "promoter": {"nl": "Wat waardeert u het meest?"}},
        },
    )  # fmt: skip
    return found


def invitation_for(number: str, instrument: Instrument, **fields: Any) -> Invitation:
    relation = donor(number, f"Donor{number}", **fields)
    touchpoint = Touchpoint.objects.create(
        relation=relation,
        source="journey:test:mail",
        occurrence="1.1",
        channel="email",
        nature="survey",
        planned_at=NOW,
    )
    found = actions.invite(touchpoint, instrument, NOW)
    assert found is not None
    return found


def url(invitation: Invitation) -> str:
    return f"/a/{token_for(invitation.pk, invitation.code)}/"


def answers() -> list[tuple[int | None, str]]:
    return list(Response.objects.values_list("score", "status"))


@time_machine.travel(NOW, tick=False)
def test_a_click_is_provisional_until_confirmed_and_then_becomes_an_event(nps: Instrument) -> None:
    invitation = invitation_for("1", nps)

    page = Client().get(url(invitation), {"score": "3"})

    assert page.status_code == 200
    assert "Wat kunnen we beter doen?" in page.content.decode()
    assert answers() == [(3, ResponseStatus.PROVISIONAL)]
    assert not Event.objects.filter(kind="survey.answered").exists()

    sent = Client().post(url(invitation), {"score": "4", "comment": "Te veel post"})

    assert sent.status_code == 302 and sent["Location"].endswith("/bedankt/?taal=nl")
    assert answers() == [(4, ResponseStatus.CONFIRMED)]
    event = Event.objects.get(kind="survey.answered")
    assert event.data == {
        "instrument": "nps-contact", "kind": "nps", "scope": "transactional", "score": 4,
        "touchpoint": invitation.touchpoint_id, "channel": "email", "band": "detractor",
        "comment": "Te veel post",
    }  # fmt: skip
    stored = Response.objects.get()
    assert (stored.comment, stored.confirmed_at, stored.answered_at) == ("Te veel post", NOW, NOW)
    assert (stored.source, stored.channel, stored.language) == ("link", "email", "nl")


@time_machine.travel(NOW, tick=False)
def test_a_tampered_token_gets_a_kind_page_and_stores_nothing(nps: Instrument) -> None:
    invitation = invitation_for("1", nps)
    token = token_for(invitation.pk, invitation.code)
    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")

    page = Client().get(f"/a/{tampered}/", {"score": "10"})
    posted = Client().post(f"/a/{tampered}/", {"score": "10"})

    assert (page.status_code, posted.status_code) == (404, 404)
    assert "Deze link werkt niet" in page.content.decode()
    assert answers() == []


@time_machine.travel(NOW, tick=False)
def test_a_token_cannot_be_turned_into_another_touchpoints(nps: Instrument) -> None:
    mine, theirs = invitation_for("1", nps), invitation_for("2", nps)
    signature = token_for(mine.pk, mine.code).split(":", 1)[1]
    forged = f"{token_for(theirs.pk, theirs.code).split(':', 1)[0]}:{signature}"

    page = Client().post(f"/a/{forged}/", {"score": "0"})
    own = Client().post(url(mine), {"score": "9"})

    assert page.status_code == 404 and own.status_code == 302
    assert list(Response.objects.values_list("relation__external_id", "score")) == [("1", 9)]


OLD_PUBLIC_KEY = "koers-development-only-secret-key-do-not-use-in-production"


def refused(token: str) -> bool:
    """The link opens nothing: a kind page, and no answer stored."""
    shown = Client().get(f"/a/{token}/", {"score": "0"})
    sent = Client().post(f"/a/{token}/", {"score": "0"})
    return (
        (shown.status_code, sent.status_code) == (404, 404)
        and "Deze link werkt niet" in shown.content.decode()
        and answers() == []
    )


@time_machine.travel(NOW, tick=False)
def test_a_link_signed_with_the_old_public_key_opens_nothing(nps: Instrument) -> None:
    """What the issue showed: links for invitation numbers counted upwards, signed with the
    key that was written in settings.py. Even knowing the code does not help."""
    invitations = [invitation_for(str(n), nps) for n in range(1, 4)]
    old_style = [
        signing.dumps(i.pk, key=OLD_PUBLIC_KEY, salt="koers.feedback.invitation")
        for i in invitations
    ]
    with_code = [
        signing.TimestampSigner(key=OLD_PUBLIC_KEY, salt=SALT).sign(f"{i.pk}.{i.code}")
        for i in invitations
    ]

    assert all(refused(token) for token in old_style + with_code)


@time_machine.travel(NOW, tick=False)
def test_a_link_made_with_the_real_key_from_a_guessed_number_opens_nothing(
    nps: Instrument,
) -> None:
    """The link must carry the invitation's random code: a signature is not enough."""
    invitation = invitation_for("1", nps)
    guessed = token_for(invitation.pk, "aaaaaaaaaaaa")
    numbers_only = signing.dumps(invitation.pk, salt="koers.feedback.invitation")  # old links
    someone_elses = token_for(invitation.pk + 1, invitation.code)

    assert refused(guessed) and refused(numbers_only) and refused(someone_elses)
    assert Client().get(url(invitation)).status_code == 200  # the genuine link works


def test_an_answer_link_stays_short_enough_for_an_email(nps: Instrument) -> None:
    invitation = invitation_for("1", nps)
    invitation.pk = 12_345_678  # a large installation's number

    assert len(url(invitation)) <= 80


@time_machine.travel(NOW, tick=False)
def test_a_replayed_answer_changes_nothing(nps: Instrument) -> None:
    invitation = invitation_for("1", nps)
    Client().post(url(invitation), {"score": "9"})

    again = Client().post(url(invitation), {"score": "1"})
    clicked = Client().get(url(invitation), {"score": "2"})

    assert again.status_code == 200 and "Uw antwoord hebben we al" in again.content.decode()
    assert "Uw antwoord hebben we al" in clicked.content.decode()
    assert answers() == [(9, ResponseStatus.CONFIRMED)]
    assert Event.objects.filter(kind="survey.answered").count() == 1


@pytest.mark.parametrize(
    "score",
    ["11", "-1", "tien", "", "²", "٣", "9" * 5000],
    ids=["11", "-1", "tien", "empty", "superscript two", "arabic three", "5000 digits"],
)
@time_machine.travel(NOW, tick=False)
def test_a_score_out_of_range_or_not_a_number_is_refused(nps: Instrument, score: str) -> None:
    invitation = invitation_for("1", nps)
    events = Event.objects.count()

    clicked = Client().get(url(invitation), {"score": score})
    sent = Client().post(url(invitation), {"score": score})

    assert clicked.status_code == 200
    assert sent.status_code == 400
    assert "Kies een cijfer van 0 tot en met 10." in clicked.content.decode()
    assert "Kies een cijfer van 0 tot en met 10." in sent.content.decode()
    assert answers() == []
    assert Event.objects.count() == events


@time_machine.travel(NOW, tick=False)
def test_without_the_csrf_token_nothing_is_stored(nps: Instrument) -> None:
    invitation = invitation_for("1", nps)

    sent = Client(enforce_csrf_checks=True).post(url(invitation), {"score": "8"})

    assert sent.status_code == 403
    assert answers() == []


@time_machine.travel(NOW, tick=False)
def test_a_thousand_requests_from_one_client_are_slowed_down(nps: Instrument) -> None:
    invitation = invitation_for("1", nps)
    client = Client(REMOTE_ADDR="203.0.113.7")

    codes = [client.get(url(invitation), {"score": "7"}).status_code for _ in range(1000)]

    assert codes.count(200) == 60 and codes.count(429) == 940
    assert "Even geduld" in client.get(url(invitation)).content.decode()
    assert Client(REMOTE_ADDR="203.0.113.8").get(url(invitation)).status_code == 200
    assert answers() == [(7, ResponseStatus.PROVISIONAL)]


def test_an_expired_link_is_explained(nps: Instrument) -> None:
    with time_machine.travel(NOW, tick=False):
        link = url(invitation_for("1", nps))  # signed when the e-mail went out
    with time_machine.travel(NOW + timedelta(days=121), tick=False):
        page = Client().get(link, {"score": "8"})

    assert page.status_code == 410
    assert "Deze link is verlopen" in page.content.decode()
    assert answers() == []


@time_machine.travel(NOW, tick=False)
def test_the_short_code_on_paper_leads_to_the_same_page(nps: Instrument) -> None:
    invitation = invitation_for("1", nps)
    typed = "-".join([invitation.code[:4], invitation.code[4:8], invitation.code[8:]]).upper()

    found = Client().get(f"/k/{typed}/")
    wrong = Client().get("/k/abcdabcdabcd/")

    assert found.status_code == 302 and found["Location"] == url(invitation)
    assert wrong.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_page_speaks_english_to_an_english_relation(nps: Instrument) -> None:
    invitation = invitation_for("1", nps, language="en")

    page = Client().get(url(invitation)).content.decode()

    assert "How likely are you to recommend us?" in page
    assert '<html lang="en">' in page
    assert "0 = not at all likely" in page and ">Send</button>" in page
    assert "Would you like to tell us more? (optional)" in page


@time_machine.travel(NOW, tick=False)
def test_asking_too_soon_again_is_skipped_and_recorded(nps: Instrument) -> None:
    first = invitation_for("1", nps)
    touchpoint = Touchpoint.objects.create(
        relation=first.relation, source="journey:test:mail", occurrence="2.1",
        channel="email", nature="survey", planned_at=NOW,
    )  # fmt: skip

    assert actions.invite(touchpoint, nps, NOW + timedelta(days=3)) is None
    assert actions.invite(touchpoint, nps, NOW + timedelta(days=30)) is None
    later = actions.invite(touchpoint, nps, NOW + timedelta(days=91))

    assert later is not None
    assert list(SurveySkip.objects.values_list("reason", flat=True)) == [
        SkipReason.RECENT_SURVEY,
        SkipReason.RECENT_INSTRUMENT,
    ]


@time_machine.travel(NOW, tick=False)
def test_a_thumb_is_answered_on_its_page_and_becomes_an_event() -> None:
    thumbs = Instrument.objects.create(
        key="duim-test", name="Duim", kind=InstrumentKind.THUMBS, scope=Scope.TRANSACTIONAL,
        question={"nl": "Was dit bericht nuttig?"},
    )  # fmt: skip
    invitation = invitation_for("1", thumbs)

    clicked = Client().get(url(invitation), {"score": "down"})
    sent = Client().post(url(invitation), {"score": "up", "comment": "Helder"})

    assert 'id="score-down" name="score" value="down" checked' in clicked.content.decode()
    assert sent.status_code == 302
    assert answers() == [(1, ResponseStatus.CONFIRMED)]
    event = Event.objects.get(kind="survey.answered")
    assert (event.data["kind"], event.data["score"], event.data["comment"]) == (
        "thumbs",
        1,
        "Helder",
    )
    assert "band" not in event.data


@time_machine.travel(NOW, tick=False)
def test_the_thumbs_are_drawn_icons_that_need_no_emoji_font() -> None:
    thumbs = Instrument.objects.create(
        key="duim-test", name="Duim", kind=InstrumentKind.THUMBS, scope=Scope.TRANSACTIONAL,
        question={"nl": "Was dit bericht nuttig?"},
    )  # fmt: skip

    page = Client().get(url(invitation_for("1", thumbs))).content.decode()

    assert "\U0001f44d" not in page and "\U0001f44e" not in page  # no emoji
    assert page.count('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"') == 2
    assert '<path transform="rotate(180 12 12)"' in page  # the thumb down


@time_machine.travel(NOW, tick=False)
def test_a_mini_survey_stores_each_answer_and_refuses_a_choice_not_offered() -> None:
    survey = Instrument.objects.create(
        key="vragen-test", name="Vragen", kind=InstrumentKind.SURVEY, scope=Scope.TRANSACTIONAL,
        question={"nl": "Drie korte vragen"},
        questions=[
            {"key": "duidelijk", "kind": "scale", "text": {"nl": "Hoe duidelijk?"}},
            {"key": "kanaal", "kind": "choice", "text": {"nl": "Hoe liefst?"},
             "options": ["post", "e-mail"]},
            {"key": "tip", "kind": "open", "text": {"nl": "Een tip?"}},
        ],
    )  # fmt: skip
    invitation = invitation_for("1", survey)

    wrong = Client().post(url(invitation), {"q_duidelijk": "4", "q_kanaal": "fax"})
    sent = Client().post(
        url(invitation), {"q_duidelijk": "4", "q_kanaal": "post", "q_tip": "Korter"}
    )

    assert wrong.status_code == 400 and "Kies een van de mogelijkheden." in wrong.content.decode()
    assert "<option selected>4</option>" in wrong.content.decode()  # what was chosen stays
    assert sent.status_code == 302
    stored = Response.objects.get()
    assert (stored.status, stored.score) == (ResponseStatus.CONFIRMED, None)
    assert stored.answers == {"duidelijk": 4, "kanaal": "post", "tip": "Korter"}
    assert Event.objects.filter(kind="survey.answered").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database fails a second writer at once instead of letting"
    " it wait; a file database (as Koers runs it) lets one writer in at a time",
)
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_moment_store_one_answer(nps: Instrument) -> None:
    """Two forms sent at once (a double click, two tabs): one wins, the other is told the
    answer is in, and there is one answer and one event."""
    invitation = invitation_for("1", nps)
    asked = Invitation.objects.asked(invitation.pk, invitation.code)
    assert asked is not None
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def send(score: int) -> None:
        start.wait()
        try:
            actions.confirm(asked, actions.Answer(score=score), NOW, "nl")
            outcomes.append("stored")
        except actions.AlreadyAnswered:
            outcomes.append("answered")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(score,)) for score in (3, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["answered", "stored"]
    assert Response.objects.filter(status=ResponseStatus.CONFIRMED).count() == 1
    assert Event.objects.filter(kind="survey.answered").count() == 1

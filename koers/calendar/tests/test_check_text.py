"""How a check reads on the page: a passed check with notes does not say "Niets gevonden",
and the relation numbers a finding names link to the relation page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def shown(**check: Any) -> str:
    check = {"key": "k", "question": "Vraag?", "passed": True, "findings": [], "notes": []} | check
    return render_to_string(
        "calendar/partials/_check.html", {"check": check, "forloop": {"counter": 1}}
    )


def test_a_passed_check_with_notes_does_not_say_nothing_was_found() -> None:
    html = shown(notes=["Trouw: 2 relaties zijn via geen enkel kanaal te bereiken."])

    assert "Niets gevonden" not in html
    assert "Geen tekort gevonden. Wel goed om te weten:" in html
    assert "<li>Trouw: 2 relaties zijn via geen enkel kanaal te bereiken.</li>" in html


def test_a_passed_check_without_notes_says_nothing_was_found() -> None:
    assert "Niets gevonden." in shown()


def test_relation_numbers_in_a_finding_link_to_the_relation_page() -> None:
    finding = "januari: 2 relaties krijgen meer dan 4 contactmomenten (relatienummers 100234, 4)."

    html = shown(passed=False, findings=[finding], links={"100234": 7, "4": 9})

    assert (
        "<li>januari: 2 relaties krijgen meer dan 4 contactmomenten (relatienummers "
        '<a href="/relaties/7/">100234</a>, <a href="/relaties/9/">4</a>).</li>'
    ) in html


def test_a_finding_stored_before_links_existed_reads_as_plain_text() -> None:
    html = shown(passed=False, findings=["Week 1: 200 uur & meer <b>"])

    assert "<li>Week 1: 200 uur &amp; meer &lt;b&gt;</li>" in html

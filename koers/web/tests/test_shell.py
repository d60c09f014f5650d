"""The page shell and the pager: a skip link to the content, page links built as proper
query strings that keep the other filters."""

from __future__ import annotations

from typing import Any

import pytest

from koers.relations.models import Relation

pytestmark = pytest.mark.django_db


def test_every_page_starts_with_a_skip_link_to_the_content(login: Any) -> None:
    page = login("kijker").get("/").content.decode()

    link = page.index('<a class="skip-link" href="#inhoud">Naar de inhoud</a>')
    assert link < page.index('<header class="top">')
    assert '<main id="inhoud" tabindex="-1">' in page


def test_a_pager_without_filters_links_to_the_page_alone(login: Any) -> None:
    Relation.objects.bulk_create(
        Relation(external_id=f"{1000 + n}", first_name="Jan", last_name=f"Jansen{n:02d}")
        for n in range(51)
    )

    page = login("kijker").get("/relaties/").content.decode()

    assert 'href="/relaties/?pagina=2"' in page
    assert "?&amp;" not in page and "?&" not in page and "q=&amp;" not in page


def test_a_pager_keeps_the_other_filters(login: Any) -> None:
    Relation.objects.bulk_create(
        Relation(external_id=f"{1000 + n}", first_name="Jan", last_name=f"Jansen{n:02d}")
        for n in range(51)
    )

    page = login("kijker").get("/relaties/?q=Jan&pagina=1").content.decode()

    assert 'href="/relaties/?q=Jan&amp;pagina=2"' in page


def test_the_call_list_pager_has_no_empty_query(login: Any) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from koers.web.paging import Page

    request = RequestFactory().get("/bellijst/")
    page = Page(list(range(10)), 1, 10, True, 25, True)

    html = render_to_string("journeys/partials/_pages.html", {"page": page}, request=request)

    assert 'href="?pagina=2"' in html and "?&amp;" not in html

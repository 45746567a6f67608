"""The e-mail and country rules the form, the services and CSV import share."""

from __future__ import annotations

import pytest

from agentdesk.domain.contact_fields import ISO_COUNTRIES, is_country, is_email


def test_the_country_list_is_iso_3166_alpha_2() -> None:
    assert len(ISO_COUNTRIES) == 249
    assert all(len(code) == 2 and code.isupper() for code in ISO_COUNTRIES)
    assert {"US", "CN", "GB", "DE", "AQ", "HK"} <= ISO_COUNTRIES
    assert is_country("de") and not any(map(is_country, ("ZZ", "UK", "XK", "AC", "USA", "")))


@pytest.mark.parametrize(
    "text",
    ["ada@example.com", "li.na+crm@mail.example.cn", "王@例子.中国", "a@b-c.co.uk"],
)
def test_addresses_that_look_like_e_mail(text: str) -> None:
    assert is_email(text)


@pytest.mark.parametrize(
    "text",
    ["not-an-email", "zhaolei@yunduan", "a@b.c", "a b@c.de", "a@@c.de", "a@c..de", "@c.de", "a@"],
)
def test_text_that_is_not_e_mail(text: str) -> None:
    assert not is_email(text)

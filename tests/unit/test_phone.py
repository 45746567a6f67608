"""Property tests for phone number normalisation (the key of every screen pop)."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from agentdesk.domain.phone import InvalidPhoneNumber, PhoneNumber, normalize, try_normalize

# Regions with a country calling code of their own or shared (NANP, +44, +7...) across plans.
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.VOIP,
)
Example = tuple[str, phonenumbers.PhoneNumber, str]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _example(region: str, kind: int) -> phonenumbers.PhoneNumber | None:
    number = phonenumbers.example_number_for_type(region, kind)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return number


EXAMPLES = [
    (region, number)
    for region in REGIONS
    for kind in TYPES
    if (number := _example(region, kind)) is not None
]


@st.composite
def example_numbers(draw: st.DrawFn) -> Example:
    region, number = draw(st.sampled_from(EXAMPLES))
    return region, number, phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _scramble_separators(draw: st.DrawFn, text: str) -> str:
    """Swap each space of a formatted number for another separator people type."""
    out = []
    for ch in text:
        if ch == " ":
            out.append(draw(st.sampled_from([" ", "-", ".", "", "  ", " - "])))
        else:
            out.append(ch)
    return "".join(out)


@st.composite
def spelled_numbers(draw: st.DrawFn) -> tuple[str, str, str]:
    """(text as typed, region to read it in, expected E.164)."""
    region, number, e164 = draw(example_numbers())
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    style = draw(
        st.sampled_from(["national", "international", "e164", "rfc3966", "00", "011", "tel-ext"])
    )
    if style == "national":
        text = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    elif style == "international":
        text = international
    elif style == "e164":
        text = e164
    elif style == "rfc3966":
        text = phonenumbers.format_number(number, PhoneNumberFormat.RFC3966)
    elif style == "tel-ext":
        text = e164 + ";ext=" + str(draw(st.integers(1, 9999)))
        text = "tel:" + text
    else:
        digits = international.lstrip("+")
        # Where 00/011 would start a different dialling prefix of the region itself (01 in
        # Seychelles, 010 in Japan...), the text really is ambiguous: leave those out.
        assume(not _clashes_with_local_idd(region, style, digits.replace(" ", "")))
        text = style + " " + digits
    if style not in ("rfc3966", "tel-ext", "e164"):
        text = _scramble_separators(draw, text)
    if draw(st.booleans()):
        text = f"  {text}\t"
    return text, region, e164


def _clashes_with_local_idd(region: str, prefix: str, digits: str) -> bool:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or not meta.international_prefix:
        return False
    found = re.match(meta.international_prefix, prefix + digits)
    return found is not None and found.group(0) != prefix


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(spelled_numbers())
@example(("(020) 7946-0018", "GB", "+442079460018"))
@example(("0044 20 7946 0018", "US", "+442079460018"))
@example(("011 44 20 7946 0018", "US", "+442079460018"))
@example(("tel:+1-201-555-0123;ext=12", "US", "+12015550123"))
def test_every_spelling_of_a_valid_number_gives_its_e164(case: tuple[str, str, str]) -> None:
    text, region, e164 = case
    assert normalize(text, region).e164 == e164
    assert normalize(text, region, strict=False).e164 == e164


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [("011 44 20 7946 0018", "DE", "+442079460018"), ("00 81 3-1234-5678", "JP", "+81312345678")],
)
def test_caller_id_with_idd_prefix_prefers_the_valid_reading(
    text: str, region: str, e164: str
) -> None:
    assert normalize(text, region, strict=False).e164 == e164


@settings(max_examples=200)
@given(example_numbers())
def test_international_forms_need_no_region(
    case: Example,
) -> None:
    _region, number, e164 = case
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    assert normalize(international, None).e164 == e164
    assert normalize(e164, None).e164 == e164


@settings(max_examples=200)
@given(example_numbers(), st.sampled_from(["US", "GB", "CN", "DE", "JP", "BR", None]))
def test_normalize_is_idempotent(case: Example, other_region: str | None) -> None:
    region, _number, e164 = case
    once = normalize(e164, region)
    assert once.e164 == e164
    # The E.164 form means the same number whatever region the reader is in.
    assert normalize(once.e164, other_region) == once
    assert normalize(str(once), other_region).e164 == e164


@settings(max_examples=200)
@given(example_numbers())
def test_full_width_digits_are_read(case: Example) -> None:
    region, number, e164 = case
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    assert normalize(international.translate(FULL_WIDTH), region).e164 == e164
    assert normalize(national.translate(FULL_WIDTH), region).e164 == e164


def test_full_width_idd_prefix_is_read() -> None:
    assert normalize("００４４ ２０ ７９４６ ００１８", "US").e164 == "+442079460018"


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(max_size=80),
        st.text(alphabet="0123456789+-()./ ;=extlsip:@#*０１２３", max_size=40),
    ),
    st.sampled_from(["US", "GB", "CN", "de", None, "ZZ", "XX", ""]),
    st.booleans(),
)
def test_arbitrary_text_never_raises_anything_else(
    text: str, region: str | None, strict: bool
) -> None:
    try:
        result = normalize(text, region, strict=strict)
    except InvalidPhoneNumber as exc:
        assert exc.reason
        assert try_normalize(text, region, strict=strict) is None
    else:
        assert isinstance(result, PhoneNumber)
        assert result.e164.startswith("+")
        assert result.e164[1:].isdigit()
        assert try_normalize(text, region, strict=strict) == result


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "+", "tel:", "x" * 100, "1" * 65, "sip:alice@example.com", "12"],
)
def test_garbage_is_invalid(text: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize(text, "US")


def test_possible_but_unassigned_number_passes_only_when_not_strict() -> None:
    # +1 201 555 0000... is assigned; +1 999 is not an area code anywhere.
    text = "+1 999 555 0123"
    with pytest.raises(InvalidPhoneNumber):
        normalize(text, "US")
    assert normalize(text, "US", strict=False).e164 == "+19995550123"


def test_examples_cover_many_regions() -> None:
    # Guards the property tests against a phonenumbers build without metadata.
    assert len({region for region, _ in EXAMPLES}) > 200

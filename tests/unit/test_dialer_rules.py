"""The dialer's pure rules with a frozen clock: windows across zones and DST, retries, scripts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from agentdesk.dialer.rules import (
    UNKNOWN_ZONE,
    CallingWindow,
    DispositionFlags,
    EntryStatus,
    Outcome,
    RetryPolicy,
    RetryRule,
    RuleError,
    after_attempt,
    after_disposition,
    callee_zones,
    dialable_keys,
    parse_window,
    window_open_in_all,
    zone_key,
    zones_for_number,
)
from agentdesk.dialer.scripts import render_script, unknown_fields

DEFAULT = CallingWindow()  # 08:00-21:00 every day
NEW_YORK = "America/New_York"
NYC_NUMBER = "+12125550123"
TOLL_FREE_US = "+18005550199"  # non-geographic: every +1 zone, Guam to Pago Pago
IDAHO_NUMBER = "+12085550123"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- windows and zones ------------------------------------------------------------------------


def test_window_start_is_inclusive_end_exclusive_in_callee_local_time() -> None:
    # 2026-11-23 is a Monday; New York is UTC-5 in November.
    assert not window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 11, 23, 12, 59))  # 07:59
    assert window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 11, 23, 13, 0))  # 08:00
    assert window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 11, 24, 1, 59))  # 20:59
    assert not window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 11, 24, 2, 0))  # 21:00


def test_us_eastern_spring_forward_day_uses_the_new_offset() -> None:
    # Clocks jump 02:00 -> 03:00 on Sunday 2026-03-08: 12:30 UTC is 08:30 EDT (UTC-4) that
    # day, while the day before the same UTC time is 07:30 EST (UTC-5).
    assert window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 3, 8, 12, 30))
    assert not window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 3, 7, 12, 30))
    # The evening edge moves too: 00:30 UTC on the 9th is 20:30 EDT (open); a week earlier
    # the same UTC instant was 19:30 EST, also open, but 01:30 UTC was 20:30 EST then and is
    # 21:30 EDT now (closed).
    assert window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 3, 9, 0, 30))
    assert window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 3, 2, 1, 30))
    assert not window_open_in_all(DEFAULT, [NEW_YORK], utc(2026, 3, 9, 1, 30))


def test_window_starting_in_the_skipped_hour_opens_at_the_jump() -> None:
    window = parse_window("02:30-05:00")
    # 06:59 UTC is 01:59 EST; one minute later it is 03:00 EDT: 02:30 never happened, the
    # window is open from the jump.
    assert not window_open_in_all(window, [NEW_YORK], utc(2026, 3, 8, 6, 59))
    assert window_open_in_all(window, [NEW_YORK], utc(2026, 3, 8, 7, 0))


def test_fall_back_repeats_an_hour_and_both_readings_count() -> None:
    window = parse_window("01:00-02:00")
    # 2026-11-01: 01:00-02:00 EDT (05:00-06:00 UTC) then 01:00-02:00 EST (06:00-07:00 UTC).
    assert window_open_in_all(window, [NEW_YORK], utc(2026, 11, 1, 5, 30))
    assert window_open_in_all(window, [NEW_YORK], utc(2026, 11, 1, 6, 30))
    assert not window_open_in_all(window, [NEW_YORK], utc(2026, 11, 1, 7, 0))


def test_china_has_one_zone_and_no_dst() -> None:
    zones = zones_for_number("+8613800138000")
    assert zones == ("Asia/Shanghai",)
    # 00:00 UTC is 08:00 in Beijing all year round.
    for month in (1, 7):
        assert window_open_in_all(DEFAULT, zones, utc(2026, month, 5, 0, 0))
        assert not window_open_in_all(DEFAULT, zones, utc(2026, month, 4, 23, 59))
        assert not window_open_in_all(DEFAULT, zones, utc(2026, month, 5, 13, 0))  # 21:00


def test_australia_southern_dst_and_mobile_numbers_in_all_zones() -> None:
    sydney = zones_for_number("+61293744000")
    assert sydney == ("Australia/Sydney",)
    # Sydney is UTC+11 in January (summer time) and UTC+10 in July.
    assert window_open_in_all(DEFAULT, sydney, utc(2026, 1, 11, 21, 0))  # Mon 08:00 AEDT
    assert not window_open_in_all(DEFAULT, sydney, utc(2026, 7, 12, 21, 0))  # Mon 07:00 AEST
    assert window_open_in_all(DEFAULT, sydney, utc(2026, 7, 12, 22, 0))  # 08:00 AEST
    # A mobile is not tied to a place: all Australian zones, Perth (UTC+8) to Lord Howe.
    mobile = zones_for_number("+61412345678")
    assert {"Australia/Perth", "Australia/Sydney", "Australia/Lord_Howe"} <= set(mobile)
    # 02:00 UTC in January: 10:00 in Perth, 13:00 Sydney, 13:00 Lord Howe: open everywhere.
    assert window_open_in_all(DEFAULT, mobile, utc(2026, 1, 12, 2, 0))
    # 22:00 UTC: 09:00 in Sydney but 06:00 in Perth: closed for the mobile, open for Sydney.
    assert window_open_in_all(DEFAULT, sydney, utc(2026, 1, 12, 22, 0))
    assert not window_open_in_all(DEFAULT, mobile, utc(2026, 1, 12, 22, 0))


def test_plus_one_number_with_several_zones_is_dialable_only_inside_all() -> None:
    # Idaho's 208 spans Mountain (Boise) and Pacific (Los Angeles) time.
    zones = zones_for_number(IDAHO_NUMBER)
    assert zones == ("America/Boise", "America/Los_Angeles")
    # 15:00 UTC Monday: 08:00 Boise (MST, UTC-7) but 07:00 Los Angeles: closed.
    assert window_open_in_all(DEFAULT, ["America/Boise"], utc(2026, 11, 23, 15, 0))
    assert not window_open_in_all(DEFAULT, zones, utc(2026, 11, 23, 15, 0))
    # 16:00 UTC: 09:00 and 08:00: open. 04:00 UTC: 21:00 Boise (closed), 20:00 LA.
    assert window_open_in_all(DEFAULT, zones, utc(2026, 11, 23, 16, 0))
    assert not window_open_in_all(DEFAULT, zones, utc(2026, 11, 24, 4, 0))
    assert window_open_in_all(DEFAULT, zones, utc(2026, 11, 24, 3, 59))


def test_plus_one_non_geographic_numbers_leave_a_narrow_band() -> None:
    # Toll-free +1 numbers map to every +1 zone, Guam (UTC+10) to Pago Pago (UTC-11). The
    # window is open in all of them only while it is 08:00-10:30 next morning in Guam and
    # up to 21:00 in St John's (UTC-3:30): 22:00-00:30 UTC in November.
    zones = zones_for_number(TOLL_FREE_US)
    assert {"America/St_Johns", "Pacific/Guam", "Pacific/Pago_Pago"} <= set(zones)
    start = utc(2026, 11, 23, 0, 0)
    quarters = [start + timedelta(minutes=15 * i) for i in range(96)]
    open_at = [t.strftime("%H:%M") for t in quarters if window_open_in_all(DEFAULT, zones, t)]
    assert open_at == ["00:00", "00:15"] + [
        f"{h}:{m:02d}" for h in (22, 23) for m in (0, 15, 30, 45)
    ]


def test_explicit_zone_wins_and_unknown_zones_are_never_dialable() -> None:
    assert callee_zones(NYC_NUMBER, "Europe/Paris") == ("Europe/Paris",)
    assert callee_zones(NYC_NUMBER, None) == (NEW_YORK,)
    assert not window_open_in_all(DEFAULT, [UNKNOWN_ZONE], utc(2026, 11, 23, 15, 0))
    assert not window_open_in_all(DEFAULT, ["Not/AZone"], utc(2026, 11, 23, 15, 0))
    assert not window_open_in_all(DEFAULT, [], utc(2026, 11, 23, 15, 0))


def test_weekdays_are_judged_on_the_callee_local_date() -> None:
    weekdays_only = parse_window("08:00-21:00", weekdays=range(5))
    # Friday 2026-11-27 23:30 UTC: Friday 18:30 in New York, Saturday 07:30 in Shanghai.
    at = utc(2026, 11, 27, 23, 30)
    assert window_open_in_all(weekdays_only, [NEW_YORK], at)
    assert not window_open_in_all(weekdays_only, ["Asia/Shanghai"], at)
    # Saturday 14:00 UTC: 09:00 in New York but a Saturday.
    assert not window_open_in_all(weekdays_only, [NEW_YORK], utc(2026, 11, 28, 14, 0))


def test_dialable_keys_judges_each_group_once() -> None:
    groups = {
        zone_key([NEW_YORK]): (NEW_YORK,),
        zone_key(["Asia/Shanghai"]): ("Asia/Shanghai",),
        zone_key(zones_for_number(IDAHO_NUMBER)): zones_for_number(IDAHO_NUMBER),
    }
    idaho = zone_key(zones_for_number(IDAHO_NUMBER))
    # 14:00 UTC: 09:00 New York, 22:00 Shanghai, 07:00 Boise.
    assert dialable_keys(DEFAULT, groups, utc(2026, 11, 23, 14, 0)) == {NEW_YORK}
    # 17:00 UTC: 12:00 New York, 01:00 Shanghai, 10:00 Boise, 09:00 Los Angeles.
    assert dialable_keys(DEFAULT, groups, utc(2026, 11, 23, 17, 0)) == {NEW_YORK, idaho}
    # 02:00 UTC: 21:00 New York (closed), 10:00 Shanghai, 19:00 Boise.
    assert dialable_keys(DEFAULT, groups, utc(2026, 11, 24, 2, 0)) == {"Asia/Shanghai", idaho}


def test_zone_keys_are_short_and_order_free() -> None:
    many = zones_for_number(TOLL_FREE_US)
    assert len(many) > 20
    key = zone_key(many)
    assert key.startswith("~") and len(key) <= 64
    assert zone_key(reversed(many)) == key
    assert zone_key([NEW_YORK]) == NEW_YORK
    assert zone_key([]) == UNKNOWN_ZONE


def test_block_cached_zones_match_phonenumbers() -> None:
    import phonenumbers
    from phonenumbers import timezone

    for number in (
        "+12125550123",
        "+13105550123",
        "+18005550199",
        "+61412345678",
        "+61293744000",
        "+447400123456",
        "+442079460018",
        "+79123456789",
        "+8613800138000",
        "+861058000000",
    ):
        expected = tuple(sorted(timezone.time_zones_for_number(phonenumbers.parse(number))))
        assert zones_for_number(number) == expected, number


def test_window_validation() -> None:
    assert parse_window("8:00-24:00").end == time.max
    for bad in ("21:00-08:00", "08:00", "8-21", "25:00-26:00", "08:00-08:00"):
        with pytest.raises(RuleError):
            parse_window(bad)
    with pytest.raises(RuleError):
        parse_window("08:00-21:00", weekdays=[7])
    with pytest.raises(ValueError, match="naive"):
        window_open_in_all(DEFAULT, [NEW_YORK], datetime(2026, 1, 1, 12, 0))


# --- retries ---------------------------------------------------------------------------------

NOW = utc(2026, 11, 23, 15, 0)


def test_default_retry_rules() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert after_attempt(policy, Outcome.NO_ANSWER, 1, NOW) == (
        after_attempt(policy, Outcome.NO_ANSWER, 1, NOW)
    )
    no_answer = after_attempt(policy, Outcome.NO_ANSWER, 1, NOW)
    assert no_answer.status is EntryStatus.NEW
    assert no_answer.next_eligible_at == NOW + timedelta(hours=2)
    busy = after_attempt(policy, Outcome.BUSY, 1, NOW)
    assert busy.status is EntryStatus.NEW
    assert busy.next_eligible_at == NOW + timedelta(minutes=15)
    assert after_attempt(policy, Outcome.DECLINED, 1, NOW).status is EntryStatus.DONE
    assert after_attempt(policy, Outcome.INVALID_NUMBER, 1, NOW).status is EntryStatus.INVALID
    assert after_attempt(policy, Outcome.ANSWERED, 1, NOW).status is EntryStatus.IN_PROGRESS


def test_max_attempts_exhausts_retryable_outcomes_only() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert after_attempt(policy, Outcome.BUSY, 2, NOW).status is EntryStatus.NEW
    assert after_attempt(policy, Outcome.BUSY, 3, NOW).status is EntryStatus.EXHAUSTED
    assert after_attempt(policy, Outcome.NO_ANSWER, 3, NOW).status is EntryStatus.EXHAUSTED
    assert after_attempt(policy, Outcome.DECLINED, 3, NOW).status is EntryStatus.DONE


def test_campaign_rules_override_defaults_from_json() -> None:
    policy = RetryPolicy.from_json(
        4, {"no_answer": {"retry_after_minutes": 30}, "busy": {"final": True}}
    )
    assert after_attempt(policy, Outcome.NO_ANSWER, 1, NOW).next_eligible_at == NOW + timedelta(
        minutes=30
    )
    assert after_attempt(policy, Outcome.BUSY, 1, NOW).status is EntryStatus.DONE
    assert policy.rule(Outcome.DECLINED) == RetryRule(final=True)  # default kept
    assert RetryPolicy.from_json(4, policy.to_json()) == policy
    with pytest.raises(RuleError):
        RetryPolicy.from_json(4, {"hung_up": {"final": True}})
    with pytest.raises(RuleError):
        RetryPolicy.from_json(4, {"busy": {"retry_after_minutes": -1}})
    with pytest.raises(RuleError):
        RetryPolicy(max_attempts=0)


def test_dispositions_decide_the_next_status() -> None:
    policy = RetryPolicy(max_attempts=3)
    agent = uuid.uuid4()
    sale = DispositionFlags("sale", is_final=True, is_success=True, counts_as_contact=True)
    assert after_disposition(policy, sale, Outcome.ANSWERED, 1, NOW).status is EntryStatus.DONE
    callback = DispositionFlags("callback", needs_callback=True)
    due = NOW + timedelta(days=1)
    state = after_disposition(
        policy, callback, Outcome.ANSWERED, 3, NOW, callback_at=due, callback_agent=agent
    )
    # A callback is a promise: even at max attempts it is kept.
    assert (state.status, state.next_eligible_at, state.assigned_agent_id) == (
        EntryStatus.CALLBACK,
        due,
        agent,
    )
    with pytest.raises(RuleError, match="callback time"):
        after_disposition(policy, callback, Outcome.ANSWERED, 1, NOW)
    dnc = DispositionFlags("do_not_call", is_final=True, adds_to_dnc=True)
    assert after_disposition(policy, dnc, Outcome.ANSWERED, 1, NOW).status is EntryStatus.DNC
    info = DispositionFlags("info_given", counts_as_contact=True)
    state = after_disposition(policy, info, Outcome.ANSWERED, 1, NOW)
    assert (state.status, state.next_eligible_at) == (EntryStatus.NEW, NOW + timedelta(days=1))
    assert after_disposition(policy, info, Outcome.ANSWERED, 3, NOW).status is (
        EntryStatus.EXHAUSTED
    )
    voicemail = DispositionFlags("voicemail")
    state = after_disposition(policy, voicemail, Outcome.NO_ANSWER, 1, NOW)
    assert state.next_eligible_at == NOW + timedelta(hours=2)


# --- scripts ---------------------------------------------------------------------------------


def test_merge_fields() -> None:
    template = "Hello {first_name}, this is {agent_name} from ACME about {company}. {{ok}}"
    assert (
        render_script(template, {"first_name": "Ada", "agent_name": "Bob", "company": None})
        == "Hello Ada, this is Bob from ACME about . {ok}"
    )
    assert render_script("Hi {firstname}", {"first_name": "Ada"}) == "Hi {firstname}"
    assert render_script("您好，{name}！", {"name": "王小明"}) == "您好，王小明！"
    assert unknown_fields("{first_name} {firstname} {x} {x}") == ("firstname", "x")

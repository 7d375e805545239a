"""plan.py: the plan grammar, its limits and messages, and the session dates it suggests (weekends, months, one a day)."""

from __future__ import annotations

from datetime import date

import pytest

from handouts.errors import VisitError
from handouts.library.plan import PlanPhase, add_months, parse_plan, phase_start_weeks, session_count, session_dates

HELP = "write N/week xW, N/month xM, weekly, monthly"


def dates(plan: str, start: str) -> list[str]:
    return [d.isoformat() for d in session_dates(parse_plan(plan), date.fromisoformat(start))]


# ---- grammar ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, phases", [
    ("2/week x4, 1/week x4, monthly", ((2, "week", 4), (1, "week", 4), (1, "month", None))),
    ("2/week x4 then weekly", ((2, "week", 4), (1, "week", None))),
    ("2/week x4; then 1/month x3", ((2, "week", 4), (1, "month", 3))),
    ("2/week x4,then weekly x6", ((2, "week", 4), (1, "week", 6))),
    ("2/week x4 THEN Monthly", ((2, "week", 4), (1, "month", None))),
    ("  3 / wk × 2 ,  2/w x 3, 1/mo x2, 1/m x1, 1/months x1, 2/weeks x1", (
        (3, "week", 2), (2, "week", 3), (1, "month", 2), (1, "month", 1), (1, "month", 1), (2, "week", 1))),
    ("monthly x3", ((1, "month", 3),)),
    ("7/week x52, 8/month x24", ((7, "week", 52), (8, "month", 24))),
    ("1/week x1, 1/month x1", ((1, "week", 1), (1, "month", 1))),
])
def test_plans_that_parse(text, phases):
    assert parse_plan(text) == tuple(PlanPhase(*p) for p in phases)


@pytest.mark.parametrize("text, message", [
    ("", f'--plan: is empty; {HELP} (e.g. "2/week x4, 1/week x4, monthly")'),
    ("   ", f'--plan: is empty; {HELP} (e.g. "2/week x4, 1/week x4, monthly")'),
    ("2/week x4,, weekly", f'--plan: "2/week x4,, weekly": an empty phase (two commas in a row?); {HELP}'),
    ("weekly, 2/week x4", '--plan: "weekly": only the last phase can be open-ended; give it a length (e.g. "weekly x4")'),
    ("2/week x4, monthly, weekly", '--plan: "monthly": only the last phase can be open-ended; give it a length (e.g. "monthly x4")'),
    ("every day", f'--plan: "every day": not a phase; {HELP}'),
    ("fortnightly", f'--plan: "fortnightly": unknown word "fortnightly"; {HELP}'),
    ("2/year", f'--plan: "2/year": unknown unit "year"; {HELP}'),
    ("2/ x4", f'--plan: "2/ x4": unknown unit "(none)"; {HELP}'),
    ("0/week x4", '--plan: "0/week x4": 0 sessions a week is not possible; use 1 to 7'),
    ("8/week", '--plan: "8/week": 8 sessions a week is not possible; use 1 to 7'),
    ("9/month", '--plan: "9/month": 9 sessions a month is not possible; use 1 to 8'),
    ("2/week xfour", '--plan: "2/week xfour": "xfour" is not a number of weeks; write e.g. x4'),
    ("1/month x", '--plan: "1/month x": "x" is not a number of months; write e.g. x4'),
    ("2/week x0", '--plan: "2/week x0": 0 weeks is out of range; use 1 to 52'),
    ("2/week x53", '--plan: "2/week x53": 53 weeks is out of range; use 1 to 52'),
    ("1/month x25", '--plan: "1/month x25": 25 months is out of range; use 1 to 24'),
    ("monthly x0", '--plan: "monthly x0": 0 months is out of range; use 1 to 24'),
])
def test_plans_that_are_refused_name_the_part_and_the_fix(text, message):
    with pytest.raises(VisitError) as err:
        parse_plan(text)
    assert str(err.value) == message


def test_the_place_in_messages_is_the_callers():
    with pytest.raises(VisitError, match=r'^visits.csv row 3: plan: "8/week": '):
        parse_plan("8/week", "visits.csv row 3: plan")


# ---- dates --------------------------------------------------------------------------------


def test_sessions_spread_over_each_week():
    assert dates("2/week x2", "2026-12-01") == ["2026-12-01", "2026-12-04", "2026-12-08", "2026-12-11"]
    assert dates("3/week x1", "2026-11-30") == ["2026-11-30", "2026-12-02", "2026-12-04"]


def test_a_weekend_date_moves_to_the_monday_after():
    assert dates("1/week x2", "2026-12-05") == ["2026-12-07", "2026-12-14"]  # a Saturday start
    assert dates("1/week x2", "2026-12-06") == ["2026-12-07", "2026-12-14"]  # a Sunday start
    assert dates("3/week x1", "2026-12-06") == ["2026-12-07", "2026-12-08", "2026-12-10"]


def test_never_two_sessions_on_one_day_nor_at_a_weekend():
    got = dates("7/week x1", "2026-11-30")
    assert got == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"]
    for plan, start in (("7/week x3", "2026-12-05"), ("8/month x3", "2026-02-01"), ("5/week x2, 8/month x2", "2026-12-26")):
        days = session_dates(parse_plan(plan), date.fromisoformat(start))
        assert all(a < b for a, b in zip(days, days[1:])), plan
        assert all(d.weekday() < 5 for d in days), plan
        assert len(days) == session_count(parse_plan(plan))


def test_monthly_phases_keep_the_day_of_the_month_from_the_start():
    # 31 January: February has no 31st (its last day, a Saturday, moves to Monday); March has.
    assert dates("1/month x3", "2026-01-31") == ["2026-02-02", "2026-03-02", "2026-03-31"]
    assert dates("2/month x2", "2026-12-01") == ["2026-12-01", "2026-12-16", "2027-01-01", "2027-01-18"]
    assert dates("monthly x2", "2026-11-17") == ["2026-11-17", "2026-12-17"]


def test_a_later_phase_starts_when_the_one_before_ends():
    assert dates("1/week x2, 1/month x2", "2026-11-30") == ["2026-11-30", "2026-12-07", "2026-12-14", "2027-01-14"]
    assert dates("1/month x2, 1/week x2", "2026-11-02") == ["2026-11-02", "2026-12-02", "2027-01-04", "2027-01-11"]


def test_an_open_ended_phase_adds_no_dates():
    assert dates("1/week x2, weekly", "2026-11-30") == ["2026-11-30", "2026-12-07"]
    assert dates("monthly", "2026-11-30") == []


def test_session_count_adds_the_phases_with_an_end():
    assert session_count(parse_plan("2/week x4, 1/week x4, monthly")) == 12
    assert session_count(parse_plan("3/week x2, 2/month x3")) == 12
    assert session_count(parse_plan("weekly")) == 0


@pytest.mark.parametrize("day, months, want", [
    ("2026-01-31", 1, "2026-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2026-11-15", 2, "2027-01-15"),
    ("2026-12-31", 12, "2027-12-31"), ("2026-05-31", 0, "2026-05-31"), ("2026-03-31", 1, "2026-04-30"),
    ("2026-01-01", 11, "2026-12-01"), ("2026-01-01", 24, "2028-01-01"),
])
def test_add_months(day, months, want):
    assert add_months(date.fromisoformat(day), months).isoformat() == want


def test_phase_start_weeks_count_months_as_their_days():
    assert phase_start_weeks(parse_plan("2/week x4, 1/week x4, monthly")) == [1, 5, 9]
    assert phase_start_weeks(parse_plan("1/month x3, weekly")) == [1, 13]  # Jan-Mar: 90 days
    assert phase_start_weeks(parse_plan("1/month x1, 1/month x1, 1/week x2")) == [1, 5, 9]  # 31 and 28 days
    assert phase_start_weeks(parse_plan("weekly")) == [1]
    # 15 months from January 2001: 365 + 90 = 455 days, the first day of week 66 (from February it would be 454).
    assert phase_start_weeks(parse_plan("1/month x15, weekly")) == [1, 66]


def test_a_plan_start_on_the_sheet_with_weekend_moves_and_a_monthly_phase(run, tmp_path):
    from conftest import flat, pdf_text

    out = tmp_path / "x.pdf"
    result = run("leaflet", "hip-pain", "--plan", "1/week x2, 1/month x2", "--start", "2026-12-05", "--tracker", "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(out)))
    assert "Starting Sat December 5, 2026." in text
    # The monthly phase starts on Saturday 19 December (two weeks on): Monday 21st, then 19 January.
    assert ("Week 1 Mon December 7, 2026 Week 2 Mon December 14, 2026 Week 3 Mon December 21, 2026 "
            "Week 7 Tue January 19, 2027") in text


@pytest.mark.parametrize("start", [date(2026, 3, 2), date(2026, 1, 30), date(2026, 11, 30)])
def test_the_timeline_week_of_a_phase_after_months_is_the_week_of_its_first_planned_session(start):
    from handouts.library.plan import parse_plan, phase_start_weeks, session_dates

    phases = parse_plan("2/week x 4, 1/month x 3, 1/week x 2", "--plan")
    dates = session_dates(phases, start)
    first_of_last = dates[2 * 4 + 3]  # after 8 weekly and 3 monthly sessions
    weeks = phase_start_weeks(phases, start)
    assert weeks[2] == (first_of_last - start).days // 7 + 1
    assert weeks[:2] == [1, 5]


def test_without_a_start_months_are_counted_from_the_first_of_january_2001():
    """29 months from 2001-01-01 are 881 days (week 126); from 2002-01-01 they would take in 29 February 2004."""
    from handouts.library.plan import parse_plan, phase_start_weeks

    assert phase_start_weeks(parse_plan("1/month x 5, 1/month x 24, 1/week x 2", "--plan")) == [1, 22, 126]


def test_an_open_ended_last_phase_gets_its_week_with_a_start_too():
    from handouts.library.plan import parse_plan, phase_start_weeks

    phases = parse_plan("2/week x 4, 1/month", "--plan")
    assert phase_start_weeks(phases, date(2026, 3, 2)) == [1, 5]
    assert phase_start_weeks(parse_plan("1/month", "--plan"), date(2026, 3, 2)) == [1]

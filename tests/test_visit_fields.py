"""visit.py: every field of a visit from options, a CSV cell or a YAML value: types, limits, codes, yes/no, messages."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import pdf_text
from handouts.errors import VisitError
from handouts.composition.visit import FIELDS, Visit, check_drawable, make_visit, parse_date, read_visit_file


def refused(data: dict, where: str = "") -> str:
    with pytest.raises(VisitError) as err:
        make_visit({"condition": "hip-pain", **data}, where)
    return str(err.value)


def test_a_full_visit_from_csv_strings():
    visit = make_visit({"condition": " Hip-Pain ", "patient": "  Jane   Doe ", "practitioner": "Roe", "date": "2026-12-01",
                        "points": "GB30, gb30 ,,ST36", "plan": "2/week x4", "start": " 2026-12-03 ", "flags": "Pregnant; diabetes,pregnant",
                        "allow_caution": "GB30", "note": "Rest.", "lang": "ES", "large_print": "Yes", "tracker": "x",
                        "page_size": "A4"}, "v.csv row 2")
    assert visit == Visit(condition="hip-pain", patient="Jane Doe", practitioner="Roe", date=date(2026, 12, 1),
                          points=("GB30", "gb30", "ST36"), plan="2/week x4", start=date(2026, 12, 3),
                          flags=("pregnant", "diabetes"), allow_caution=("GB30",), note="Rest.", lang="es",
                          large_print=True, tracker=True, page_size="a4")


def test_empty_fields_take_their_defaults():
    visit = make_visit({"condition": "hip-pain", "patient": None, "date": "", "points": "", "start": "", "flags": "",
                        "allow_caution": None, "lang": "", "page_size": None, "tracker": "", "large_print": None})
    assert visit == Visit(condition="hip-pain", date=date.today())
    assert visit.points is None and visit.start is None and visit.lang == "en" and visit.page_size == "letter"
    assert make_visit({"condition": "hip-pain"}).date == date.today()


def test_yaml_values_that_are_not_text():
    visit = make_visit({"condition": "hip-pain", "patient": 1234, "note": 2.5, "points": ["GB30", 36], "flags": ["Diabetes"],
                        "date": date(2026, 12, 1), "tracker": True, "large_print": False})
    assert visit.patient == "1234" and visit.note == "2.5" and visit.points == ("GB30", "36")
    assert visit.flags == ("diabetes",) and visit.date == date(2026, 12, 1) and visit.tracker and not visit.large_print
    assert make_visit({"condition": "hip-pain", "points": 36}).points == ("36",)


@pytest.mark.parametrize("value, kind", [(True, "bool"), ([1], "list"), ({"a": 1}, "dict"), (date(2026, 1, 1), "date")])
def test_a_text_field_with_another_type_is_refused(value, kind):
    assert refused({"patient": value}) == f"--patient: must be text, found {kind}"
    assert refused({"note": value}, "v.yaml:3") == f"v.yaml:3: note: must be text, found {kind}"


@pytest.mark.parametrize("item, kind", [(None, "NoneType"), (1.5, "float"), (["GB30"], "list"), ({"a": 1}, "dict")])
def test_a_point_that_is_not_a_code(item, kind):
    assert refused({"points": ["GB30", item]}) == f"--points: each point must be a code such as GB30, found {kind}"


@pytest.mark.parametrize("value", [",", " , ,", [""], ["", " "]])
def test_no_codes_at_all(value):
    assert refused({"points": value}) == "--points: no point codes given; list codes separated by commas, e.g. GB30,GB29,BL40"
    assert refused({"allow_caution": value}, "v.csv row 2").startswith("v.csv row 2: allow_caution: no point codes given")


def test_forty_points_at_most_counting_each_code_once():
    forty = [f"P{i}" for i in range(40)]
    assert make_visit({"condition": "hip-pain", "points": forty}).points == tuple(forty)
    assert make_visit({"condition": "hip-pain", "points": ",".join(forty + ["P0", "P39"])}).points == tuple(forty)
    assert refused({"points": forty + ["P40"]}) == ("--points: 41 points is more than the 40 a handout can list; "
                                                    "give the points used today")


@pytest.mark.parametrize("field, limit", [("patient", 120), ("practitioner", 120), ("note", 1500), ("condition", 80)])
def test_text_limits(field, limit):
    make_visit({"condition": "hip-pain", field: "a" * limit})
    assert refused({field: "a" * (limit + 1)}) == f"--{field}: is {limit + 1} characters long; the limit is {limit}. Shorten it"


def test_plan_limit_and_grammar_are_checked_at_once():
    assert refused({"plan": "2/week x4, " * 28}) == "--plan: is 307 characters long; the limit is 300. Shorten it"
    assert refused({"plan": "daily"}, "v.csv row 4").startswith('v.csv row 4: plan: "daily": unknown word')


def test_right_to_left_text_is_refused():
    assert refused({"patient": "Jane שלום"}) == ("--patient: right-to-left text ('ש', e.g. Arabic or Hebrew) cannot be printed yet; "
                                                 "write it in Latin letters")
    assert refused({"note": "Rest مرحبا"}).startswith("--note: right-to-left text ('م', e.g. Arabic")  # bidi class AL


def test_flags_are_lower_case_once_each_and_skip_empty_items():
    assert make_visit({"condition": "hip-pain", "flags": "Diabetes,,pregnant;;DIABETES, "}).flags == ("diabetes", "pregnant")
    assert make_visit({"condition": "hip-pain", "flags": ["", "Pacemaker", "pacemaker"]}).flags == ("pacemaker",)


def test_condition_lang_and_page_size():
    assert refused({"condition": None}) == ("--condition: missing; name the condition, e.g. hip-pain "
                                            "(see `handouts list conditions`)")
    assert refused({"condition": "  "}, "v.csv row 2").startswith("v.csv row 2: condition: missing;")
    assert refused({"lang": "fr"}) == "--lang: 'fr' is not a language we print; choose en (English), es (Spanish), zh (Chinese (Simplified))"
    assert refused({"lang": "english"}) == "--lang: is 7 characters long; the limit is 5. Shorten it"
    assert refused({"page_size": "legal"}) == "--page-size: 'legal' is not a page size we print; choose letter or a4"
    assert make_visit({"condition": "hip-pain", "lang": "ZH", "page_size": " Letter "}).lang == "zh"


@pytest.mark.parametrize("value, want", [
    ("yes", True), ("Y", True), ("1", True), ("x", True), ("TRUE", True), (" true ", True), (1, True), (True, True),
    ("no", False), ("N", False), ("0", False), ("", False), ("False", False), (0, False), (False, False), (None, False),
])
def test_yes_and_no(value, want):
    assert make_visit({"condition": "hip-pain", "tracker": value}).tracker is want
    assert make_visit({"condition": "hip-pain", "large_print": value}).large_print is want


def test_neither_yes_nor_no():
    assert refused({"tracker": "maybe"}) == "--tracker: 'maybe' is not yes or no; write true or false"
    assert refused({"large_print": 2}, "v.csv row 5") == "v.csv row 5: large_print: 2 is not yes or no; write true or false"


FORMS_MDY = ("write it as 2026-12-08, 12/8/2026 or 12/08/26 (month first: the clinic's date order, `date_order` in "
             "clinic.yaml), or a spreadsheet date number such as 46364")


def test_dates():
    assert parse_date(" 2026-12-01 ", "--date") == date(2026, 12, 1)
    with pytest.raises(VisitError) as err:
        parse_date("12-2026-01", "--date")
    assert str(err.value) == f"--date: '12-2026-01' is not a date; {FORMS_MDY}"
    with pytest.raises(VisitError) as err:
        parse_date("2026-02-30", "v.csv row 2: start")
    assert str(err.value) == "v.csv row 2: start: '2026-02-30' is not a real date (check the month and day)"
    assert refused({"start": "tomorrow"}).startswith("--start: 'tomorrow' is not a date; write it as 2026-12-08")


@pytest.mark.parametrize("text, order, want", [
    ("2026-12-08", "mdy", "2026-12-08"), ("2026-12-08", "dmy", "2026-12-08"), ("2026-1-5", "dmy", "2026-01-05"),
    ("12/8/2026", "mdy", "2026-12-08"), ("12/08/2026", "mdy", "2026-12-08"), ("12/8/26", "mdy", "2026-12-08"),
    ("8/12/2026", "dmy", "2026-12-08"), ("08.12.2026", "dmy", "2026-12-08"), ("8-12-26", "dmy", "2026-12-08"),
    # 3/4/2026 is never guessed from the value: the clinic's order decides
    ("3/4/2026", "mdy", "2026-03-04"), ("3/4/2026", "dmy", "2026-04-03"),
    # spreadsheet date numbers (Excel's 1900 system): 45658 is 2025-01-01, as Excel shows it
    ("46364", "mdy", "2026-12-08"), (46364, "dmy", "2026-12-08"), (45658, "mdy", "2025-01-01"),
    (36526, "mdy", "2000-01-01"), (73050, "mdy", "2099-12-31"),
    # a date-and-time cell: the day is the visit's, the time is let go
    ("12/8/2026 9:30 AM", "mdy", "2026-12-08"), ("8/12/2026 17:05", "dmy", "2026-12-08"),
    ("2026-12-08T09:30:00", "dmy", "2026-12-08"), ("46364.375", "mdy", "2026-12-08"), (46364.5, "dmy", "2026-12-08"),
])
def test_dates_as_spreadsheets_write_them(text, order, want):
    assert parse_date(text, "--date", order).isoformat() == want


def test_dates_that_do_not_parse_name_the_forms_accepted():
    with pytest.raises(VisitError) as err:
        parse_date("13/8/2026", "v.csv row 2: date", "mdy")
    assert str(err.value) == ("v.csv row 2: date: '13/8/2026' is not a real date read as month/day/year, the clinic's "
                              "date order (`date_order` in clinic.yaml); check the month and day")
    with pytest.raises(VisitError) as err:
        parse_date("Dec 8", "--date", "dmy")
    assert str(err.value) == ("--date: 'Dec 8' is not a date; write it as 2026-12-08, 8/12/2026 or 08.12.26 (day first: "
                              "the clinic's date order, `date_order` in clinic.yaml), or a spreadsheet date number such as 46364")
    for value in ("123", 36525, "73051", "20261208", 2.5):
        with pytest.raises(VisitError, match=r"as a spreadsheet date number it falls outside 2000-2099\); write it as"):
            parse_date(value, "--date")
    from datetime import datetime

    assert parse_date(datetime(2026, 12, 8, 9, 30), "--date") == date(2026, 12, 8), "the day of a datetime"
    for value in (True, [2026], "12/8/2026 25", "46364.", "nan"):
        with pytest.raises(VisitError, match=r"is not a date; write it as 2026-12-08"):
            parse_date(value, "--date")


def test_the_date_order_comes_from_the_clinic_profile_else_its_paper():
    from handouts.composition.visit import date_order
    from handouts.model import Clinic

    letter, a4 = Clinic(page_size="letter", date_order=None), Clinic(page_size="a4", date_order=None)
    assert date_order(None) == date_order(letter) == "mdy" and date_order(a4) == "dmy"
    assert date_order(Clinic(page_size="a4", date_order="mdy")) == "mdy"
    assert date_order(Clinic(page_size="letter", date_order="dmy")) == "dmy"
    visit = make_visit({"condition": "hip-pain", "date": "3/4/2026", "start": "5/4/26"}, "", a4)
    assert (visit.date, visit.start, visit.page_size) == (date(2026, 4, 3), date(2026, 4, 5), "a4")
    visit = make_visit({"condition": "hip-pain", "date": "3/4/2026", "page_size": "letter"}, "", a4)
    assert visit.date == date(2026, 4, 3) and visit.page_size == "letter", "the row's paper never changes the order"
    assert make_visit({"condition": "hip-pain", "date": "3/4/2026"}, "", letter).date == date(2026, 3, 4)


def test_every_problem_of_a_visit_is_reported_at_once():
    from handouts.errors import VisitErrors

    with pytest.raises(VisitErrors) as err:
        make_visit({"condition": "hip-pain", "date": "31/12/2026", "lang": "fr", "tracker": "maybe"}, "v.csv row 3")
    assert [str(e).split(":")[1].strip() for e in err.value.errors] == ["date", "lang", "tracker"]
    assert str(err.value).splitlines() == [str(e) for e in err.value.errors]


def test_unknown_fields():
    fields = ", ".join(FIELDS)
    assert refused({"colour": "red", "age": 3}) == f"visit: unknown field 'age'; the fields are {fields}"
    assert refused({"colour": "red"}, "v.csv row 2") == f"v.csv row 2: unknown field 'colour'; the fields are {fields}"


def test_check_drawable_names_the_field_and_the_characters():
    visit = make_visit({"condition": "hip-pain", "patient": "Jane", "note": "ok"})
    check_drawable(visit, lambda text: set())
    with pytest.raises(VisitError) as err:
        check_drawable(visit, lambda text: {"\U0001F600", "\u2603"} if text == "ok" else set())
    assert str(err.value) == "--note: has characters no bundled font can draw: '☃' (U+2603), '😀' (U+1F600); remove or replace them"
    with pytest.raises(VisitError, match=r"^v.yaml: patient: has characters"):
        check_drawable(visit, lambda text: {"x"} if text == "Jane" else set(), "v.yaml")


def test_read_visit_file(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text("condition: hip-pain\nlarge-print: yes\ntracker: no\npoints: [GB30, 36]\n", "utf-8")
    data = read_visit_file(path)
    assert data["large_print"] in (True, "yes") and data["tracker"] in (False, "no")
    visit = make_visit(data, str(path))
    assert visit.large_print is True and visit.tracker is False and visit.points == ("GB30", "36")
    path.write_text("condition: hip-pain\n\ncolour: red\n", "utf-8")
    with pytest.raises(VisitError) as err:
        read_visit_file(path)
    assert str(err.value) == f"{path}:3: unknown field 'colour'; the fields are {', '.join(FIELDS)}"
    path.write_text("condition: hip-pain\nage-years: 3\n", "utf-8")
    with pytest.raises(VisitError, match=r":2: unknown field 'age_years'"):
        read_visit_file(path)
    path.write_text("condition: hip-pain\n\n\nage_years: 3\n", "utf-8")
    with pytest.raises(VisitError, match=r"v.yaml:4: unknown field 'age_years'"):
        read_visit_file(path)
    path.write_text("- condition: hip-pain\n", "utf-8")
    with pytest.raises(VisitError) as err:
        read_visit_file(path)
    assert str(err.value) == f"{path}: a visit file is a mapping of fields (condition: hip-pain, patient: ...), one per line"
    path.write_text("condition: [hip-pain\n", "utf-8")
    with pytest.raises(VisitError, match=str(path)):
        read_visit_file(path)


def test_tracker_yes_and_no_from_csv_and_yaml_change_the_sheet(run, tmp_path):
    csv = tmp_path / "v.csv"
    csv.write_text("condition,tracker,plan,start\nhip-pain,yes,1/week x2,2026-12-01\nhip-pain,no,1/week x2,2026-12-01\n", "utf-8")
    yaml = tmp_path / "v.yaml"
    yaml.write_text("- {condition: hip-pain, tracker: yes, plan: 1/week x2, start: 2026-12-01}\n"
                    "- {condition: hip-pain, tracker: no, plan: 1/week x2, start: 2026-12-01}\n", "utf-8")
    for visits in (csv, yaml):
        out = tmp_path / visits.suffix[1:]
        result = run("batch", visits, "--out-dir", out, "--jobs", "1", "--name", "{row}")
        assert result.exit_code == 0, result.output
        yes, no = sorted(out.iterdir())
        assert "Session tracker" in " ".join(pdf_text(yes)), visits
        assert "Session tracker" not in " ".join(pdf_text(no)), visits


def test_without_a_place_messages_name_the_option():
    with pytest.raises(VisitError) as err:
        make_visit({"condition": "hip-pain", "page_size": "legal"})
    assert str(err.value) == "--page-size: 'legal' is not a page size we print; choose letter or a4"


def test_page_size_and_date_messages_name_their_field():
    assert refused({"page_size": "a" * 11}) == "--page-size: is 11 characters long; the limit is 10. Shorten it"
    assert refused({"page_size": "quarto-big"}) == "--page-size: 'quarto-big' is not a page size we print; choose letter or a4"
    assert refused({"page_size": ["a4"]}, "v.yaml") == "v.yaml: page_size: must be text, found list"
    assert refused({"date": "1/12/2026x"}) == f"--date: '1/12/2026x' is not a date; {FORMS_MDY}"
    assert refused({"date": "2026-13-01"}, "v.csv row 2") == (
        "v.csv row 2: date: '2026-13-01' is not a real date (check the month and day)")

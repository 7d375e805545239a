"""text.py: the template environment (sandboxed, strict, no autoescape), its messages, escaping and cleaning typed text."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, flat, pdf_text
from handouts.errors import ContentError
from handouts.composition.templates import clean, environment, escape, fill


def problems(source: str, **context) -> list[str]:
    with pytest.raises(ContentError) as err:
        fill(source, context, "f.yaml: text")
    return err.value.problems


def test_templates_fill_without_escaping():
    assert environment().autoescape is False
    assert fill("At {{ clinic.name }}: {{ n }}", {"clinic": {"name": "A & B <Care>"}, "n": 3}, "x") == "At A & B <Care>: 3"


def test_text_without_a_brace_is_returned_as_it_is():
    assert fill("50% & <b> %} }}\n", {}, "x") == "50% & <b> %} }}\n"  # Jinja would drop the trailing newline


def test_a_trailing_newline_is_not_kept():
    assert fill("{{ a }}\n", {"a": "x"}, "x") == "x"


def test_undefined_variables_are_errors_not_blanks():
    assert problems("Call {{ clinic.fax }}", clinic={"phone": "1"}) == [
        "f.yaml: text: template error: 'dict object' has no attribute 'fax'; use only the documented variables, "
        "e.g. {{ clinic.phone }}"]
    assert problems("{{ nope }}") == ["f.yaml: text: template error: 'nope' is undefined; use only the documented variables, "
                                      "e.g. {{ clinic.phone }}"]


def test_a_syntax_error_names_the_template_line_after_the_first():
    assert problems("one\n{{ a") == ["f.yaml: text: template error (template line 2): unexpected end of template, expected "
                                     "'end of print statement'.; use only the documented variables, e.g. {{ clinic.phone }}"]
    assert problems("{{ a")[0].startswith("f.yaml: text: template error: unexpected end of template")


def test_the_sandbox_refuses_reaching_out():
    assert problems("{{ ''.__class__.__mro__ }}") == [
        "f.yaml: text: the template reaches for something it may not (access to attribute '__class__' of 'str' object "
        "is unsafe.); use only the documented variables"]
    assert problems("{{ items.append(1) }}", items=[1])[0].startswith("f.yaml: text: the template reaches for something")
    assert problems("{% include 'x.yaml' %}") == ["f.yaml: text: templates may not include or import other files; write the text here"]
    assert problems("{{ 1/0 }}") == ["f.yaml: text: the template cannot be filled (ZeroDivisionError: division by zero); "
                                     "use only plain text and the documented variables"]


def test_escape_for_reportlab_markup():
    assert escape("A & B <i>x</i> &amp;") == "A &amp; B &lt;i&gt;x&lt;/i&gt; &amp;amp;"


@pytest.mark.parametrize("raw, want", [
    ("  Jane \t  Doe \n ", "Jane Doe"),
    ("a\tb", "a b"),
    ("a\nb", "a b"),
    ("Jo\u200bse\u00ad", "Jose"),  # format characters
    ("a\x00b\x1bc\x7f", "abc"),  # control characters
    ("a\ue000b", "ab"),  # private use
    ("a\ud800b", "ab"),  # a lone surrogate (cannot be encoded, let alone drawn)
    ("e\u0301", "\u00e9"),  # NFC
    ("a\u00a0b\u3000c", "a b c"),
])
def test_clean(raw, want):
    assert clean(raw) == want


def test_a_clinic_named_a_and_b_prints_a_and_b_through_a_template(run, tmp_path):
    content = tmp_path / "content"
    (content / "sections").mkdir(parents=True)
    clinic = (REPO / "content" / "clinic.yaml").read_text("utf-8")
    clinic = clinic.replace("name: Clifton Physical Therapy & Acupuncture", "name: A & B <Care> Acupuncture")
    assert "A & B <Care>" in clinic
    (content / "clinic.yaml").write_text(clinic, "utf-8")
    section = (REPO / "content" / "sections" / "what-to-expect.yaml").read_text("utf-8")
    first = "First, we ask about your health and medicines, and check how you move."
    assert first in section
    section = section.replace(first, "At {{ clinic.name }}, we ask about your health and medicines first.", 1)
    (content / "sections" / "what-to-expect.yaml").write_text(section, "utf-8")
    out = tmp_path / "x.pdf"
    # large print keeps every block (a two-page sheet may leave the in-session steps out to fit)
    result = run("leaflet", "hip-pain", "--large-print", "--content", content, "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(out)))
    assert "At A & B <Care> Acupuncture, we ask about your health" in text
    assert "&amp;" not in text and "&lt;" not in text


# ---- the work bounds (issue 14): each limit exactly at and one past its edge, with its message ------------------

import signal  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from handouts.composition import templates as text_module  # noqa: E402

LIMIT = "f.yaml: text: the template does too much work: "


def test_range_up_to_1000_items_and_not_one_more():
    assert fill("{{ range(1000)|length }} {{ range(0, 2000, 2)|last }}", {}, "x") == "1000 1998"
    assert problems("{{ range(1001)|length }}") == [
        LIMIT + "range() of 1,001 items is more than the 1,000 a template may use"]
    assert problems("{{ range(5, 1006)|length }}") == [
        LIMIT + "range() of 1,001 items is more than the 1,000 a template may use"]
    assert problems("{{ range(100000)|length }}") == [
        LIMIT + "range() of 100,000 items is more than the 1,000 a template may use"]


# 1 step for the call of range(), 1 per item, 1 per inner call: 1 + 361 * (1 + 275 + 1) = 99,998 steps.
NEAR_STEP_LIMIT = "{% for i in range(361) %}{% for j in range(275) %}{% endfor %}{% endfor %}"
STEPS = LIMIT + "it takes more than 100,000 steps (loops, calls); templates should only fill in values"


@pytest.mark.parametrize("op", ["{{ a.b }}", "{{ a['b'] }}", "{{ f() }}", "{{ s|upper }}", "{{ 1 + 2 }}",
                                "{{ 7 // 2 }}", "{{ 2 * 3 }}", "{{ 2 ** 3 }}", "{{ 7 % 3 }}"])
def test_every_call_look_up_operator_and_filter_counts_as_a_step(op):
    context = {"a": {"b": 1}, "f": lambda: 1, "s": "x"}  # (a filter on a constant may run at compile time)
    fill(NEAR_STEP_LIMIT + op * 2, context, "x")  # 100,000 steps: the limit itself is allowed
    assert problems(NEAR_STEP_LIMIT + op * 3, **context) == [STEPS]


def test_the_step_count_starts_afresh_for_each_template():
    for _ in range(3):
        assert fill(NEAR_STEP_LIMIT + "{{ a.b }}", {"a": {"b": 1}}, "x") == "1"


def test_output_up_to_10000_characters_and_not_one_more():
    assert fill("{{ x }}{{ x }}", {"x": "a" * 5000}, "x") == "a" * 10_000
    assert problems("{{ x }}{{ x }}", x="a" * 5001) == [
        LIMIT + "it prints more than 10,000 characters; templates should only fill in values"]


MADE = LIMIT + "it makes a text or list longer than 10,000; templates should only fill in values"


@pytest.mark.parametrize("template", ["{{ (x|upper)|length }}", "{{ f(x)|length }}", "{{ (x + '')|length }}",
                                      "{{ (x|list)|length }}", "{{ (f(x)|list)|length }}", "{{ g(x)|length }}"])
def test_a_text_or_list_made_up_to_10000_long_and_not_one_more(template):
    context = {"f": lambda v: v, "g": lambda v: dict.fromkeys(range(len(v)))}
    assert fill(template, {"x": "a" * 10_000, **context}, "x") == "10000"
    assert problems(template, x="a" * 10_001, **context) == [MADE]


def test_multiplying_a_text_or_list_up_to_10000_items_and_not_one_more():
    assert fill("{{ ('ab' * 5000)|length }} {{ (5000 * 'ab')|length }} {{ ([1] * 10000)|length }}", {}, "x") == "10000 10000 10000"
    refused = LIMIT + "it multiplies a text or list to more than 10,000 items"
    for template in ("{{ 'ab' * 5001 }}", "{{ 5001 * 'ab' }}", "{{ [1] * 10001 }}", "{{ (1,) * 10001 }}", "{{ 'x' * 100000000 }}"):
        assert problems(template) == [refused], template
    # Nothing or less: a long text times 0 or -1 is empty, not refused.
    assert fill("{{ (x * 0)|length }}{{ (x * -1)|length }}{{ (0 * x)|length }}", {"x": "a" * 20_000}, "x") == "000"


def test_powers_up_to_10000_bits_and_not_more():
    assert len(fill("{{ 2 ** 5000 }}", {}, "x")) == 1506  # 2 has 2 bits: 2 * 5000 = 10,000
    assert fill("{{ 1 ** 1000000000 }} {{ (-1) ** 1000000001 }} {{ 0 ** 1000000000 }}", {}, "x") == "1 -1 0"
    huge = [LIMIT + "it raises a number to a huge power"]
    assert problems("{{ 2 ** 5001 }}") == huge
    assert len(fill("{{ (2 ** 99) ** 100 }}", {}, "x")) == 2981  # 100 bits * 100 = 10,000
    assert problems("{{ (2 ** 72) ** 137 }}") == huge  # 73 bits * 137 = 10,001
    assert problems("{{ (-2) ** 5001 }}") == huge
    assert problems("{{ ((10 ** 60) ** 60) ** 60 }}") == huge


def test_percent_formats_numbers_but_not_text():
    assert fill("{{ 7 % 3 }} {{ 7 // 2 }} {{ 'a' + 'b' }}", {}, "x") == "1 3 ab"
    assert problems('{{ "%0999999999d" % 1 }}') == [
        LIMIT + "it formats text with %; write the text out and fill in variables"]


def test_replace_that_would_make_a_huge_text_is_refused_before_it_is_made():
    import tracemalloc

    assert fill("{{ ('x' * 1000)|replace('x', 'yyyyyyyyyy') }}", {}, "x") == "y" * 10_000
    assert fill("{{ t|replace('', '-') }}", {"t": "x" * 4999}, "x") == "-x" * 4999 + "-"  # 4,999 + 5,000 gaps
    assert problems("{{ t|replace('', '-') }}", t="x" * 5000) == [MADE]  # 5,000 + 5,001 gaps
    tracemalloc.start()
    try:
        assert problems("{{ t|replace('x', y) }}", t="x" * 10_000, y="y" * 10_000) == [MADE]  # 100,000,000 characters
        assert problems("{{ t|replace('', t) }}", t="x" * 5_000) == [MADE]  # between every two: 25,005,000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"{peak:,} bytes: the replaced text was made before it was refused"


@pytest.mark.parametrize("name", ["center", "indent", "wordwrap", "format", "pprint", "urlize", "xmlattr"])
def test_filters_that_make_huge_text_or_show_internals_are_not_there(name):
    assert problems(f"{{{{ 'x'|{name} }}}}") == [
        f"f.yaml: text: template error: No filter named '{name}'.; use only the documented variables, e.g. {{{{ clinic.phone }}}}"]


@pytest.mark.parametrize("name", ["lipsum", "namespace", "cycler", "joiner", "dict"])
def test_only_range_is_a_global(name):
    assert problems(f"{{{{ {name}() }}}}") == [
        f"f.yaml: text: template error: '{name}' is undefined; use only the documented variables, e.g. {{{{ clinic.phone }}}}"]


def test_calls_pass_keyword_arguments():
    assert fill("{{ f(2, b=3) }} {{ 'a-b'|replace('-', ' ') }}", {"f": lambda a, b=0: a * b}, "x") == "6 a b"


def test_the_environment_renders_outside_fill_after_a_fill():
    """No deadline is left behind by a render (the environment is public: used directly it has no clock)."""
    fill("{{ a.b }}", {"a": {"b": 1}}, "x")
    assert environment().from_string("{{ s|upper }}{{ a.b }}").render(s="x", a={"b": 2}) == "X2"


def test_filters_keep_their_context_marks():
    """join and map need the evaluation context (functools.wraps keeps Jinja's mark on the bounded filter)."""
    assert fill("{{ [1, 2]|map('string')|join(', ') }}; {{ x|join('-') }}; {{ 'a b'|title }}", {"x": ["A", "B"]}, "x") == "1, 2; A-B; A B"


# ---- the timer: set only around a render, someone else's restored -------------------------------------------------

@pytest.fixture
def alarm():
    """Our own SIGALRM handler and a cleared timer, restored after the test."""
    calls = []
    handler = lambda signum, frame: calls.append(signum)  # noqa: E731
    before = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 0)
    yield handler, calls
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, before)


def _probe(seen):
    def probe():
        seen.append((signal.getitimer(signal.ITIMER_REAL)[0], signal.getsignal(signal.SIGALRM)))
        return "ok"
    return probe


def test_a_render_sets_a_2_second_timer_and_clears_it_after(alarm):
    handler, calls = alarm
    seen = []
    assert fill("{{ probe() }}", {"probe": _probe(seen)}, "x") == "ok"
    (left, during), = seen
    assert 1.5 < left <= 2.0 and during is not handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler
    assert calls == []


def test_someone_elses_longer_timer_is_given_back_what_is_left(alarm):
    handler, calls = alarm
    seen = []
    signal.setitimer(signal.ITIMER_REAL, 100)
    assert fill("{{ probe() }}", {"probe": _probe(seen)}, "x") == "ok"
    assert 1.5 < seen[0][0] <= 2.0 and seen[0][1] is not handler
    assert 95 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100
    assert signal.getsignal(signal.SIGALRM) is handler
    assert calls == []


def test_someone_elses_shorter_timer_is_kept_running(alarm):
    handler, calls = alarm
    seen = []
    signal.setitimer(signal.ITIMER_REAL, 1.5)
    assert fill("{{ probe() }}", {"probe": _probe(seen)}, "x") == "ok"
    assert 1.0 < seen[0][0] <= 1.5 and seen[0][1] is handler  # theirs, not ours
    assert 1.0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 1.5
    assert signal.getsignal(signal.SIGALRM) is handler


def test_someone_elses_timer_that_ran_out_during_the_render_fires_at_once(alarm, monkeypatch):
    """Their 3 s timer, and a render that (by the clock) took 5 s: theirs is due, so it fires right after."""
    handler, calls = alarm
    clock = [1000.0]
    monkeypatch.setattr(text_module, "time", type("Clock", (), {"monotonic": staticmethod(lambda: clock[0])}))

    def slow():
        clock[0] += 5
        return "done"

    signal.setitimer(signal.ITIMER_REAL, 3)
    assert problems("{{ slow() }}{{ a.b }}", slow=slow, a={"b": 1}) == [
        LIMIT + "it takes longer than 2 seconds; templates should only fill in values"]
    assert signal.getsignal(signal.SIGALRM) is handler
    left = signal.getitimer(signal.ITIMER_REAL)[0]
    assert left <= 0.001 or calls == [signal.SIGALRM]


def test_the_timer_interrupts_a_template_that_runs_too_long(alarm, monkeypatch):
    handler, calls = alarm
    monkeypatch.setattr(text_module, "MAX_SECONDS", 0.01)
    interrupted = []

    def sleepy():
        try:
            time.sleep(5)
        except text_module.TemplateLimit:
            interrupted.append(True)
            raise
        return "woke"

    assert problems("{{ sleepy() }}", sleepy=sleepy) == [
        LIMIT + "it takes longer than 0.01 seconds; templates should only fill in values"]
    assert interrupted == [True]
    assert signal.getsignal(signal.SIGALRM) is handler and calls == []


def test_off_the_main_thread_the_clock_stops_a_long_template(monkeypatch):
    """No timer can be set there: the steps check the time instead."""
    monkeypatch.setattr(text_module, "MAX_SECONDS", 0.01)
    before = signal.getsignal(signal.SIGALRM)
    got = []

    def work():
        try:
            got.append(fill("{{ nap() }}{{ a.b }}", {"nap": lambda: time.sleep(0.05), "a": {"b": 1}}, "f.yaml: text"))
        except ContentError as exc:
            got.append(exc.problems)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert got == [[LIMIT + "it takes longer than 0.01 seconds; templates should only fill in values"]]
    assert signal.getsignal(signal.SIGALRM) is before
    # and a quick one fills there
    worker = threading.Thread(target=lambda: got.append(fill("{{ a.b }}", {"a": {"b": 1}}, "x")))
    worker.start()
    worker.join()
    assert got[-1] == "1"

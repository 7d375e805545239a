"""The one sandboxed Jinja environment: content templates that do more than print a value (handouts/composition/literal.py
fills those without Jinja)."""

from __future__ import annotations

import functools
import signal
import threading
import time
from functools import lru_cache
from typing import Any, Mapping

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..errors import ContentError
from ..markup import MAX_TEXT, clean, escape  # noqa: F401 (clean and escape: this module's API before handouts/markup.py)

# Bounds on the work one template may do: content text is a few sentences with a variable or two,
# so these are far above any real use and far below what would hang or exhaust a leaflet (MAX_TEXT: handouts/markup.py).
MAX_RANGE = 1_000  # items of range()
MAX_STEPS = 100_000  # calls, attribute look-ups, operators and range() items per template
MAX_SECONDS = 2.0  # wall time per template (where a timer can be set: the main thread)
# Filters that could make a huge text from a small one in a single step (center(10**9)) or print Python internals.
_DROPPED_FILTERS = ("center", "indent", "wordwrap", "format", "pprint", "urlize", "xmlattr")


class TemplateLimit(SecurityError):
    """A template that does too much work (output, loops, time)."""


class _Budget(threading.local):
    steps = 0
    deadline = 0.0


_budget = _Budget()


def _step(n: int = 1) -> None:
    _budget.steps += n
    if _budget.steps > MAX_STEPS:
        raise TemplateLimit(f"it takes more than {MAX_STEPS:,} steps (loops, calls); templates should only fill in values")
    if _budget.deadline and time.monotonic() > _budget.deadline:
        raise TemplateLimit(f"it takes longer than {MAX_SECONDS:g} seconds; templates should only fill in values")


def _sized(value: Any) -> Any:
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_TEXT:
        raise TemplateLimit(f"it makes a text or list longer than {MAX_TEXT:,}; templates should only fill in values")
    return value


def _range(*args: int) -> list[int]:
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(items):,} items is more than the {MAX_RANGE:,} a template may use")
    _step(len(items))  # a loop over it takes as many steps
    return list(items)


def _bounded_filter(func: Any) -> Any:
    @functools.wraps(func)  # keeps Jinja's pass_context / pass_environment marks
    def call(*args: Any, **kwargs: Any) -> Any:
        if func.__name__ == "do_replace":
            text, old, new = (list(args[1:4]) + [None] * 3)[:3] if len(args) > 1 else (None, None, None)
            # the length it would have, without making it ("".count counts every gap, as replace fills them)
            if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
                if len(text) + text.count(old) * (len(new) - len(old)) > MAX_TEXT:
                    raise TemplateLimit(f"it makes a text or list longer than {MAX_TEXT:,}; templates should only fill in values")
        _step()
        return _sized(func(*args, **kwargs))

    return call


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every operator, call and look-up counted and text sizes bounded."""

    intercepted_binops = frozenset(["*", "**", "+", "//", "%"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_TEXT:
                    raise TemplateLimit(f"it multiplies a text or list to more than {MAX_TEXT:,} items")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and left.bit_length() * right > 10_000:
            raise TemplateLimit("it raises a number to a huge power")
        if operator == "%" and isinstance(left, str):
            raise TemplateLimit("it formats text with %; write the text out and fill in variables")
        return _sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        _step()
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _step()
        return super().getitem(obj, argument)


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """Content templates: sandboxed, immutable, no autoescape (output is plain text), strict, and bounded in work."""
    env = _BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.globals = {"range": _range}  # no lipsum (makes pages of text), namespace (lets a loop grow a text), cycler, joiner
    env.filters = {name: _bounded_filter(f) for name, f in env.filters.items() if name not in _DROPPED_FILTERS}
    return env


class _Timeout:
    """Interrupt a template that runs past MAX_SECONDS; only the main thread can set the timer."""

    def __enter__(self) -> "_Timeout":
        _budget.steps = 0
        _budget.deadline = time.monotonic() + MAX_SECONDS
        self.armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        if self.armed:
            self.started = time.monotonic()
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            self.outer, _ = signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)  # someone else's timer, if any
            if self.outer and self.outer < MAX_SECONDS:
                signal.setitimer(signal.ITIMER_REAL, self.outer)  # theirs runs out first: keep it
                signal.signal(signal.SIGALRM, self.previous if self.previous is not None else signal.SIG_DFL)
                self.armed = False
        return self

    @staticmethod
    def _expire(signum: int, frame: Any) -> None:
        raise TemplateLimit(f"it takes longer than {MAX_SECONDS:g} seconds; templates should only fill in values")

    def __exit__(self, *exc: Any) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous if self.previous is not None else signal.SIG_DFL)
            if self.outer:  # give back what is left of someone else's timer
                signal.setitimer(signal.ITIMER_REAL, max(0.001, self.outer - (time.monotonic() - self.started)))
        _budget.deadline = 0.0


def _render(source: str, context: Mapping[str, Any]) -> str:
    """Render with the work bounds: output streamed and cut off past MAX_TEXT characters."""
    parts, size = [], 0
    with _Timeout():
        for chunk in _compile(source).generate(**context):
            size += len(chunk)
            if size > MAX_TEXT:
                raise TemplateLimit(f"it prints more than {MAX_TEXT:,} characters; templates should only fill in values")
            parts.append(chunk)
    return "".join(parts)


@lru_cache(maxsize=4096)
def _compile(source: str):
    return environment().from_string(source)


def fill(source: str, context: Mapping[str, Any], where: str) -> str:
    """Fill a content template's variables; `where` names the file and field for errors."""
    if "{" not in source:
        return source
    try:
        return _render(source, context)
    except TemplateLimit as exc:
        raise ContentError([f"{where}: the template does too much work: {exc}"]) from None
    except SecurityError as exc:
        raise ContentError([f"{where}: the template reaches for something it may not ({exc}); use only the documented variables"]) from None
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        at = f" (template line {lineno})" if lineno and lineno > 1 else ""
        raise ContentError([f"{where}: template error{at}: {exc.message or exc}; use only the documented variables, e.g. {{{{ clinic.phone }}}}"]) from None
    except Exception as exc:  # e.g. {% include %} (no loader: no file access) or {{ 1/0 }}: content, not a crash
        if "loader" in str(exc):
            raise ContentError([f"{where}: templates may not include or import other files; write the text here"]) from None
        raise ContentError([f"{where}: the template cannot be filled ({type(exc).__name__}: {exc}); use only plain text and the documented variables"]) from None

"""The sandbox page templates run in: a template that runs away is stopped, not waited for.

A site's own template (overrides/careleaf/) is code an editor or a web person wrote; Jinja's
sandbox keeps it from Python's internals, and these limits keep it from taking a machine's
memory or time: how long a text, list or number an operation may make, how many times the
loops of one page may turn, and how much one page may write. A template past a limit stops
with a `SecurityError` raised at its own line, which careleaf reports as a finding.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any

from jinja2 import Template, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_SIZE = 2_000_000  # characters of a text, items of a list, a number's digits
MAX_LOOP_STEPS = 2_000_000  # turns of every loop of one page, together
MAX_PAGE_CHARS = 20_000_000  # what one page writes
_STEPS = "careleaf_loop_step"
_SIZED = "careleaf_sized"


def _size(value: Any) -> int:
    """How big a value is, for the limits: a text's or a list's length, a number's digits."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return max(1, math.ceil(value.bit_length() * 0.302))  # log10(2)
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    return 1


class TemplateLimit(SecurityError):
    """A page's template went past one of careleaf's limits."""


def _amount(value: Any) -> int:
    """How many of something a value asks for: a number itself, a text's or a list's length."""
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value)
    return _size(value)


def _refuse(what: str) -> TemplateLimit:
    return TemplateLimit(
        f"the template {what}: careleaf stops a page's template past {MAX_SIZE:,} characters, "
        f"items or digits, {MAX_LOOP_STEPS:,} turns of its loops or {MAX_PAGE_CHARS:,} "
        "characters of page"
    )


def _sized(value: Any) -> Any:
    if _size(value) > MAX_SIZE:
        raise _refuse(f"makes a value of {_size(value):,} characters or items")
    return value


class _LimitedTemplate(Template):
    """A template whose page is written piece by piece, and stopped when it grows too long."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        assert isinstance(env, LimitedEnvironment)
        env.steps_left = MAX_LOOP_STEPS
        context = self.new_context(dict(*args, **kwargs))
        parts: list[str] = []
        written = 0
        try:
            pieces: Generator[str, None, None] = self.root_render_func(context)  # type: ignore[assignment]
            for piece in pieces:
                written += len(piece)
                parts.append(piece)
                if written > MAX_PAGE_CHARS:
                    # Thrown into the template where it is, so the finding names its line.
                    pieces.throw(_refuse(f"writes more than {MAX_PAGE_CHARS:,} characters"))
        except Exception:
            env.handle_exception()
        return env.concat(parts)  # type: ignore[no-any-return]


class LimitedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, with limits on size, loops and output (see the module's text)."""

    template_class = _LimitedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "//", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.steps_left = MAX_LOOP_STEPS
        self.globals["range"] = self._range

    def limit_filters(self) -> None:
        """Put every filter under the limits; call it once all filters are added, before a
        template is loaded (a template looks its filters up when it is loaded)."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _limited(function, name)
        self.filters[_STEPS] = self._loop_steps
        self.filters[_SIZED] = _sized

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # Every loop counts its turns; every `~` joining texts is measured.
        for loop in source.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _STEPS, [], [], None, None, lineno=loop.lineno)
        for concat in list(source.find_all(nodes.Concat)):
            inner = nodes.Concat(concat.nodes, lineno=concat.lineno)
            concat.nodes = [nodes.Filter(inner, _SIZED, [], [], None, None, lineno=concat.lineno)]
        return super()._generate(source, name, filename, defer_init)  # type: ignore[no-any-return]

    def _loop_steps(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.steps_left -= 1
            if self.steps_left < 0:
                raise _refuse(f"loops more than {MAX_LOOP_STEPS:,} times")
            yield item

    def _range(self, *args: int) -> range:
        made = range(*args)
        if len(made) > MAX_SIZE:
            raise _refuse(f"asks for a range of {len(made):,} numbers")
        return made

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right > 0 and right * _size(left) > MAX_SIZE:
                raise _refuse(f"computes a number of about {right * _size(left):,} digits")
        elif operator == "*":
            # A text or list times a number: that many copies; two numbers: the digits add.
            both_numbers = isinstance(left, int) and isinstance(right, int)
            size = _size(left) + _size(right) if both_numbers else _amount(left) * _amount(right)
            if size > MAX_SIZE:
                raise _refuse(f"multiplies to about {size:,} in size")
        elif operator == "%" and isinstance(left, str):
            # `'%9999999d' % 1`: the width is in the text; a long one is refused.
            values = right if isinstance(right, tuple) else (right,)
            widest = max((_amount(v) for v in values if isinstance(v, int)), default=0)
            # A `*` width comes from the values: `'%*d' % (10**9, 1)`.
            if _size(right) * len(left) > MAX_SIZE or _digit_run(left) > 6 or widest > MAX_SIZE:
                raise _refuse("formats text too long")
        return _sized(super().call_binop(context, operator, left, right))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        # A method may make a text its own length times an argument's (`s.replace('x', s)`,
        # `s.ljust(n)`), so the product is bounded before the call.
        # (The sandbox hands out str.format wrapped: its text is the wrapped method's owner.)
        owner = getattr(
            obj, "__self__", getattr(getattr(obj, "__wrapped__", None), "__self__", None)
        )
        biggest = max((_amount(a) for a in (*args, *kwargs.values())), default=1)
        asks_range = getattr(obj, "__func__", None) is LimitedEnvironment._range
        if max(_size(owner), 1) * biggest > MAX_SIZE * 8 and not asks_range:
            raise _refuse("calls a function on values too big")
        formats = getattr(obj, "__name__", "") in ("format", "format_map")
        if formats and isinstance(owner, str) and _digit_run(owner) > 6:
            raise _refuse("formats text too long")  # '{:>99999999}'.format(1)
        return _sized(super().call(context, obj, *args, **kwargs))


def _digit_run(text: str) -> int:
    """The longest run of digits in a text (a format's width)."""
    longest = run = 0
    for c in text:
        run = run + 1 if c.isdigit() else 0
        longest = max(longest, run)
    return longest


def _limited(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """A filter that refuses a width past the limit (`center(10**9)`) and a result too big."""

    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def limited(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
                raise _refuse(f"gives a filter the number {value:,}")
        if name == "format" and args and isinstance(args[0], str) and _digit_run(args[0]) > 6:
            raise _refuse("formats text too long")  # '%99999999d'|format(1)
        return _sized(function(*args, **kwargs))

    return limited

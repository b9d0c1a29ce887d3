"""A page's front matter, read once: the YAML between the two `---` lines, with the line of
every key, as careleaf's rules and MkDocs both need it.

Every YAML file careleaf reads (front matter, the glossary, word lists) is read here, with
limits: its size, how deep it nests (checked on the parser's events, before anything
recurses: libyaml's composer and Python's would crash), no aliases (a few kB of them expand
to gigabytes) and no number too long to be one. What breaks a limit is a `YAMLLimit`, with
the line, so the editor is told what to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# Far above what an editor writes (a treatment's front matter is 1-3 kB, nested 3 deep).
MAX_FRONT_MATTER_CHARS = 100_000
MAX_FILE_CHARS = 2_000_000  # a glossary or a word list
MAX_DEPTH = 20
MAX_DIGITS = 60


class YAMLLimit(yaml.MarkedYAMLError):
    """YAML careleaf will not read: too long, nested too deep, an alias, a huge number."""


_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    digits = sum(c.isdigit() for c in str(node.value))
    if digits > MAX_DIGITS:
        # Python refuses to read a number of more than 4,300 digits, and one of a few
        # hundred thousand would take minutes.
        raise YAMLLimit(
            problem=f"has a number {digits:,} digits long: put it in quotes if it is text",
            problem_mark=node.start_mark,
        )
    return yaml.SafeLoader.construct_yaml_int(loader, node)


class LimitedLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """Safe YAML (libyaml's where installed) that refuses numbers too long to be one."""


LimitedLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class _FrontMatterLoader(LimitedLoader):
    """Safe YAML that keeps dates as text, so a wrong date is reported, not mangled."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class FrontMatter:
    """The YAML between the two `---` lines: its text, node tree (with lines) and data."""

    text: str
    body_start: int  # the file line the Markdown after it starts on
    node: yaml.Node | None = None
    data: Any = None
    problem: str = ""  # why it is not valid YAML, when it is not
    problem_line: int = 0
    beyond_limits: bool = False  # the problem is a limit careleaf puts on YAML

    @property
    def problem_finding(self) -> tuple[str, str]:
        """The rule and message of the problem, for a finding on `problem_line`."""
        if self.beyond_limits:
            return "front-matter-limit", f"the front matter {self.problem}"
        return "front-matter-syntax", f"the front matter is not valid YAML ({self.problem})"

    def line_of(self, path: list[Any]) -> int:
        """The file line where the key at `path` (keys and list indexes) is written."""
        if self.node is None:
            return 1
        return key_node_at(self.node, path).start_mark.line + 2


def split_front_matter(text: str) -> tuple[str, int] | None:
    """The front matter's text and the line the body starts on; None when the file has no
    front matter, ("", 0) when it opens one and never closes it."""
    if not (text.startswith("---") and text[3:].split("\n", 1)[0].strip() == ""):
        return None
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 2
    return "", 0


def read_front_matter(text: str) -> FrontMatter | None:
    """The front matter of a page, read once, with the line of every key; None when the page
    has none. A body_start of 0 means it is never closed."""
    split = split_front_matter(text)
    if split is None:
        return None
    source, body_start = split
    if not body_start:
        return FrontMatter("", 0)
    try:
        node, data = _load_yaml(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "it cannot be read"
        context = getattr(exc, "context_mark", None)
        if context is not None and context.line + 2 != line:
            problem += f"; what is open there starts on line {context.line + 2}"
        return FrontMatter(
            source,
            body_start,
            problem=problem,
            problem_line=line,
            beyond_limits=isinstance(exc, YAMLLimit),
        )
    return FrontMatter(source, body_start, node, data)


def check_limits(text: str, max_chars: int = MAX_FRONT_MATTER_CHARS) -> None:
    """Raise `YAMLLimit` (or the parser's own YAMLError) when YAML is too long, nests deeper
    than `MAX_DEPTH` or uses an alias; in time linear in the text, recursing nowhere."""
    if len(text) > max_chars:
        raise YAMLLimit(
            problem=f"is {len(text):,} characters long: careleaf reads at most {max_chars:,}",
            problem_mark=yaml.Mark("<yaml>", 0, 0, 0, None, 0),
        )
    # libyaml's parser keeps its own stack: reading events does not recurse, and stops at
    # the first event past a limit.
    parser = _SafeLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise YAMLLimit(
                    problem=f"uses an alias (*{event.anchor}): careleaf reads no aliases, "
                    "write the value out",
                    problem_mark=event.start_mark,  # type: ignore[arg-type]
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YAMLLimit(
                        problem=f"nests lists or 'name: value' lines more than {MAX_DEPTH} "
                        "deep: careleaf reads at most that",
                        problem_mark=event.start_mark,  # type: ignore[arg-type]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()


def compose_yaml(text: str, max_chars: int = MAX_FILE_CHARS) -> yaml.Node | None:
    """A YAML file's node tree (with lines), read within the limits."""
    check_limits(text, max_chars)
    return yaml.compose(text, Loader=LimitedLoader)  # type: ignore[no-any-return]


def load_yaml(text: str, max_chars: int = MAX_FILE_CHARS) -> Any:
    """A YAML file's data, read within the limits."""
    check_limits(text, max_chars)
    return yaml.load(text, Loader=LimitedLoader)  # noqa: S506 (a safe loader)


def _load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (with lines) and its data, from one parse."""
    check_limits(text)
    loader = _FrontMatterLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def _node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The deepest YAML node along a path of keys and indexes."""
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == step), None)
            if found is None:
                return node
            node = found
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            return node
    return node


def key_node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The key node for a mapping entry (its line is where the editor wrote the key)."""
    if not path:
        return root
    parent = _node_at(root, path[:-1])
    if isinstance(parent, yaml.MappingNode):
        for k, _ in parent.value:
            if k.value == path[-1]:
                return k
    return _node_at(root, path)

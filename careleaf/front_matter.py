"""A page's front matter, read once: the YAML between the two `---` lines, with the line of
every key, as careleaf's rules and MkDocs both need it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml's where installed) that keeps dates as text, so a wrong date is
    reported, not mangled."""


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
        return FrontMatter(source, body_start, problem=problem, problem_line=line)
    return FrontMatter(source, body_start, node, data)


def _load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (with lines) and its data, from one parse."""
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

"""The editable word lists behind the wording rules: careleaf/data/*.yml and a site's own."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import yaml

from careleaf.clinic import SettingsError
from careleaf.front_matter import load_yaml as load_limited

DATA = Path(__file__).resolve().parent.parent / "data"
PLAIN_WORDS = DATA / "plain-words.yml"
CLAIMS = DATA / "claims.yml"


def load_yaml(path: Path) -> Any:
    """A word list's YAML; a list that cannot be read is a settings error naming its line."""
    try:
        return load_limited(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise SettingsError(f"{where}: {problem}") from None


Loaded = TypeVar("Loaded")
# A file's version as the cache sees it: a digest of what it holds (None: unreadable). Word
# lists are small; a digest sees a same-size edit that a coarse file time would not.
_Version = bytes | None


def _version(path: Path) -> _Version:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


def versions(paths: tuple[Path, ...]) -> tuple[tuple[Path, _Version], ...]:
    """Each file with its version: what a cache of what was read from them is keyed by."""
    return tuple((path, _version(path)) for path in paths)


def cached_lists(
    maxsize: int,
) -> Callable[[Callable[[tuple[Path, ...]], Loaded]], Callable[[tuple[Path, ...]], Loaded]]:
    """A loader of word lists, remembered per list files and their versions: a list edited
    while `mkdocs serve` runs is read again at the next rebuild, an unchanged one is not."""

    def decorate(
        load: Callable[[tuple[Path, ...]], Loaded],
    ) -> Callable[[tuple[Path, ...]], Loaded]:
        @lru_cache(maxsize=maxsize)
        def remembered(versions: tuple[tuple[Path, _Version], ...]) -> Loaded:
            return load(tuple(path for path, _ in versions))

        @wraps(load)
        def loader(paths: tuple[Path, ...] = ()) -> Loaded:
            return remembered(versions(paths))

        return loader

    return decorate


CLAIM_KINDS = ("never", "cited")


def load_claim_lists(
    path: Path, name: str | None = None
) -> tuple[dict[str, list[dict[str, Any]]], frozenset[str]]:
    """A claims list's `never:` and `cited:` entries, each a mapping with a `match:` phrase (or
    a list of phrases), and the kinds of careleaf's own lists it replaces (`replace: true` for
    both, or `replace: [never]`).

    Anything of another shape is a settings error naming the file (as `name`, else its path)
    and the entry, so the claims rule can trust what it reads.
    """
    shown = name or str(path)
    data = load_yaml(path) or {}
    if not isinstance(data, dict) or set(data) - {*CLAIM_KINDS, "replace"}:
        raise SettingsError(
            f"{shown}: write the claims under 'never:' and 'cited:' (and 'replace:' to use "
            "them instead of careleaf's own)"
        )
    lists: dict[str, list[dict[str, Any]]] = {}
    for kind in CLAIM_KINDS:
        entries = data.get(kind) or []
        if not isinstance(entries, list):
            raise SettingsError(
                f"{shown}: '{kind}:' must be a list of '- match: <phrase>' entries, not {entries!r}"
            )
        for i, entry in enumerate(entries, start=1):
            _check_claim(entry, f"{shown}: {kind} entry {i}")
        lists[kind] = entries
    return lists, _replaced(data.get("replace", False), shown)


def _replaced(value: Any, shown: str) -> frozenset[str]:
    if value is True:
        return frozenset(CLAIM_KINDS)
    if value is False or value is None:
        return frozenset()
    kinds = [value] if isinstance(value, str) else value
    if not isinstance(kinds, list) or not all(k in CLAIM_KINDS for k in kinds):
        raise SettingsError(
            f"{shown}: 'replace:' must be true, false, or a list of never and cited, not {value!r}"
        )
    return frozenset(kinds)


def _check_claim(entry: Any, where: str) -> None:
    match = entry.get("match") if isinstance(entry, dict) else None
    if not (
        isinstance(match, str)
        or (isinstance(match, list) and match and all(isinstance(m, str) for m in match))
    ):
        raise SettingsError(f"{where} needs 'match: <phrase>' or a list of phrases")
    unless = entry.get("unless")
    if unless is not None and not (
        isinstance(unless, str)
        or (isinstance(unless, list) and all(isinstance(u, str) for u in unless))
    ):
        raise SettingsError(f"{where}: unless must be a phrase or a list of phrases")
    for key in ("why", "instead"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise SettingsError(f"{where}: {key} must be text, not {entry[key]!r}")
    for key in ("negatable", "hedgeable", "reportable"):
        if entry.get(key) is not None and not isinstance(entry[key], bool):
            raise SettingsError(f"{where}: {key} must be true or false, not {entry[key]!r}")
    if entry.get("severity") not in (None, "error", "warning"):
        raise SettingsError(f"{where}: severity must be 'error' or 'warning'")

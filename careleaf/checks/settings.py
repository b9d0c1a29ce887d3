"""The settings of the content rules, from the plugin's `checks` option in mkdocs.yml."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careleaf.findings import Severity

# Every rule of careleaf/checks/ with its default severity.
RULES: dict[str, Severity] = {
    "reading-grade": "warning",  # an error above `grade_error`
    "reading-grade-section": "warning",  # an error above `grade_error`
    "sentence-long": "warning",
    "paragraph-long": "warning",
    "plain-word": "warning",
    "claim-forbidden": "error",
    "claim-uncited": "warning",  # claims.yml can make one an error
    "review-overdue": "error",
    "review-due-soon": "warning",
    "review-date-future": "error",
    "source-uncited": "warning",
    "link-broken": "error",
    "anchor-broken": "error",
    "link-malformed": "error",
    "html-unsafe": "error",
    "faq-id-missing": "warning",  # the content model's one warning
}

MEASURES = ("smog", "fk", "both")


class SettingsError(ValueError):
    """The `checks` option is wrong; the message says how to fix it."""


@dataclass(frozen=True)
class CheckSettings:
    """Thresholds, severities and rules turned off; every field has a sensible default."""

    grade_warning: float = 7
    grade_error: float = 9
    grade_measure: str = "both"
    min_sentences: int = 5
    sentence_words: int = 25
    paragraph_sentences: int = 5
    review_due_days: int = 30
    plain_words: tuple[Path, ...] = ()
    claims: tuple[Path, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    disable: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, options: dict[str, Any] | None, base_dir: Path = Path(".")) -> CheckSettings:
        """Settings from the plugin's `checks` mapping; files are relative to `base_dir`."""
        options = dict(options or {})
        known = {f for f in cls.__dataclass_fields__}
        for key in options:
            if key not in known:
                raise SettingsError(
                    f"checks: unknown option '{key}' (known: {', '.join(sorted(known))})"
                )
        values: dict[str, Any] = {}
        for key in ("grade_warning", "grade_error"):
            if key in options:
                values[key] = _number(key, options[key])
        for key in (
            "min_sentences",
            "sentence_words",
            "paragraph_sentences",
            "review_due_days",
        ):
            if key in options:
                values[key] = _whole_number(key, options[key])
        if "grade_measure" in options:
            measure = str(options["grade_measure"]).lower()
            if measure not in MEASURES:
                raise SettingsError(f"checks.grade_measure must be one of {', '.join(MEASURES)}")
            values["grade_measure"] = measure
        for key in ("plain_words", "claims"):
            if key in options:
                values[key] = tuple(_file(key, p, base_dir) for p in _list(key, options[key]))
        if "claims" in options:
            # wordlists imports SettingsError from here, so it is imported when needed.
            from careleaf.checks.wordlists import load_claim_lists

            # Read now, so a list of the wrong shape is a settings error before any page is
            # checked, named as mkdocs.yml names it.
            for name, path in zip(
                _list("claims", options["claims"]), values["claims"], strict=True
            ):
                load_claim_lists(path, name)
        if "severity" in options:
            severity = options["severity"]
            if not isinstance(severity, dict):
                raise SettingsError("checks.severity must map rule ids to 'error' or 'warning'")
            for rule, level in severity.items():
                _known_rule(f"checks.severity.{rule}", rule)
                if level not in ("error", "warning"):
                    raise SettingsError(f"checks.severity.{rule} must be 'error' or 'warning'")
            values["severity"] = dict(severity)
        if "disable" in options:
            disable = _list("disable", options["disable"])
            for rule in disable:
                _known_rule("checks.disable", rule)
            values["disable"] = frozenset(disable)
        settings = cls(**values)
        if settings.grade_error < settings.grade_warning:
            raise SettingsError("checks.grade_error must be at least checks.grade_warning")
        return settings

    def level(self, rule: str, default: Severity | None = None) -> Severity:
        """The severity a rule reports with: the site's choice, else its own."""
        return self.severity.get(rule) or default or RULES[rule]


def _number(key: str, value: Any) -> float:
    # YAML reads .nan and .inf as numbers; no threshold can be compared with them.
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise SettingsError(f"checks.{key} must be a number of 0 or more, not {value!r}")
    return float(value) if isinstance(value, float) else value


def _whole_number(key: str, value: Any) -> int:
    number = _number(key, value)
    if number != int(number):
        raise SettingsError(f"checks.{key} must be a whole number, not {value!r}")
    return int(number)


def _list(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"checks.{key} must be a list of names")
    return list(value)


def _file(key: str, name: str, base_dir: Path) -> Path:
    path = (base_dir / name).resolve()
    if not path.is_file():
        raise SettingsError(f"checks.{key}: there is no file {name} (relative to mkdocs.yml)")
    return path


def _known_rule(where: str, rule: Any) -> None:
    if rule not in RULES:
        raise SettingsError(f"{where}: unknown rule '{rule}' (rules: {', '.join(RULES)})")

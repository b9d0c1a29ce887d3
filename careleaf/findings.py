"""Findings: what careleaf tells an editor about their content, one line each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in an editor's file, pointing at the line to change."""

    path: str
    line: int
    rule: str
    message: str
    severity: Severity = "error"
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        return {k: data[k] for k in ("path", "line", "column", "rule", "severity", "message")}


def errors(findings: list[Finding]) -> list[Finding]:
    """The findings that must stop a build."""
    return [f for f in findings if f.severity == "error"]

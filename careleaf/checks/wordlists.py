"""The editable word lists behind the wording rules: careleaf/data/*.yml and a site's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from careleaf.checks.settings import SettingsError

DATA = Path(__file__).resolve().parent.parent / "data"
PLAIN_WORDS = DATA / "plain-words.yml"
CLAIMS = DATA / "claims.yml"


def load_yaml(path: Path) -> Any:
    """A word list's YAML; a list that cannot be read is a settings error naming its line."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise SettingsError(f"{where}: {problem}") from None

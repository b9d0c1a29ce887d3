"""The clinic behind a site, and the errors a site's configuration can make.

Core: it knows nothing of MkDocs. `careleaf.config` reads mkdocs.yml and builds a `Clinic`
from its `extra.clinic`; what would publish wrong is refused here, so a test needs no build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class ConfigError(ValueError):
    """A careleaf setting in mkdocs.yml is not usable; the message names it and how to fix it."""


class ClinicError(ConfigError):
    """`extra.clinic` in mkdocs.yml is not usable; the message says how to fix it."""


class SettingsError(ConfigError):
    """A content rule's setting or word list is wrong; the message says how to fix it."""


_CLINIC_TEXT = ("name", "phone", "booking_url", "address")
_CLINIC_FIELDS = "(name, phone, booking_url, address, fictional)"


@dataclass(frozen=True)
class Clinic:
    """The clinic behind the site, from `extra.clinic` in mkdocs.yml."""

    name: str
    phone: str = ""
    booking_url: str = ""
    address: str = ""
    fictional: bool = False

    @classmethod
    def from_config(cls, extra: Any, site_name: str) -> Clinic:
        """The clinic of mkdocs.yml's `extra` mapping; what would publish wrong is refused."""
        if extra is not None and not isinstance(extra, dict):
            raise ClinicError(
                "extra in mkdocs.yml must be 'name: value' lines, such as 'clinic:' with the "
                f"clinic's details under it {_CLINIC_FIELDS}"
            )
        clinic = (extra or {}).get("clinic") or {}
        if not isinstance(clinic, dict):
            raise ClinicError(
                f"extra.clinic in mkdocs.yml must be 'name: value' lines {_CLINIC_FIELDS}"
            )
        text = {key: _clinic_text(clinic, key) for key in _CLINIC_TEXT}
        fictional = clinic.get("fictional")
        if fictional is not None and not isinstance(fictional, bool):
            # YAML reads `"false"` as text, and any text would count as true.
            raise ClinicError(
                f"extra.clinic.fictional in mkdocs.yml must be true or false, not {fictional!r}"
            )
        _check_booking_url(text["booking_url"])
        if text["phone"] and not re.fullmatch(r"\+?[0-9][0-9 ()./-]*", text["phone"]):
            # It becomes a tel: link a phone dials.
            raise ClinicError(
                "extra.clinic.phone in mkdocs.yml must be a phone number: digits, spaces and "
                f"+ ( ) . - only, not {text['phone']!r}"
            )
        return cls(
            name=text["name"] or site_name,
            phone=text["phone"],
            booking_url=text["booking_url"],
            address=text["address"],
            fictional=bool(fictional),
        )


def _clinic_text(clinic: dict[str, Any], key: str) -> str:
    value = clinic.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        # A list would be published as Python's ['A', 'B']; a number may not be what was
        # written (YAML reads 0123 as 83).
        raise ClinicError(
            f"extra.clinic.{key} in mkdocs.yml must be text (in quotes if need be), not {value!r}"
        )
    return value.strip()


_UNSAFE_IN_LINK = re.compile(r"[\s<>\"'`\\]")


def _check_booking_url(url: str) -> None:
    """The booking link is published on every page: only a whole web address will do."""
    if not url:
        return
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or _UNSAFE_IN_LINK.search(url)
    ):
        raise ClinicError(
            "extra.clinic.booking_url in mkdocs.yml must be a full web address starting "
            f"with https:// (or http://), such as https://clinic.example/book, not {url!r}"
        )

"""The theme files careleaf copies from Material stay Material's own, but for careleaf's
changes: a Material upgrade that changes them fails here until they are copied again."""

from __future__ import annotations

from pathlib import Path

import material
from conftest import ROOT

MATERIAL = Path(material.__file__).parent / "templates"

# careleaf's changes to Material's base.html, as (Material's text, careleaf's text).
BASE_CHANGES = [
    (
        'id="__drawer" autocomplete="off">',
        'id="__drawer">',
    ),
    (
        'id="__search" autocomplete="off">',
        'id="__search">',
    ),
    (
        '<div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" '
        'data-md-type="toc" {{ hidden }}>',
        "{#- careleaf: a hidden table of contents is not written at all (its label would\n"
        "                  name a toggle a page outside the menu does not have). -#}\n"
        "              {% if not hidden %}\n"
        '              <div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar"'
        ' data-md-type="toc">',
    ),
    (
        '                    {% include "partials/toc.html" %}\n'
        "                  </div>\n"
        "                </div>\n"
        "              </div>\n",
        '                    {% include "partials/toc.html" %}\n'
        "                  </div>\n"
        "                </div>\n"
        "              </div>\n"
        "              {% endif %}\n",
    ),
]


def _without_header(template: str) -> str:
    """The template after its opening `{#- ... -#}` comment (Material's says it is generated;
    careleaf's says what it changed)."""
    return template.split("-#}\n", 1)[1]


def test_base_html_is_materials_own_with_careleafs_changes():
    expected = _without_header((MATERIAL / "base.html").read_text())
    for theirs, ours in BASE_CHANGES:
        assert expected.count(theirs) == 1, f"Material's base.html changed near: {theirs!r}"
        expected = expected.replace(theirs, ours)
    copied = _without_header((ROOT / "overrides/base.html").read_text())
    assert copied == expected, (
        "overrides/base.html is no longer Material's base.html with careleaf's changes: "
        "copy Material's again and make the changes in BASE_CHANGES"
    )

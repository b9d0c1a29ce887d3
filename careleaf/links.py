"""The links staff share: short links, QR codes, and the published addresses that must keep
working (the URL contract), with the moves editors declare.

Core: it knows nothing of MkDocs and writes no file. It reads the site's contract file
(`published-urls.txt`, one address a line, sorted) and returns what the build publishes:
each short link with its target, the forwarding pages of moved addresses, the anchors the
browser forwards, the contract as it should now read, and one finding per address the
contract lists that the site no longer publishes.

Addresses are site paths: '/treatments/microdermabrasion/', '/treatments/x/#is-it-painful',
'/q/K7F3/'. A short link's line carries its target (`/q/K7F3/ -> /treatments/x/#id`): the
code is stored there, so it stays the same however answers are added, moved or sorted.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from careleaf.findings import Finding
from careleaf.library import Library
from careleaf.model import Treatment

# Read aloud or typed without doubt: no 0/O, no 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 4
CONTRACT_FILE = "published-urls.txt"
SHORT_ANSWERS = "q"  # /q/<code>/: one answer
SHORT_TREATMENTS = "t"  # /t/<slug>/: one treatment's page
HANDOUTS = "handouts"  # /handouts/<slug>/: the printable page
STAFF_PAGE = "staff/links.md"
SCRIPT = "assets/careleaf/careleaf.js"
MOVED_ANCHORS = "assets/careleaf/moved.json"
_ARROW = " -> "
_HEADER = (
    "# Every address this site has published: its pages, answers, sections and short links.\n"
    "# Links to them were sent, printed and put on posters, so each must keep working.\n"
    "# `make site` (careleaf links --update) adds new ones; nothing removes a line. When an\n"
    "# edit takes one away, the build fails until you declare where it went (README: Links\n"
    "# staff can share). A short link's line keeps its code: /q/<code>/ -> its answer.\n"
)


@dataclass(frozen=True)
class ShortLink:
    """A short address (`/q/K7F3/`, `/t/<slug>/`) and the full address it forwards to."""

    address: str
    target: str
    title: str  # the question or the treatment, for the staff page and the forwarding page
    treatment: str  # the treatment's slug


@dataclass(frozen=True)
class Forward:
    """A static page at an old or short address that forwards to `target`."""

    address: str
    target: str
    title: str


@dataclass(frozen=True)
class Move:
    """An old address and where it went, as an editor declared it, with the declaration's
    file and line."""

    old: str
    new: str
    path: str
    line: int


@dataclass
class Contract:
    """The contract file as read: each address with its line, and each short code's target."""

    path: str  # as findings name it
    lines: dict[str, int] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)  # short address -> target
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Links:
    """What the build publishes for links: the answers' and treatments' short links, the
    forwarding pages, the anchors the browser forwards, and the contract as it now reads."""

    answers: dict[tuple[str, str], ShortLink] = field(default_factory=dict)  # (slug, id)
    treatments: dict[str, ShortLink] = field(default_factory=dict)  # slug
    forwards: list[Forward] = field(default_factory=list)
    # Page address -> {old anchor: new address}: an old #anchor the browser forwards.
    anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    contract: list[str] = field(default_factory=list)  # the contract's lines, sorted
    findings: list[Finding] = field(default_factory=list)
    site_url: str = ""
    unrecorded: int = 0  # addresses published that the contract does not list yet

    def absolute(self, address: str) -> str:
        """The address with the site's `site_url` in front ('' without a site_url)."""
        return self.site_url.rstrip("/") + address if self.site_url else ""


def page_address(src_uri: str) -> str:
    """The site path of a Markdown page, as MkDocs makes it with directory URLs."""
    path = src_uri.rsplit(".", 1)[0]
    return "/" if path == "index" else "/" + path.removesuffix("/index") + "/"


def relative(from_address: str, to_address: str) -> str:
    """A link from the page at `from_address` to `to_address` (its #anchor kept)."""
    to, hash_, anchor = to_address.partition("#")
    link = posixpath.relpath(to, from_address.rstrip("/") or "/")
    if to.endswith("/") and link != ".":
        link += "/"
    return ("./" if link == "." else link) + hash_ + anchor


def short_code(key: str, taken: Iterable[str] = ()) -> str:
    """A short code for `key` ('<slug>#<answer id>'): the same key gives the same code in
    every build, whatever else the site holds; another key's code is never given twice."""
    used = set(taken)
    salt = 0
    while True:
        digest = hashlib.blake2b(f"{key}:{salt}".encode(), digest_size=8).digest()
        number = int.from_bytes(digest, "big")
        code = ""
        for _ in range(CODE_LENGTH):
            number, digit = divmod(number, len(ALPHABET))
            code += ALPHABET[digit]
        if code not in used:
            return code
        salt += 1


def read_contract(path: Path | None, shown: str) -> Contract | None:
    """The contract file's addresses with their lines; None when the site has none yet."""
    if path is None or not path.is_file():
        return None
    contract = Contract(shown)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        contract.findings.append(
            Finding(shown, 1, "contract-syntax", f"the file cannot be read as UTF-8 text ({exc})")
        )
        return contract
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        address, arrow, target = (part.strip() for part in line.partition(_ARROW.strip()))
        if not address.startswith("/") or (arrow and not target.startswith("/")):
            contract.findings.append(
                Finding(
                    shown,
                    number,
                    "contract-syntax",
                    f"'{line}' is not an address of this site: write '/path/', "
                    "'/path/#id' or '/q/<code>/ -> /path/#id'",
                )
            )
            continue
        contract.lines.setdefault(address, number)
        if arrow:
            contract.targets[address] = target
    return contract


def declared_moves(
    library: Library, site_moves: dict[str, str], config_path: str, config_text: str
) -> list[Move]:
    """Every move declared: `moved_from` and `moved_answers` in each treatment's front
    matter, and careleaf's `moved` in mkdocs.yml."""
    moves = []
    for t in library.treatments:
        page = page_address(library.src_uri(t))
        for old in _text_list(t.meta.get("moved_from")):
            line = t.value_line("moved_from", old)
            if old.startswith("/"):  # any page of the site
                moves.append(Move(_as_page(old), page, t.path, line))
                continue
            # A treatment's old file name: its page, short link and handout all moved.
            handout = _named_by(library.folder, t.slug)[2]
            for was, new in zip(_named_by(library.folder, old), (page, page, handout), strict=True):
                moves.append(Move(was, new, t.path, line))
        answers = t.meta.get("moved_answers")
        if isinstance(answers, dict):
            for old_id, new_id in answers.items():
                if isinstance(old_id, str) and isinstance(new_id, str):
                    line = t.value_line("moved_answers", old_id)
                    moves.append(Move(f"{page}#{old_id}", f"{page}#{new_id}", t.path, line))
    for old, new in site_moves.items():
        moves.append(Move(old, new, config_path, _line_of(config_text, old)))
    return moves


def _text_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _as_page(address: str) -> str:
    path, hash_, anchor = address.partition("#")
    path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    return path + hash_ + anchor


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def treatment_addresses(library: Library, t: Treatment) -> list[str]:
    """A treatment page's address and the anchors of its sections and answers."""
    page = page_address(library.src_uri(t))
    return [
        page,
        *(f"{page}#{s.anchor}" for s in t.ordered_sections),
        *(f"{page}#{faq.id}" for faq in t.faqs),
    ]


class _Addresses:
    """The addresses a build publishes (`live`), and where each moved one now leads."""

    def __init__(self, live: set[str], moves: list[Move]) -> None:
        self.live = live
        self.moved: dict[str, Move] = {}
        for move in moves:
            self.moved.setdefault(_as_page(move.old), move)

    def resolve(self, address: str) -> str | None:
        """The published address `address` leads to (itself, or where it moved), or None."""
        for _ in range(32):  # a chain of moves, never a loop
            if address in self.live:
                return address
            if address in self.moved:
                address = _as_page(self.moved[address].new)
                continue
            page, hash_, anchor = address.partition("#")
            if hash_ and page in self.moved:  # an anchor of a page that moved moved with it
                address = f"{_as_page(self.moved[page].new).partition('#')[0]}#{anchor}"
                continue
            return None
        return None


def _named_by(folder: str, slug: str) -> tuple[str, str, str]:
    """The addresses a treatment's file name gives: its page, its short link, its handout."""
    return (f"/{folder}/{slug}/", f"/{SHORT_TREATMENTS}/{slug}/", f"/{HANDOUTS}/{slug}/")


def make_links(
    library: Library,
    pages: Iterable[str],
    moves: list[Move],
    contract: Contract | None,
    site_url: str = "",
) -> Links:
    """The short links, forwarding pages and forwarded anchors of a site whose Markdown
    pages are `pages` (src_uris), judged against its contract (None: the site has none)."""
    links = Links(site_url=site_url)
    live = {page_address(p) for p in pages}
    for t in library.treatments:
        live.update(treatment_addresses(library, t))
    addresses = _Addresses(live, moves)
    links.findings += _unknown_targets(moves, addresses)
    shorts = _short_links(library, links, addresses, contract.targets if contract else {})
    live.update(shorts)
    links.forwards += [Forward(s.address, s.target, s.title) for s in shorts.values()]
    titles = {s.target: s.title for s in shorts.values()}
    titles.update((f"/{HANDOUTS}/{t.slug}/", f"{t.title}: a handout") for t in library.treatments)
    olds = {_as_page(m.old) for m in moves} | set(contract.lines if contract else ())
    _forward_old(sorted(olds), links, addresses, titles)
    # The contract as it should now read: what is published, and every line it had.
    lines = {a: a for a in live if not a.startswith(f"/{SHORT_ANSWERS}/")}
    for s in shorts.values():
        if s.address.startswith(f"/{SHORT_ANSWERS}/"):
            lines[s.address] = f"{s.address}{_ARROW}{s.target}"
    if contract is not None:
        links.findings += contract.findings
        files = {page_address(library.src_uri(t)): t.path for t in library.treatments}
        # A treatment whose file cannot be read now still has its addresses: its file's own
        # finding says what to fix, not one line for each address it published.
        held = {
            address for slug in library.unreadable for address in _named_by(library.folder, slug)
        }
        links.findings += _missing(contract, addresses.resolve, files, held)
        for old in contract.lines:
            if old not in lines:  # forwarded, or missing (and reported): kept
                stored_target = contract.targets.get(old)
                lines[old] = f"{old}{_ARROW}{stored_target}" if stored_target else old
        links.unrecorded = sum(1 for a in lines if a not in contract.lines)
    links.contract = [lines[a] for a in sorted(lines)]
    return links


def _unknown_targets(moves: list[Move], addresses: _Addresses) -> list[Finding]:
    return [
        Finding(
            move.path,
            move.line,
            "move-target-unknown",
            f"{move.old} is declared moved to {move.new}, which this site does not "
            "publish: name a page or an answer id that exists",
        )
        for move in moves
        if addresses.resolve(_as_page(move.new)) is None
    ]


def _short_links(
    library: Library, links: Links, addresses: _Addresses, stored: dict[str, str]
) -> dict[str, ShortLink]:
    """Every short link by its address: each treatment's, each answer's (kept in `links`),
    and those the contract stores for answers that moved."""
    # Each answer keeps the code stored for it (or for the answer it replaced); a new
    # answer is given one no other address holds.
    by_target: dict[str, list[str]] = {}
    for short, target in sorted(stored.items()):
        if (now := addresses.resolve(target)) is not None:
            by_target.setdefault(now, []).append(short)
    taken = {a.strip("/").rpartition("/")[2] for a in stored}
    for t in library.treatments:
        page = page_address(library.src_uri(t))
        links.treatments[t.slug] = ShortLink(
            f"/{SHORT_TREATMENTS}/{t.slug}/", page, t.title, t.slug
        )
        for faq in t.faqs:
            target = f"{page}#{faq.id}"
            held = by_target.get(target)
            if held:
                address = held[0]
            else:
                code = short_code(f"{t.slug}#{faq.id}", taken)
                taken.add(code)
                address = f"/{SHORT_ANSWERS}/{code}/"
            links.answers[(t.slug, faq.id)] = ShortLink(
                address, target, f"{faq.question} · {t.title}", t.slug
            )
    shorts = {s.address: s for s in (*links.treatments.values(), *links.answers.values())}
    titles = {s.target: s.title for s in shorts.values()}
    for short, target in stored.items():
        if short not in shorts and (now := addresses.resolve(target)) is not None:
            slug = now.strip("/").split("/")[-1].partition("#")[0]
            shorts[short] = ShortLink(short, now, titles.get(now, now), slug)
    return shorts


def _forward_old(
    olds: list[str], links: Links, addresses: _Addresses, titles: dict[str, str]
) -> None:
    """Old addresses, declared or in the contract: a forwarding page for each old page, and
    each old anchor for the browser to forward (kept in `links`)."""
    for old in olds:
        if "#" in old or old in addresses.live or (went := addresses.resolve(old)) is None:
            continue
        links.forwards.append(Forward(old, went, titles.get(went, went)))
        addresses.live.add(old)
    forwarded = {f.address: f.target for f in links.forwards}
    for old in olds:
        page, hash_, anchor = old.partition("#")
        if not hash_ or old in addresses.live or (went := addresses.resolve(old)) is None:
            continue
        # A page that moved forwards its #anchor as it is: the page it lands on forwards it.
        landing = forwarded.get(page, page).partition("#")[0]
        if went != f"{landing}#{anchor}":
            links.anchors.setdefault(landing, {})[anchor] = went


def _missing(
    contract: Contract,
    resolve: Callable[[str], str | None],
    files: dict[str, str],
    held: set[str],
) -> list[Finding]:
    """One finding per address the contract lists that the site no longer publishes
    (`files`: the treatment file of each page address; `held`: the pages of the treatment
    files that cannot be read now, whose addresses are not reported)."""

    def in_held(address: str | None) -> bool:
        return address is not None and address.partition("#")[0] in held

    gone = {
        a
        for a in contract.lines
        if resolve(a) is None and not in_held(a) and not in_held(contract.targets.get(a))
    }
    found = []
    for address in sorted(gone, key=lambda a: contract.lines[a]):
        target = contract.targets.get(address)
        if target is not None and target in gone:
            continue  # a short link to a removed answer: that answer's line says it
        page, hash_, anchor = address.partition("#")
        if target is not None:
            how = f"it forwarded to {target}: declare where that went"
        elif hash_:
            how = (
                f"give the answer or section its id '{anchor}' back, or declare where it went: "
                f"'moved_answers: {{{anchor}: new-id}}' in the front matter of "
                f"{files.get(page, 'the treatment at ' + page)}, or under careleaf's 'moved:' "
                "in mkdocs.yml"
            )
        else:
            slug = page.strip("/").rpartition("/")[2]
            how = (
                f"declare where it went: 'moved_from: [{slug}]' in the front matter of the "
                "treatment that replaces it, or under careleaf's 'moved:' in mkdocs.yml"
            )
        found.append(
            Finding(
                contract.path,
                contract.lines[address],
                "url-removed",
                f"{address} was published and is no longer: {how}",
            )
        )
    return found


def contract_text(lines: list[str]) -> str:
    """The contract file's text: the header, then one address a line, sorted."""
    return _HEADER + "".join(f"{line}\n" for line in lines)


# --- QR codes ------------------------------------------------------------------------------

# In a QR code's alphanumeric mode (upper-case letters, digits and ' $%*+-./:') each
# character takes 5.5 bits instead of 8. A web address's scheme and host are the same in
# upper case, so they always fit it; the path is kept as it is, in the mode it fits.
_QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def qr_segments(url: str) -> list[tuple[str, str]]:
    """`url` as QR segments: the longest runs that fit alphanumeric mode, the rest as bytes."""
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    text = (scheme.upper() + sep + host.upper() + slash + path) if sep else url
    runs: list[tuple[str, str]] = []
    for char in text:
        mode = "alphanumeric" if char in _QR_ALPHANUMERIC else "byte"
        if runs and runs[-1][1] == mode:
            runs[-1] = (runs[-1][0] + char, mode)
        else:
            runs.append((char, mode))
    # A short alphanumeric run costs more as a segment of its own (its mode and length
    # take 13 bits) than as bytes: it joins the bytes around it.
    segments: list[tuple[str, str]] = []
    for i, (part, mode) in enumerate(runs):
        if mode == "alphanumeric" and len(part) < _SHORTEST_RUN and i > 0:
            mode = "byte"
        if segments and segments[-1][1] == mode:
            segments[-1] = (segments[-1][0] + part, mode)
        else:
            segments.append((part, mode))
    return segments


_SHORTEST_RUN = 6


@cache  # `mkdocs serve` makes each code once, not at every save
def qr_svg(url: str, title: str) -> str:
    """An SVG QR code of `url` (its quiet zone included), in the segments `qr_segments`
    gives; sized by the page that shows it."""
    import io

    import segno
    from segno import consts

    modes = {"alphanumeric": consts.MODE_ALPHANUMERIC, "byte": consts.MODE_BYTE}
    mixed = [(text, modes[mode]) for text, mode in qr_segments(url)]
    # segno tries the 8 masks and keeps the one the standard scores best (ISO/IEC 18004): 4 of
    # the 5 ms a code takes, kept for codes that scan from a worn or badly printed sheet.
    code = segno.make(mixed, error="m", micro=False)  # type: ignore[arg-type]
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        title=title,
        border=4,  # the quiet zone a reader needs, in the image itself
        scale=1,
        omitsize=True,
        dark="#000",
        light="#fff",
    )
    return out.getvalue().decode("utf-8")

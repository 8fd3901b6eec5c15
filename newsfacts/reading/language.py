"""The article's language, identified by a library (py3langid), never guessed from word lists."""

from __future__ import annotations

import contextlib
from functools import cache
from pathlib import Path
from typing import Any

SAMPLE_CHARS = 4000  # enough to tell a language; bounds the work on a 100 kB article


@cache
def _identifier() -> Any:
    """py3langid's identifier. Its model ships LZMA-compressed, and unpacking it costs about 0.7 s of
    CPU in every reading worker as it starts (a worker killed at its deadline is replaced): the
    unpacked arrays are kept once in the user cache, and read from there (about 0.1 s)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = Path(MODEL_FILE) if Path(MODEL_FILE).is_absolute() else Path(MODEL_DIR) / MODEL_FILE
    unpacked = _unpacked(source)
    if unpacked is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    import numpy as np
    from py3langid.modelio import _to_array

    with np.load(unpacked, allow_pickle=False) as data:  # the arrays py3langid's load_model reads
        return LanguageIdentifier(
            np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
            _to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
            tk_row=_to_array(data["nextmove_row"]),
        )  # fmt: skip


def _unpacked(source: Path) -> Path | None:
    """The model's unpacked copy in the user cache (written once, atomically), or None where the
    cache cannot be written: the identifier then unpacks the model itself."""
    import lzma
    import os
    import shutil
    import tempfile
    from importlib.metadata import version

    from platformdirs import user_cache_dir

    try:
        stat = source.stat()
        folder = Path(user_cache_dir("newsfacts")) / "langid"
        target = folder / f"model-{version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}.npz"
        if target.exists():
            return target
        folder.mkdir(parents=True, exist_ok=True)
        fd, part = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out, lzma.open(source) as src:
                shutil.copyfileobj(src, out, length=1 << 20)
            os.replace(part, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)
        return target
    except (OSError, lzma.LZMAError):
        return None


def detect(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of ``text``: the request's declared language when given, else the
    identifier's best guess over the article's start ("und" for text with no letters)."""
    if declared:
        return declared.strip().lower()[:2]
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return "und"
    code, _prob = _identifier().classify(sample)
    return str(code)


LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
    "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "nl": "Dutch", "pl": "Polish", "tr": "Turkish",
    "fa": "Persian", "he": "Hebrew", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "hi": "Hindi",
    "ur": "Urdu", "id": "Indonesian", "ms": "Malay", "ro": "Romanian", "el": "Greek", "cs": "Czech",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "hu": "Hungarian", "bg": "Bulgarian",
    "sr": "Serbian", "hr": "Croatian", "ca": "Catalan", "vi": "Vietnamese", "th": "Thai", "sw": "Swahili",
}  # fmt: skip


def language_name(code: str) -> str | None:
    """The English name of a language for the prompt; None for English (the prompt's own language)."""
    if code == "en":
        return None
    return LANGUAGE_NAMES.get(code)

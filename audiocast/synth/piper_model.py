"""Loading a Piper model for audiocast: one onnxruntime thread, a chosen device, seeded noise.

Piper's VITS models draw their noise with ``RandomNormalLike`` nodes whose generator is seeded
once per session and advances with every run, so the same sentence sounds different each time
and depends on what the worker spoke before. Each such node is replaced by a slice of a noise
input that the caller fills from a generator seeded per clip: the same request then gives the
same audio in any worker, in any order. The edited copy, its decoder split off to run in pieces
(see ``piper_decoder``), is written once to the clip cache folder (``prepare_model``, done while
casting checks the voice), so workers load it by path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EngineError, VoiceError
from .piper_decoder import decode_in_pieces, split_decoder

NOISE_INPUT = "audiocast_noise_{}"
DEVICES = ("cpu", "cuda")
CUDA_PROVIDER = "CUDAExecutionProvider"


def providers_for(device: str) -> list[Any]:
    """onnxruntime providers for ``device``; ``EngineError`` when CUDA is asked and absent."""
    if device not in DEVICES:
        raise EngineError(f"unknown device {device!r}", hint=f"choose from {', '.join(DEVICES)}")
    if device == "cpu":
        return ["CPUExecutionProvider"]
    import onnxruntime

    if CUDA_PROVIDER not in onnxruntime.get_available_providers():
        raise EngineError(
            "--device cuda: this onnxruntime has no CUDA provider "
            f"(it has {', '.join(onnxruntime.get_available_providers())})",
            hint="pip install onnxruntime-gpu (with a CUDA GPU and drivers), or use --device cpu",
        )
    return [(CUDA_PROVIDER, {"cudnn_conv_algo_search": "HEURISTIC"}), "CPUExecutionProvider"]


def read_model(path: Path) -> Any:
    """The ONNX model at ``path``; a one-line ``VoiceError`` when it is not a usable model."""
    import onnx

    try:
        model = onnx.load(str(path))
    except Exception as exc:  # protobuf's DecodeError and friends: the file is damaged
        raise VoiceError(
            f"Piper model is not a valid ONNX file ({type(exc).__name__})",
            path=path,
            hint="download the voice again (`audiocast voices add NAME`)",
        ) from None
    inputs = {i.name for i in model.graph.input}
    if not {"input", "input_lengths", "scales"} <= inputs:
        raise VoiceError(
            "not a Piper voice model (it lacks the inputs input, input_lengths, scales)",
            path=path,
        )
    return model


def seed_noise(model: Any) -> int:
    """Replace every ``RandomNormalLike`` node of ``model`` by a slice of a new 1-D float input
    (``NOISE_INPUT``), tiled when shorter than needed. Returns how many inputs were added."""
    from onnx import TensorProto, helper

    graph = model.graph
    added = 0
    nodes = list(graph.node)
    rebuilt = []
    one = helper.make_tensor("audiocast_one", TensorProto.INT64, [1], [1])
    zero = helper.make_tensor("audiocast_zero", TensorProto.INT64, [1], [0])
    for node in nodes:
        if node.op_type != "RandomNormalLike":
            rebuilt.append(node)
            continue
        noise = NOISE_INPUT.format(added)
        p = f"audiocast_n{added}_"
        graph.input.append(helper.make_tensor_value_info(noise, TensorProto.FLOAT, ["n"]))
        x, y = node.input[0], node.output[0]
        rebuilt += [
            helper.make_node("Shape", [x], [p + "shape"]),
            helper.make_node("ReduceProd", [p + "shape"], [p + "count"], keepdims=1),
            helper.make_node("Shape", [noise], [p + "have"]),
            # ceil(count / have) repeats, in integers: (count + have - 1) / have
            helper.make_node("Add", [p + "count", p + "have"], [p + "sum"]),
            helper.make_node("Sub", [p + "sum", "audiocast_one"], [p + "top"]),
            helper.make_node("Div", [p + "top", p + "have"], [p + "repeats"]),
            helper.make_node("Tile", [noise, p + "repeats"], [p + "tiled"]),
            helper.make_node("Slice", [p + "tiled", "audiocast_zero", p + "count"], [p + "flat"]),
            helper.make_node("Reshape", [p + "flat", p + "shape"], [y]),
        ]
        added += 1
    if added:
        graph.initializer.extend([one, zero])
        del graph.node[:]
        graph.node.extend(rebuilt)
    return added


@dataclass
class LoadedModel:
    """onnxruntime sessions of a prepared Piper model: the encoder and its decoder, or (for a
    model that could not be split) the whole model as ``session`` and no ``decoder``."""

    session: Any
    noise_inputs: int
    has_speaker_input: bool
    decoder: Any | None = None
    boundary: tuple[str, ...] = ()

    def run(
        self,
        phoneme_ids: list[int],
        scales: tuple[float, float, float],
        speaker: int | None,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Float audio for one sentence's phoneme ids; noise drawn from ``rng``."""
        ids = np.array([phoneme_ids], dtype=np.int64)
        feed: dict[str, Any] = {
            "input": ids,
            "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
            "scales": np.array(scales, dtype=np.float32),
        }
        if self.has_speaker_input:
            feed["sid"] = np.array([speaker or 0], dtype=np.int64)
        # Enough for typical durations (a phoneme id lasts a few frames of 192 channels);
        # a longer need tiles the buffer, which is still deterministic.
        frames = len(phoneme_ids) * 8 * max(1.0, scales[1])
        for n in range(self.noise_inputs):
            size = int(frames * 192) if n == self.noise_inputs - 1 else 2 * len(phoneme_ids)
            feed[NOISE_INPUT.format(n)] = rng.standard_normal(max(size, 1), dtype=np.float32)
        result = self.session.run(None, feed)
        if self.decoder is not None:
            return decode_in_pieces(self.decoder, self.boundary, result)
        return np.asarray(result[0], dtype=np.float32).reshape(-1)


PATCH_FORMAT = 2
"""Bumped when ``seed_noise`` or ``split_decoder`` changes: older prepared copies are then not
used."""
WHOLE, ENCODER, DECODER = "model.onnx", "encoder.onnx", "decoder.onnx"


@dataclass(frozen=True)
class PreparedModel:
    """The folder of a model's prepared copy: ``encoder.onnx`` and ``decoder.onnx``, or
    ``model.onnx`` for a model that could not be split."""

    folder: Path

    @property
    def split(self) -> bool:
        return (self.folder / DECODER).is_file()


def prepared_folder(path: Path) -> Path:
    """Where the prepared copy of the model at ``path`` is kept, in the clip cache folder
    (named by the model's path, size and time, so a replaced model gets a new copy)."""
    from .cache import default_cache_dir

    stat = path.stat()
    identity = f"{PATCH_FORMAT}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
    return default_cache_dir() / "piper-models" / f"{path.stem}-{digest}"


def prepare_model(path: Path) -> PreparedModel:
    """The prepared copy of the model at ``path`` (noise seeded, decoder split off), made once
    and reused by every worker: a worker that loads it never holds the model's protobuf
    (about 100 MB it would keep). Checks the model on the way, raising ``VoiceError`` when it
    is damaged."""
    target = prepared_folder(path)
    if target.is_dir():
        return PreparedModel(target)
    model = read_model(path)
    seed_noise(model)
    halves = split_decoder(model)
    parts = {WHOLE: model} if halves is None else {ENCODER: halves.encoder, DECODER: halves.decoder}
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
        for name, part in parts.items():
            (tmp / name).write_bytes(part.SerializeToString())
        try:
            os.replace(tmp, target)  # the folder appears whole, or not at all
        except OSError:
            if not target.is_dir():
                raise
            # Another process prepared the same model meanwhile: its copy is as good.
        # The first layout's single-file copies (PATCH_FORMAT 1): 60 MB each, no longer read.
        for stale in target.parent.glob("*.onnx"):
            stale.unlink(missing_ok=True)
        return PreparedModel(target)
    except OSError as exc:
        raise EngineError(
            f"cannot keep the prepared Piper model: {exc.strerror}", path=target.parent
        ) from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _session(path: Path, providers: list[Any], model: Path) -> Any:
    import onnxruntime

    session_options = onnxruntime.SessionOptions()
    # One thread per worker: the pool runs one worker per core, and measured here a second
    # thread makes each clip only a little faster for twice the CPU.
    session_options.intra_op_num_threads = 1
    session_options.inter_op_num_threads = 1
    session_options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # onnxruntime's CPU arena and memory patterns keep the largest buffers a run ever needed
    # (a long sentence's decoder output) for the session's life: measured here, a worker grew
    # from 190 MB to 410 MB over 33 sentences with them, and stayed flat without them, for
    # no measurable loss of speed.
    session_options.enable_cpu_mem_arena = False
    session_options.enable_mem_pattern = False
    try:
        return onnxruntime.InferenceSession(
            str(path), sess_options=session_options, providers=providers
        )
    except Exception as exc:  # onnxruntime's own errors: a model it cannot run
        raise VoiceError(
            f"onnxruntime cannot load the Piper model: {str(exc).splitlines()[0][:200]}",
            path=model,
        ) from None


def load_model(path: Path, device: str = "cpu") -> LoadedModel:
    """A ``LoadedModel`` for the ``.onnx`` at ``path``, running on one thread of ``device``."""
    providers = providers_for(device)
    prepared = prepare_model(path)
    if not prepared.split:
        session = _session(prepared.folder / WHOLE, providers, path)
        decoder, boundary = None, ()
    else:
        session = _session(prepared.folder / ENCODER, providers, path)
        decoder = _session(prepared.folder / DECODER, providers, path)
        boundary = tuple(i.name for i in decoder.get_inputs())
    names = {i.name for i in session.get_inputs()}
    noise_inputs = sum(1 for n in names if n.startswith(NOISE_INPUT.format("")))
    return LoadedModel(session, noise_inputs, "sid" in names, decoder, boundary)

"""``render-all --cluster``: a real Dask ``LocalCluster`` of 2 worker processes on 127.0.0.1.

The cluster is started once for the module and stops by itself at the end.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import decode, decode_errors, run_cli

distributed = pytest.importorskip("distributed")

from audiocast.catalogue import render_all  # noqa: E402
from audiocast.pipeline import RenderOptions, render  # noqa: E402

SCRIPTS = {
    "kites.txt": "---\ntitle: Flying Kites\n---\nAna: What wind is best?\n\n"
    "Ben: A steady breeze, not a gusty one.\n\nAna: And the string?\n\n"
    "Ben: Light line, and plenty of it.\n",
    "bread.txt": "---\ntitle: Slow Bread\n---\nAna: Why rest the dough overnight?\n\n"
    "Ben: The flavour deepens while you sleep.\n",
    "tides.txt": "---\ntitle: Reading Tides\n---\nAna: How often does the tide turn?\n\n"
    "Ben: About every six hours.\n",
}
BARE = RenderOptions(use_intro=False, use_outro=False)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with (
        pytest.MonkeyPatch.context() as mp,
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # None still binds port 8787 on every interface (and fails when it is taken):
            # an ephemeral loopback port keeps the HTTP endpoint private and free.
            dashboard_address="127.0.0.1:0",
            silence_logs=40,
        ) as local,
    ):
        mp.delenv("AUDIOCAST_FAKE_FAULTS", raising=False)
        yield local.scheduler_address


def catalogue(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SCRIPTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_batch_gives_the_audio_of_each_render_alone_and_reruns_nothing(
    cluster: str, tmp_path: Path
) -> None:
    # eSpeak NG's output differs process to process, so "alone" renders from the clip cache
    # the cluster filled: what is compared is the mix, master and encode done on a worker.
    folder = catalogue(tmp_path / "scripts")
    show = tmp_path / "show"
    options = dataclasses.replace(BARE, cache_dir=tmp_path / "cache")
    result = render_all([folder], show, options, cluster=cluster)
    assert [o.status for o in result.outcomes] == ["rendered"] * 3, result.outcomes
    for outcome in result.outcomes:
        assert outcome.output is not None and outcome.duration
        alone = tmp_path / f"alone-{outcome.output.name}"
        render(outcome.source, dataclasses.replace(options, output=alone, jobs=1))
        assert np.array_equal(decode(alone), decode(outcome.output)), outcome.output.name

    stamps = {p.name: p.stat().st_mtime_ns for p in show.iterdir()}
    again = render_all([folder], show, options, cluster=cluster)
    assert [o.status for o in again.outcomes] == ["unchanged"] * 3
    assert {p.name: p.stat().st_mtime_ns for p in show.iterdir()} == stamps


def test_a_worker_killed_mid_batch_still_gives_complete_episodes(
    cluster: str, tmp_path: Path
) -> None:
    folder = catalogue(tmp_path / "scripts")
    show = tmp_path / "show"
    options = dataclasses.replace(BARE, cache_dir=tmp_path / "fresh-cache")
    killed: list[int] = []

    def kill_a_busy_worker(done: int, total: int) -> None:
        if killed:
            return
        with distributed.Client(cluster, timeout=10) as client:
            busy = [w for w, keys in client.processing().items() if keys]
            if not busy:
                return
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    result = render_all([folder], show, options, cluster=cluster, progress=kill_a_busy_worker)
    assert killed, "no worker was busy to kill"
    assert [o.status for o in result.outcomes] == ["rendered"] * 3, result.outcomes
    for outcome in result.outcomes:
        assert outcome.output is not None and outcome.duration
        samples = decode(outcome.output)
        assert abs(samples.size / 44_100 - outcome.duration) < 0.2


def test_an_unreachable_scheduler_is_one_line_naming_it(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = catalogue(tmp_path / "scripts")
    address = f"tcp://127.0.0.1:{port}"
    done = run_cli("render-all", folder, "-o", tmp_path / "show", "--cluster", address)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and address in lines[0], done.stderr
    assert lines[0].startswith("audiocast: error: cannot reach the Dask scheduler")
    assert not (tmp_path / "show").exists() or not any((tmp_path / "show").glob("*.mp3"))


def test_ctrl_c_cancels_the_clusters_work_and_leaves_no_half_episode(
    cluster: str, tmp_path: Path
) -> None:
    folder = catalogue(tmp_path / "scripts")
    show = tmp_path / "show"
    options = dataclasses.replace(BARE, cache_dir=tmp_path / "cache")

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_all([folder], show, options, cluster=cluster, progress=interrupt)
    with distributed.Client(cluster, timeout=10) as client:
        deadline = time.monotonic() + 30
        while client.run_on_scheduler(_audiocast_tasks) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.run_on_scheduler(_audiocast_tasks) == 0
    # Episode files appear only complete (written under a temporary name, then renamed).
    for episode in show.glob("*.mp3") if show.exists() else []:
        assert decode_errors(episode) == "", episode


def _audiocast_tasks(dask_scheduler: object) -> int:
    tasks = dask_scheduler.tasks  # type: ignore[attr-defined]
    return sum(1 for key in tasks if str(key).startswith("audiocast-"))


@pytest.mark.parametrize("spec", ["local:0", "nowhere"])
def test_a_bad_cluster_spec_is_a_usage_error(spec: str) -> None:
    from audiocast.errors import UsageError
    from audiocast.synth.dask_executor import open_client

    with pytest.raises(UsageError), open_client(spec):
        pass

"""Reading a pipe ahead (``export.read_ahead``): the bytes in order, and a reader that stops
early still lets the writer finish."""

from __future__ import annotations

import subprocess
import sys

from audiocast.export.read_ahead import BLOCK, BLOCKS, ReadAhead

WRITER = "import sys; sys.stdout.buffer.write(bytes(range(256)) * (int(sys.argv[1]) // 256))"


def writer(size: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(size)], stdout=subprocess.PIPE)


def test_reads_every_byte_in_order_in_any_read_sizes() -> None:
    size = 3 * BLOCK + 256 * 7
    proc = writer(size)
    assert proc.stdout is not None
    reader = ReadAhead(proc.stdout)
    got = bytearray()
    for n in [1, 1000, BLOCK + 3, 5, 2 * BLOCK]:
        got += reader.read(n)
    while more := reader.read(4096):
        got += more
    reader.close()
    proc.stdout.close()
    assert proc.wait(timeout=30) == 0
    assert bytes(got) == bytes(range(256)) * (size // 256)


def test_a_reader_that_stops_early_lets_the_writer_finish() -> None:
    proc = writer((BLOCKS + 8) * BLOCK)  # more than the read-ahead holds, and than a pipe
    assert proc.stdout is not None
    reader = ReadAhead(proc.stdout)
    assert reader.read(10) == bytes(range(10))
    reader.close()
    proc.stdout.close()
    assert proc.wait(timeout=30) == 0

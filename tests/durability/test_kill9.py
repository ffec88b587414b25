"""Invariant 1: an acknowledged edit survives `kill -9` of the server at any moment.

One server process is killed and restarted on the same data directory, round after round. In
each round a client streams edits (one caption each, a save every few edits) until the server
dies under it at a random moment; after the restart everything the client saw acknowledged must
be there, and every saved version must be whole.

The kill moments come from a seeded RNG; the seed is in every assertion message, and setting
DURABILITY_SEED replays a run's delays (the timing of a crash itself cannot be replayed exactly).
"""

from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from durability.conftest import load_version
from support.api import Api, caption_texts
from support.server import ServerProcess

pytestmark = pytest.mark.slow

ROUNDS = 20
SAVE_EVERY = 3
MAX_EDITS = 5000
"""Bounds a round whose kill never lands, so a broken kill fails instead of hanging."""
SEED = int(os.environ.get("DURABILITY_SEED", random.SystemRandom().randrange(2**32)))


@dataclass
class Stream:
    """What one client saw of the server before it died."""

    draft_url: str
    prefix: str
    sent: list[str] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    saves: dict[int, int] = field(default_factory=dict)
    """Acknowledged version number -> the revision (edit count) it published."""
    failures: list[str] = field(default_factory=list)
    """Answers other than 200 while the server was alive: never expected."""
    first_ack: threading.Event = field(default_factory=threading.Event)
    """Set once the first edit is acknowledged (or the stream ended without one)."""


def stream_edits(base_url: str, stream: Stream) -> None:
    """Send edits and saves one after the other until the connection breaks."""
    with Api(base_url, timeout=10) as client:
        try:
            for number in range(MAX_EDITS):
                text = f"{stream.prefix}-{number}"
                stream.sent.append(text)
                response = client.post_captions(stream.draft_url, [text])
                if response.status_code != 200:
                    stream.failures.append(f"add_captions {text}: {response.text}")
                    return
                stream.acked.append(text)
                stream.first_ack.set()
                if number % SAVE_EVERY == SAVE_EVERY - 1:
                    response = client.post("save_draft", {"draft_url": stream.draft_url})
                    if response.status_code != 200:
                        stream.failures.append(f"save_draft: {response.text}")
                        return
                    saved = response.json()
                    stream.saves[saved["version"]] = saved["current_version"]
        except httpx.TransportError:
            return
        finally:
            stream.first_ack.set()  # also when it ends early, so the test never waits in vain


def check_round(client: Api, stream: Stream, root: Path, why: str) -> list[str]:
    """Assert the restarted server holds every acknowledged edit and whole versions.

    Returns the caption texts the draft holds now.
    """
    info = client.info(stream.draft_url)
    texts = caption_texts(info)
    acked = len(stream.acked)
    # Edits were sent one at a time, so the draft is the acknowledged ones, plus perhaps the
    # one in flight when the server died; never a gap, a duplicate or a stranger.
    assert texts in (stream.sent[:acked], stream.sent[: acked + 1]), (why, texts, stream.sent)
    assert info["current_version"] == len(texts), (why, info)
    assert info["segment_count"] == len(texts), (why, info)

    versions = client.versions(stream.draft_url)
    numbers = [v["version"] for v in versions]
    assert numbers == list(range(1, len(numbers) + 1)), (why, numbers)
    assert set(stream.saves) <= set(numbers), (why, stream.saves, numbers)
    assert len(numbers) <= len(stream.saves) + 1, (why, stream.saves, numbers)
    assert info["last_saved_version"] == (numbers[-1] if numbers else None), (why, info)
    for version in versions:
        number, revision = version["version"], version["current_version"]
        assert stream.saves.get(number, revision) == revision, (why, version, stream.saves)
        assert version["segment_count"] == revision, (why, version)
        summary = load_version(client, stream.draft_url, number, root / stream.prefix)
        assert summary.captions == texts[:revision], (why, number, summary.captions, texts)
    return texts


def test_acknowledged_edits_survive_kill_9(unlimited_server: ServerProcess, tmp_path: Path) -> None:
    server = unlimited_server
    rng = random.Random(SEED)
    survivors: list[tuple[Stream, list[str], int]] = []
    with Api(server.base_url) as client:
        for round_number in range(ROUNDS):
            stream = Stream(client.create_draft(), prefix=f"r{round_number}")
            delay = rng.uniform(0.05, 0.6)
            why = f"seed {SEED}, round {round_number}, kill after {delay:.3f} s"
            writer = threading.Thread(target=stream_edits, args=(server.base_url, stream))
            writer.start()
            # Count from the first acknowledgement, so a slow start cannot eat the whole delay.
            assert stream.first_ack.wait(timeout=30), why
            assert stream.acked, (why, stream.failures)
            time.sleep(delay)
            server.kill()
            writer.join(timeout=30)
            assert not writer.is_alive(), why
            assert stream.failures == [], (why, stream.failures)

            server.start()
            texts = check_round(client, stream, tmp_path, why)
            survivors.append((stream, texts, len(client.versions(stream.draft_url))))

        # Later crashes must not have disturbed the drafts of earlier rounds.
        for stream, texts, version_count in survivors:
            info = client.info(stream.draft_url)
            assert caption_texts(info) == texts, (SEED, stream.prefix, info)
            assert len(client.versions(stream.draft_url)) == version_count, (SEED, stream.prefix)
    # The rounds must have crashed with saved versions around, or half the claim went untested.
    assert sum(count for _, _, count in survivors) >= ROUNDS, (SEED, survivors)

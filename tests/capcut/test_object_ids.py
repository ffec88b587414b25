"""Object ids (tracks, segments, materials): the editor's 32-hex style, never handed out twice,
by threads at once or by a process and a child it forked."""

from __future__ import annotations

import os
import re
import threading

from draftsmith.timeline.ids import new_object_id

IDS = 1000


def test_ids_are_32_lowercase_hex_digits_and_all_different() -> None:
    ids = [new_object_id() for _ in range(IDS)]

    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == IDS


def test_threads_making_ids_at_once_share_none() -> None:
    made: list[list[str]] = [[] for _ in range(4)]
    start = threading.Barrier(len(made))

    def make(into: list[str]) -> None:
        start.wait(timeout=30)
        into.extend(new_object_id() for _ in range(IDS))

    threads = [threading.Thread(target=make, args=(into,)) for into in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len({i for ids in made for i in ids}) == len(made) * IDS


def test_a_forked_child_hands_out_none_of_the_ids_its_parent_does() -> None:
    new_object_id()  # the parent holds ids drawn and not handed out yet
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(write, "".join(new_object_id() for _ in range(10)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    child = {text[i : i + 32] for i in range(0, len(text), 32)}
    parent = {new_object_id() for _ in range(10)}

    assert len(child) == 10
    assert not child & parent

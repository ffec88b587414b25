"""Byte ranges on every file route, against a real server: a draft's files (kept in the store
and in the blob store), its zip and the UI's thumbnails. The rendered MP4 answers through the
same code (tests/render_jobs/test_gen_video.py)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

import httpx
import pytest

from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess


@pytest.fixture
def saved_video_draft(api: Api, media_server: MediaServer) -> tuple[str, dict[str, str]]:
    """A saved draft showing bars.mp4: (draft_url, {file path: download URL})."""
    draft_url = api.create_draft(320, 240)
    api.add_video(draft_url, media_server.url("bars.mp4"), 0, SECOND)
    api.save(draft_url)
    files = api.get_draft(draft_id_of(draft_url))["files"]
    marker = f"/{draft_id_of(draft_url)}/"
    return draft_url, {url.split(marker, 1)[1]: url for url in files}


def file_urls(saved: tuple[str, dict[str, str]]) -> list[str]:
    """The timeline JSON (kept in the store) and the video (kept in the blob store)."""
    _, files = saved
    video = next(url for path, url in files.items() if path.endswith(".mp4"))
    return [files["draft_content.json"], video]


def parts(response: httpx.Response) -> list[tuple[str, bytes]]:
    """The (Content-Range, body) of each part of a multipart/byteranges answer."""
    media_type, _, boundary = response.headers["content-type"].partition("; boundary=")
    assert media_type == "multipart/byteranges"
    body = response.content
    assert body.endswith(f"--{boundary}--\r\n".encode())
    found = []
    for chunk in body.split(f"--{boundary}".encode())[1:-1]:
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        found.append((headers["Content-Range"], data.removesuffix(b"\r\n")))
    return found


def test_a_whole_file_says_it_takes_ranges_and_names_its_bytes(
    http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    for url in file_urls(saved_video_draft):
        whole = http.get(url)
        again = http.get(url)
        head = http.head(url)

        assert whole.status_code == 200, whole.text
        assert whole.headers["accept-ranges"] == "bytes"
        assert re.fullmatch(r'"[0-9a-f]{64}"', whole.headers["etag"])
        assert int(whole.headers["content-length"]) == len(whole.content) > 200
        assert parsedate_to_datetime(whole.headers["last-modified"]).tzinfo is not None
        assert (again.headers["etag"], again.content) == (whole.headers["etag"], whole.content)
        assert head.status_code == 200 and head.content == b""
        for name in ("etag", "last-modified", "content-length", "content-type", "accept-ranges"):
            assert head.headers[name] == whole.headers[name], name
    # Media is kept by its SHA-256, which is its ETag.
    video = http.get(file_urls(saved_video_draft)[1])
    assert video.headers["etag"] == f'"{hashlib.sha256(video.content).hexdigest()}"'


def test_the_etag_changes_with_the_bytes(
    api: Api, http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    draft_url, files = saved_video_draft
    api.add_caption(draft_url, "version 2")
    api.save(draft_url)
    second = api.get_draft(draft_id_of(draft_url))["files"]
    content_v2 = next(url for url in second if url.endswith("/draft_content.json"))

    first, latest = http.get(files["draft_content.json"]), http.get(content_v2)

    assert first.content != latest.content
    assert first.headers["etag"] != latest.headers["etag"]
    resumed = http.get(
        content_v2, headers={"Range": "bytes=10-", "If-Range": first.headers["etag"]}
    )
    assert (resumed.status_code, resumed.content) == (200, latest.content)


def test_one_range_answers_206_with_those_bytes(
    http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    for url in file_urls(saved_video_draft):
        data = http.get(url).content
        size = len(data)
        cases = {
            "bytes=0-99": (0, 100),
            "bytes=100-199": (100, 200),
            "bytes=-100": (size - 100, size),
            "bytes=150-": (150, size),
            f"bytes=10-{size * 2}": (10, size),
            f"bytes=-{size * 2}": (0, size),
            f"bytes={size - 1}-{size - 1}": (size - 1, size),
        }
        for asked, (start, end) in cases.items():
            response = http.get(url, headers={"Range": asked})
            assert response.status_code == 206, (asked, response.text)
            assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{size}", asked
            assert response.content == data[start:end], asked
            assert int(response.headers["content-length"]) == end - start
        head = http.head(url, headers={"Range": "bytes=-100"})
        assert (head.status_code, head.content) == (206, b"")
        assert head.headers["content-range"] == f"bytes {size - 100}-{size - 1}/{size}"
        assert head.headers["content-length"] == "100"


def test_a_range_past_the_end_is_416_naming_the_size(
    http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    for url in file_urls(saved_video_draft):
        size = len(http.get(url).content)
        for asked in (f"bytes={size}-", f"bytes={size + 5}-{size + 10}", "bytes=-0"):
            response = http.get(url, headers={"Range": asked})
            assert response.status_code == 416, asked
            assert response.headers["content-range"] == f"bytes */{size}"
            assert response.json()["code"] == "range_not_satisfiable"


def test_a_range_that_cannot_be_read_gets_the_whole_file(
    http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    url = file_urls(saved_video_draft)[0]
    data = http.get(url).content
    for asked in ("items=0-10", "bytes=abc", "bytes=20-10", "bytes=", "bytes=1-2-3"):
        response = http.get(url, headers={"Range": asked})
        assert (response.status_code, response.content) == (200, data), asked


def test_if_range_honours_the_range_only_for_the_same_file(
    http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    for url in file_urls(saved_video_draft):
        whole = http.get(url)
        data, etag = whole.content, whole.headers["etag"]
        modified = parsedate_to_datetime(whole.headers["last-modified"])
        earlier = format_datetime(modified - timedelta(seconds=1), usegmt=True)
        answers = {
            etag: 206,
            whole.headers["last-modified"]: 206,
            f'"{"0" * 64}"': 200,
            f"W/{etag}": 200,
            earlier: 200,
            "not a date": 200,
        }
        for if_range, status in answers.items():
            response = http.get(url, headers={"Range": "bytes=5-9", "If-Range": if_range})
            assert response.status_code == status, if_range
            assert response.content == (data[5:10] if status == 206 else data), if_range


def test_several_ranges_come_as_multipart_byteranges(
    http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    for url in file_urls(saved_video_draft):
        data = http.get(url).content
        size = len(data)

        response = http.get(url, headers={"Range": "bytes=0-9, 50-59,-5"})
        overlapping = http.get(url, headers={"Range": "bytes=0-9,5-19,20-29"})
        too_many = http.get(url, headers={"Range": "bytes=" + ",".join(["0-0"] * 17)})

        assert response.status_code == 206
        assert int(response.headers["content-length"]) == len(response.content)
        assert parts(response) == [
            (f"bytes 0-9/{size}", data[0:10]),
            (f"bytes 50-59/{size}", data[50:60]),
            (f"bytes {size - 5}-{size - 1}/{size}", data[-5:]),
        ]
        assert overlapping.status_code == 206
        assert overlapping.headers["content-range"] == f"bytes 0-29/{size}"
        assert overlapping.content == data[:30]
        assert (too_many.status_code, too_many.content) == (200, data)


def test_a_download_cut_short_resumes_with_the_same_bytes(
    http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    url = file_urls(saved_video_draft)[1]
    first = http.get(url, headers={"Range": "bytes=0-999"})
    rest = http.get(url, headers={"Range": "bytes=1000-", "If-Range": first.headers["etag"]})
    assert (first.status_code, rest.status_code) == (206, 206)
    whole = first.content + rest.content
    assert f'"{hashlib.sha256(whole).hexdigest()}"' == first.headers["etag"]


def test_the_draft_zip_has_a_stable_etag_and_answers_ranges(
    api: Api, http: httpx.Client, saved_video_draft: tuple[str, dict[str, str]]
) -> None:
    draft_url, files = saved_video_draft
    download_url = api.get_draft(draft_id_of(draft_url))["download_url"]

    whole = http.get(download_url)
    again = http.get(download_url)
    head = http.head(download_url)
    tail = http.get(
        download_url, headers={"Range": "bytes=1000-", "If-Range": whole.headers["etag"]}
    )
    posted = api.post("download_draft", {"draft_url": draft_url})
    ranged_post = http.post(
        api.url("download_draft"), json={"draft_url": draft_url}, headers={"Range": "bytes=0-9"}
    )

    size = len(whole.content)
    assert whole.status_code == 200
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["etag"] == f'"{hashlib.sha256(whole.content).hexdigest()}"'
    assert int(whole.headers["content-length"]) == size
    assert "attachment" in whole.headers["content-disposition"]
    assert (again.headers["etag"], again.content) == (whole.headers["etag"], whole.content)
    assert (head.status_code, head.content) == (200, b"")
    assert (head.headers["etag"], head.headers["content-length"]) == (
        whole.headers["etag"],
        str(size),
    )
    assert tail.status_code == 206
    assert tail.headers["content-range"] == f"bytes 1000-{size - 1}/{size}"
    assert whole.content[:1000] + tail.content == whole.content
    with zipfile.ZipFile(io.BytesIO(whole.content)) as archive:
        assert {name.split("/", 1)[1] for name in archive.namelist()} == set(files)
    # Range is for GET: a POST gets the whole zip, with the same ETag.
    assert (posted.status_code, posted.content) == (200, whole.content)
    assert posted.headers["etag"] == whole.headers["etag"]
    assert "accept-ranges" not in posted.headers
    assert (ranged_post.status_code, ranged_post.content) == (200, whole.content)


def test_thumbnails_answer_ranges(
    shared_server: ServerProcess, http: httpx.Client, api: Api, media_server: MediaServer
) -> None:
    draft_url = api.create_draft(320, 240)
    api.add_video(draft_url, media_server.url("bars.mp4"), 0, SECOND)
    view = http.get(f"{shared_server.base_url}/ui/api/drafts/{draft_id_of(draft_url)}/timeline")
    url = f"{shared_server.base_url}/{view.json()['tracks'][0]['segments'][0]['thumbnail_url']}"

    whole = http.get(url)
    first = http.get(url, headers={"Range": "bytes=0-2"})
    head = http.head(url)

    assert whole.status_code == 200
    assert whole.headers["etag"] == f'"{hashlib.sha256(whole.content).hexdigest()}"'
    assert whole.headers["accept-ranges"] == "bytes"
    assert "immutable" in whole.headers["cache-control"]
    assert (first.status_code, first.content) == (206, b"\xff\xd8\xff")
    assert first.headers["content-range"] == f"bytes 0-2/{len(whole.content)}"
    assert (head.status_code, head.headers["content-length"]) == (200, str(len(whole.content)))

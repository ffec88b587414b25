"""The JobStore contract (render jobs), run against every adapter: queueing, exclusive claims,
leases that run out, the attempts cap, one job per draft version, cancelling, and render
budgets charged per payer."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from draftsmith.errors import RenderBudgetExceeded, RenderJobNotFound
from draftsmith.store.jobs import MAX_ERROR_CHARS, gave_up_message
from draftsmith.store.port import DraftStore, JobStore
from draftsmith.store.records import RENDER_BUDGET_WINDOW_US, JobStatus, RenderCharge, RenderJob

from .builders import new_draft

NOW = 1_763_900_000_000_000
LEASE = 30_000_000
ATTEMPTS = 3


def jobs_of(store: DraftStore, *drafts: str) -> JobStore:
    assert isinstance(store, JobStore)
    for draft_id in drafts:
        store.create_draft(new_draft(draft_id), NOW)
    return store


def claim(jobs: JobStore, worker: str, at: int = NOW) -> RenderJob | None:
    return jobs.claim_render_job(worker, at, LEASE, ATTEMPTS)


def test_a_new_job_is_pending_and_asking_again_returns_it(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")

    job = jobs.create_render_job("dft_a", 1, "key_a", NOW)

    assert (job.draft_id, job.version, job.owner, job.status) == ("dft_a", 1, "key_a", "pending")
    assert (job.progress, job.attempts, job.created_at_us) == (0, 0, NOW)
    assert (job.started_at_us, job.completed_at_us, job.worker_id, job.video_sha256) == (
        None,
        None,
        None,
        None,
    )
    assert jobs.create_render_job("dft_a", 1, "key_a", NOW + 5) == job
    assert jobs.render_job("dft_a") == job


def test_processing_and_completed_jobs_are_returned_not_queued_again(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    created = jobs.create_render_job("dft_a", 1, None, NOW)
    claimed = claim(jobs, "w1", NOW + 1)
    assert claimed is not None and claimed.id == created.id

    assert jobs.create_render_job("dft_a", 1, None, NOW + 2) == claimed
    assert jobs.complete_render_job(created.id, "w1", "f" * 64, 1234, NOW + 3)
    done = jobs.create_render_job("dft_a", 1, None, NOW + 4)

    assert (done.status, done.progress, done.video_sha256, done.video_size) == (
        JobStatus.COMPLETED,
        100,
        "f" * 64,
        1234,
    )
    assert (done.started_at_us, done.completed_at_us, done.lease_until_us) == (
        NOW + 1,
        NOW + 3,
        None,
    )
    assert claim(jobs, "w2", NOW + 10 * LEASE) is None


def test_a_failed_job_is_queued_again_from_scratch(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    first = jobs.create_render_job("dft_a", 1, None, NOW)
    claim(jobs, "w1", NOW + 1)
    jobs.update_render_progress(first.id, "w1", 40, NOW + 2, LEASE)
    assert jobs.fail_render_job(first.id, "w1", "x" * (MAX_ERROR_CHARS + 50), NOW + 3)
    failed = jobs.render_job("dft_a", 1)
    assert (failed.status, failed.error_message) == (JobStatus.FAILED, "x" * MAX_ERROR_CHARS)
    assert failed.completed_at_us == NOW + 3

    again = jobs.create_render_job("dft_a", 1, None, NOW + 4)

    assert (again.id, again.status, again.progress, again.attempts) == (first.id, "pending", 0, 0)
    assert (again.error_message, again.completed_at_us, again.created_at_us) == (
        None,
        None,
        NOW + 4,
    )


def test_a_claim_takes_the_oldest_job_and_holds_it(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b")
    assert claim(jobs, "w1") is None
    newer = jobs.create_render_job("dft_b", 1, None, NOW + 1)
    older = jobs.create_render_job("dft_a", 2, None, NOW)

    first = claim(jobs, "w1", NOW + 10)
    second = claim(jobs, "w2", NOW + 11)

    assert first is not None and second is not None
    assert (first.id, second.id) == (older.id, newer.id)
    assert (first.status, first.attempts, first.worker_id) == (JobStatus.PROCESSING, 1, "w1")
    assert (first.started_at_us, first.lease_until_us) == (NOW + 10, NOW + 10 + LEASE)
    assert jobs.render_job("dft_a") == first
    assert claim(jobs, "w3", NOW + 12) is None


def test_concurrent_workers_claim_each_job_exactly_once(store: DraftStore) -> None:
    drafts = [f"dft_{index:02d}" for index in range(12)]
    jobs = jobs_of(store, *drafts)
    for index, draft_id in enumerate(drafts):
        jobs.create_render_job(draft_id, 1, None, NOW + index)
    barrier = threading.Barrier(6)
    taken: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(worker: str) -> None:
        barrier.wait(timeout=30)
        while (job := claim(jobs, worker, NOW + 100)) is not None:
            with lock:
                taken.append((job.id, worker))

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(job_id for job_id, _ in taken) == Counter(
        jobs.render_job(draft_id).id for draft_id in drafts
    )
    assert len(taken) == len(drafts)
    for job_id, worker in taken:
        held = next(j for d in drafts if (j := jobs.render_job(d)).id == job_id)
        assert (held.worker_id, held.attempts) == (worker, 1)


def test_a_job_whose_lease_ran_out_is_claimed_again(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    job = jobs.create_render_job("dft_a", 1, None, NOW)
    claim(jobs, "dead", NOW)
    jobs.update_render_progress(job.id, "dead", 55, NOW + 1, LEASE)

    assert claim(jobs, "w2", NOW + LEASE) is None
    again = claim(jobs, "w2", NOW + LEASE + 2)

    assert again is not None and again.id == job.id
    assert (again.worker_id, again.attempts, again.progress) == ("w2", 2, 0)
    assert not jobs.update_render_progress(job.id, "dead", 60, NOW + LEASE + 3, LEASE)
    assert not jobs.complete_render_job(job.id, "dead", "f" * 64, 1, NOW + LEASE + 3)
    assert not jobs.fail_render_job(job.id, "dead", "late", NOW + LEASE + 3)
    assert jobs.render_job("dft_a").worker_id == "w2"


def test_progress_reports_renew_the_lease(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    job = jobs.create_render_job("dft_a", 1, None, NOW)
    claim(jobs, "w1", NOW)

    assert jobs.update_render_progress(job.id, "w1", 30, NOW + LEASE - 1, LEASE)

    assert claim(jobs, "w2", NOW + LEASE + 1) is None
    held = jobs.render_job("dft_a")
    assert (held.progress, held.lease_until_us, held.worker_id) == (30, NOW + 2 * LEASE - 1, "w1")


def test_a_job_tried_too_often_fails_with_a_clear_message(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    job = jobs.create_render_job("dft_a", 1, None, NOW)
    at = NOW
    for attempt in range(1, ATTEMPTS + 1):
        claimed = claim(jobs, f"w{attempt}", at)
        assert claimed is not None and claimed.attempts == attempt
        at += LEASE + 1

    assert claim(jobs, "w9", at) is None
    failed = jobs.render_job("dft_a")
    assert (failed.id, failed.status, failed.attempts) == (job.id, JobStatus.FAILED, ATTEMPTS)
    assert failed.error_message == gave_up_message(ATTEMPTS)
    assert "gave up after 3 attempts" in gave_up_message(3)


def test_a_released_job_waits_again_without_spending_an_attempt(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    job = jobs.create_render_job("dft_a", 1, None, NOW)
    claim(jobs, "w1", NOW)
    jobs.update_render_progress(job.id, "w1", 70, NOW + 1, LEASE)

    assert jobs.release_render_job(job.id, "w1")
    assert not jobs.release_render_job(job.id, "w1")

    waiting = jobs.render_job("dft_a")
    assert (waiting.status, waiting.attempts, waiting.progress, waiting.worker_id) == (
        JobStatus.PENDING,
        0,
        0,
        None,
    )
    again = claim(jobs, "w2", NOW + 2)
    assert again is not None and again.attempts == 1


def test_an_expired_lease_lets_the_job_be_claimed_at_once(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b")
    job = jobs.create_render_job("dft_a", 1, None, NOW)
    claim(jobs, "w1", NOW)
    assert [j.id for j in jobs.processing_render_jobs()] == [job.id]

    assert not jobs.expire_render_lease(job.id, "someone else")
    assert jobs.expire_render_lease(job.id, "w1")

    again = claim(jobs, "w2", NOW + 1)
    assert again is not None and (again.id, again.attempts) == (job.id, 2)


def test_render_job_is_the_latest_or_the_one_asked_for(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    with pytest.raises(RenderJobNotFound, match="Video generation task not found"):
        jobs.render_job("dft_a")
    first = jobs.create_render_job("dft_a", 1, None, NOW)
    second = jobs.create_render_job("dft_a", 2, None, NOW + 1)

    assert jobs.render_job("dft_a") == second
    assert jobs.render_job("dft_a", 1) == first
    with pytest.raises(RenderJobNotFound):
        jobs.render_job("dft_a", 3)
    with pytest.raises(RenderJobNotFound):
        jobs.render_job("dft_missing")


def test_active_renders_are_counted_per_owner(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b", "dft_c")
    jobs.create_render_job("dft_a", 1, "key_a", NOW)
    jobs.create_render_job("dft_b", 1, "key_a", NOW + 1)
    jobs.create_render_job("dft_c", 1, None, NOW + 2)
    done = jobs.create_render_job("dft_a", 2, "key_a", NOW + 3)
    for _ in range(4):
        claim(jobs, "w1", NOW + 4)
    jobs.complete_render_job(done.id, "w1", "f" * 64, 1, NOW + 5)

    assert (jobs.count_active_renders("key_a"), jobs.count_active_renders(None)) == (2, 1)
    assert jobs.count_active_renders("key_b") == 0


def test_deleting_a_draft_deletes_its_jobs(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    jobs.create_render_job("dft_a", 1, None, NOW)

    store.delete_draft("dft_a")

    with pytest.raises(RenderJobNotFound):
        jobs.render_job("dft_a")
    assert claim(jobs, "w1", NOW + 1) is None


def test_latest_render_jobs_gives_each_drafts_latest_in_one_call(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b", "dft_c")
    jobs.create_render_job("dft_a", 1, None, NOW)
    newest_a = jobs.create_render_job("dft_a", 2, None, NOW + 1)
    only_b = jobs.create_render_job("dft_b", 1, None, NOW + 2)
    jobs.create_render_job("dft_c", 1, None, NOW + 3)

    latest = jobs.latest_render_jobs(["dft_a", "dft_b", "dft_missing"])

    assert latest == {"dft_a": newest_a, "dft_b": only_b}
    assert latest["dft_a"] == jobs.render_job("dft_a")
    assert jobs.latest_render_jobs([]) == {}


def test_a_cancelled_job_is_not_claimed_and_is_queued_again_from_scratch(
    store: DraftStore,
) -> None:
    jobs = jobs_of(store, "dft_a")
    job = jobs.create_render_job("dft_a", 1, None, NOW)

    cancelled = jobs.cancel_render_job("dft_a", job.id, NOW + 1)

    assert (cancelled.id, cancelled.status, cancelled.completed_at_us) == (
        job.id,
        JobStatus.CANCELLED,
        NOW + 1,
    )
    assert not cancelled.active
    assert jobs.render_job("dft_a") == cancelled
    assert claim(jobs, "w1", NOW + 2) is None
    assert jobs.count_active_renders(None) == 0
    again = jobs.create_render_job("dft_a", 1, None, NOW + 3)
    assert (again.id, again.status, again.completed_at_us, again.created_at_us) == (
        job.id,
        JobStatus.PENDING,
        None,
        NOW + 3,
    )


def test_cancelling_a_processing_job_takes_it_from_its_worker(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a")
    job = jobs.create_render_job("dft_a", 1, None, NOW)
    claim(jobs, "w1", NOW)
    jobs.update_render_progress(job.id, "w1", 35, NOW + 1, LEASE)

    cancelled = jobs.cancel_render_job("dft_a", None, NOW + 2)

    assert (cancelled.status, cancelled.progress, cancelled.lease_until_us) == (
        JobStatus.CANCELLED,
        35,
        None,
    )
    assert not jobs.update_render_progress(job.id, "w1", 50, NOW + 3, LEASE)
    assert not jobs.complete_render_job(job.id, "w1", "f" * 64, 1, NOW + 3)
    assert not jobs.fail_render_job(job.id, "w1", "late", NOW + 3)
    assert not jobs.release_render_job(job.id, "w1")
    assert jobs.processing_render_jobs() == []
    assert claim(jobs, "w2", NOW + 10 * LEASE) is None
    assert jobs.render_job("dft_a").status is JobStatus.CANCELLED


def test_cancel_without_a_job_id_takes_the_latest_active_job(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b")
    running = jobs.create_render_job("dft_a", 1, None, NOW)
    claim(jobs, "w1", NOW)
    done = jobs.create_render_job("dft_a", 2, None, NOW + 1)
    claim(jobs, "w2", NOW + 1)
    jobs.complete_render_job(done.id, "w2", "f" * 64, 1, NOW + 2)

    cancelled = jobs.cancel_render_job("dft_a", None, NOW + 3)

    assert (cancelled.id, cancelled.status) == (running.id, JobStatus.CANCELLED)
    # Nothing active any more: the latest job, as it is; cancelling again changes nothing.
    assert jobs.cancel_render_job("dft_a", None, NOW + 4) == jobs.render_job("dft_a", 2)
    assert jobs.cancel_render_job("dft_a", running.id, NOW + 5) == cancelled
    finished = jobs.cancel_render_job("dft_a", done.id, NOW + 6)
    assert (finished.status, finished.video_sha256) == (JobStatus.COMPLETED, "f" * 64)


def test_cancelling_a_job_that_is_not_the_drafts_is_not_found(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b")
    other = jobs.create_render_job("dft_b", 1, None, NOW)

    for draft_id, job_id in (("dft_a", None), ("dft_a", other.id), ("dft_b", "0" * 32)):
        with pytest.raises(RenderJobNotFound):
            jobs.cancel_render_job(draft_id, job_id, NOW + 1)
    assert jobs.render_job("dft_b") == other


HOUR = RENDER_BUDGET_WINDOW_US
MINUTE = 60_000_000


def test_queued_render_time_is_charged_to_its_payer_for_an_hour(store: DraftStore) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b", "dft_c")
    jobs.create_render_job("dft_a", 1, "key_a", NOW, RenderCharge("key_a", 10 * MINUTE))
    jobs.create_render_job("dft_b", 1, "key_a", NOW + 1, RenderCharge("key_a", 5 * MINUTE))
    jobs.create_render_job("dft_c", 1, None, NOW + 2, RenderCharge(None, 7 * MINUTE))
    # Asking again for a job that is queued charges nothing; queueing a cancelled one again does.
    jobs.create_render_job("dft_a", 1, "key_a", NOW + 3, RenderCharge("key_a", 10 * MINUTE))
    jobs.cancel_render_job("dft_b", None, NOW + 4)
    jobs.create_render_job("dft_b", 1, "key_a", NOW + 5, RenderCharge("key_a", 5 * MINUTE))

    since = NOW - HOUR
    assert jobs.render_time_queued("key_a", since) == 20 * MINUTE
    assert jobs.render_time_queued(None, since) == 7 * MINUTE
    assert jobs.render_time_queued("key_b", since) == 0
    assert jobs.render_time_queued("key_a", NOW + 1) == 5 * MINUTE
    # Deleting a draft gives no render time back.
    store.delete_draft("dft_a")
    assert jobs.render_time_queued("key_a", since) == 20 * MINUTE


def test_a_render_over_the_budget_is_refused_until_old_charges_leave_the_hour(
    store: DraftStore,
) -> None:
    jobs = jobs_of(store, "dft_a", "dft_b", "dft_c", "dft_d")
    budget = 30 * MINUTE
    jobs.create_render_job("dft_a", 1, "key_a", NOW, RenderCharge("key_a", 10 * MINUTE, budget))
    later = NOW + 20 * MINUTE
    jobs.create_render_job("dft_b", 1, "key_a", later, RenderCharge("key_a", 15 * MINUTE, budget))
    at = NOW + 40 * MINUTE

    with pytest.raises(RenderBudgetExceeded) as refused:
        jobs.create_render_job("dft_c", 1, "key_a", at, RenderCharge("key_a", 10 * MINUTE, budget))

    # 25 minutes queued; 10 more fit once the first 10 leave the hour, 20 minutes from `at`.
    assert (refused.value.limit, refused.value.retry_after) == (30 * 60, 20 * 60)
    assert "1800 s per hour" in refused.value.detail
    with pytest.raises(RenderJobNotFound):
        jobs.render_job("dft_c")
    assert jobs.render_time_queued("key_a", at - HOUR) == 25 * MINUTE
    # 20 minutes fit only once both charges are gone; other payers have budgets of their own.
    with pytest.raises(RenderBudgetExceeded) as both:
        jobs.create_render_job("dft_c", 1, "key_a", at, RenderCharge("key_a", 20 * MINUTE, budget))
    assert both.value.retry_after == 40 * 60
    jobs.create_render_job("dft_d", 1, "key_b", at, RenderCharge("key_b", 30 * MINUTE, budget))
    jobs.create_render_job("dft_c", 1, None, at, RenderCharge(None, 30 * MINUTE, budget))
    fits = jobs.create_render_job(
        "dft_c", 2, "key_a", NOW + HOUR, RenderCharge("key_a", 15 * MINUTE, budget)
    )
    assert fits.status is JobStatus.PENDING


def test_concurrent_renders_of_one_payer_never_overshoot_the_budget(store: DraftStore) -> None:
    drafts = [f"dft_{index:02d}" for index in range(8)]
    jobs = jobs_of(store, *drafts)
    charge = RenderCharge("key_a", 10 * MINUTE, 30 * MINUTE)
    barrier = threading.Barrier(len(drafts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def render(draft_id: str) -> None:
        barrier.wait(timeout=30)
        try:
            jobs.create_render_job(draft_id, 1, "key_a", NOW, charge)
            outcome = "queued"
        except RenderBudgetExceeded:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=render, args=(draft_id,)) for draft_id in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(outcomes) == {"queued": 3, "refused": 5}
    assert jobs.render_time_queued("key_a", NOW - HOUR) == 30 * MINUTE
    assert jobs.count_active_renders("key_a") == 3


def test_the_render_report_is_kept_by_its_worker_and_cleared_when_queued_again(
    store: DraftStore,
) -> None:
    jobs = jobs_of(store, "dft_a")
    job = jobs.create_render_job("dft_a", 1, None, NOW)
    assert claim(jobs, "w1") is not None
    report = '[{"feature":"sticker","name":"1","drawn":"not_drawn","how":"…","segment_ids":["s"]}]'

    assert not jobs.record_render_report(job.id, "w2", "[]"), "only the job's worker records it"
    assert jobs.record_render_report(job.id, "w1", report)
    assert jobs.render_job("dft_a").report == report
    assert jobs.fail_render_job(job.id, "w1", "boom", NOW + 1)
    assert jobs.render_job("dft_a").report == report, "a failed render keeps what it planned"
    assert jobs.create_render_job("dft_a", 1, None, NOW + 2).report is None

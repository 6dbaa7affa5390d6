"""A media job that dies on the way is run again and finishes: the same job
delivered again takes its claim back, lost jobs are swept up and queued again
(and given up after MAX_ATTEMPTS runs), ffmpeg dies with the process that
started it, and no temporary folder outlives its job."""

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psutil
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from ideas import media, services, tasks
from ideas.models import Idea, Media
from notifications.models import Notification
from tests.ideas.conftest import _ffmpeg, image_bytes, upload, video_upload
from tests.waiting import wait_for


@pytest.fixture
def workdirs(settings, tmp_path):
    settings.IDEAS_MEDIA_WORKDIR = str(tmp_path / "media-jobs")
    return tmp_path / "media-jobs"


def _media_of(ing, idea) -> Media:
    with scope(tenant=ing):
        return Media.objects.get(idea=idea)


def _claimed(ing, idea, *, by: str, minutes_ago: float = 0, attempts: int = 1) -> Media:
    """The media as a run that died left it: claimed by `by`, `minutes_ago`."""
    row = _media_of(ing, idea)
    with scope(tenant=ing):
        Media.objects.filter(pk=row.pk).update(
            claimed_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
            claimed_by=by,
            attempts=attempts,
        )
    return row


# --- The claim ---------------------------------------------------------------------------


def test_the_same_job_delivered_again_takes_over_its_claim_and_another_skips(
    ing, submit, workdirs, django_capture_on_commit_callbacks
):
    idea = submit(image=upload(image_bytes()))
    row = _claimed(ing, idea, by="job-killed-mid-way")
    with scope(tenant=ing), django_capture_on_commit_callbacks(execute=True):
        assert services.media_process(media_id=row.pk, job_id="a-duplicate") == "skipped"
        assert services.media_process(media_id=row.pk) == "skipped"
        outcome = services.media_process(media_id=row.pk, job_id="job-killed-mid-way")
        idea.refresh_from_db()
        row.refresh_from_db()
    assert outcome == "ready"
    assert idea.state == Idea.State.PUBLISHED
    assert row.status == Media.Status.READY and row.attempts == 2


def test_a_job_that_keeps_dying_is_given_up_when_delivered_again(
    ing, pat, submit, workdirs, django_capture_on_commit_callbacks
):
    idea = submit(image=upload(image_bytes()))
    row = _claimed(ing, idea, by="job-a", attempts=services.MAX_ATTEMPTS)
    with scope(tenant=ing), django_capture_on_commit_callbacks(execute=True):
        assert services.media_process(media_id=row.pk, job_id="job-a") == "failed"
        idea.refresh_from_db()
        row.refresh_from_db()
    assert idea.state == Idea.State.DRAFT
    assert row.failure == "No se pudo procesar este archivo: envíalo de nuevo."  # ING: es


# --- The sweep ---------------------------------------------------------------------------


def test_the_sweep_lists_only_lost_jobs(ing, submit):
    running = submit(image=upload(image_bytes()), title="Una idea en curso")
    _claimed(ing, running, by="alive", minutes_ago=2)
    waiting = submit(image=upload(image_bytes()), title="Una idea en la cola")
    dead = submit(image=upload(image_bytes()), title="Una idea cuyo trabajo murió")
    dead_row = _claimed(ing, dead, by="dead", minutes_ago=services.CLAIM_SECONDS / 60 + 1)
    lost = submit(image=upload(image_bytes()), title="Una idea cuyo mensaje se perdió")
    lost_row = _media_of(ing, lost)
    with scope(tenant=ing):
        Media.objects.filter(pk=lost_row.pk).update(
            created_at=timezone.now() - dt.timedelta(seconds=services.UNCLAIMED_SECONDS + 60)
        )
    stuck = services.media_stuck(now=timezone.now())
    assert (ing.pk, dead_row.pk) in stuck and (ing.pk, lost_row.pk) in stuck
    assert _media_of(ing, running).pk not in {pk for _, pk in stuck}
    assert _media_of(ing, waiting).pk not in {pk for _, pk in stuck}


def test_the_sweep_requeues_a_stale_job_once(ing, submit, django_capture_on_commit_callbacks):
    idea = submit(image=upload(image_bytes()))
    row = _claimed(ing, idea, by="dead", minutes_ago=services.CLAIM_SECONDS / 60 + 1)
    with scope(tenant=ing):
        with django_capture_on_commit_callbacks() as queued:
            assert services.media_recover(media_id=row.pk) == "requeued"
        with django_capture_on_commit_callbacks() as queued_again:
            assert services.media_recover(media_id=row.pk) == "skipped"
    assert len(queued) == 1 and "media_process" in repr(queued[0])
    assert queued_again == []
    assert (ing.pk, row.pk) not in services.media_stuck(now=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_lost_job_swept_by_beat_is_run_again_and_published(ing, submit, workdirs, request):
    from config.celery import app

    idea = submit(image=upload(image_bytes()))
    app.control.purge()  # its message is lost, and the run that claimed it died
    _claimed(ing, idea, by="dead", minutes_ago=services.CLAIM_SECONDS / 60 + 1)
    drain = request.getfixturevalue("drain")  # a worker from now on
    assert tasks.media_sweep() == 1
    drain()
    drain()  # the recovery (default queue) queued the job itself (media queue)
    with scope(tenant=ing):
        row = Media.objects.get(idea=idea)
        assert Idea.objects.get(pk=idea.pk).state == Idea.State.PUBLISHED
    assert row.status == Media.Status.READY and row.attempts == 2


def test_the_sweep_gives_up_after_max_attempts_and_tells_the_author(
    ing, pat, submit, django_capture_on_commit_callbacks
):
    idea = submit(image=upload(image_bytes()))
    row = _claimed(
        ing,
        idea,
        by="dead",
        minutes_ago=services.CLAIM_SECONDS / 60 + 1,
        attempts=services.MAX_ATTEMPTS,
    )
    with scope(tenant=ing), django_capture_on_commit_callbacks(execute=True) as queued:
        assert services.media_recover(media_id=row.pk) == "failed"
        assert services.media_recover(media_id=row.pk) == "skipped"
        idea.refresh_from_db()
        row.refresh_from_db()
        told = Notification.objects.filter(recipient=pat, event="idea.media_failed")
        assert told.count() == 1
    assert not any("media_process" in repr(c) for c in queued)
    assert idea.state == Idea.State.DRAFT and row.status == Media.Status.FAILED


def test_the_sweep_runs_every_five_minutes_where_the_transcodes_run():
    from config.celery import app

    entry = app.conf.beat_schedule["ideas-media-sweep"]
    assert entry["task"] == "ideas.tasks.media_sweep" and entry["schedule"] == 300.0
    assert app.amqp.router.route({}, "ideas.tasks.media_sweep")["queue"].name == "media"


# --- Temporary files and child processes ---------------------------------------------------


def test_the_jobs_folder_is_removed_on_failure_with_what_a_killed_run_left(
    ing, submit, workdirs, django_capture_on_commit_callbacks
):
    good = image_bytes(size=(800, 600))
    # Header and end marker intact, the scan data in between destroyed.
    idea = submit(image=upload(good[:600] + b"\xff\xd9\x00" * 200 + good[-2:]))
    row = _media_of(ing, idea)
    leftover = workdirs / str(row.public_id) / "encoded.mp4"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"\0" * 4096)  # a killed run's half-written file
    with scope(tenant=ing), django_capture_on_commit_callbacks(execute=True):
        assert services.media_process(media_id=row.pk) == "failed"
    assert list(workdirs.iterdir()) == []


def test_the_sweep_removes_only_folders_older_than_a_job_can_run(workdirs):
    old, fresh = workdirs / "killed-an-hour-ago", workdirs / "running-now"
    for folder in (old, fresh):
        folder.mkdir(parents=True)
        (folder / "source.mp4").write_bytes(b"\0" * 1024)
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert media.workdirs_remove_older_than(tasks.MEDIA_HARD_LIMIT) == 1
    assert [p.name for p in workdirs.iterdir()] == ["running-now"]


def _endless_ffmpeg() -> list[str]:
    return [media.ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "null", "-"]  # fmt: skip


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_ffmpeg_is_killed_on_the_soft_time_limit():
    """Celery's soft time limit raises SoftTimeLimitExceeded in the task, from a
    signal handler, while it waits for ffmpeg: ffmpeg goes with it."""
    started: list[int] = []

    def soft_limit(*_):
        # This process's ffmpeg only: other tests on the worker may leave
        # children of their own (servers being stopped, subprocesses).
        for child in psutil.Process().children():
            with contextlib.suppress(psutil.Error):
                if "ffmpeg" in " ".join(child.cmdline()):
                    started.append(child.pid)
        raise SoftTimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, soft_limit)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with pytest.raises(SoftTimeLimitExceeded):
            media.run_tool(_endless_ffmpeg(), timeout=60)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert started and all(_gone(pid) for pid in started)


def test_ffmpeg_dies_with_the_process_that_started_it():
    parent = subprocess.Popen(  # a worker process, killed while ffmpeg runs
        [sys.executable, "-c",
         "import django; django.setup(); from ideas import media; "
         f"media.run_tool({_endless_ffmpeg()!r}, timeout=60)"],
        cwd=django_settings.BASE_DIR,
    )  # fmt: skip
    try:
        wait_for(lambda: psutil.Process(parent.pid).children(), timeout=30)
        ffmpeg = psutil.Process(parent.pid).children()[0]
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert wait_for(lambda: _gone(ffmpeg.pid), timeout=10)
    finally:
        parent.kill()
        parent.wait()


# --- Must show: a worker killed in the middle of a transcode -----------------------------------


def _test_database_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _transcoding_ffmpeg(worker: psutil.Process) -> psutil.Process | None:
    for child in worker.children(recursive=True):
        try:
            if "libx264" in child.cmdline():
                return child
        except psutil.NoSuchProcess:
            continue
    return None


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_transcode_reruns_the_job_and_leaves_nothing_behind(
    ing, submit, tmp_path
):
    clip = tmp_path / "talk.mp4"  # 25 seconds at 720p: a transcode of several seconds
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25:duration=25",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p",
            str(clip))  # fmt: skip
    temporary = tmp_path / "worker-tmp"
    temporary.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TMPDIR": str(temporary),  # where the worker's jobs make their folders
    }
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "media",
             "--pool", "prefork", "-c", "1", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=django_settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        idea = submit(video=video_upload(clip))
        process = psutil.Process(worker.pid)
        ffmpeg = _transcoding_ffmpeg(process)
        deadline = time.monotonic() + 120  # only guards against a hang
        while ffmpeg is None and time.monotonic() < deadline:
            time.sleep(0.05)
            ffmpeg = _transcoding_ffmpeg(process)
        assert ffmpeg is not None, "the worker never started the transcode"
        pool_child = ffmpeg.parent()
        assert pool_child.pid != worker.pid
        pool_child.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()

        assert wait_for(lambda: _gone(ffmpeg.pid), timeout=10)  # no orphan ffmpeg

        def published():
            with scope(tenant=ing):
                return Idea.objects.get(pk=idea.pk).state == Idea.State.PUBLISHED

        assert wait_for(published, timeout=300)
        print(f"\nkill to published: {time.monotonic() - killed_at:.1f} s")
        with scope(tenant=ing):
            row = Media.objects.get(idea=idea)
        assert row.status == Media.Status.READY and row.attempts == 2
        jobs = temporary / "ruche-media"
        assert wait_for(lambda: not any(jobs.iterdir()), timeout=30)  # the job's finally
        assert _transcoding_ffmpeg(process) is None
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

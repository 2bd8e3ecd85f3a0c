"""Every timeout and retry policy the workflows use, in one place."""

from datetime import timedelta

from temporalio.common import RetryPolicy

# One attempt at a store write retries briefly inside the activity; a longer outage is
# the workflow's business (STORE_BACKOFF), so the call keeps serving, ending and
# continuing-as-new while a store is down, and catches up when it answers again.
STORE_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=2),
    maximum_attempts=3,
)
STORE_START_TO_CLOSE = timedelta(seconds=10)

# Live events are worth little once stale and Redis answers in milliseconds: a publish
# gives up fast and the events wait in the workflow for the next try.
PUBLISH_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=50),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(milliseconds=500),
    maximum_attempts=3,
)
PUBLISH_START_TO_CLOSE = timedelta(seconds=2)
PUBLISH_SCHEDULE_TO_CLOSE = timedelta(seconds=5)

# Between failed store writes the workflow waits this long, doubling from the first
# figure to the second: quick to catch up after a blip, one try per 15 s in an
# outage so a long one adds only a few events to the history.
STORE_BACKOFF_INITIAL = timedelta(seconds=1)
STORE_BACKOFF_MAX = timedelta(seconds=15)

# A finished call waits this long for Redis to take its last events; after that the live
# stream is lost anyway (viewers read the stored transcript), so they are dropped and
# counted rather than holding the workflow open. PostgreSQL, the record, is waited for.
PUBLISH_CATCH_UP_AT_END = timedelta(minutes=2)

# Utterances waiting for a batch are written at least this often.
PERSIST_FLUSH_INTERVAL = timedelta(seconds=2)

# Notices about the call's own health are worth showing only while they are current.
HEALTH_NOTICE_LIVE_FOR_S = 30

# The audio stream activity lives as long as the call; a dead worker is noticed by its
# missing heartbeats, and the retry resumes from the last heartbeated checkpoint.
AUDIO_START_TO_CLOSE = timedelta(hours=12)
AUDIO_HEARTBEAT_TIMEOUT = timedelta(seconds=5)
AUDIO_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
    # Failures that a retry repeats exactly: the call fails once, with the reason, instead
    # of staying active while the activity retries forever. KvsBadSelector is a malformed
    # start/stop fragment number or timestamp, or KVS's InvalidArgumentException for one.
    non_retryable_error_types=["CorruptMedia", "KvsRejected", "AsrAuth", "KvsBadSelector"],
)
# After the call is ended, the stream gets this long to transcribe the audio still in flight.
AUDIO_DRAIN_TIMEOUT = timedelta(seconds=20)

# --- post-call audio redaction and verification (queue `redaction`) ---------------------

# Loading a tenant's policy and recording a verdict are single PostgreSQL (and S3 / Redis)
# round trips: a short timeout, and retries that ride out a store blip. A longer outage
# fails the step; the redaction workflow then records what it can and says why.
REDACTION_STORE_START_TO_CLOSE = timedelta(seconds=30)
REDACTION_STORE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=10,
)
# Re-reading a call from KVS, beeping it and uploading the WAV: KVS serves stored audio far
# faster than real time, so even an 8-hour call fits; the heartbeat (fragments read, bytes)
# notices a dead worker within a minute, and a retry re-reads KVS from the start.
REDACT_AUDIO_START_TO_CLOSE = timedelta(hours=2)
REDACT_AUDIO_HEARTBEAT_TIMEOUT = timedelta(seconds=60)
# An S3 (or KVS) outage is waited out with backoff up to one retry per 5 minutes, for a
# day at most: the unredacted audio stays only in KVS meanwhile, whose retention for
# Connect streams is set in days, so nothing is lost while the store is down. Failures a
# retry repeats exactly end the redaction at once, as failed with a readable reason.
REDACT_AUDIO_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    non_retryable_error_types=["KvsAudioGone", "KvsBadSelector", "CorruptMedia", "BadAudio"],
)
REDACT_AUDIO_SCHEDULE_TO_CLOSE = timedelta(days=1)
# Verification downloads the WAV and re-transcribes both tracks with the local Whisper
# model (about a fifth of real time per track); it heartbeats while the model works.
VERIFY_AUDIO_START_TO_CLOSE = timedelta(hours=2)
VERIFY_AUDIO_HEARTBEAT_TIMEOUT = timedelta(seconds=60)
VERIFY_AUDIO_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    non_retryable_error_types=["BadAudio"],
)
VERIFY_AUDIO_SCHEDULE_TO_CLOSE = timedelta(days=1)

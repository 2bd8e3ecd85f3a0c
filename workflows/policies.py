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
# After the call is ended, the stream goes on transcribing the audio still in flight while
# it makes progress: it is stopped once no utterance came for AUDIO_DRAIN_IDLE. A stream
# resumed on another worker after a failover near the hang-up is behind by the heartbeat
# timeout and its catching up, longer than a fixed wait allowed, and would lose the
# call's last turns. AUDIO_DRAIN_LONGEST bounds it: a local ASR at a quarter of its usual
# speed catches up on a failover's backlog well inside it.
AUDIO_DRAIN_IDLE = timedelta(seconds=20)
AUDIO_DRAIN_LONGEST = timedelta(minutes=5)

# --- post-call audio redaction and verification (queue `redaction`) ---------------------

# Loading a tenant's policy and recording a status are single PostgreSQL (and S3 / Redis)
# round trips: a short timeout each. Nothing waits on a finished call's redaction, so a
# store outage is waited out, retrying at most once a minute, for up to a day.
REDACTION_STORE_START_TO_CLOSE = timedelta(seconds=30)
REDACTION_STORE_SCHEDULE_TO_CLOSE = timedelta(days=1)
REDACTION_STORE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
)
# Re-reading a call from KVS, beeping it and uploading the WAV: KVS serves stored audio far
# faster than real time (about 1.2 s per minute of call here), so even an 8-hour call fits;
# the heartbeat (fragments read, bytes) notices a dead worker within a minute, and a
# retry re-reads KVS from the call's start.
REDACT_AUDIO_START_TO_CLOSE = timedelta(hours=2)
REDACT_AUDIO_HEARTBEAT_TIMEOUT = timedelta(seconds=60)
# An S3 (or KVS) outage is waited out with backoff up to one retry per 5 minutes, for a
# day at most: meanwhile the unredacted audio stays only in KVS, so nothing is lost as long
# as the stream's retention outlasts the outage (past it, the retry fails as KvsAudioGone).
# Failures a retry would repeat exactly end the redaction at once, as failed with a reason.
REDACT_AUDIO_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    non_retryable_error_types=["KvsAudioGone", "KvsBadSelector", "CorruptMedia"],
)
REDACT_AUDIO_SCHEDULE_TO_CLOSE = timedelta(days=1)
# Verification downloads the WAV and re-transcribes both tracks with the local Whisper
# model (about 4-6 s per minute of call on 2 cores); it heartbeats while the model works,
# and an S3 outage is waited out as for the upload. Bad audio is a verdict, not an error.
VERIFY_AUDIO_START_TO_CLOSE = timedelta(hours=2)
VERIFY_AUDIO_HEARTBEAT_TIMEOUT = timedelta(seconds=60)
VERIFY_AUDIO_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
)
VERIFY_AUDIO_SCHEDULE_TO_CLOSE = timedelta(days=1)
# The redactor now also decodes both tracks whole with Whisper for its post-call detection
# pass (activities.post_call_detection), so REDACT_AUDIO_* covers that decode too: about
# 5 s per minute of call on 2 cores, heartbeated as it goes, plus any wait for the process's
# one model behind other redactions and verifications. An 8-hour call decodes in about 40
# minutes, within REDACT_AUDIO_START_TO_CLOSE.

# --- real-time guidance (queue `ml`) ------------------------------------------------------

# Loading the tenant's guidance plan is one PostgreSQL read, plus, the first time a worker
# sees a policy version, loading the embedding model and embedding the policy's examples
# and articles (seconds; up to about a minute for a thousand articles). A call never waits
# on it, but guidance is worth nothing without it: retried with backoff.
GUIDANCE_PLAN_START_TO_CLOSE = timedelta(seconds=90)
GUIDANCE_PLAN_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
)
# Matching one turn takes milliseconds (phrases, an embedding, a knowledge search). A hint
# is worth showing only within the policy's deadline, so the whole match, retries
# included, is bounded by it (schedule-to-close set per call from the plan); a retry helps
# only against a worker that died mid-match.
MATCH_TURN_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=50),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(milliseconds=200),
    maximum_attempts=3,
)
# A suggested reply has what is left of the deadline and one attempt: the router already
# retries transient errors inside that time, and a late reply is dropped anyway.
SUGGEST_REPLY_RETRY = RetryPolicy(maximum_attempts=1)
# The post-call summary reads the stored transcript and asks the model; the activity falls
# back to an extractive summary when the model fails, so retries are for store outages.
SUMMARIZE_START_TO_CLOSE = timedelta(minutes=2)
SUMMARIZE_SCHEDULE_TO_CLOSE = timedelta(hours=1)
SUMMARIZE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
)
# Hints reach the call as signals; the call may be gone (ended) by then, so a failed
# delivery is counted, not retried.
# Guidance shows a hint to live viewers itself (one Redis write) before it signals the
# call, which stores it and publishes it durably. A hint is worth showing only within its
# deadline, and the call's copy follows anyway: one quick retry, then the call's copy.
PUBLISH_HINT_START_TO_CLOSE = timedelta(milliseconds=500)
PUBLISH_HINT_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=50),
    maximum_attempts=2,
)
# A call ends itself after its idle limit (30 min) or maximum length (8 h) and then tells
# guidance; only a call terminated from outside says nothing. Guidance that has heard
# nothing from its call for longer than any call stays quiet ends on its own.
GUIDANCE_IDLE_LIMIT = timedelta(hours=9)
# Guidance continues-as-new after this many turns, so its history stays small on long calls.
GUIDANCE_CONTINUE_AS_NEW_AFTER_TURNS = 500

"""Every timeout and retry policy the workflows use, in one place."""

from datetime import timedelta

from temporalio.common import RetryPolicy

# Stores may be down for a while; calls keep running and catch up, so retry without a cap.
STORE_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
)
STORE_START_TO_CLOSE = timedelta(seconds=30)

# Live events are worth little once stale, but publishing is idempotent, so retrying is safe.
PUBLISH_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=50),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
)
PUBLISH_START_TO_CLOSE = timedelta(seconds=5)

# Utterances waiting for a batch are written at least this often.
PERSIST_FLUSH_INTERVAL = timedelta(seconds=2)

# The audio stream activity lives as long as the call; a dead worker is noticed by its
# missing heartbeats, and the retry resumes from the last heartbeated checkpoint.
AUDIO_START_TO_CLOSE = timedelta(hours=12)
AUDIO_HEARTBEAT_TIMEOUT = timedelta(seconds=5)
AUDIO_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
    non_retryable_error_types=["CorruptMedia", "KvsRejected", "AsrAuth"],
)
# After the call is ended, the stream gets this long to transcribe the audio still in flight.
AUDIO_DRAIN_TIMEOUT = timedelta(seconds=20)

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

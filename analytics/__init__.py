"""Analytics in ClickHouse: call lifecycle, utterance metadata, hints and feedback,
redaction verdicts and per-stage latencies, for the dashboards behind /v1/analytics.

Workers write events to the PostgreSQL outbox (storage.analytics_outbox); the API's
ingester moves them into ClickHouse (a server through clickhouse-connect, or embedded
chdb by default) in batches. Nothing here ever holds utterance text or other PII.
"""

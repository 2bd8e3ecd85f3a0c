output "kms_key_arn" {
  description = "Customer-managed key that encrypts the buckets, the database, the cache and the secrets."
  value       = aws_kms_key.data.arn
}

output "audio_bucket_name" {
  description = "Bucket for redacted call audio (CALLGUIDE_S3_BUCKET)."
  value       = module.audio_bucket.name
}

output "audio_bucket_arn" {
  description = "ARN of the redacted audio bucket."
  value       = module.audio_bucket.arn
}

output "quarantine_bucket_name" {
  description = "Bucket audio that failed verification is moved to."
  value       = module.quarantine_bucket.name
}

output "quarantine_bucket_arn" {
  description = "ARN of the quarantine bucket."
  value       = module.quarantine_bucket.arn
}

output "database_endpoint" {
  description = "host:port of PostgreSQL (DATABASE_URL's host)."
  value       = aws_db_instance.postgres.endpoint
}

output "database_master_secret_arn" {
  description = "Secrets Manager secret RDS keeps the master password in (rotated by RDS)."
  value       = aws_db_instance.postgres.master_user_secret[0].secret_arn
}

output "redis_endpoint" {
  description = "Primary endpoint of Redis (REDIS_URL's host; TLS: rediss://)."
  value       = aws_elasticache_replication_group.redis.primary_endpoint_address
}

output "redis_auth_secret_arn" {
  description = "Secrets Manager secret holding the Redis AUTH token."
  value       = aws_secretsmanager_secret.redis_auth.arn
}

output "clickhouse_url" {
  description = "The ClickHouse endpoint passed in (empty: embedded analytics)."
  value       = var.clickhouse_url
  sensitive   = true
}

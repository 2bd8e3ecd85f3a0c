variable "name_prefix" {
  description = "Prefix of every resource name, e.g. callguide-prod-<region>."
  type        = string
}

variable "vpc_id" {
  description = "VPC the database and cache live in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for RDS and ElastiCache (at least two availability zones)."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups (the EKS nodes') allowed to reach PostgreSQL and Redis."
  type        = list(string)
}

variable "audio_retention_days" {
  description = "Days redacted call audio is kept before it expires."
  type        = number
  default     = 365
}

variable "quarantine_retention_days" {
  description = "Days audio that failed verification is kept for review."
  type        = number
  default     = 30
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten or deleted object version is kept."
  type        = number
  default     = 30
}

variable "access_log_bucket" {
  description = "Existing bucket (in this region) that receives S3 server access logs."
  type        = string
}

variable "db_instance_class" {
  description = "RDS instance class for PostgreSQL."
  type        = string
  default     = "db.r6g.large"
}

variable "db_allocated_storage_gb" {
  description = "Initial PostgreSQL storage; it grows automatically up to ten times this."
  type        = number
  default     = 100
}

variable "db_engine_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "16"
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.r7g.large"
}

variable "clickhouse_url" {
  description = "ClickHouse endpoint for analytics (clickhouse://user:password@host:8123/db), which the pods read as CALLGUIDE_ANALYTICS_URL from the app-env secret; empty keeps embedded analytics in the API."
  type        = string
  default     = ""
  sensitive   = true
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

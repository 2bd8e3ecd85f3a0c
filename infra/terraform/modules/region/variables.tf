variable "environment" {
  description = "Deployment name, part of every resource name (e.g. prod)."
  type        = string
  default     = "prod"
}

variable "vpc_id" {
  description = "VPC of this region's deployment."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets with a NAT route, in at least two availability zones."
  type        = list(string)
}

variable "public_subnet_ids" {
  description = "Public subnets for the ALB."
  type        = list(string)
}

variable "cluster_admin_cidrs" {
  description = "CIDRs allowed to reach the private Kubernetes API."
  type        = list(string)
}

variable "domain" {
  description = "Public domain; tenants are served at <tenant>.<region>.<domain>."
  type        = string
}

variable "route53_zone_id" {
  description = "Hosted zone holding <region>.<domain>."
  type        = string
}

variable "log_bucket" {
  description = "Existing bucket in this region for S3 server access logs and ALB access logs."
  type        = string
}

variable "tenants" {
  description = "Per tenant slug (as `callguide tenants create` printed it): its Connect instance in this region and the queue its calls go to."
  type = map(object({
    connect_instance_id = string
    queue_arn           = string
  }))
}

variable "image" {
  description = "callguide image pinned by digest, from a registry in this region."
  type        = string
}

variable "temporal_address" {
  description = "Temporal frontend: a Temporal Cloud namespace endpoint in this region, or a self-hosted cluster's host:port."
  type        = string
}

variable "temporal_namespace" {
  description = "Temporal namespace."
  type        = string
}

variable "temporal_tls" {
  description = "Connect to Temporal over TLS."
  type        = bool
  default     = true
}

variable "temporal_api_key_in_secret" {
  description = "The app-env secret holds CALLGUIDE_TEMPORAL_API_KEY (Temporal Cloud)."
  type        = bool
  default     = true
}

variable "clickhouse_url" {
  description = "ClickHouse endpoint for analytics in this region; empty keeps analytics embedded in the API."
  type        = string
  default     = ""
  sensitive   = true
}

variable "kvs_retention_hours" {
  description = "Hours KVS keeps call audio (also CALLGUIDE_KVS_RETENTION_HOURS)."
  type        = number
  default     = 24
}

variable "worker_queues" {
  description = "Per Temporal task queue, the worker deployment's bounds and backlog target (null: the eks module's defaults)."
  type = map(object({
    min_replicas        = number
    max_replicas        = number
    backlog_per_replica = number
    cpu                 = string
    memory              = string
  }))
  default = null
}

variable "enable_ctr_feeder" {
  description = "Forward contact records with the ctr_feeder Lambda instead of the ctr-consumer."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "aws_account_id" {
  description = "The only AWS account this root may change."
  type        = string
}

variable "environment" {
  description = "Deployment name, part of every resource name."
  type        = string
  default     = "prod"
}

variable "vpc_id" {
  description = "VPC in eu-central-1."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (NAT route) in at least two availability zones of eu-central-1."
  type        = list(string)
}

variable "public_subnet_ids" {
  description = "Public subnets of eu-central-1 for the ALB."
  type        = list(string)
}

variable "cluster_admin_cidrs" {
  description = "CIDRs allowed to reach the private Kubernetes API."
  type        = list(string)
}

variable "domain" {
  description = "Public domain; tenants are served at <tenant>.eu-central-1.<domain>."
  type        = string
}

variable "route53_zone_id" {
  description = "Hosted zone holding eu-central-1.<domain>."
  type        = string
}

variable "log_bucket" {
  description = "Existing bucket in eu-central-1 for S3 and ALB access logs."
  type        = string
}

variable "tenants" {
  description = "Per tenant slug: its Connect instance in eu-central-1 and the queue its calls go to."
  type = map(object({
    connect_instance_id = string
    queue_arn           = string
  }))

  validation {
    condition     = alltrue([for tenant in values(var.tenants) : split(":", tenant.queue_arn)[3] == "eu-central-1"])
    error_message = "Every tenant's queue (and so its Connect instance) must be in eu-central-1: a tenant of another region is deployed from that region's root."
  }
}

variable "image" {
  description = "callguide image pinned by digest, from a registry in eu-central-1."
  type        = string

  validation {
    condition     = !can(regex("\\.ecr\\.", var.image)) || can(regex("\\.ecr\\.eu-central-1\\.", var.image))
    error_message = "An ECR image must come from a registry in eu-central-1."
  }
}

variable "temporal_address" {
  description = "Temporal frontend host:port: a Temporal Cloud namespace created in AWS eu-central-1, or a self-hosted cluster in eu-central-1."
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
  description = "ClickHouse in eu-central-1 for analytics; empty keeps analytics embedded in the API."
  type        = string
  default     = ""
  sensitive   = true
}

variable "kvs_retention_hours" {
  description = "Hours KVS keeps call audio."
  type        = number
  default     = 24
}

variable "worker_queues" {
  description = "Per Temporal task queue, worker bounds and backlog target (null: module defaults)."
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

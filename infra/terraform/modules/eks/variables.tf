variable "name_prefix" {
  description = "Prefix of every resource name, e.g. callguide-prod-<region>."
  type        = string
}

variable "cluster_version" {
  description = "Kubernetes version of the EKS cluster."
  type        = string
  default     = "1.31"
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (with a NAT route) for the control plane's interfaces and the nodes."
  type        = list(string)
}

variable "cluster_admin_cidrs" {
  description = "CIDRs allowed to reach the private API endpoint (VPN, bastion)."
  type        = list(string)
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["m7i.2xlarge"]
}

variable "node_min_size" {
  description = "Fewest nodes."
  type        = number
  default     = 3
}

variable "node_max_size" {
  description = "Most nodes (KEDA adds pods; the cluster autoscaler adds nodes up to this)."
  type        = number
  default     = 20
}

variable "kms_key_arn" {
  description = "Key for Kubernetes secrets envelope encryption and the control-plane logs."
  type        = string
}

variable "image" {
  description = "callguide image pinned by digest (registry/callguide@sha256:...)."
  type        = string

  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest (…@sha256:<64 hex>) so every pod runs the same build."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of callguide's pods."
  type        = string
  default     = "callguide"
}

variable "temporal_address" {
  description = "Temporal frontend host:port: a Temporal Cloud namespace endpoint (<ns>.<account>.tmprl.cloud:7233) or a self-hosted cluster."
  type        = string
}

variable "temporal_namespace" {
  description = "Temporal namespace (Temporal Cloud: <ns>.<account>)."
  type        = string
}

variable "temporal_tls" {
  description = "Connect to Temporal over TLS (always for Temporal Cloud)."
  type        = bool
  default     = true
}

variable "temporal_api_key_in_secret" {
  description = "The app-env secret holds CALLGUIDE_TEMPORAL_API_KEY (Temporal Cloud API-key auth); KEDA uses it to read queue backlogs."
  type        = bool
  default     = true
}

variable "app_env_secret_arn" {
  description = "Secrets Manager secret whose JSON object becomes the pods' secret environment."
  type        = string
}

variable "settings" {
  description = "Non-secret CALLGUIDE_* settings for every pod (e.g. CALLGUIDE_PUBLIC_DOMAIN, CALLGUIDE_LOG_FORMAT)."
  type        = map(string)
  default     = {}
}

variable "audio_bucket_name" {
  description = "Bucket for redacted audio."
  type        = string
}

variable "audio_bucket_arn" {
  description = "ARN of the redacted audio bucket."
  type        = string
}

variable "quarantine_bucket_arn" {
  description = "ARN of the quarantine bucket."
  type        = string
}

variable "media_stream_arn_patterns" {
  description = "ARN patterns of the Connect instances' live media streams (the only streams workers may read)."
  type        = list(string)
}

variable "ctr_stream_name" {
  description = "Kinesis stream of contact records the ctr-consumer follows."
  type        = string
}

variable "ctr_stream_arn" {
  description = "ARN of the contact-record stream."
  type        = string
}

variable "api_replicas" {
  description = "API pods (the ALB spreads requests over them)."
  type        = number
  default     = 3
}

variable "api_node_port" {
  description = "Node port the API service listens on; the ALB's target group forwards to it."
  type        = number
  default     = 30080
}

variable "worker_queues" {
  description = "Per Temporal task queue, the worker deployment's bounds and the backlog one pod is expected to keep up with."
  type = map(object({
    min_replicas              = number
    max_replicas              = number
    backlog_per_replica       = number
    cpu                       = string
    memory                    = string
  }))
  # A caller passing null gets these defaults.
  nullable = false
  default = {
    calls     = { min_replicas = 2, max_replicas = 20, backlog_per_replica = 50, cpu = "1", memory = "1Gi" }
    audio     = { min_replicas = 2, max_replicas = 40, backlog_per_replica = 20, cpu = "2", memory = "2Gi" }
    ml        = { min_replicas = 1, max_replicas = 20, backlog_per_replica = 10, cpu = "2", memory = "4Gi" }
    redaction = { min_replicas = 1, max_replicas = 20, backlog_per_replica = 10, cpu = "2", memory = "2Gi" }
  }
}

variable "metrics_port" {
  description = "Port each worker serves Prometheus metrics on (also its health probe)."
  type        = number
  default     = 9464
}

variable "tags" {
  description = "Tags on every AWS resource."
  type        = map(string)
  default     = {}
}

variable "keda_chart_version" {
  description = "KEDA Helm chart version (its temporal scaler reads task-queue backlogs; enableTLS needs a recent one)."
  type        = string
  default     = "2.22.0"
}

variable "external_secrets_chart_version" {
  description = "External Secrets Operator Helm chart version (serving external-secrets.io/v1beta1)."
  type        = string
  default     = "0.10.7"
}

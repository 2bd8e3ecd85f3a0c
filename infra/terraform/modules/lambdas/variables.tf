variable "name_prefix" {
  description = "Prefix of every resource name, e.g. callguide-prod-<region>-<tenant>."
  type        = string
}

variable "tenant_slug" {
  description = "The tenant these Lambdas forward for (its Connect instance's events only)."
  type        = string
}

variable "api_url" {
  description = "The tenant's callguide origin, https://<tenant>.<region>.<domain>."
  type        = string
}

variable "api_key_secret_arn" {
  description = "Secrets Manager secret holding the tenant's API key."
  type        = string
}

variable "kms_key_arn" {
  description = "Key that encrypts the secret, the CTR stream, the Lambdas' environment and logs."
  type        = string
}

variable "connect_instance_arn" {
  description = "The tenant's Connect instance; the CTR feeder only forwards its records."
  type        = string
}

variable "ctr_stream_arn" {
  description = "Kinesis stream Connect writes contact records to."
  type        = string
}

variable "enable_ctr_feeder" {
  description = "Forward CTRs with a Lambda instead of the ctr-consumer deployment (the default)."
  type        = bool
  default     = false
}

variable "lambda_source_dir" {
  description = "Directory holding contact_flow.py, contact_events.py and ctr_feeder.py."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the Lambdas run in (they reach the ALB and Secrets Manager from there)."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the Lambdas (egress to HTTPS only)."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Days the Lambdas' logs are kept."
  type        = number
  default     = 365
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for each function (a burst of calls cannot starve the account)."
  type        = number
  default     = 100
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "name" {
  description = "Globally unique bucket name."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key every object is encrypted with (SSE-KMS)."
  type        = string
}

variable "expire_days" {
  description = "Days after which current objects expire."
  type        = number
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten or deleted object version is kept."
  type        = number
  default     = 30
}

variable "access_log_bucket" {
  description = "Existing bucket receiving this bucket's server access logs."
  type        = string
}

variable "tags" {
  description = "Tags on the bucket."
  type        = map(string)
  default     = {}
}

variable "name_prefix" {
  description = "Prefix of every resource name, e.g. callguide-prod-<region>."
  type        = string
}

variable "instances" {
  description = "Per tenant slug: its Connect instance id (in this region), the queue its calls go to, and its Lambdas."
  type = map(object({
    instance_id               = string
    queue_arn                 = string
    contact_flow_lambda_arn   = string
    contact_events_lambda_arn = string
  }))
}

variable "kms_key_arn" {
  description = "Customer-managed key for the live media streams and the CTR stream."
  type        = string
}

variable "kvs_stream_prefix" {
  description = "Prefix Connect puts before the name of every live media stream it creates."
  type        = string
  default     = "callguide"
}

variable "kvs_retention_hours" {
  description = "Hours KVS keeps a call's audio (must be > 0: the workers read it after the fact on a retry). Match CALLGUIDE_KVS_RETENTION_HOURS."
  type        = number
  default     = 24

  validation {
    condition     = var.kvs_retention_hours >= 1 && var.kvs_retention_hours <= 87600
    error_message = "kvs_retention_hours must be between 1 and 87600: with 0 KVS keeps nothing and a failed call cannot be resumed."
  }
}

variable "ctr_retention_hours" {
  description = "Hours the CTR stream keeps records (the ctr-consumer can fall this far behind)."
  type        = number
  default     = 168
}

variable "lambda_invocation_timeout_s" {
  description = "Seconds the flow waits for the contact-flow Lambda before it goes on without it."
  type        = number
  default     = 3
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

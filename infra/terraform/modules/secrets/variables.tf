variable "name_prefix" {
  description = "Prefix of every secret's name, e.g. callguide-prod-<region>."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key the secrets are encrypted with."
  type        = string
}

variable "tenant_slugs" {
  description = "Tenants served in this region; each gets a secret for the API key its Connect Lambdas send."
  type        = set(string)
}

variable "tags" {
  description = "Tags on every secret."
  type        = map(string)
  default     = {}
}

variable "name_prefix" {
  description = "Prefix of every resource name, e.g. callguide-prod-<region>."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer and the nodes."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets the internet-facing ALB lives in."
  type        = list(string)
}

variable "domain" {
  description = "Public domain; tenants are served at <tenant>.<region>.<domain> (CALLGUIDE_PUBLIC_DOMAIN)."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone that holds <region>.<domain>."
  type        = string
}

variable "tenant_slugs" {
  description = "Tenants served in this region; each gets <slug>.<region>.<domain>."
  type        = set(string)
}

variable "node_security_group_id" {
  description = "Security group of the EKS nodes the ALB forwards to."
  type        = string
}

variable "node_autoscaling_group_names" {
  description = "Auto Scaling groups of the nodes, registered as the ALB's targets."
  type        = list(string)
}

variable "api_node_port" {
  description = "Node port of the API service."
  type        = number
}

variable "access_log_bucket" {
  description = "Existing bucket (in this region, with the ELB log-delivery policy) for ALB access logs."
  type        = string
}

variable "waf_rate_limit_per_5_minutes" {
  description = "Requests one client IP may send in five minutes before WAF blocks it."
  type        = number
  default     = 20000
}

variable "kms_key_arn" {
  description = "Key for the WAF log group."
  type        = string
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = aws_lb.api.dns_name
}

output "alb_arn" {
  description = "ARN of the ALB."
  value       = aws_lb.api.arn
}

output "tenant_urls" {
  description = "Per tenant slug, its callguide origin (the Lambdas' CALLGUIDE_API_URL)."
  value       = { for slug in var.tenant_slugs : slug => "https://${slug}.${local.regional_domain}" }
}

output "web_acl_arn" {
  description = "WAF web ACL in front of the API."
  value       = aws_wafv2_web_acl.api.arn
}

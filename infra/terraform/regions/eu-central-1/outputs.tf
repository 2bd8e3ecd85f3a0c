output "tenant_urls" {
  description = "Per tenant slug, its callguide origin."
  value       = module.callguide.tenant_urls
}

output "connect_instance_arns" {
  description = "Per tenant slug, the instance ARN to bind with `callguide tenants update --connect-instance`."
  value       = module.callguide.connect_instance_arns
}

output "contact_flow_ids" {
  description = "Per tenant slug, the callguide inbound flow to attach to its numbers."
  value       = module.callguide.contact_flow_ids
}

output "cluster_name" {
  description = "EKS cluster (aws eks update-kubeconfig --name ...)."
  value       = module.callguide.cluster_name
}

output "app_env_secret_arn" {
  description = "Secret to fill with callguide's secret settings."
  value       = module.callguide.app_env_secret_arn
}

output "tenant_api_key_secret_arns" {
  description = "Per tenant slug, the secret to put its API key in."
  value       = module.callguide.tenant_api_key_secret_arns
}

output "database_endpoint" {
  description = "PostgreSQL host:port."
  value       = module.callguide.database_endpoint
}

output "redis_endpoint" {
  description = "Redis primary endpoint (TLS)."
  value       = module.callguide.redis_endpoint
}

output "ctr_stream_name" {
  description = "Contact-record stream."
  value       = module.callguide.ctr_stream_name
}

output "database_master_secret_arn" {
  description = "Secret RDS keeps the PostgreSQL master password in (for DATABASE_URL)."
  value       = module.callguide.database_master_secret_arn
}

output "redis_auth_secret_arn" {
  description = "Secret holding the Redis AUTH token (for REDIS_URL)."
  value       = module.callguide.redis_auth_secret_arn
}

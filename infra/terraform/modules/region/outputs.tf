output "tenant_urls" {
  description = "Per tenant slug, its callguide origin."
  value       = module.edge.tenant_urls
}

output "connect_instance_arns" {
  description = "Per tenant slug, the Connect instance ARN to bind with `callguide tenants update --connect-instance`."
  value       = module.connect_integration.instance_arns
}

output "contact_flow_ids" {
  description = "Per tenant slug, the callguide inbound flow to attach to its numbers."
  value       = module.connect_integration.contact_flow_ids
}

output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint, for the root's kubernetes and helm providers."
  value       = module.eks.cluster_endpoint
}

output "cluster_ca_certificate" {
  description = "Base64 CA certificate of the cluster, for the root's kubernetes and helm providers."
  value       = module.eks.cluster_ca_certificate
}

output "app_env_secret_arn" {
  description = "Secret to fill with callguide's secret settings (JSON object)."
  value       = module.secrets.app_env_secret_arn
}

output "tenant_api_key_secret_arns" {
  description = "Per tenant slug, the secret to put its API key in."
  value       = module.secrets.tenant_api_key_secret_arns
}

output "audio_bucket_name" {
  description = "Bucket of redacted audio."
  value       = module.storage.audio_bucket_name
}

output "database_endpoint" {
  description = "PostgreSQL host:port."
  value       = module.storage.database_endpoint
}

output "redis_endpoint" {
  description = "Redis primary endpoint (TLS)."
  value       = module.storage.redis_endpoint
}

output "ctr_stream_name" {
  description = "Contact-record stream."
  value       = module.connect_integration.ctr_stream_name
}

output "database_master_secret_arn" {
  description = "Secret RDS keeps the PostgreSQL master password in (for DATABASE_URL)."
  value       = module.storage.database_master_secret_arn
}

output "redis_auth_secret_arn" {
  description = "Secret holding the Redis AUTH token (for REDIS_URL)."
  value       = module.storage.redis_auth_secret_arn
}

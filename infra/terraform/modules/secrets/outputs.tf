output "app_env_secret_arn" {
  description = "Secret whose JSON object becomes the API's and workers' environment."
  value       = aws_secretsmanager_secret.app_env.arn
}

output "tenant_api_key_secret_arns" {
  description = "Per tenant slug, the secret holding its API key for the Connect Lambdas."
  value       = { for slug, secret in aws_secretsmanager_secret.tenant_api_key : slug => secret.arn }
}

# Secrets Manager entries. Terraform creates the containers only: the values (codec keys,
# operator tokens, tenant API keys, the Temporal Cloud API key) are put by an operator with
# `aws secretsmanager put-secret-value`, so they never enter Terraform state or plans.

resource "aws_secretsmanager_secret" "app_env" {
  #checkov:skip=CKV2_AWS_57:The codec keys rotate by prepending a new kid (CALLGUIDE_CODEC_KEYS keeps older keys to decrypt); an operator rotates them, not a Lambda.
  name        = "${var.name_prefix}/app-env"
  description = "JSON object of callguide's secret settings (CALLGUIDE_CODEC_KEYS, CALLGUIDE_CODEC_AUTH_TOKEN, CALLGUIDE_OPERATOR_TOKEN, CALLGUIDE_TEMPORAL_API_KEY, DATABASE_URL, REDIS_URL, CALLGUIDE_ANALYTICS_URL, provider API keys)"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret" "tenant_api_key" {
  #checkov:skip=CKV2_AWS_57:Tenant keys rotate with `callguide tenants rotate-key`, which issues the new key; the operator then puts it here.
  for_each    = var.tenant_slugs
  name        = "${var.name_prefix}/tenants/${each.value}/api-key"
  description = "API key the Connect Lambdas of tenant ${each.value} send to callguide"
  kms_key_id  = var.kms_key_arn
  tags        = merge(var.tags, { Tenant = each.value })
}

# callguide in one AWS region: every module wired together. A region root calls this once
# with its own provider, so every resource below lands in that region only.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # Built from the ids rather than read from connect_integration, whose flows need the
  # Lambdas that need these ARNs (a dependency cycle otherwise).
  connect_instance_arns = {
    for slug, tenant in var.tenants :
    slug => "arn:${data.aws_partition.current.partition}:connect:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:instance/${tenant.connect_instance_id}"
  }
  name_prefix = "callguide-${var.environment}-${data.aws_region.current.name}"
  tags        = merge(var.tags, { Application = "callguide", Region = data.aws_region.current.name })
}

module "storage" {
  source = "../storage"

  name_prefix               = local.name_prefix
  vpc_id                    = var.vpc_id
  private_subnet_ids        = var.private_subnet_ids
  client_security_group_ids = [module.eks.node_security_group_id]
  access_log_bucket         = var.log_bucket
  clickhouse_url            = var.clickhouse_url
  tags                      = local.tags
}

module "secrets" {
  source = "../secrets"

  name_prefix  = local.name_prefix
  kms_key_arn  = module.storage.kms_key_arn
  tenant_slugs = toset(keys(var.tenants))
  tags         = local.tags
}

resource "aws_security_group" "lambdas" {
  #checkov:skip=CKV2_AWS_5:Attached to the Connect Lambdas through module.lambdas (security_group_ids), which the scan does not follow.
  name        = "${local.name_prefix}-connect-lambdas"
  description = "Connect Lambdas: HTTPS out to callguide and AWS APIs only"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_egress_rule" "lambdas_https" {
  security_group_id = aws_security_group.lambdas.id
  description       = "HTTPS to the callguide ALB and Secrets Manager"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

module "lambdas" {
  source   = "../lambdas"
  for_each = var.tenants

  name_prefix          = "${local.name_prefix}-${each.key}"
  tenant_slug          = each.key
  api_url              = module.edge.tenant_urls[each.key]
  api_key_secret_arn   = module.secrets.tenant_api_key_secret_arns[each.key]
  kms_key_arn          = module.storage.kms_key_arn
  connect_instance_arn = local.connect_instance_arns[each.key]
  ctr_stream_arn       = module.connect_integration.ctr_stream_arn
  enable_ctr_feeder    = var.enable_ctr_feeder
  lambda_source_dir    = "${path.module}/../../../lambda"
  subnet_ids           = var.private_subnet_ids
  security_group_ids   = [aws_security_group.lambdas.id]
  tags                 = local.tags
}

module "connect_integration" {
  source = "../connect_integration"

  name_prefix         = local.name_prefix
  kms_key_arn         = module.storage.kms_key_arn
  kvs_retention_hours = var.kvs_retention_hours
  instances = {
    for slug, tenant in var.tenants : slug => {
      instance_id               = tenant.connect_instance_id
      queue_arn                 = tenant.queue_arn
      contact_flow_lambda_arn   = module.lambdas[slug].contact_flow_function_arn
      contact_events_lambda_arn = module.lambdas[slug].contact_events_function_arn
    }
  }
  tags = local.tags
}

module "eks" {
  source = "../eks"

  name_prefix                = local.name_prefix
  vpc_id                     = var.vpc_id
  private_subnet_ids         = var.private_subnet_ids
  cluster_admin_cidrs        = var.cluster_admin_cidrs
  kms_key_arn                = module.storage.kms_key_arn
  image                      = var.image
  temporal_address           = var.temporal_address
  temporal_namespace         = var.temporal_namespace
  temporal_tls               = var.temporal_tls
  temporal_api_key_in_secret = var.temporal_api_key_in_secret
  app_env_secret_arn         = module.secrets.app_env_secret_arn
  audio_bucket_name          = module.storage.audio_bucket_name
  audio_bucket_arn           = module.storage.audio_bucket_arn
  quarantine_bucket_arn      = module.storage.quarantine_bucket_arn
  media_stream_arn_patterns  = module.connect_integration.media_stream_arn_patterns
  ctr_stream_name            = module.connect_integration.ctr_stream_name
  ctr_stream_arn             = module.connect_integration.ctr_stream_arn
  worker_queues              = var.worker_queues
  settings = {
    CALLGUIDE_PUBLIC_DOMAIN        = var.domain
    CALLGUIDE_KVS_RETENTION_HOURS  = tostring(var.kvs_retention_hours)
    CALLGUIDE_GUIDANCE_ENABLED     = "true"
  }
  tags = local.tags
}

module "edge" {
  source = "../edge"

  name_prefix                  = local.name_prefix
  vpc_id                       = var.vpc_id
  public_subnet_ids            = var.public_subnet_ids
  domain                       = var.domain
  route53_zone_id              = var.route53_zone_id
  tenant_slugs                 = toset(keys(var.tenants))
  node_security_group_id       = module.eks.node_security_group_id
  node_autoscaling_group_names = module.eks.node_autoscaling_group_names
  api_node_port                = module.eks.api_node_port
  access_log_bucket            = var.log_bucket
  kms_key_arn                  = module.storage.kms_key_arn
  tags                         = local.tags
}

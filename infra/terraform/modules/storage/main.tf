# Data at rest for one region: the redacted audio and quarantine buckets, PostgreSQL,
# Redis and the customer-managed key that encrypts all of them. Everything here stays in
# the provider's region, which is what keeps an EU deployment's data in the EU.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition

  # Services that encrypt with the data key on a caller's behalf in this account.
  kms_via_services = [
    "s3.${local.region}.amazonaws.com",
    "rds.${local.region}.amazonaws.com",
    "elasticache.${local.region}.amazonaws.com",
    "secretsmanager.${local.region}.amazonaws.com",
    "kinesis.${local.region}.amazonaws.com",
    "kinesisvideo.${local.region}.amazonaws.com",
  ]
}

# A key policy's resource "*" means this key itself; access is granted through IAM.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_111:Key policy: "*" is the key itself and the writer is this account's IAM (the default key policy).
  #checkov:skip=CKV_AWS_356:Key policy: a key policy's resource is always "*" (this key).
  #checkov:skip=CKV_AWS_109:Key policy: the account administers its own key through IAM (the default key policy).
  # The default key policy: IAM policies of this account decide who may use the key.
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "AccountServicesUseKey"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
      "kms:CreateGrant",
    ]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = local.kms_via_services
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptsLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
    }
  }
}

resource "aws_kms_key" "data" {
  description             = "${var.name_prefix} data at rest (audio, database, cache, secrets, streams)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = var.tags
}

resource "aws_kms_alias" "data" {
  name          = "alias/${var.name_prefix}-data"
  target_key_id = aws_kms_key.data.key_id
}

# ---- S3 ---------------------------------------------------------------------------

module "audio_bucket" {
  source = "../bucket"

  name                              = "${var.name_prefix}-audio-${local.account_id}"
  kms_key_arn                       = aws_kms_key.data.arn
  expire_days                       = var.audio_retention_days
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  access_log_bucket                 = var.access_log_bucket
  tags                              = merge(var.tags, { Purpose = "redacted-audio" })
}

module "quarantine_bucket" {
  source = "../bucket"

  name                              = "${var.name_prefix}-quarantine-${local.account_id}"
  kms_key_arn                       = aws_kms_key.data.arn
  expire_days                       = var.quarantine_retention_days
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  access_log_bucket                 = var.access_log_bucket
  tags                              = merge(var.tags, { Purpose = "quarantine" })
}

# ---- Network access to the stores --------------------------------------------------

resource "aws_security_group" "postgres" {
  name        = "${var.name_prefix}-postgres"
  description = "PostgreSQL, reachable from callguide's pods only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "postgres" {
  for_each                     = toset(var.client_security_group_ids)
  security_group_id            = aws_security_group.postgres.id
  description                  = "PostgreSQL from callguide"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
}

resource "aws_security_group" "redis" {
  name        = "${var.name_prefix}-redis"
  description = "Redis, reachable from callguide's pods only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "redis" {
  for_each                     = toset(var.client_security_group_ids)
  security_group_id            = aws_security_group.redis.id
  description                  = "Redis (TLS) from callguide"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = each.value
}

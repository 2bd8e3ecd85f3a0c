# IAM roles for service accounts: each kind of pod assumes its own role, bound to its
# Kubernetes service account, and gets nothing else.

locals {
  oidc_issuer = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")

  # role name => Kubernetes service account (namespace/name) allowed to assume it.
  irsa_service_accounts = {
    workers          = "${var.namespace}:callguide-workers"
    api              = "${var.namespace}:callguide-api"
    ctr_consumer     = "${var.namespace}:callguide-ctr-consumer"
    external_secrets = "external-secrets:external-secrets"
  }

  bucket_arns = [var.audio_bucket_arn, var.quarantine_bucket_arn]
}

data "aws_iam_policy_document" "irsa_assume" {
  for_each = local.irsa_service_accounts

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.this.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${each.value}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each           = local.irsa_service_accounts
  name               = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  assume_role_policy = data.aws_iam_policy_document.irsa_assume[each.key].json
  tags               = var.tags
}

# Workers read each call's audio from its Connect stream and write the redacted
# recording (or move a failed one to quarantine).
data "aws_iam_policy_document" "workers" {
  statement {
    sid       = "ReadConnectMediaStreams"
    actions   = ["kinesisvideo:GetDataEndpoint", "kinesisvideo:GetMedia"]
    resources = var.media_stream_arn_patterns
  }

  statement {
    sid       = "ListAudioBuckets"
    actions   = ["s3:ListBucket"]
    resources = local.bucket_arns
  }

  statement {
    sid = "ReadWriteRedactedAudio"
    actions = [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
      "s3:DeleteObject",
    ]
    resources = [for arn in local.bucket_arns : "${arn}/*"]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

# The API serves stored recordings to the tenant that owns them.
data "aws_iam_policy_document" "api" {
  statement {
    sid       = "ReadRedactedAudio"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${var.audio_bucket_arn}/*"]
  }

  statement {
    sid       = "DecryptWithDataKey"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

data "aws_iam_policy_document" "ctr_consumer" {
  statement {
    sid = "ReadContactRecordStream"
    actions = [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]
    resources = [var.ctr_stream_arn]
  }

  statement {
    sid       = "DecryptStream"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

# External Secrets copies the app-env secret into the namespace; nothing else.
data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid       = "ReadAppEnvSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [var.app_env_secret_arn]
  }

  statement {
    sid       = "DecryptSecret"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

locals {
  irsa_policies = {
    workers          = data.aws_iam_policy_document.workers.json
    api              = data.aws_iam_policy_document.api.json
    ctr_consumer     = data.aws_iam_policy_document.ctr_consumer.json
    external_secrets = data.aws_iam_policy_document.external_secrets.json
  }
}

resource "aws_iam_role_policy" "irsa" {
  for_each = local.irsa_policies
  name     = "least-privilege"
  role     = aws_iam_role.irsa[each.key].id
  policy   = each.value
}

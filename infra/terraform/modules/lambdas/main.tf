# The three Connect Lambdas of one tenant: contact_flow (invoked by the flow, answers at
# once), contact_events (EventBridge contact events) and ctr_feeder (contact records, only
# when the ctr-consumer deployment is not used), all from one zip of infra/lambda (the
# handlers share callguide_api.py). Each has its own role with only what it
# needs: its logs, its dead-letter queue, the tenant's API-key secret, and for the feeder
# reading the CTR stream.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  functions = merge(
    {
      contact_flow = {
        handler = "contact_flow.handler"
        # The flow's Invoke Lambda block waits at most 3 s; the function gives up before it.
        timeout = 3
      }
      contact_events = {
        handler = "contact_events.handler"
        timeout = 10
      }
    },
    var.enable_ctr_feeder ? {
      ctr_feeder = {
        handler = "ctr_feeder.handler"
        timeout = 30
      }
    } : {},
  )
  log_group_arn_prefix = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda"
}

data "archive_file" "handlers" {
  type        = "zip"
  source_dir  = var.lambda_source_dir
  # The handlers and their shared callguide_api module; no bytecode caches.
  excludes    = ["__pycache__/**", "**/*.pyc"]
  output_path = "${path.root}/.build/${var.name_prefix}-connect-lambdas.zip"
}

resource "aws_sqs_queue" "dead_letter" {
  for_each                  = local.functions
  name                      = "${var.name_prefix}-${replace(each.key, "_", "-")}-dlq"
  kms_master_key_id         = var.kms_key_arn
  message_retention_seconds = 1209600
  tags                      = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.name_prefix}-${replace(each.key, "_", "-")}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each           = local.functions
  name               = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn_prefix}/${var.name_prefix}-${replace(each.key, "_", "-")}:*"]
  }

  statement {
    sid       = "TenantApiKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.api_key_secret_arn]
  }

  statement {
    sid       = "DecryptSecretAndEnvironment"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "OwnDeadLetterQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letter[each.key].arn]
  }

  # Network interfaces in the VPC: these actions do not support resource-level
  # permissions, so they are scoped to this account's region by condition.
  statement {
    sid = "VpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [data.aws_region.current.name]
    }
  }

  # X-Ray accepts segments without resource-level permissions.
  statement {
    sid       = "TraceSegments"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = each.key == "ctr_feeder" ? [var.ctr_stream_arn] : []
    content {
      sid = "ReadContactRecordStream"
      actions = [
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
        "kinesis:SubscribeToShard",
      ]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = local.functions
  name     = "least-privilege"
  role     = aws_iam_role.this[each.key].id
  policy   = data.aws_iam_policy_document.function[each.key].json
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_272:Code signing needs a signing profile in AWS Signer per account; the zip is built from this repository in the same apply.
  for_each                       = local.functions
  function_name                  = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  description                    = "callguide ${each.key} for tenant ${var.tenant_slug}"
  role                           = aws_iam_role.this[each.key].arn
  runtime                        = "python3.12"
  handler                        = each.value.handler
  timeout                        = each.value.timeout
  memory_size                    = 256
  filename                       = data.archive_file.handlers.output_path
  source_code_hash               = data.archive_file.handlers.output_base64sha256
  kms_key_arn                    = var.kms_key_arn
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = {
      CALLGUIDE_API_URL              = var.api_url
      CALLGUIDE_API_KEY_SECRET_ARN   = var.api_key_secret_arn
      CALLGUIDE_CONNECT_INSTANCE_ARN = var.connect_instance_arn
    }
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dead_letter[each.key].arn
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
  tags       = var.tags
}

# Only this tenant's instance's records reach its feeder: CTRs of every instance in the
# region share one stream, and another tenant's must never be sent to this tenant's API.
resource "aws_lambda_event_source_mapping" "ctr_feeder" {
  count                          = var.enable_ctr_feeder ? 1 : 0
  function_name                  = aws_lambda_function.this["ctr_feeder"].arn
  event_source_arn               = var.ctr_stream_arn
  starting_position              = "TRIM_HORIZON"
  batch_size                     = 100
  maximum_retry_attempts         = 5
  bisect_batch_on_function_error = true
  # The feeder names the records callguide did not take; only those are sent again.
  function_response_types = ["ReportBatchItemFailures"]

  filter_criteria {
    filter {
      pattern = jsonencode({ data = { InstanceARN = [var.connect_instance_arn] } })
    }
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.dead_letter["ctr_feeder"].arn
    }
  }
}

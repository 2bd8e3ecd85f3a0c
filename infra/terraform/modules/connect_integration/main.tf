# Amazon Connect side of callguide for the instances of one region: live media streaming to
# KVS (retention, encrypted), contact records to one Kinesis stream, the inbound flow that
# starts streaming and tells callguide, and contact events through EventBridge.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_connect_instance" "this" {
  for_each    = var.instances
  instance_id = each.value.instance_id
}

locals {
  # Connect names each contact's stream <prefix>-connect-<instance alias>-contact-<contact id>.
  media_stream_arn_patterns = [
    for slug, instance in data.aws_connect_instance.this :
    "arn:${data.aws_partition.current.partition}:kinesisvideo:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:stream/${var.kvs_stream_prefix}*connect-${instance.instance_alias}-contact-*/*"
  ]
}

resource "aws_kinesis_stream" "ctr" {
  name             = "${var.name_prefix}-contact-records"
  retention_period = var.ctr_retention_hours
  encryption_type  = "KMS"
  kms_key_id       = var.kms_key_arn

  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }

  tags = var.tags
}

resource "aws_connect_instance_storage_config" "media_streams" {
  #checkov:skip=CKV_AWS_270:This is a KINESIS_VIDEO_STREAM config (encrypted with the CMK below), not an S3 one.
  for_each      = var.instances
  instance_id   = each.value.instance_id
  resource_type = "MEDIA_STREAMS"

  storage_config {
    storage_type = "KINESIS_VIDEO_STREAM"
    kinesis_video_stream_config {
      prefix                 = var.kvs_stream_prefix
      retention_period_hours = var.kvs_retention_hours
      encryption_config {
        encryption_type = "KMS"
        key_id          = var.kms_key_arn
      }
    }
  }
}

resource "aws_connect_instance_storage_config" "contact_records" {
  #checkov:skip=CKV_AWS_269:This is a KINESIS_STREAM config, not a video stream; the stream itself is encrypted with the CMK.
  #checkov:skip=CKV_AWS_270:This is a KINESIS_STREAM config, not an S3 one; the stream itself is encrypted with the CMK.
  for_each      = var.instances
  instance_id   = each.value.instance_id
  resource_type = "CONTACT_TRACE_RECORDS"

  storage_config {
    storage_type = "KINESIS_STREAM"
    kinesis_stream_config {
      stream_arn = aws_kinesis_stream.ctr.arn
    }
  }
}

resource "aws_connect_lambda_function_association" "contact_flow" {
  for_each     = var.instances
  instance_id  = each.value.instance_id
  function_arn = each.value.contact_flow_lambda_arn
}

resource "aws_connect_contact_flow" "callguide" {
  for_each    = var.instances
  instance_id = each.value.instance_id
  name        = "callguide inbound"
  description = "Starts live media streaming, tells callguide, queues the caller"
  type        = "CONTACT_FLOW"
  content = templatefile("${path.module}/flows/callguide_inbound.json", {
    contact_flow_lambda_arn     = each.value.contact_flow_lambda_arn
    queue_arn                   = each.value.queue_arn
    lambda_invocation_timeout_s = tostring(var.lambda_invocation_timeout_s)
  })
  tags = var.tags

  # The flow may only invoke a Lambda associated with the instance.
  depends_on = [aws_connect_lambda_function_association.contact_flow, aws_connect_instance_storage_config.media_streams]
}

resource "aws_cloudwatch_event_rule" "contact_events" {
  for_each    = var.instances
  name        = "${var.name_prefix}-${each.key}-contact-events"
  description = "Amazon Connect contact events of tenant ${each.key}'s instance to callguide"
  event_pattern = jsonencode({
    source        = ["aws.connect"]
    "detail-type" = ["Amazon Connect Contact Event"]
    detail = {
      instanceArn = [data.aws_connect_instance.this[each.key].arn]
    }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "contact_events" {
  for_each = var.instances
  rule     = aws_cloudwatch_event_rule.contact_events[each.key].name
  arn      = each.value.contact_events_lambda_arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }
}

resource "aws_lambda_permission" "contact_events" {
  for_each      = var.instances
  statement_id  = "AllowEventBridgeContactEvents"
  action        = "lambda:InvokeFunction"
  function_name = each.value.contact_events_lambda_arn
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.contact_events[each.key].arn
}

output "ctr_stream_name" {
  description = "Kinesis stream of contact records (CALLGUIDE_CTR_STREAM_NAME)."
  value       = aws_kinesis_stream.ctr.name
}

output "ctr_stream_arn" {
  description = "ARN of the contact-record stream."
  value       = aws_kinesis_stream.ctr.arn
}

output "instance_arns" {
  description = "Per tenant slug, its Connect instance's ARN (bind it with `callguide tenants create/update`)."
  value       = { for slug, instance in data.aws_connect_instance.this : slug => instance.arn }
}

output "media_stream_arn_patterns" {
  description = "ARN patterns of the live media streams Connect creates for these instances (what the workers may read)."
  value       = local.media_stream_arn_patterns
}

output "contact_flow_ids" {
  description = "Per tenant slug, the callguide inbound flow to attach to its phone numbers."
  value       = { for slug, flow in aws_connect_contact_flow.callguide : slug => flow.contact_flow_id }
}

output "contact_event_rule_arns" {
  description = "Per tenant slug, the EventBridge rule forwarding its contact events."
  value       = { for slug, rule in aws_cloudwatch_event_rule.contact_events : slug => rule.arn }
}

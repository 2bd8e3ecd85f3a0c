output "contact_flow_function_arn" {
  description = "Lambda the contact flow invokes after media streaming starts."
  value       = aws_lambda_function.this["contact_flow"].arn
}

output "contact_flow_function_name" {
  description = "Name of the contact-flow Lambda."
  value       = aws_lambda_function.this["contact_flow"].function_name
}

output "contact_events_function_arn" {
  description = "Lambda the EventBridge rule sends Connect contact events to."
  value       = aws_lambda_function.this["contact_events"].arn
}

output "contact_events_function_name" {
  description = "Name of the contact-events Lambda."
  value       = aws_lambda_function.this["contact_events"].function_name
}

output "role_arns" {
  description = "Per function, its own execution role."
  value       = { for name, role in aws_iam_role.this : name => role.arn }
}

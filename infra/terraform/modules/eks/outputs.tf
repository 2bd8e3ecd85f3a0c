output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint (private)."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_ca_certificate" {
  description = "Base64 CA certificate of the cluster."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "node_security_group_id" {
  description = "Security group of the nodes (the cluster security group); stores and the ALB allow it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_autoscaling_group_names" {
  description = "Auto Scaling groups of the managed nodes (ALB targets)."
  value       = [for group in aws_eks_node_group.this.resources[0].autoscaling_groups : group.name]
}

output "api_node_port" {
  description = "Node port the API service listens on."
  value       = var.api_node_port
}

output "workers_role_arn" {
  description = "IRSA role of the worker pods."
  value       = aws_iam_role.irsa["workers"].arn
}

# The public edge of one region: an ALB with a wildcard certificate for
# *.<region>.<domain>, WAF in front, and one Route 53 name per tenant. The API checks that
# a request's host is exactly its tenant's name (CALLGUIDE_PUBLIC_DOMAIN).

data "aws_region" "current" {}

locals {
  regional_domain = "${data.aws_region.current.name}.${var.domain}"
}

resource "aws_acm_certificate" "wildcard" {
  domain_name       = "*.${local.regional_domain}"
  validation_method = "DNS"
  tags              = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = {
    for option in aws_acm_certificate.wildcard.domain_validation_options : option.domain_name => option
  }
  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "wildcard" {
  certificate_arn         = aws_acm_certificate.wildcard.arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

resource "aws_security_group" "alb" {
  name        = "${var.name_prefix}-alb"
  description = "callguide ALB: HTTPS from the internet, to the API node port only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from Connect Lambdas, agents' browsers and tenants' systems"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_nodes" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the API's node port"
  ip_protocol                  = "tcp"
  from_port                    = var.api_node_port
  to_port                      = var.api_node_port
  referenced_security_group_id = var.node_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "nodes_from_alb" {
  security_group_id            = var.node_security_group_id
  description                  = "API node port from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.api_node_port
  to_port                      = var.api_node_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_lb" "api" {
  name                       = substr("${var.name_prefix}-api", 0, 32)
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = true
  # Server-Sent Events keep connections open; the API sends keep-alives more often.
  idle_timeout = 120

  access_logs {
    bucket  = var.access_log_bucket
    prefix  = "${var.name_prefix}-alb"
    enabled = true
  }

  tags = var.tags
}

resource "aws_lb_target_group" "api" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; the hop to the node port stays inside the VPC, between two security groups that only allow each other.
  name        = substr("${var.name_prefix}-api", 0, 32)
  port        = var.api_node_port
  protocol    = "HTTP"
  target_type = "instance"
  vpc_id      = var.vpc_id

  health_check {
    path                = "/readyz"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = var.tags
}

resource "aws_autoscaling_attachment" "api" {
  #checkov:skip=CKV2_AWS_15:The groups belong to the EKS managed node group, which sets their health checks; Kubernetes replaces unhealthy pods and the target group checks /readyz.
  for_each               = toset(var.node_autoscaling_group_names)
  autoscaling_group_name = each.value
  lb_target_group_arn    = aws_lb_target_group.api.arn
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.wildcard.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_route53_record" "tenant" {
  for_each = var.tenant_slugs
  zone_id  = var.route53_zone_id
  name     = "${each.value}.${local.regional_domain}"
  type     = "A"

  alias {
    name                   = aws_lb.api.dns_name
    zone_id                = aws_lb.api.zone_id
    evaluate_target_health = true
  }
}

# callguide in eu-central-1 (EU data residency): every AWS resource of this root is created by the
# one aws provider below, pinned to eu-central-1; there is no other region or provider alias.

provider "aws" {
  region              = "eu-central-1"
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = {
      Application   = "callguide"
      DataResidency = "EU"
    }
  }
}

data "aws_eks_cluster_auth" "this" {
  name = module.callguide.cluster_name
}

provider "kubernetes" {
  host                   = module.callguide.cluster_endpoint
  cluster_ca_certificate = base64decode(module.callguide.cluster_ca_certificate)
  token                  = data.aws_eks_cluster_auth.this.token
}

provider "helm" {
  kubernetes {
    host                   = module.callguide.cluster_endpoint
    cluster_ca_certificate = base64decode(module.callguide.cluster_ca_certificate)
    token                  = data.aws_eks_cluster_auth.this.token
  }
}

module "callguide" {
  source = "../../modules/region"

  environment                = var.environment
  vpc_id                     = var.vpc_id
  private_subnet_ids         = var.private_subnet_ids
  public_subnet_ids          = var.public_subnet_ids
  cluster_admin_cidrs        = var.cluster_admin_cidrs
  domain                     = var.domain
  route53_zone_id            = var.route53_zone_id
  log_bucket                 = var.log_bucket
  tenants                    = var.tenants
  image                      = var.image
  temporal_address           = var.temporal_address
  temporal_namespace         = var.temporal_namespace
  temporal_tls               = var.temporal_tls
  temporal_api_key_in_secret = var.temporal_api_key_in_secret
  clickhouse_url             = var.clickhouse_url
  kvs_retention_hours        = var.kvs_retention_hours
  worker_queues              = var.worker_queues
  enable_ctr_feeder          = var.enable_ctr_feeder
  tags                       = { DataResidency = "EU" }
}

terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.16"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }

  # State (which includes the Redis AUTH token) lives in an encrypted bucket in this same
  # region: terraform init -backend-config=backend.hcl (see ../../README.md).
  backend "s3" {
    region  = "eu-central-1"
    key     = "callguide/eu-central-1/terraform.tfstate"
    encrypt = true
  }
}

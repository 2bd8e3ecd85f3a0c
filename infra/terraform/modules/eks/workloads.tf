# callguide's pods: the API, one deployment per worker task queue and the ctr-consumer.
# Secret settings come from Secrets Manager through External Secrets; the rest are plain
# environment. Apply the cluster first (README: two-step apply), since these resources
# talk to its Kubernetes API.

locals {
  common_env = merge(
    {
      AWS_REGION                   = data.aws_region.current.name
      CALLGUIDE_TEMPORAL_ADDRESS   = var.temporal_address
      CALLGUIDE_TEMPORAL_NAMESPACE = var.temporal_namespace
      CALLGUIDE_TEMPORAL_TLS       = tostring(var.temporal_tls)
      CALLGUIDE_S3_BUCKET          = var.audio_bucket_name
      CALLGUIDE_S3_REGION          = data.aws_region.current.name
      CALLGUIDE_CTR_STREAM_NAME    = var.ctr_stream_name
      CALLGUIDE_CTR_REGION         = data.aws_region.current.name
      CALLGUIDE_LOG_FORMAT         = "json"
      CALLGUIDE_METRICS_HOST       = "0.0.0.0"
      CALLGUIDE_METRICS_PORT       = tostring(var.metrics_port)
    },
    var.settings,
  )

  # Deployments that serve HTTP (and so have HTTP probes): the API and a worker per queue.
  http_deployments = merge(
    {
      api = {
        args            = ["api", "--host", "0.0.0.0", "--port", "8000"]
        service_account = "callguide-api"
        port            = 8000
        probe_path      = "/readyz"
        live_path       = "/healthz"
        replicas        = var.api_replicas
        cpu             = "1"
        memory          = "1Gi"
      }
    },
    {
      for queue, worker in var.worker_queues : "worker-${queue}" => {
        args            = ["worker", "--queues", queue]
        service_account = "callguide-workers"
        port            = var.metrics_port
        probe_path      = "/metrics"
        live_path       = "/metrics"
        replicas        = worker.min_replicas
        cpu             = worker.cpu
        memory          = worker.memory
      }
    },
  )
}

resource "kubernetes_namespace_v1" "callguide" {
  metadata {
    name = var.namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}

resource "kubernetes_service_account_v1" "this" {
  for_each = {
    callguide-api          = "api"
    callguide-workers      = "workers"
    callguide-ctr-consumer = "ctr_consumer"
  }
  metadata {
    name      = each.key
    namespace = kubernetes_namespace_v1.callguide.metadata[0].name
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.irsa[each.value].arn
    }
  }
  automount_service_account_token = false
}

# ---- Secrets: Secrets Manager -> Kubernetes Secret "callguide-env" --------------------

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  namespace        = "external-secrets"
  create_namespace = true
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.external_secrets_chart_version

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.irsa["external_secrets"].arn
  }
}

resource "kubernetes_manifest" "secret_store" {
  manifest = {
    apiVersion = "external-secrets.io/v1beta1"
    kind       = "ClusterSecretStore"
    metadata   = { name = "aws-secrets-manager" }
    spec = {
      provider = {
        aws = {
          service = "SecretsManager"
          region  = data.aws_region.current.name
          auth = {
            jwt = {
              serviceAccountRef = { name = "external-secrets", namespace = "external-secrets" }
            }
          }
        }
      }
    }
  }
  depends_on = [helm_release.external_secrets]
}

resource "kubernetes_manifest" "app_env" {
  manifest = {
    apiVersion = "external-secrets.io/v1beta1"
    kind       = "ExternalSecret"
    metadata   = { name = "callguide-env", namespace = kubernetes_namespace_v1.callguide.metadata[0].name }
    spec = {
      refreshInterval = "1h"
      secretStoreRef  = { name = "aws-secrets-manager", kind = "ClusterSecretStore" }
      target          = { name = "callguide-env", creationPolicy = "Owner" }
      dataFrom        = [{ extract = { key = var.app_env_secret_arn } }]
    }
  }
  depends_on = [kubernetes_manifest.secret_store]
}

# ---- Deployments -----------------------------------------------------------------

resource "kubernetes_deployment_v1" "http" {
  #checkov:skip=CKV_K8S_14:The image comes from var.image, whose validation requires a digest (@sha256:...), so no tag is used.
  #checkov:skip=CKV_K8S_43:The image comes from var.image, whose validation requires a digest (@sha256:...).
  #checkov:skip=CKV_K8S_35:callguide reads its settings from the environment (pydantic-settings); the values come from an encrypted Secret synced from Secrets Manager, never from the manifest.
  for_each = local.http_deployments

  metadata {
    name      = "callguide-${each.key}"
    namespace = kubernetes_namespace_v1.callguide.metadata[0].name
    labels    = { app = "callguide-${each.key}" }
  }

  spec {
    replicas = each.value.replicas
    selector {
      match_labels = { app = "callguide-${each.key}" }
    }

    template {
      metadata {
        labels = { app = "callguide-${each.key}" }
      }

      spec {
        service_account_name             = each.value.service_account
        automount_service_account_token  = false
        termination_grace_period_seconds = 120

        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        container {
          name              = "callguide"
          image             = var.image
          image_pull_policy = "Always"
          args              = each.value.args

          port {
            container_port = each.value.port
          }

          dynamic "env" {
            for_each = local.common_env
            content {
              name  = env.key
              value = env.value
            }
          }

          env_from {
            secret_ref {
              name = "callguide-env"
            }
          }

          resources {
            requests = { cpu = each.value.cpu, memory = each.value.memory }
            limits   = { cpu = each.value.cpu, memory = each.value.memory }
          }

          readiness_probe {
            http_get {
              path = each.value.probe_path
              port = each.value.port
            }
            period_seconds = 10
          }

          liveness_probe {
            http_get {
              path = each.value.live_path
              port = each.value.port
            }
            initial_delay_seconds = 30
            period_seconds        = 20
          }

          security_context {
            allow_privilege_escalation = false
            privileged                 = false
            read_only_root_filesystem  = true
            run_as_non_root            = true
            run_as_user                = 10001
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "tmp"
          empty_dir {}
        }
      }
    }
  }

  # KEDA owns the worker replica counts.
  lifecycle {
    ignore_changes = [spec[0].replicas]
  }

  depends_on = [kubernetes_manifest.app_env]
}

resource "kubernetes_deployment_v1" "ctr_consumer" {
  #checkov:skip=CKV_K8S_14:The image comes from var.image, whose validation requires a digest (@sha256:...), so no tag is used.
  #checkov:skip=CKV_K8S_43:The image comes from var.image, whose validation requires a digest (@sha256:...).
  #checkov:skip=CKV_K8S_35:callguide reads its settings from the environment; the values come from an encrypted Secret synced from Secrets Manager.
  #checkov:skip=CKV_K8S_8:The ctr-consumer serves no HTTP; a crashed consumer exits and Kubernetes restarts it, resuming at its stored position.
  #checkov:skip=CKV_K8S_9:Nothing routes traffic to the ctr-consumer, so there is no readiness to report.
  metadata {
    name      = "callguide-ctr-consumer"
    namespace = kubernetes_namespace_v1.callguide.metadata[0].name
    labels    = { app = "callguide-ctr-consumer" }
  }

  spec {
    # One reader per stream position: its progress is stored, not shared.
    replicas = 1
    strategy {
      type = "Recreate"
    }
    selector {
      match_labels = { app = "callguide-ctr-consumer" }
    }

    template {
      metadata {
        labels = { app = "callguide-ctr-consumer" }
      }

      spec {
        service_account_name            = "callguide-ctr-consumer"
        automount_service_account_token = false

        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        container {
          name              = "callguide"
          image             = var.image
          image_pull_policy = "Always"
          args              = ["ctr-consumer", "--stream", var.ctr_stream_name]

          dynamic "env" {
            for_each = local.common_env
            content {
              name  = env.key
              value = env.value
            }
          }

          env_from {
            secret_ref {
              name = "callguide-env"
            }
          }

          resources {
            requests = { cpu = "250m", memory = "512Mi" }
            limits   = { cpu = "500m", memory = "512Mi" }
          }

          security_context {
            allow_privilege_escalation = false
            privileged                 = false
            read_only_root_filesystem  = true
            run_as_non_root            = true
            run_as_user                = 10001
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "tmp"
          empty_dir {}
        }
      }
    }
  }

  depends_on = [kubernetes_manifest.app_env]
}

resource "kubernetes_service_v1" "api" {
  metadata {
    name      = "callguide-api"
    namespace = kubernetes_namespace_v1.callguide.metadata[0].name
  }
  spec {
    type     = "NodePort"
    selector = { app = "callguide-api" }
    port {
      port        = 8000
      target_port = 8000
      node_port   = var.api_node_port
    }
  }
}

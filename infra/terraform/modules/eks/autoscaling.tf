# Each worker deployment scales on its own Temporal task queue's backlog (KEDA's temporal
# scaler asks the frontend for the queue's approximate backlog), between the queue's
# min_replicas and max_replicas.

resource "helm_release" "keda" {
  name             = "keda"
  namespace        = "keda"
  create_namespace = true
  repository       = "https://kedacore.github.io/charts"
  chart            = "keda"
  version          = var.keda_chart_version
}

resource "kubernetes_manifest" "temporal_auth" {
  count = var.temporal_api_key_in_secret ? 1 : 0
  manifest = {
    apiVersion = "keda.sh/v1alpha1"
    kind       = "TriggerAuthentication"
    metadata   = { name = "temporal", namespace = kubernetes_namespace_v1.callguide.metadata[0].name }
    spec = {
      secretTargetRef = [
        { parameter = "apiKey", name = "callguide-env", key = "CALLGUIDE_TEMPORAL_API_KEY" },
      ]
    }
  }
  depends_on = [helm_release.keda, kubernetes_manifest.app_env]
}

resource "kubernetes_manifest" "worker_scaler" {
  for_each = var.worker_queues
  manifest = {
    apiVersion = "keda.sh/v1alpha1"
    kind       = "ScaledObject"
    metadata   = { name = "callguide-worker-${each.key}", namespace = kubernetes_namespace_v1.callguide.metadata[0].name }
    spec = {
      scaleTargetRef  = { name = kubernetes_deployment_v1.http["worker-${each.key}"].metadata[0].name }
      minReplicaCount = each.value.min_replicas
      maxReplicaCount = each.value.max_replicas
      # Long calls hold workflow state in workers' caches; scale down slowly.
      advanced = {
        horizontalPodAutoscalerConfig = {
          behavior = {
            scaleDown = { stabilizationWindowSeconds = 600 }
          }
        }
      }
      triggers = [
        merge(
          {
            type = "temporal"
            metadata = {
              endpoint        = var.temporal_address
              namespace       = var.temporal_namespace
              taskQueue       = each.key
              targetQueueSize = tostring(each.value.backlog_per_replica)
              queueTypes      = "workflow,activity"
              # With an API key (Temporal Cloud) the scaler dials TLS only when told to.
              enableTLS = tostring(var.temporal_tls)
            }
          },
          var.temporal_api_key_in_secret ? { authenticationRef = { name = "temporal" } } : {},
        ),
      ]
    }
  }
  depends_on = [helm_release.keda]
}

{{- define "lc.name" -}}{{ .Chart.Name }}{{- end -}}
{{- define "lc.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}{{- end -}}

{{- define "lc.labels" -}}
app.kubernetes.io/name: {{ include "lc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "lc.selector" -}}
app.kubernetes.io/name: {{ include "lc.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "lc.serviceAccount" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "lc.fullname" .) .Values.serviceAccount.name }}{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{- define "lc.secretName" -}}
{{- if .Values.secrets.existingSecret -}}{{ .Values.secrets.existingSecret }}{{- else -}}{{ include "lc.fullname" . }}-secrets{{- end -}}
{{- end -}}

{{/* The config file and the secret files, both read-only; /tmp for the file transfers' short-lived copies. */}}
{{- define "lc.volumes" -}}
- name: config
  configMap:
    name: {{ include "lc.fullname" . }}-config
- name: secrets
  secret:
    secretName: {{ include "lc.secretName" . }}
    defaultMode: 0400
- name: tmp
  emptyDir: {}
{{- end -}}

{{- define "lc.volumeMounts" -}}
# A directory mount, not subPath: kubelet updates it in place and the workers' config poll sees it.
- name: config
  mountPath: /etc/lucca-connectors/config
  readOnly: true
- name: secrets
  mountPath: /etc/lucca-connectors/secrets
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "lc.env" -}}
- name: LUCCA_CONNECTORS_CONFIG
  value: /etc/lucca-connectors/config/config.yaml
- name: LUCCA_CONNECTORS_OPERATOR
  value: {{ printf "kubernetes/%s" .Release.Name | quote }}
{{- end -}}

{{- define "lc.podSpecCommon" -}}
serviceAccountName: {{ include "lc.serviceAccount" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  {{- include "lc.volumes" . | nindent 2 }}
{{- end -}}

{{- define "lc.image" -}}{{ printf "%s:%s" .Values.image.repository .Values.image.tag | quote }}{{- end -}}

{{/* The worker's pod template: also the template of the Worker Controller's resource. */}}
{{- define "lc.workerPodTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "lc.selector" (dict "root" $root "component" "worker") | nindent 4 }}
    {{- if .buildId }}
    lucca-connectors/build-id: {{ .buildId | quote }}
    {{- end }}
  annotations:
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $root.Values.metrics.port | quote }}
spec:
  {{- include "lc.podSpecCommon" $root | nindent 2 }}
  # Longer than the worker's own shutdown grace (30 s): SIGTERM stops polling, lets activities
  # in flight finish, and anything cut short is retried by another worker.
  terminationGracePeriodSeconds: {{ $root.Values.worker.terminationGracePeriodSeconds }}
  {{- with $root.Values.worker.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.worker.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.worker.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: worker
      image: {{ printf "%s:%s" $root.Values.image.repository (default $root.Values.image.tag .tag) | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      # The image's entrypoint (tini) stays: it forwards SIGTERM to node and reaps zombies.
      args: ["node", "dist/worker.js"]
      env:
        {{- include "lc.env" $root | nindent 8 }}
        - name: LUCCA_CONNECTORS_HEALTH_PORT
          value: "8081"
        - name: LUCCA_CONNECTORS_METRICS_ADDRESS
          value: {{ printf "0.0.0.0:%v" $root.Values.metrics.port | quote }}
        - name: LUCCA_CONNECTORS_MAX_ACTIVITIES
          value: {{ $root.Values.worker.maxConcurrentActivities | quote }}
        - name: LUCCA_CONNECTORS_LOG_LEVEL
          value: {{ $root.Values.worker.logLevel | quote }}
        {{- if .buildId }}
        - name: LUCCA_CONNECTORS_BUILD_ID
          value: {{ .buildId | quote }}
        {{- end }}
      ports:
        - { name: health, containerPort: 8081 }
        - { name: metrics, containerPort: {{ $root.Values.metrics.port }} }
      # 200 while the worker polls, 503 while it starts or drains (src/observability/health-server.ts).
      startupProbe:
        httpGet: { path: /healthz, port: health }
        periodSeconds: 5
        failureThreshold: 36
      livenessProbe:
        httpGet: { path: /healthz, port: health }
        periodSeconds: 15
        failureThreshold: 4
      readinessProbe:
        httpGet: { path: /readyz, port: health }
        periodSeconds: 10
      resources:
        {{- toYaml $root.Values.worker.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        {{- include "lc.volumeMounts" $root | nindent 8 }}
{{- end -}}

{{/* A Kubernetes name for a build id (image tag): lower case, [a-z0-9-]. */}}
{{- define "lc.versionName" -}}{{ . | lower | replace "." "-" | replace "_" "-" | replace "+" "-" | trunc 20 | trimSuffix "-" }}{{- end -}}

{{/* The current version's worker Deployment (the HPA's target). */}}
{{- define "lc.workerName" -}}
{{- if .Values.worker.versioned -}}{{ printf "%s-worker-%s" (include "lc.fullname" .) (include "lc.versionName" .Values.image.tag) }}{{- else -}}{{ printf "%s-worker" (include "lc.fullname" .) }}{{- end -}}
{{- end -}}

{{/*
A stateless HTTP service of the connectors (webhook receiver, codec server): Deployment + Service.
Neither has a health route of its own, so the probes check the listening port (`http`);
`extraPorts` (name, port, servicePort) are published too (the Lucca receiver next to Aequivalent's).
*/}}
{{- define "lc.httpService" -}}
{{- $root := .root -}}
{{- $v := .values -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "lc.fullname" $root }}-{{ .component }}
  labels:
    {{- include "lc.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  replicas: {{ $v.replicas }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "lc.selector" (dict "root" $root "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "lc.selector" (dict "root" $root "component" .component) | nindent 8 }}
    spec:
      {{- include "lc.podSpecCommon" $root | nindent 6 }}
      terminationGracePeriodSeconds: 30
      containers:
        - name: {{ .component }}
          image: {{ include "lc.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: {{ toJson .args }}
          env:
            {{- include "lc.env" $root | nindent 12 }}
            {{- range $name, $value := .env }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
          ports:
            - { name: http, containerPort: {{ .port }} }
            {{- range .extraPorts }}
            - { name: {{ .name }}, containerPort: {{ .port }} }
            {{- end }}
          startupProbe:
            tcpSocket: { port: http }
            periodSeconds: 5
            failureThreshold: 24
          livenessProbe:
            tcpSocket: { port: http }
            periodSeconds: 20
          readinessProbe:
            tcpSocket: { port: http }
            periodSeconds: 10
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            {{- include "lc.volumeMounts" $root | nindent 12 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "lc.fullname" $root }}-{{ .component }}
  labels:
    {{- include "lc.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "lc.selector" (dict "root" $root "component" .component) | nindent 4 }}
  ports:
    - { name: http, port: {{ $v.service.port }}, targetPort: http }
    {{- range .extraPorts }}
    - { name: {{ .name }}, port: {{ .servicePort }}, targetPort: {{ .name }} }
    {{- end }}
{{- end -}}

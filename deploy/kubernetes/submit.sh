#!/usr/bin/env bash
# Example: a job in cluster mode on Kubernetes, with the image of deploy/cuda/Dockerfile (it holds
# Spark, the project's jars and conf/, so nothing is uploaded at submit time).
#   SPARK_HOME=/opt/spark deploy/kubernetes/submit.sh k8s://https://API-SERVER:6443 REGISTRY/image-pipeline:cuda \
#       train-restoration [key=value ...]
# Environment: K8S_NAMESPACE (default "default"), K8S_SERVICE_ACCOUNT (default "spark"; it needs
# the right to create and delete pods, services and config maps), PIPELINE_CONFS (files inside
# the image, default "/opt/pipeline/conf/cluster.conf /opt/pipeline/conf/gpu.conf").
# See deploy/kubernetes/README.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $# -ge 3 ]] || { echo "usage: $0 k8s://https://HOST:PORT IMAGE <job> [key=value ...]" >&2; exit 2; }
master="$1"; image="$2"; job="$3"; shift 3
submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
command -v "$submit" >/dev/null 2>&1 || { echo "error: set SPARK_HOME or put spark-submit on PATH" >&2; exit 2; }

# The same JVM flags as the launcher (Java 17 opens, DL4J's layer helpers on); built by Maven.
opts_file="$root/pipeline-core/target/classes/org/imagepipeline/jvm-options.txt"
[[ -f "$opts_file" ]] || { echo "error: $opts_file is missing; run 'mvn -B -q -DskipTests package' first" >&2; exit 2; }
jvm_opts="$(cat "$opts_file") -Djava.awt.headless=true"

confs=()
for f in ${PIPELINE_CONFS:-/opt/pipeline/conf/cluster.conf /opt/pipeline/conf/gpu.conf}; do confs+=(--conf "$f"); done

exec "$submit" \
  --master "$master" --deploy-mode cluster \
  --name "pipeline-$job" \
  --class org.imagepipeline.jobs.Main \
  --conf spark.kubernetes.container.image="$image" \
  --conf spark.kubernetes.namespace="${K8S_NAMESPACE:-default}" \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName="${K8S_SERVICE_ACCOUNT:-spark}" \
  --conf "spark.driver.extraClassPath=/opt/pipeline/lib/*" \
  --conf "spark.executor.extraClassPath=/opt/pipeline/lib/*" \
  --conf "spark.driver.extraJavaOptions=$jvm_opts" \
  --conf "spark.executor.extraJavaOptions=$jvm_opts" \
  --conf spark.driver.memory=8g \
  ${PIPELINE_SUBMIT_ARGS:-} \
  local:///opt/pipeline/jobs.jar \
  "$job" "${confs[@]}" "$@"

#!/usr/bin/env bash
# Example: a job on YARN (client mode: the driver runs here, executors in YARN containers).
#   HADOOP_CONF_DIR=/etc/hadoop/conf SPARK_HOME=/opt/spark deploy/yarn/submit.sh train-restoration [key=value ...]
# HADOOP_CONF_DIR (or YARN_CONF_DIR) must point at the cluster's client configuration; the same
# configuration makes hdfs:// paths in conf/cluster.conf resolve.
# GPU executors: build with -Pcuda, set PIPELINE_CONFS="conf/cluster.conf conf/gpu.conf", and have
# YARN 3.1+ schedule the yarn.io/gpu resource (see deploy/README.md, "GPUs on YARN").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 <job> [key=value ...]" >&2; exit 2; }
job="$1"; shift
[[ -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] || {
  echo "error: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's Hadoop client configuration" >&2; exit 2; }

confs=()
for f in ${PIPELINE_CONFS:-conf/cluster.conf}; do confs+=(--conf "$root/$f"); done

# Queue and driver memory are spark-submit arguments; executors' sizes are in the conf files.
export PIPELINE_SUBMIT_ARGS="${PIPELINE_SUBMIT_ARGS:---queue ${YARN_QUEUE:-default} --driver-memory 8g}"
exec "$root/deploy/bin/pipeline" "$job" --master yarn "${confs[@]}" "$@"

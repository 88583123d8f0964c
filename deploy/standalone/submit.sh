#!/usr/bin/env bash
# Example: a job on a Spark standalone cluster (client mode: the driver runs here).
#   SPARK_HOME=/opt/spark deploy/standalone/submit.sh spark://master:7077 train-restoration [key=value ...]
# CPU executors by default. GPU executors: build with -Pcuda first, add conf/gpu.conf (set
# PIPELINE_CONFS="conf/cluster.conf conf/gpu.conf"), and start every worker with its GPUs
# declared (see deploy/README.md, "GPUs on standalone").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $# -ge 2 ]] || { echo "usage: $0 spark://HOST:7077 <job> [key=value ...]" >&2; exit 2; }
master="$1"; job="$2"; shift 2

confs=()
for f in ${PIPELINE_CONFS:-conf/cluster.conf}; do confs+=(--conf "$root/$f"); done

# The driver's own memory must be given to spark-submit (it starts before the settings are read).
export PIPELINE_SUBMIT_ARGS="${PIPELINE_SUBMIT_ARGS:---driver-memory 8g}"
exec "$root/deploy/bin/pipeline" "$job" --master "$master" "${confs[@]}" "$@"

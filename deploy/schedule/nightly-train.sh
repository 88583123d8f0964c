#!/usr/bin/env bash
# Nightly retraining, as the cron entry and the systemd timer beside this file call it: resumes the
# long-lived run $PIPELINE_RUN_ID of train-restoration for at most $PIPELINE_NIGHT_SECONDS, so a
# training of many epochs proceeds a night at a time and picks up after any failure from its
# newest committed checkpoint.
#
# Create the run once by hand with the same settings (without train.resume), e.g.
#   deploy/bin/pipeline train-restoration --master yarn --conf conf/cluster.conf run.id=restoration-main \
#       train.epochs=200 train.time-budget-seconds=21600
# Resuming needs the same model/prepare/batch settings as the run's config.conf (the checkpoint
# carries their hash); epochs and the time budget may change.
#
# This is NOT the `nightly` job of the design (ingest new images -> warm-start from the champion ->
# evaluate on a frozen benchmark -> promote only if better -> report); that job does not exist yet
# and will replace this script once it does.
#
# Environment (the cron line and the systemd unit set them): PIPELINE_HOME (the checkout, built),
# SPARK_HOME, HADOOP_CONF_DIR, PIPELINE_MASTER (default yarn), PIPELINE_CONFS (default
# conf/cluster.conf), PIPELINE_RUN_ID (default restoration-main), PIPELINE_NIGHT_SECONDS (default 21600).
set -euo pipefail
home="${PIPELINE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$home"
confs=()
for f in ${PIPELINE_CONFS:-conf/cluster.conf}; do confs+=(--conf "$f"); done
echo "nightly-train: $(date -u +%FT%TZ) resuming ${PIPELINE_RUN_ID:-restoration-main} on ${PIPELINE_MASTER:-yarn}"
exec deploy/bin/pipeline train-restoration --master "${PIPELINE_MASTER:-yarn}" "${confs[@]}" \
  run.id="${PIPELINE_RUN_ID:-restoration-main}" train.resume=true \
  train.time-budget-seconds="${PIPELINE_NIGHT_SECONDS:-21600}" "$@"

package org.imagepipeline.eval;

import java.io.Serializable;

/**
 * Averages {@link MetricSet}s over many images, the way restoration papers report them: the mean
 * of per-image PSNR (not the PSNR of the pooled MSE), mean SSIM, mean MSE and mean MAE. One
 * identical pair (PSNR = +Infinity) makes the mean PSNR +Infinity, honestly. Serializable and
 * mergeable so Spark can fold partitions with {@code aggregate}. Not thread-safe.
 */
public final class MetricAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private double psnrSum;
    private double ssimSum;
    private double mseSum;
    private double maeSum;

    /** Adds one image's metrics and returns this accumulator. */
    public MetricAccumulator add(MetricSet m) {
        count++;
        psnrSum += m.psnr();
        ssimSum += m.ssim();
        mseSum += m.mse();
        maeSum += m.mae();
        return this;
    }

    /** Adds everything {@code other} has seen and returns this accumulator. */
    public MetricAccumulator merge(MetricAccumulator other) {
        count += other.count;
        psnrSum += other.psnrSum;
        ssimSum += other.ssimSum;
        mseSum += other.mseSum;
        maeSum += other.maeSum;
        return this;
    }

    /** How many images were added. */
    public long count() {
        return count;
    }

    /** The per-metric means; throws if nothing was added, since a mean of nothing is no number. */
    public MetricSet mean() {
        if (count == 0) {
            throw new IllegalStateException("No images were added to this MetricAccumulator, so there is no mean.");
        }
        return new MetricSet(psnrSum / count, ssimSum / count, mseSum / count, maeSum / count);
    }
}

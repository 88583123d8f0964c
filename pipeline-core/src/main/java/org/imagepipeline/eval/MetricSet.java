package org.imagepipeline.eval;

import java.io.Serializable;
import java.util.Locale;

/**
 * The four restoration metrics of one image pair, or their mean over many (see
 * {@link MetricAccumulator}). Sample scale [0,1]: {@code mse} and {@code mae} are in units of
 * that scale (multiply MSE by 255² for 8-bit units), {@code psnr} is in dB with MAX = 1 (the same
 * number as MAX = 255 on 8-bit data) and may be +Infinity, {@code ssim} is in [-1,1].
 */
public record MetricSet(double psnr, double ssim, double mse, double mae) implements Serializable {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PSNR %.2f dB, SSIM %.4f, MSE %.6f, MAE %.5f", psnr, ssim, mse, mae);
    }
}

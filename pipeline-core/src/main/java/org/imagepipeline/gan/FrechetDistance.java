package org.imagepipeline.gan;

import java.io.Serializable;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors:
 * |μ1 − μ2|² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½). The trace of (Σ1 Σ2)^½ is computed as that of
 * (Σ1^½ Σ2 Σ1^½)^½, a symmetric positive semi-definite matrix with the same eigenvalues, so
 * both square roots come from symmetric eigen-decompositions ({@link SymmetricEigen}).
 * Covariances are the unbiased sample estimates (divide by n − 1).
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** Mean and covariance of a set of feature vectors. */
    public record Stats(double[] mean, double[][] cov, long count) implements Serializable {}

    /** Statistics of {@code features} (one row per sample, at least two rows). */
    public static Stats stats(double[][] features) {
        int n = features.length;
        if (n < 2) throw new IllegalArgumentException("A covariance needs at least 2 samples, got " + n);
        int d = features[0].length;
        double[] mean = new double[d];
        for (double[] f : features) for (int j = 0; j < d; j++) mean[j] += f[j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] f : features) {
            for (int j = 0; j < d; j++) c[j] = f[j] - mean[j];
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                for (int j = i; j < d; j++) cov[i][j] += ci * c[j];
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= n - 1;
                cov[j][i] = cov[i][j];
            }
        }
        return new Stats(mean, cov, n);
    }

    public static double distance(Stats a, Stats b) {
        return distance(a.mean(), a.cov(), b.mean(), b.cov());
    }

    public static double distance(double[] mu1, double[][] s1, double[] mu2, double[][] s2) {
        int d = mu1.length;
        if (mu2.length != d || s1.length != d || s2.length != d) {
            throw new IllegalArgumentException("Feature dimensions differ: " + d + ", " + mu2.length + ", " + s1.length + ", " + s2.length);
        }
        double meanTerm = 0;
        for (int i = 0; i < d; i++) meanTerm += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        double[][] r = SymmetricEigen.sqrtPsd(s1);
        double[][] m = multiply(multiply(r, s2), r);
        // Symmetrise against rounding before the second decomposition.
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double avg = (m[i][j] + m[j][i]) / 2;
                m[i][j] = avg;
                m[j][i] = avg;
            }
        }
        double traceSqrt = 0;
        for (double l : SymmetricEigen.decompose(m).values()) traceSqrt += Math.sqrt(Math.max(0, l));
        double trace = 0;
        for (int i = 0; i < d; i++) trace += s1[i][i] + s2[i][i];
        // Rounding can leave a tiny negative number for identical inputs.
        return Math.max(0, meanTerm + trace - 2 * traceSqrt);
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                if (aip == 0) continue;
                for (int j = 0; j < m; j++) out[i][j] += aip * b[p][j];
            }
        }
        return out;
    }
}

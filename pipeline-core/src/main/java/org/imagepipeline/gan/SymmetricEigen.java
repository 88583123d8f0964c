package org.imagepipeline.gan;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method: rotations that zero
 * one off-diagonal pair at a time until the off-diagonal mass is negligible. O(n^3) per sweep and
 * a handful of sweeps; exact to rounding for the feature dimensions used here (tens to a few
 * hundred). Used for matrix square roots of covariance matrices.
 */
public final class SymmetricEigen {
    /** Eigenvalues, and eigenvectors as the columns of {@code vectors}: a = V diag(values) V^T. */
    public record Result(double[] values, double[][] vectors) {}

    private static final int MAX_SWEEPS = 100;

    private SymmetricEigen() {}

    public static Result decompose(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) throw new IllegalArgumentException("The matrix is not square: row " + i + " has "
                    + matrix[i].length + " entries, not " + n);
            a[i] = matrix[i].clone();
        }
        double asym = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                asym = Math.max(asym, Math.abs(a[i][j] - a[j][i]));
                scale = Math.max(scale, Math.abs(a[i][j]));
            }
        }
        if (asym > 1e-9 * Math.max(1, scale)) {
            throw new IllegalArgumentException("The matrix is not symmetric (largest |a_ij - a_ji| = " + asym + ")");
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
            }
            if (off <= 1e-30 * Math.max(diag, Double.MIN_NORMAL)) break;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) continue;
                    rotate(a, v, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i][i];
        return new Result(values, v);
    }

    /** Zeroes a[p][q] (and a[q][p]) with one Jacobi rotation, accumulating it into v. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        int n = a.length;
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p], akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k], aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p], vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    /**
     * The symmetric positive semi-definite square root of a symmetric matrix: V diag(sqrt(max(λ,0))) V^T.
     * Eigenvalues below zero (rounding in a covariance estimate) are taken as zero.
     */
    public static double[][] sqrtPsd(double[][] matrix) {
        Result r = decompose(matrix);
        int n = matrix.length;
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double s = Math.sqrt(Math.max(0, r.values()[k]));
            if (s == 0) continue;
            for (int i = 0; i < n; i++) {
                double vik = r.vectors()[i][k] * s;
                for (int j = 0; j < n; j++) out[i][j] += vik * r.vectors()[j][k];
            }
        }
        return out;
    }
}

package org.imagepipeline.gan;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrechetDistanceTest {

    private static double[][] randomSymmetric(int n, SplittableRandom rng) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                a[i][j] = rng.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        return a;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) assertEquals(expected[i][j], actual[i][j], tol, "entry " + i + "," + j);
        }
    }

    @Test
    void eigenDecompositionReconstructsTheMatrixWithOrthonormalVectors() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 7, 40}) {
            double[][] a = randomSymmetric(n, rng);
            SymmetricEigen.Result r = SymmetricEigen.decompose(a);
            double[][] v = r.vectors();
            double[][] vd = new double[n][n];
            for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) vd[i][k] = v[i][k] * r.values()[k];
            assertMatrixEquals(a, FrechetDistance.multiply(vd, transpose(v)), 1e-9);
            double[][] identity = new double[n][n];
            for (int i = 0; i < n; i++) identity[i][i] = 1;
            assertMatrixEquals(identity, FrechetDistance.multiply(transpose(v), v), 1e-9);
        }
    }

    @Test
    void squareRootOfAPsdMatrixSquaresBackToIt() {
        SplittableRandom rng = new SplittableRandom(4);
        double[][] b = randomSymmetric(12, rng);
        double[][] psd = FrechetDistance.multiply(b, transpose(b));
        double[][] root = SymmetricEigen.sqrtPsd(psd);
        assertMatrixEquals(psd, FrechetDistance.multiply(root, root), 1e-8);
        assertMatrixEquals(root, transpose(root), 1e-10);
        // A hand-checked case: diag(4, 9) has the root diag(2, 3).
        assertMatrixEquals(new double[][] {{2, 0}, {0, 3}}, SymmetricEigen.sqrtPsd(new double[][] {{4, 0}, {0, 9}}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(new double[][] {{1, 2}, {0, 1}}));
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] features = new double[200][16];
        for (double[] f : features) for (int j = 0; j < f.length; j++) f[j] = rng.nextGaussian() * (j + 1) + j;
        FrechetDistance.Stats s = FrechetDistance.stats(features);
        assertEquals(0, FrechetDistance.distance(s, s), 1e-8);
    }

    @Test
    void gaussiansGiveTheClosedForm() {
        // Rotated covariances R diag(4, 9) R^T and R diag(1, 1) R^T commute, so
        // (S1 S2)^1/2 = R diag(2, 3) R^T and FD = |dmu|^2 + (4 + 9) + (1 + 1) - 2 (2 + 3) = |dmu|^2 + 5.
        double c = Math.cos(0.6), s = Math.sin(0.6);
        double[][] rot = {{c, -s}, {s, c}};
        double[][] s1 = FrechetDistance.multiply(FrechetDistance.multiply(rot, new double[][] {{4, 0}, {0, 9}}), transpose(rot));
        double[][] s2 = FrechetDistance.multiply(FrechetDistance.multiply(rot, new double[][] {{1, 0}, {0, 1}}), transpose(rot));
        assertEquals(3 * 3 + 4 * 4 + 5, FrechetDistance.distance(new double[] {1, 2}, s1, new double[] {4, 6}, s2), 1e-10);

        // Diagonal covariances: FD = sum over axes of (mu1 - mu2)^2 + (sqrt(var1) - sqrt(var2))^2.
        double[][] d1 = {{2, 0, 0}, {0, 5, 0}, {0, 0, 0.5}};
        double[][] d2 = {{1, 0, 0}, {0, 0.25, 0}, {0, 0, 3}};
        double expected = 1 + (Math.sqrt(2) - 1) * (Math.sqrt(2) - 1) + (Math.sqrt(5) - 0.5) * (Math.sqrt(5) - 0.5)
                + (Math.sqrt(0.5) - Math.sqrt(3)) * (Math.sqrt(0.5) - Math.sqrt(3));
        assertEquals(expected, FrechetDistance.distance(new double[] {0, 0, 1}, d1, new double[] {0, 0, 0}, d2), 1e-10);

        // A general pair against the trace identity Tr((S1 S2)^1/2) = sum of sqrt(eigenvalues of S1 S2), 2x2 by hand:
        // S1 = [[2,1],[1,2]], S2 = [[1,0],[0,3]]: S1 S2 = [[2,3],[1,6]], trace 8, det 9, eigenvalues 4 +- sqrt(7),
        // so Tr sqrt = sqrt(4 + sqrt 7) + sqrt(4 - sqrt 7) and FD = 4 + 4 - 2 * that.
        double trSqrt = Math.sqrt(4 + Math.sqrt(7)) + Math.sqrt(4 - Math.sqrt(7));
        assertEquals(8 - 2 * trSqrt, FrechetDistance.distance(new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}},
                new double[] {0, 0}, new double[][] {{1, 0}, {0, 3}}), 1e-10);
    }

    @Test
    void sampleStatisticsOfShiftedGaussiansApproachTheClosedForm() {
        SplittableRandom rng = new SplittableRandom(6);
        int n = 20000;
        double[][] a = new double[n][2];
        double[][] b = new double[n][2];
        for (int i = 0; i < n; i++) {
            a[i][0] = rng.nextGaussian();
            a[i][1] = rng.nextGaussian() * 2;
            b[i][0] = 3 + rng.nextGaussian();
            b[i][1] = rng.nextGaussian() * 2;
        }
        // Same covariances, means 3 apart: FD = 9.
        assertEquals(9, FrechetDistance.distance(FrechetDistance.stats(a), FrechetDistance.stats(b)), 0.15);
    }

    @Test
    void classifierScoreSpansOneToTheNumberOfClasses() {
        double[][] confidentAndBalanced = new double[10][10];
        for (int i = 0; i < 10; i++) confidentAndBalanced[i][i] = 1;
        assertEquals(10, ClassifierScore.score(confidentAndBalanced), 1e-9);
        double[][] allTheSame = new double[10][10];
        for (double[] p : allTheSame) p[3] = 1;
        assertEquals(1, ClassifierScore.score(allTheSame), 1e-9);
        double[][] uniform = new double[4][10];
        for (double[] p : uniform) java.util.Arrays.fill(p, 0.1);
        assertEquals(1, ClassifierScore.score(uniform), 1e-9);
        // Two classes, each sample 90/10 towards its own: exp(0.9 ln 1.8 + 0.1 ln 0.2).
        assertEquals(Math.exp(0.9 * Math.log(1.8) + 0.1 * Math.log(0.2)),
                ClassifierScore.score(new double[][] {{0.9, 0.1}, {0.1, 0.9}}), 1e-12);
    }
}

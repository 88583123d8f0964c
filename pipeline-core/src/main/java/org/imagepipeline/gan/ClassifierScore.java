package org.imagepipeline.gan;

/**
 * The Inception-score formula applied to the project's own classifier ("classifier score"):
 * exp(E_x KL(p(y|x) ‖ p(y))), where p(y) is the mean of p(y|x) over the samples. It is 1 when
 * every sample gets the same class distribution and the number of classes when each sample is
 * classified with certainty and the classes are used equally.
 */
public final class ClassifierScore {
    private ClassifierScore() {}

    /** {@code probs}: one row of class probabilities per generated sample. */
    public static double score(double[][] probs) {
        if (probs.length == 0) throw new IllegalArgumentException("The classifier score needs at least one sample");
        int k = probs[0].length;
        double[] marginal = new double[k];
        for (double[] p : probs) for (int j = 0; j < k; j++) marginal[j] += p[j];
        for (int j = 0; j < k; j++) marginal[j] /= probs.length;
        double kl = 0;
        for (double[] p : probs) {
            for (int j = 0; j < k; j++) {
                if (p[j] > 0) kl += p[j] * (Math.log(p[j]) - Math.log(marginal[j]));
            }
        }
        return Math.exp(kl / probs.length);
    }
}

package org.imagepipeline.runtime;

import org.nd4j.linalg.factory.Nd4j;

/** Run in a fresh JVM by {@link FastPathTest}: helpers off as shipped, then on programmatically. */
public final class FastPathProbe {
    private FastPathProbe() {
    }

    public static void main(String[] args) {
        if (System.getProperty(FastPath.HELPERS_PROPERTY) != null) {
            throw new IllegalStateException("The probe must start without " + FastPath.HELPERS_PROPERTY + ".");
        }
        Nd4j.create(1); // ND4J is initialised before the property is set
        FastPath.Status before = FastPath.check();
        System.out.println("before: helper=" + before.convHelper() + " fast=" + before.fast());
        FastPath.enableHelpers();
        FastPath.Status after = FastPath.check();
        System.out.println("after: helper=" + after.convHelper() + " fast=" + after.fast());
    }
}

package archfixture.train;

import archfixture.gan.GanUsesTrain;

/** A planted violation for ArchitectureTest: the other half of a package cycle. */
public final class TrainUsesGan {
    public static int width() {
        return 2;
    }

    public static int both() {
        return GanUsesTrain.depth() + width();
    }
}

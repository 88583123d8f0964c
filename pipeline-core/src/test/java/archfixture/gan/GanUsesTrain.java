package archfixture.gan;

import archfixture.train.TrainUsesGan;

/** A planted violation for ArchitectureTest: one half of a package cycle. */
public final class GanUsesTrain {
    public static int depth() {
        return TrainUsesGan.width() + 1;
    }
}

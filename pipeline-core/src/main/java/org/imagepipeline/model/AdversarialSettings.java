package org.imagepipeline.model;

import java.io.Serializable;

/**
 * The adversarial term of restoration training (pipeline.train.adversarial.*), SRGAN style: a
 * small convolutional discriminator learns to tell clean patches from restored ones, and the
 * restorer's loss gains {@code weight} times the binary cross-entropy of the discriminator calling
 * its outputs real. See reference.conf for each field's meaning and units.
 *
 * @param weight                the adversarial loss's weight relative to the per-pixel mean pixel loss; 0 = off
 * @param discriminatorFeatures feature maps of the discriminator's first convolution (doubled per level)
 * @param discriminatorLevels   strided 4x4 convolutions of the discriminator
 * @param learningRate          Adam learning rate of the discriminator
 * @param beta1                 Adam beta1 of the discriminator
 * @param beta2                 Adam beta2 of the discriminator
 * @param labelSmoothing        the discriminator's target for clean patches is 1 - labelSmoothing
 */
public record AdversarialSettings(double weight, int discriminatorFeatures, int discriminatorLevels, double learningRate,
                                  double beta1, double beta2, double labelSmoothing) implements Serializable {

    /** Whether restoration training has an adversarial term. */
    public boolean enabled() {
        return weight > 0;
    }

    /** The discriminator's target for clean patches. */
    public double realLabel() {
        return 1 - labelSmoothing;
    }
}

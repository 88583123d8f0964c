package org.imagepipeline.gan;

import java.io.Serializable;

/**
 * Where GAN training stood at a checkpoint; with the networks, their updaters and the fixed
 * latent batch, enough to continue exactly. Every random draw of a round derives from (seed,
 * round), so the seed and the round counter are the whole random-number state.
 *
 * @param step          rounds completed
 * @param seed          the run seed
 * @param configHash    hash of the settings that shape training; resume refuses another
 * @param trainSeconds  wall time spent training so far
 * @param dWinStreak    rounds in a row the discriminator has won completely
 * @param examples      training examples (real, generated and latent) fitted so far
 */
public record GanState(int step, long seed, String configHash, double trainSeconds, int dWinStreak, long examples)
        implements Serializable {
}

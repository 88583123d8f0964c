package org.imagepipeline.store;

import java.io.Serializable;

/**
 * Where training stood when a checkpoint was taken; enough to continue exactly.
 *
 * @param epochsDone              epochs completed (the next epoch to run, 0-based)
 * @param iteration               minibatch iterations applied so far
 * @param seed                    the run seed
 * @param bestValPsnr             best validation PSNR (dB) so far
 * @param bestEpoch               epoch (1-based count) that reached it
 * @param epochsWithoutImprovement for early stopping
 * @param configHash              hash of the settings that shape training; resume refuses another
 * @param trainSeconds            wall time spent training so far
 */
public record TrainingState(int epochsDone, long iteration, long seed, double bestValPsnr, int bestEpoch,
                            int epochsWithoutImprovement, String configHash, double trainSeconds)
        implements Serializable {
}

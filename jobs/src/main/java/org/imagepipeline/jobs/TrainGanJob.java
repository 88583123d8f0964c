package org.imagepipeline.jobs;

import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.gan.GanTrainer;
import org.imagepipeline.store.RunDir;

import java.util.List;

final class TrainGanJob implements Job {
    @Override public String name() { return "train-gan"; }

    @Override public String summary() { return "train a DCGAN on the catalog with dl4j-spark parameter averaging"; }

    @Override public String help() {
        return """
                Trains a DCGAN generator and discriminator on the catalog's train split (run ingest first),
                alternating a discriminator phase and a generator phase, each a parameter-averaged fit across
                the executors; generated images are made on the executors. Writes metrics.jsonl (d_loss,
                g_loss, D(x), D(G(z)), accuracy, samples/s), sample grids of the averaged generator on a fixed
                latent batch (samples/step-NNNNNN.png) and committed checkpoints (checkpoints/step-NNNN/)
                under <run.root>/runs/<run.id>/.

                keys: gan.resolution (28|32|64), gan.channels, gan.latent-size, gan.steps, gan.batch-size,
                      gan.d-steps, gan.g-steps, gan.learning-rate-d/-g, gan.adam-beta1, gan.label-smoothing,
                      gan.ema-half-life-steps, gan.sample-every, gan.checkpoint-every, gan.time-budget-seconds,
                      train.workers, train.training-approach
                resume: pipeline train-gan run.id=<id> gan.resume=true""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        if (s.gan().resume() && s.run().id().isEmpty()) throw new UserError("gan.resume=true needs run.id=<the run to resume>");
        try (Context ctx = new Context(s)) {
            RunDir run = ctx.run(s.gan().resume());
            GanTrainer.Result r = new GanTrainer(s).train(ctx.spark, run, s.catalogDir());
            System.out.printf("run: %s%nsteps: %d (%s)%nlast checkpoint: %s%nlast sample grid: %s%n",
                    run, r.steps(), r.stopReason(), r.lastCheckpoint(), r.lastGrid());
        }
    }
}

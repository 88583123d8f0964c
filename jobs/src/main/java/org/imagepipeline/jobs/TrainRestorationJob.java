package org.imagepipeline.jobs;

import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.restoration.RestorationTrainer;
import org.imagepipeline.store.RunDir;

import java.util.List;

final class TrainRestorationJob implements Job {
    @Override public String name() { return "train-restoration"; }

    @Override public String summary() { return "train a DnCNN or U-Net restorer with dl4j-spark parameter averaging"; }

    @Override public String help() {
        return """
                Trains on the catalog's train split (run ingest first). Every epoch draws fresh patches and
                degradations (prepare.*), fits them with parameter averaging across the executors, scores the
                val split, appends a line to metrics.jsonl and commits a checkpoint under
                <run.root>/runs/<run.id>/checkpoints/.

                keys: model.* (type dncnn|unet, channels, sizes), train.epochs, train.batch-size-per-worker,
                      train.averaging-frequency, train.workers, train.learning-rate, train.lr-schedule,
                      train.weight-decay, train.patience, train.time-budget-seconds, prepare.*
                resume: pipeline train-restoration run.id=<id> train.resume=true
                registry: registry.register-as=<name> registers the best checkpoint as that model's next version""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        if (s.train().resume() && s.run().id().isEmpty()) throw new UserError("train.resume=true needs run.id=<the run to resume>");
        try (Context ctx = new Context(s)) {
            RunDir run = ctx.run(s.train().resume());
            RestorationTrainer.Result r = new RestorationTrainer(s).train(ctx.spark, run, s.catalogDir());
            System.out.printf("run: %s%nepochs: %d (%s)%nbest val PSNR: %.2f dB at epoch %d (degraded input %.2f dB)%nbest checkpoint: %s%n",
                    run, r.epochsDone(), r.stopReason(), r.bestValPsnr(), r.bestEpoch(), r.inputValPsnr(), r.bestCheckpoint());
            r.registered().ifPresent(v ->
                    System.out.printf("registered: %s (pipeline models promote %s to make it the champion)%n", v.ref(), v.ref()));
        }
    }
}

package org.imagepipeline.jobs;

import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.eval.Evaluator;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;

import java.nio.charset.StandardCharsets;

import java.util.List;

final class EvaluateJob implements Job {
    @Override public String name() { return "evaluate"; }

    @Override public String summary() { return "score a checkpoint on the test split (PSNR, SSIM, MSE, MAE) and write samples"; }

    @Override public String help() {
        return """
                Degrades each test image the same way training did (fixed per image), restores it and
                compares both the degraded input and the restored output with the clean image. Writes
                eval/metrics.json and eval/samples/*.png in the run.

                keys: run.id (required), eval.checkpoint (default: the run's best), eval.max-images,
                      eval.crop, eval.border, eval.color-space (rgb|y), eval.samples""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        try (Context ctx = new Context(s)) {
            RunDir run = ctx.run(true);
            Path ckpt = s.eval().checkpoint().isEmpty()
                    ? new CheckpointStore(run.checkpoints(), run.hadoopConf()).best() : new Path(s.eval().checkpoint());
            // The checkpoint runs with the architecture it was trained with (channels, U-Net padding).
            PipelineSettings evalSettings = s.withModelOf(new String(HadoopIO.read(run.resolve("config.conf"), run.hadoopConf()),
                    StandardCharsets.UTF_8));
            if (!evalSettings.model().equals(s.model())) {
                System.err.println("note: evaluating with the run's own model settings from " + run.resolve("config.conf"));
            }
            Evaluator.Result r = Evaluator.run(ctx.spark, evalSettings, run, ckpt, s.catalogDir());
            System.out.printf("evaluated %d test images with %s%ndegraded input: PSNR %.2f dB, SSIM %.4f%nrestored:       PSNR %.2f dB, SSIM %.4f%nmetrics: %s%n",
                    r.images(), ckpt, r.input().psnr(), r.input().ssim(), r.output().psnr(), r.output().ssim(), r.metricsPath());
        }
    }
}

package org.imagepipeline.jobs;

import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.eval.Evaluator;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.RegistryException;
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

                keys: run.id (required), eval.checkpoint (default: the run's best; a checkpoint directory, or a
                      registered model: NAME for its champion, NAME@VERSION), eval.max-images,
                      eval.crop, eval.border, eval.color-space (rgb|y), eval.samples""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        try (Context ctx = new Context(s)) {
            RunDir run = ctx.run(true);
            Path ckpt;
            try {
                ckpt = s.eval().checkpoint().isEmpty() ? new CheckpointStore(run.checkpoints(), run.hadoopConf()).best()
                        : ModelRegistry.resolve(s.eval().checkpoint(), s.registry(), run.hadoopConf());
            } catch (RegistryException e) {
                throw new UserError(e.getMessage());
            }
            // The checkpoint runs with the architecture it was trained with (channels, U-Net padding):
            // its own run's config.conf (<run>/checkpoints/epoch-N), else this run's.
            Path ownRun = ckpt.getParent() == null ? null : ckpt.getParent().getParent();
            Path ownConfig = ownRun == null ? null : new Path(ownRun, "config.conf");
            Path modelConfig = ownConfig != null && HadoopIO.exists(ownConfig, run.hadoopConf()) ? ownConfig : run.resolve("config.conf");
            PipelineSettings evalSettings = s.withModelOf(new String(HadoopIO.read(modelConfig, run.hadoopConf()),
                    StandardCharsets.UTF_8));
            if (!evalSettings.model().equals(s.model())) {
                System.err.println("note: evaluating with the checkpoint's own model settings from " + modelConfig);
            }
            Evaluator.Result r = Evaluator.run(ctx.spark, evalSettings, run, ckpt, s.catalogDir());
            System.out.printf("evaluated %d test images with %s%ndegraded input: PSNR %.2f dB, SSIM %.4f%nrestored:       PSNR %.2f dB, SSIM %.4f%nmetrics: %s%n",
                    r.images(), ckpt, r.input().psnr(), r.input().ssim(), r.output().psnr(), r.output().ssim(), r.metricsPath());
        }
    }
}

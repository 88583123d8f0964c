package org.imagepipeline.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Ingest;
import org.imagepipeline.data.IngestSettings;
import org.imagepipeline.data.IngestSummary;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.eval.Evaluator;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.report.RunReport;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.restoration.RestorationTrainer;
import org.imagepipeline.store.HadoopIO;

import java.util.List;

final class DemoJob implements Job {
    @Override public String name() { return "demo"; }

    @Override public String summary() { return "the whole chain on generated images: ingest, train, evaluate, report"; }

    @Override public String help() {
        return """
                Generates demo.images images into the run, a share demo.dead-leaves-share of them dead leaves
                (occluding shapes of power-law sizes) and the rest procedural (textures, shapes, gradients, text),
                a share demo.clipped-share of them over- and under-exposed (pure black and white regions),
                ingests them, trains a small DnCNN denoiser with dl4j-spark parameter averaging, evaluates it
                on the test split and writes report/index.html. Prints the run directory and the headline
                PSNR/SSIM of the noisy input and of the restored output. A few minutes on 2 cores.

                Its defaults (a smaller network, 6 epochs) are in the jobs jar's demo.conf; every key can be
                overridden as usual, e.g. pipeline demo train.epochs=2 demo.images=48""";
    }

    @Override public Config defaults() {
        return ConfigFactory.parseResources(DemoJob.class, "demo.conf");
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        try (Context ctx = new Context(s)) {
            RunDir run = ctx.run(false);
            Path images = run.resolve("demo-images");
            int n = s.demo().images();
            for (int i = 0; i < n; i++) {
                byte[] png = ImageCodec.encodePng(SyntheticImages.generate(s.run().seed(), i, s.demo().size(), 3,
                        s.demo().deadLeavesShare(), s.demo().clippedShare()), 8);
                HadoopIO.writeAtomically(new Path(images, String.format("img-%05d.png", i)), png, run.hadoopConf());
            }
            String catalog = run.resolve("catalog").toString();
            IngestSettings is = s.ingest();
            IngestSummary ingested = Ingest.run(ctx.spark, is.withPaths(images.toString(), catalog));
            System.out.println("ingested: " + ingested);
            RestorationTrainer.Result trained = new RestorationTrainer(s).train(ctx.spark, run, catalog);
            Evaluator.Result eval = Evaluator.run(ctx.spark, s, run, new Path(trained.bestCheckpoint()), catalog);
            Path report = RunReport.write(run);
            System.out.printf("%nrun directory: %s%n", run);
            System.out.printf("trained %d epochs (%s), best val PSNR %.2f dB at epoch %d%n", trained.epochsDone(),
                    trained.stopReason(), trained.bestValPsnr(), trained.bestEpoch());
            System.out.printf("test split (%d images): degraded input PSNR %.2f dB / SSIM %.4f  ->  restored PSNR %.2f dB / SSIM %.4f%n",
                    eval.images(), eval.input().psnr(), eval.input().ssim(), eval.output().psnr(), eval.output().ssim());
            System.out.printf("report: %s%n", report);
        }
    }
}

package org.imagepipeline.jobs;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.gan.GanCheckpoint;
import org.imagepipeline.gan.GanGenerator;
import org.imagepipeline.config.GanSettings;
import org.imagepipeline.store.RunDir;

import java.util.List;

final class GenerateJob implements Job {
    @Override public String name() { return "generate"; }

    @Override public String summary() { return "write images sampled from a trained GAN generator as PNGs"; }

    @Override public String help() {
        return """
                Loads the generator of a GAN checkpoint (its moving average by default) and writes
                gan.generate.count PNGs generated-NNNNN.png plus interpolation.png, a strip between two latent
                points, to gan.generate.output (any Hadoop path; default <run dir>/generated). The same seed
                gives the same images.

                keys: run.id (or gan.generate.checkpoint), gan.generate.output, gan.generate.count,
                      gan.generate.seed, gan.generate.ema, gan.generate.interpolation-steps""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        GanSettings.Generate g = s.gan().generate();
        if (g.checkpoint().isEmpty() && s.run().id().isEmpty()) {
            throw new UserError("generate needs run.id=<a train-gan run> or gan.generate.checkpoint=<checkpoint directory>");
        }
        try (Context ctx = new Context(s)) {
            var conf = ctx.spark.sparkContext().hadoopConfiguration();
            Path checkpoint;
            Path output;
            if (g.checkpoint().isEmpty()) {
                RunDir run = ctx.run(true);
                checkpoint = GanCheckpoint.store(run.checkpoints(), conf).newestVerified().orElseThrow(() -> new UserError(
                        "Run " + run + " has no committed GAN checkpoint under " + run.checkpoints() + ": run train-gan first"));
                output = g.output().isEmpty() ? run.resolve("generated") : new Path(g.output());
            } else {
                checkpoint = new Path(g.checkpoint());
                if (g.output().isEmpty()) throw new UserError("gan.generate.checkpoint needs gan.generate.output=<where to write>");
                output = new Path(g.output());
            }
            ComputationGraph generator = GanCheckpoint.generator(checkpoint, conf, g.ema());
            GanGenerator.Result r = GanGenerator.generate(generator, output, g.count(), g.seed(), g.interpolationSteps(), conf);
            System.out.printf("checkpoint: %s (%s weights)%nwrote %d images to %s%ninterpolation: %s%n", checkpoint,
                    g.ema() ? "averaged" : "raw", r.images().size(), output, r.interpolation() == null ? "none" : r.interpolation());
        }
    }
}

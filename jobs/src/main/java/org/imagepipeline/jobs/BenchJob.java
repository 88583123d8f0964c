package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.jobs.bench.CheckpointBench;
import org.imagepipeline.jobs.bench.DenoiseBench;
import org.imagepipeline.jobs.bench.GanBench;
import org.imagepipeline.jobs.bench.GanRestorationBench;
import org.imagepipeline.jobs.bench.IngestBench;
import org.imagepipeline.jobs.bench.NetworkSpeedBench;
import org.imagepipeline.jobs.bench.RestoreBench;
import org.imagepipeline.jobs.bench.TrainingBench;
import org.imagepipeline.spark.Sessions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

final class BenchJob implements Job {
    static final List<String> BENCHES = List.of("network", "training", "ingest", "denoise", "restore", "checkpoint", "gan", "gan-restoration");

    @Override public String name() { return "bench"; }

    @Override public String summary() { return "benchmarks that print JSON: " + String.join(", ", BENCHES); }

    @Override public String help() {
        return """
                pipeline bench <name> [key=value ...]   prints one JSON object on stdout

                  network    train/infer samples/s of DnCNN-17 (with and without batch norm) and a U-Net on
                             batch 16 of 40x40: fast path vs DL4J as shipped, workspace variant, and
                             PyTorch (Debian python3-torch, deploy/bench/pytorch_dncnn.py) beside each
                  ingest     ingest images/s and prepare patches/s on generated PNGs, beside a decode-only
                             baseline over the same files (args: [images] [size], default 400 256)
                  training   samples/s of dl4j-spark parameter averaging on the session's executors vs a
                             plain ComputationGraph.fit in one JVM, same network and minibatches
                             (args: [images] [passes], default 64 2); model.* and train.* apply
                  denoise    quality at sigma 25 on real photos (gray, 512x512 crops) after training on
                             generated images for train.time-budget-seconds, beside scikit-image's
                             NL-means/TV/wavelet numbers on its 14 sample photos (args: <photos-dir>
                             [train-images] [size] [folds], default 400 128 0); folds k >= 2 trains k
                             models, each also on tiles of the photos outside its fold, and scores each
                             photo with the model that never saw it; model.*, train.*, prepare.* and the
                             generated set's demo.dead-leaves-share and demo.clipped-share apply. More
                             images with fewer patches each score better in the same time: 1600 128 with
                             prepare.patches-per-image=4

                  checkpoint write/read seconds and MB/s of the restoration model (model.*, default
                             DnCNN-17x64) on each filesystem root given (args: [reps] [root ...], default 5
                             and a local temporary folder; hdfs:// and s3a:// roots use pipeline.storage):
                             the commit protocol (write + verify-on-load) vs a plain single-file write/load
                             vs raw bytes. No Spark. deploy/bench/checkpoint-servers runs it on a
                             MiniDFSCluster and S3Proxy.
                  restore    megapixels/s of the whole restore job vs the raw forward pass over the same
                             512x512 images (overhead ratio), peak heap of restoring one large RGB image in
                             a child JVM with -Xmx2g, and PSNR on real photos (gray, sigma 25) of one pass,
                             the x8 self-ensemble and the fusion of two checkpoints (args: <photos-dir or
                             none> [images] [large-side, 0 = skip] [checkpoint or run dir; default: train
                             model.* on generated images for train.time-budget-seconds], default 16 12000);
                             restore.tile-*, restore.batch-size apply
                  gan        DCGAN training on an image folder (args: <folder>; class folders
                             <label>/<image> give the FD-classifier and classifier score) for
                             gan.time-budget-seconds (default 1800): steps/s, FD-classifier and classifier
                             score every gan.quality.every steps, the last sample grid; gan.*, train.workers
                             apply (bench defaults: 28 px gray, 32-wide networks, 2:2 steps per round)
                  gan-restoration
                             restoration PSNR/SSIM on the test split of an image folder after the same budget
                             (train.epochs / train.time-budget-seconds) three ways: plain, with the adversarial
                             term (train.adversarial.weight, 1e-3 if 0) and with GAN images mixed in
                             (gan.restoration-mix.images, a quarter of the train split if 0) from a GAN
                             checkpoint, or one trained in the same run for gan.time-budget-seconds (args:
                             <folder> [gan-checkpoint]); model.*, train.*, prepare.*, eval.* apply

                Ratios are measured side by side in one process; the machine's load still moves them, so
                compare runs on the same idle machine.""";
    }

    @Override public Config defaults() {
        return ConfigFactory.parseResources(BenchJob.class, "bench.conf");
    }

    @Override public void run(PipelineSettings s, List<String> args) throws Exception {
        if (args.isEmpty() || !BENCHES.contains(args.get(0))) {
            throw new UserError("bench needs one of: " + String.join(", ", BENCHES) + " (see pipeline bench --help)");
        }
        String which = args.get(0);
        String dataDir = DATA.containsKey(which) ? dataDir(which, args) : null;
        ObjectNode result;
        if (which.equals("checkpoint")) {
            List<String> roots = args.size() > 2 ? args.subList(2, args.size())
                    : List.of(Files.createTempDirectory("pipeline-bench").toUri().toString());
            result = CheckpointBench.run(s.model(), roots, intArg(args, 1, 5), Sessions.hadoopConfiguration(s.spark(), s.storage()));
        } else try (Context ctx = new Context(s)) {
            result = switch (which) {
                case "ingest" -> {
                    Path work = Files.createTempDirectory("pipeline-bench");
                    yield IngestBench.run(ctx.spark, s, work, intArg(args, 1, 400), intArg(args, 2, 256));
                }
                case "network" -> {
                    var o = NetworkSpeedBench.Options.standard();
                    Path script = Path.of(System.getProperty("pipeline.home", "."), "deploy/bench/pytorch_dncnn.py");
                    yield new ObjectMapper().valueToTree(NetworkSpeedBench.run(new NetworkSpeedBench.Options(o.batch(),
                            o.patch(), o.warmup(), o.iterations(), o.slowIterations(), o.asShipped(), o.variants(),
                            Files.exists(script) ? script : null, o.python(), o.threads())));
                }
                case "training" -> TrainingBench.run(ctx.spark, s, intArg(args, 1, 64), intArg(args, 2, 2));
                case "denoise" -> DenoiseBench.run(ctx.spark, s, Files.createTempDirectory("pipeline-bench"),
                        Path.of(dataDir), intArg(args, 2, 400), intArg(args, 3, 128), intArg(args, 4, 0));
                case "restore" -> RestoreBench.run(ctx.spark, s, Files.createTempDirectory("pipeline-bench"),
                        Path.of(dataDir), args.size() > 4 ? args.get(4) : null, intArg(args, 2, 16), intArg(args, 3, 12000));
                case "gan" -> GanBench.run(ctx.spark, s, dataDir);
                case "gan-restoration" -> GanRestorationBench.run(ctx.spark, s, dataDir, args.size() > 2 ? args.get(2) : null);
                default -> throw new IllegalStateException(which);
            };
        }
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("bench", which);
        out.setAll(result);
        System.out.println(out.toPrettyString());
    }

    /** The benches that measure on the user's images, and what their first argument must be. */
    private static final Map<String, String> DATA = Map.of(
            "denoise", "a folder of photos to score on (PNG/JPEG, gray or RGB)",
            "restore", "a folder of photos to score on (PNG/JPEG, gray or RGB), or none to measure speed only",
            "gan", "an image folder, with class folders <label>/<image> for the quality metrics",
            "gan-restoration", "an image folder (class folders <label>/<image> for its GAN's quality metrics)");

    /** The data folder a bench takes as its first argument: given, and an existing local folder. */
    static String dataDir(String which, List<String> args) {
        if (args.size() < 2) {
            throw new UserError("bench " + which + " needs its data folder as the first argument: " + DATA.get(which)
                    + " (pipeline bench " + which + " DIR ...; see pipeline bench --help)");
        }
        if (which.equals("restore") && args.get(1).equals("none")) return args.get(1);
        Path dir = Path.of(args.get(1));
        if (!Files.isDirectory(dir)) {
            throw new UserError("bench " + which + ": the data folder " + dir.toAbsolutePath() + " does not exist or is not a "
                    + "folder; expected " + DATA.get(which));
        }
        return args.get(1);
    }

    private static int intArg(List<String> args, int i, int def) {
        if (args.size() <= i) return def;
        try {
            return Integer.parseInt(args.get(i));
        } catch (NumberFormatException e) {
            throw new UserError("bench argument " + i + " must be a whole number, got '" + args.get(i) + "'");
        }
    }
}

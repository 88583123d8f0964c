package org.imagepipeline.jobs;

import org.imagepipeline.image.ImageGrid;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.PrepareSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.train.PairSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

final class PrepareJob implements Job {
    @Override public String name() { return "prepare"; }

    @Override public String summary() { return "draw patches and synthetic degradations from the catalog; preview and count them"; }

    @Override public String help() {
        return """
                Runs the data preparation that train-restoration performs every epoch (patches, flips/rot90,
                degradations from prepare.degradations.*) over the catalog's train split on the executors,
                for epoch 0 (or the epoch given as argument), and writes to prepare.output (default <run>/prepare):
                preview.png (degraded | clean pairs) and summary.json (patch count, patches/s).
                Training itself draws its pairs on the fly, so nothing here must be run before training.

                keys: prepare.patch-size, prepare.patches-per-image, prepare.flips, prepare.rot90,
                      prepare.degradations.{gaussian-noise,poisson-noise,gaussian-blur,motion-blur,jpeg,downscale,mask}
                example: pipeline prepare prepare.degradations.jpeg.enabled=true prepare.degradations.gaussian-noise.enabled=false""";
    }

    @Override public void run(PipelineSettings s, List<String> args) throws Exception {
        int epoch = args.isEmpty() ? 0 : Integer.parseInt(args.get(0));
        PrepareSettings p = s.prepare();
        long seed = s.run().seed();
        try (Context ctx = new Context(s)) {
            RunDir run = ctx.run(false);
            var images = Catalog.images(ctx.spark, s.catalogDir(), "train", s.model().channels(), s.ingest().maxPixels());
            long t0 = System.nanoTime();
            long patches = images.map(kv -> (long) PairSource.patchPairs(kv._2(), kv._1(), seed, epoch, p).size())
                    .fold(0L, Long::sum);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<TrainingPair> preview = new ArrayList<>();
            for (var kv : images.take(Math.max(1, (p.previewPairs() + p.patchesPerImage() - 1) / p.patchesPerImage()))) {
                preview.addAll(PairSource.patchPairs(kv._2(), kv._1(), seed, epoch, p));
            }
            List<Image[]> rows = new ArrayList<>();
            for (TrainingPair tp : preview.subList(0, Math.min(p.previewPairs(), preview.size()))) {
                rows.add(new Image[] {tp.degraded(), tp.clean()});
            }
            String out = p.output().isEmpty() ? run.resolve("prepare").toString() : p.output();
            if (!rows.isEmpty()) {
                HadoopIO.writeAtomically(new Path(out, "preview.png"),
                        ImageCodec.encodePng(ImageGrid.of(rows), 8), run.hadoopConf());
            }
            ObjectNode summary = new ObjectMapper().createObjectNode();
            summary.put("epoch", epoch);
            summary.put("patches", patches);
            summary.put("seconds", seconds);
            summary.put("patches_per_second", patches / seconds);
            summary.put("patch_size", p.patchSize());
            summary.put("degradations", String.valueOf(p.degradations()));
            HadoopIO.writeAtomically(new Path(out, "summary.json"),
                    summary.toPrettyString().getBytes(StandardCharsets.UTF_8), run.hadoopConf());
            System.out.println(summary.toPrettyString());
            System.out.println("preview: " + out + "/preview.png");
        }
    }
}

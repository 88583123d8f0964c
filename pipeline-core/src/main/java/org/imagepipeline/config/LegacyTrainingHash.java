package org.imagepipeline.config;

import org.imagepipeline.augment.DegradationSettings;
import org.imagepipeline.augment.PatchSampler;
import org.imagepipeline.augment.Range;
import org.imagepipeline.data.ContentHash;
import org.imagepipeline.model.AdversarialSettings;
import org.imagepipeline.model.ModelSpec;

import java.nio.charset.StandardCharsets;

/**
 * The v1 training hashes, which checkpoints made before {@link TrainingDigest} recorded: still
 * accepted on resume. v1 hashed the records' {@code toString()} (restoration) or a '|'-joined list
 * with suffixes for keys added later (GAN); both are written out here character for character, so
 * later changes to the records cannot move them. LegacyTrainingHashTest holds the values the
 * original code computed.
 */
final class LegacyTrainingHash {
    private LegacyTrainingHash() {}

    /** v1 of {@link PipelineSettings#trainingHash()}: 16 hex digits. */
    static String restoration(PipelineSettings s) {
        TrainSettings t = s.train();
        String key = String.join("|", model(s.model()), prepare(s.prepare()), String.valueOf(s.run().seed()),
                String.valueOf(t.batchSizePerWorker()), String.valueOf(t.averagingFrequency()), String.valueOf(t.workers()))
                + (t.adversarial().enabled() ? "|" + adversarial(t.adversarial()) : "");
        return hex16(key);
    }

    /** v1 of {@link GanSettings#trainingHash(long, int)}: 16 hex digits. */
    static String gan(GanSettings g, long seed, int workers) {
        String key = String.join("|", "gan", String.valueOf(g.resolution()), String.valueOf(g.channels()),
                String.valueOf(g.latentSize()), String.valueOf(g.generatorFeatures()), String.valueOf(g.discriminatorFeatures()),
                String.valueOf(g.batchSize()), String.valueOf(g.dSteps()), String.valueOf(g.gSteps()),
                String.valueOf(g.learningRateD()), String.valueOf(g.learningRateG()), String.valueOf(g.beta1()),
                String.valueOf(g.beta2()), String.valueOf(g.labelSmoothing()), String.valueOf(g.emaHalfLifeSteps()),
                String.valueOf(g.sampleGrid()), String.valueOf(seed), String.valueOf(workers))
                // v1 added these only when not the default, so that runs from before the keys existed kept their hash.
                + (g.upsampling() == GanSettings.Upsampling.TRANSPOSED ? "" : "|" + ConfigReader.word(g.upsampling()))
                + (g.generatorBaseConvs() == 0 ? "" : "|base-convs=" + g.generatorBaseConvs())
                + (g.lrDecayStart() >= 1 ? "" : "|lr-decay-start=" + g.lrDecayStart())
                + (g.emaRampup() == 0 ? "" : "|ema-rampup=" + g.emaRampup());
        return hex16(key);
    }

    /** As the v1 ModelSpec record printed itself, choices as their configuration words. */
    private static String model(ModelSpec m) {
        return "ModelSpec[type=" + word(m.type()) + ", channels=" + m.channels() + ", dncnnDepth=" + m.dncnnDepth()
                + ", dncnnFeatures=" + m.dncnnFeatures() + ", batchNorm=" + m.batchNorm()
                + ", unetBaseFeatures=" + m.unetBaseFeatures() + ", unetLevels=" + m.unetLevels()
                + ", unetDownsample=" + word(m.unetDownsample()) + ", unetUpsample=" + word(m.unetUpsample())
                + ", loss=" + word(m.loss()) + ", learningRate=" + m.learningRate() + ", weightDecay=" + m.weightDecay()
                + ", lrSchedule=" + word(m.lrSchedule()) + ", lrGamma=" + m.lrGamma() + ", lrStepEpochs=" + m.lrStepEpochs()
                + ", lrCosineIterations=" + m.lrCosineIterations() + ", lrMinimum=" + m.lrMinimum()
                + ", adamBeta1=" + m.adamBeta1() + ", adamBeta2=" + m.adamBeta2() + ", seed=" + m.seed()
                + ", dataType=" + (m.dataType() == null ? "null" : m.dataType().name()) + "]";
    }

    private static String prepare(PrepareSettings p) {
        PatchSampler s = p.sampler();
        DegradationSettings d = p.degradations();
        DegradationSettings.MotionBlur mb = d.motionBlur();
        DegradationSettings.Mask mask = d.mask();
        return "PrepareSettings[sampler=PatchSampler[patchSize=" + s.patchSize() + ", patchesPerImage=" + s.patchesPerImage()
                + ", flips=" + s.flips() + ", rot90=" + s.rot90() + "], degradations=DegradationSettings["
                + "gaussianNoise=GaussianNoise[enabled=" + d.gaussianNoise().enabled() + ", sigma=" + range(d.gaussianNoise().sigma())
                + "], poissonNoise=PoissonNoise[enabled=" + d.poissonNoise().enabled() + ", peak=" + range(d.poissonNoise().peak())
                + "], gaussianBlur=GaussianBlur[enabled=" + d.gaussianBlur().enabled() + ", sigma=" + range(d.gaussianBlur().sigma())
                + "], motionBlur=MotionBlur[enabled=" + mb.enabled() + ", length=" + range(mb.length()) + ", angle=" + range(mb.angle())
                + "], downscale=Downscale[enabled=" + d.downscale().enabled() + ", factor=" + d.downscale().factor()
                + "], jpeg=Jpeg[enabled=" + d.jpeg().enabled() + ", quality=" + range(d.jpeg().quality())
                + "], mask=Mask[enabled=" + mask.enabled() + ", coverage=" + range(mask.coverage()) + ", fill=" + mask.fill().name()
                + ", fillValue=" + mask.fillValue() + "]], output=" + p.output() + ", previewPairs=" + p.previewPairs() + "]";
    }

    private static String adversarial(AdversarialSettings a) {
        return "AdversarialSettings[weight=" + a.weight() + ", discriminatorFeatures=" + a.discriminatorFeatures()
                + ", discriminatorLevels=" + a.discriminatorLevels() + ", learningRate=" + a.learningRate() + ", beta1=" + a.beta1()
                + ", beta2=" + a.beta2() + ", labelSmoothing=" + a.labelSmoothing() + "]";
    }

    /** As Range printed itself: [lo, hi], whole numbers without a point. */
    private static String range(Range r) {
        return "[" + rangeNumber(r.lo()) + ", " + rangeNumber(r.hi()) + "]";
    }

    private static String rangeNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String word(Enum<?> choice) {
        return choice == null ? "null" : ConfigReader.word(choice);
    }

    private static String hex16(String key) {
        return ContentHash.sha256Hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}

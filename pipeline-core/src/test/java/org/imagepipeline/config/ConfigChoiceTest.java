package org.imagepipeline.config;

import com.typesafe.config.ConfigFactory;
import org.imagepipeline.augment.MaskFill;
import org.imagepipeline.image.ImageEncoder;
import org.imagepipeline.model.Loss;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.UnetDownsample;
import org.imagepipeline.model.UnetUpsample;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closed choices are enums, read with {@link ConfigReader#choice} from the configuration's lower-case words. */
class ConfigChoiceTest {

    private static PipelineSettings load(Map<String, String> overrides) {
        return PipelineSettings.load(List.of(), overrides);
    }

    @Test
    void theConfigurationsWordsBecomeEnums() {
        PipelineSettings s = load(Map.of("model.type", "unet", "prepare.patch-size", "48", "model.loss", "l1",
                "model.unet.downsample", "strided", "model.unet.upsample", "deconv", "train.lr-schedule", "cosine",
                "model.data-type", "double", "train.training-approach", "export", "restore.format", "tiff",
                "gan.upsampling", "resize"));
        assertEquals(ModelType.UNET, s.model().type());
        assertEquals(Loss.L1, s.model().loss());
        assertEquals(UnetDownsample.STRIDED, s.model().unetDownsample());
        assertEquals(UnetUpsample.DECONV, s.model().unetUpsample());
        assertEquals(LrSchedule.COSINE, s.model().lrSchedule());
        assertEquals(DataType.DOUBLE, s.model().dataType());
        assertEquals(TrainSettings.TrainingApproach.EXPORT, s.train().trainingApproach());
        assertEquals(RestoreSettings.Format.TIFF, s.restore().format());
        assertEquals(GanSettings.Upsampling.RESIZE, s.gan().upsampling());
        PipelineSettings other = load(Map.of("eval.color-space", "y", "prepare.degradations.mask.fill", "noise"));
        assertEquals(EvalSettings.ColorSpace.Y, other.eval().colorSpace());
        assertEquals(MaskFill.NOISE, other.prepare().degradations().mask().fill());
        // As before the enums, case does not matter.
        assertEquals(ModelType.DNCNN, load(Map.of("model.type", "DnCNN")).model().type());
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndTheAllowedWords() {
        Map<String, String> bad = Map.of("model.loss", "huber", "model.unet.downsample", "avg", "model.unet.upsample", "bilinear",
                "train.lr-schedule", "exp", "model.data-type", "half", "train.training-approach", "shared",
                "restore.format", "webp", "gan.upsampling", "bicubic", "eval.color-space", "lab",
                "prepare.degradations.mask.fill", "blur");
        String msg = assertThrows(SettingsException.class, () -> load(bad)).getMessage();
        for (String expected : List.of(
                "pipeline.model.loss: expected one of mse, l1, got \"huber\"",
                "pipeline.model.unet.downsample: expected one of maxpool, strided, got \"avg\"",
                "pipeline.model.unet.upsample: expected one of upsample, deconv, got \"bilinear\"",
                "pipeline.train.lr-schedule: expected one of none, step, cosine, got \"exp\"",
                "pipeline.model.data-type: expected one of float, double, got \"half\"",
                "pipeline.train.training-approach: expected one of direct, export, got \"shared\"",
                "pipeline.restore.format: expected one of same, png, jpeg, tiff, got \"webp\"",
                "pipeline.gan.upsampling: expected one of transposed, resize, got \"bicubic\"",
                "pipeline.eval.color-space: expected one of rgb, y, got \"lab\"",
                "pipeline.prepare.degradations.mask.fill: expected one of constant, noise, got \"blur\"")) {
            assertTrue(msg.contains(expected), "missing '" + expected + "' in: " + msg);
        }
    }

    @Test
    void choiceOfASubsetListsOnlyTheSubsetAndReturnsAPlaceholder() {
        ConfigReader r = new ConfigReader(ConfigFactory.parseString("a = int\nb = Double"));
        assertEquals(DataType.FLOAT, r.choice("a", DataType.FLOAT, DataType.DOUBLE), "the first one stands in for a bad value");
        assertEquals(DataType.DOUBLE, r.choice("b", DataType.FLOAT, DataType.DOUBLE));
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).startsWith("a: expected one of float, double, got \"int\""), r.errors().toString());
    }

    @Test
    void restoreFormatsAreSameAndWhatTheEncoderWrites() {
        List<String> words = new ArrayList<>();
        for (RestoreSettings.Format f : RestoreSettings.Format.values()) words.add(ConfigReader.word(f));
        List<String> expected = new ArrayList<>(List.of("same"));
        expected.addAll(ImageEncoder.FORMATS);
        assertEquals(expected, words);
    }
}

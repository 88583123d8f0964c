package org.imagepipeline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unknown key's message suggests the closest known key when one is close. */
class DidYouMeanTest {

    private static String problems(Map<String, String> overrides) {
        return assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(), overrides)).getMessage();
    }

    @Test
    void aTypoSuggestsTheKeyItMisspells() {
        String m = problems(Map.of("train.epoch", "4"));
        assertTrue(m.contains("pipeline.train.epoch: unknown key (command line pipeline.train.epoch=4"), m);
        assertTrue(m.contains("); see reference.conf for the keys this version understands; did you mean pipeline.train.epochs?"), m);
        assertTrue(problems(Map.of("train.lerning-rate", "0.1")).contains("did you mean pipeline.train.learning-rate?"));
        assertTrue(problems(Map.of("model.dncnn.dept", "3")).contains("did you mean pipeline.model.dncnn.depth?"));
    }

    @Test
    void aKeyInTheWrongSectionSuggestsItsNameInTheRightOne() {
        assertTrue(problems(Map.of("model.epochs", "4")).contains("did you mean pipeline.train.epochs?"),
                problems(Map.of("model.epochs", "4")));
        assertTrue(problems(Map.of("model.patch-size", "32")).contains("did you mean pipeline.prepare.patch-size?"));
    }

    @Test
    void nothingCloseSuggestsNothing() {
        String m = problems(Map.of("train.colour-of-the-sky", "blue"));
        assertTrue(m.contains("pipeline.train.colour-of-the-sky: unknown key"), m);
        assertFalse(m.contains("did you mean"), m);
    }

    @Test
    void keysInFilesGetTheSuggestionToo(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("typo.conf"), "pipeline { trian { epochs = 3 } }\n");
        String m = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(f), Map.of())).getMessage();
        assertTrue(m.contains("pipeline.trian.epochs: unknown key") && m.contains("typo.conf")
                && m.contains("did you mean pipeline.train.epochs?"), m);
    }

    @Test
    void closenessIsAtMostThreeEditsAndAThirdOfTheLength() {
        assertEquals(3, ConfigLoader.levenshtein("kitten", "sitting"));
        assertEquals(0, ConfigLoader.levenshtein("same", "same"));
        assertEquals("; did you mean a.abcdef?", ConfigLoader.didYouMean("a.abcdxx", List.of("a.abcdef", "b.zzz")));
        assertEquals("", ConfigLoader.didYouMean("a.abxxxx", List.of("a.abcdef")), "4 edits is too many");
        assertEquals("", ConfigLoader.didYouMean("x.ab", List.of("y.cd")), "2 edits of a 2-letter name are not close");
    }
}

package org.imagepipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
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

/** The testing hooks live under pipeline.testing and only a JVM with -Dpipeline.testing=true accepts them. */
class TestingHooksTest {
    private static final Map<String, String> ALL = Map.of("testing.restore.stop-after-outputs", "3",
            "testing.restore.halt-on", "*.png", "testing.gan.inject-nan-at-step", "4");

    private static Config config(Map<String, String> overrides) {
        return ConfigLoader.load(List.of(), overrides);
    }

    @Test
    void theBuildsTestsRunWithThePropertySet() {
        assertTrue(TestingHooks.allowed(), "surefire's and failsafe's argLine set -Dpipeline.testing=true");
    }

    @Test
    void theBarePropertyIsNoSectionAndNotSavedInConfigConf() {
        // Typesafe Config lays system properties over reference.conf: the property appears as pipeline.testing = "true".
        assertEquals("true", config(Map.of()).getString("pipeline.testing"));
        PipelineSettings s = PipelineSettings.from(config(Map.of()), true);
        assertFalse(ConfigFactory.parseString(s.rendered()).hasPath("pipeline.testing"), s.rendered());
        assertEquals(0, PipelineSettings.from(config(Map.of()), false).gan().injectNanAtStep(), "nothing set, nothing refused");
    }

    @Test
    void withThePropertyTheHooksReachTheRecordsThatUseThem() {
        PipelineSettings s = PipelineSettings.from(config(ALL), true);
        assertEquals(3, s.restore().stopAfterOutputs());
        assertEquals("*.png", s.restore().haltOn());
        assertEquals(4, s.gan().injectNanAtStep());
        PipelineSettings off = PipelineSettings.from(config(Map.of()), true);
        assertEquals(0, off.restore().stopAfterOutputs());
        assertEquals("", off.restore().haltOn());
        assertEquals(0, off.gan().injectNanAtStep());
    }

    @Test
    void withoutThePropertyEachHookIsRefusedByName() {
        SettingsException e = assertThrows(SettingsException.class, () -> PipelineSettings.from(config(ALL), false));
        assertEquals(3, e.problems().size(), e.getMessage());
        for (String key : TestingHooks.KEYS) {
            assertTrue(e.getMessage().contains(key + ": a testing hook (command line " + key), key + " in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("refused unless the JVM runs with -Dpipeline.testing=true"), e.getMessage());
        // Even at its "off" value: a user never sets one.
        SettingsException zero = assertThrows(SettingsException.class,
                () -> PipelineSettings.from(config(Map.of("testing.gan.inject-nan-at-step", "0")), false));
        assertTrue(zero.getMessage().contains("pipeline.testing.gan.inject-nan-at-step: a testing hook"), zero.getMessage());
        // Nothing set, nothing refused.
        assertEquals(0, PipelineSettings.from(config(Map.of()), false).gan().injectNanAtStep());
    }

    @Test
    void aMisspeltHookIsAnUnknownKeyWithASuggestion() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> PipelineSettings.from(config(Map.of("testing.gan.inject-nan-at-stp", "2")), true));
        assertTrue(e.getMessage().contains("pipeline.testing.gan.inject-nan-at-stp: unknown key")
                && e.getMessage().contains("did you mean pipeline.testing.gan.inject-nan-at-step?"), e.getMessage());
        assertFalse(e.getMessage().contains("reference.conf"), "the hooks are not in reference.conf: " + e.getMessage());
    }

    @Test
    void referenceConfDoesNotPresentThemAsSettings() throws Exception {
        // reference.conf itself (defaultReference() would add the JVM's system properties, -Dpipeline.testing among them).
        Config reference = ConfigFactory.parseResources("reference.conf");
        assertTrue(reference.hasPath("pipeline.train.epochs"));
        assertFalse(reference.hasPath("pipeline.testing"));
        for (String retired : TestingHooks.RETIRED.keySet()) assertFalse(reference.hasPath(retired), retired);
    }

    @Test
    void anOlderRunsConfigConfWithTheRetiredKeysOffStillLoads(@TempDir Path dir) throws Exception {
        // Saved config.conf files list every key, these three among them, at their "off" values.
        Path old = Files.writeString(dir.resolve("config.conf"), """
                pipeline.restore.stop-after-outputs = 0
                pipeline.restore.testing { halt-on = "" }
                pipeline.gan.inject-nan-at-step = 0
                """);
        PipelineSettings s = PipelineSettings.load(List.of(old), Map.of());
        assertEquals(0, s.restore().stopAfterOutputs());
        assertEquals("", s.restore().haltOn());
        assertEquals(0, s.gan().injectNanAtStep());
        // The legacy run directories' config.conf are such files.
        Path legacy = Path.of(getClass().getResource("/legacy-checkpoints/gan/config.conf").toURI());
        assertEquals(28, PipelineSettings.load(List.of(legacy), Map.of()).gan().resolution());

        SettingsException e = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(),
                Map.of("restore.stop-after-outputs", "3", "restore.testing.halt-on", "*.png", "gan.inject-nan-at-step", "2")));
        assertTrue(e.getMessage().contains("pipeline.restore.stop-after-outputs: no longer a setting")
                && e.getMessage().contains("it is the testing hook pipeline.testing.restore.stop-after-outputs"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.restore.testing.halt-on: no longer a setting"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.gan.inject-nan-at-step: no longer a setting"), e.getMessage());
    }
}

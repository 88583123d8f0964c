package org.imagepipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The project's testing hooks (pipeline.testing.*): ways for its tests to make a job fail on
 * purpose, never settings for users. They are not in reference.conf, which lists what users set;
 * their defaults (off) live here. Any key under {@code pipeline.testing} is refused, naming it,
 * unless the JVM runs with {@code -Dpipeline.testing=true}, which the build's surefire and
 * failsafe configurations set for the tests.
 *
 * @param restoreStopAfterOutputs pipeline.testing.restore.stop-after-outputs: fail the restore job
 *                                after this many outputs were written in one JVM, as a crash would (0: off)
 * @param restoreHaltOn           pipeline.testing.restore.halt-on: a glob on the input's relative
 *                                path; an executor about to decode a matching file ends its JVM at
 *                                once (exit 137), as a native crash would ("": off). Also refused
 *                                unless spark.master is spark://... or local-cluster[...]
 * @param ganInjectNanAtStep      pipeline.testing.gan.inject-nan-at-step: before this round (1-based)
 *                                the discriminator's weights turn NaN, as a diverging run's would (0: off)
 */
record TestingHooks(int restoreStopAfterOutputs, String restoreHaltOn, int ganInjectNanAtStep) {
    /** The system property that allows the hooks, and the section that holds them. */
    static final String PROPERTY = "pipeline.testing";
    static final String SECTION = "pipeline.testing";
    static final String STOP_AFTER_OUTPUTS = SECTION + ".restore.stop-after-outputs";
    static final String HALT_ON = SECTION + ".restore.halt-on";
    static final String INJECT_NAN_AT_STEP = SECTION + ".gan.inject-nan-at-step";
    /** The hooks' keys. */
    static final List<String> KEYS = List.of(STOP_AFTER_OUTPUTS, HALT_ON, INJECT_NAN_AT_STEP);

    /**
     * Where the hooks were before they moved here, with the value that meant "off". A run's saved
     * config.conf lists every key, so older ones carry these at that value: accepted and ignored
     * (any other value is an error that names the new key).
     */
    static final Map<String, Retired> RETIRED = Map.of(
            "pipeline.restore.stop-after-outputs", new Retired(STOP_AFTER_OUTPUTS, "0"),
            "pipeline.restore.testing.halt-on", new Retired(HALT_ON, ""),
            "pipeline.gan.inject-nan-at-step", new Retired(INJECT_NAN_AT_STEP, "0"));

    /** A retired key's new place and the value that meant "off". */
    record Retired(String movedTo, String off) {}

    static final TestingHooks OFF = new TestingHooks(0, "", 0);

    /**
     * {@code config} without the system property itself: Typesafe Config lays the JVM's system
     * properties over reference.conf, so {@code -Dpipeline.testing=true} shows up as the value
     * "true" at pipeline.testing. Hooks set in the configuration are an object there, which wins
     * over it; only the bare property is dropped.
     */
    static Config withoutProperty(Config config) {
        if (!config.hasPath(SECTION)) return config;
        ConfigValue v = config.getValue(SECTION);
        boolean property = v.valueType() != ConfigValueType.OBJECT && v.origin().description().startsWith("system properties");
        return property ? config.withoutPath(SECTION) : config;
    }

    /** Whether this JVM allows the hooks ({@code -Dpipeline.testing=true}). */
    static boolean allowed() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * Reads pipeline.testing.*: {@link #OFF} when the section is absent; with it, every key in it
     * is an error unless {@code allowed}, and keys that are no hook are errors either way.
     */
    static TestingHooks read(ConfigReader r, boolean allowed) {
        if (!r.config().hasPath(SECTION)) return OFF;
        Map<String, ConfigValue> set = new TreeMap<>();
        try {
            for (Map.Entry<String, ConfigValue> e : r.config().getConfig(SECTION).entrySet()) set.put(SECTION + "." + e.getKey(), e.getValue());
        } catch (ConfigException.WrongType e) {
            r.fail(SECTION, "a section of testing hooks");
            return OFF;
        }
        int known = r.errors().size();
        for (Map.Entry<String, ConfigValue> e : set.entrySet()) {
            String origin = e.getValue().origin().description();
            if (!KEYS.contains(e.getKey())) {
                r.errors().add(e.getKey() + ": unknown key (" + origin + "); the testing hooks are " + String.join(", ", KEYS)
                        + ConfigLoader.didYouMean(e.getKey(), KEYS));
            } else if (!allowed) {
                r.errors().add(e.getKey() + ": a testing hook (" + origin + "), not a setting: it makes jobs fail on purpose "
                        + "for the project's tests and is refused unless the JVM runs with -D" + PROPERTY + "=true");
            }
        }
        if (r.errors().size() > known) return OFF;
        return new TestingHooks(set.containsKey(STOP_AFTER_OUTPUTS) ? r.int32(STOP_AFTER_OUTPUTS, 0, Integer.MAX_VALUE) : 0,
                set.containsKey(HALT_ON) ? r.string(HALT_ON).trim() : "",
                set.containsKey(INJECT_NAN_AT_STEP) ? r.int32(INJECT_NAN_AT_STEP, 0, Integer.MAX_VALUE) : 0);
    }

    /**
     * For a retired hook's old key: null when it holds its "off" value (an older run's config.conf),
     * otherwise the problem, naming the hook's new key.
     */
    static String retiredProblem(String path, ConfigValue v) {
        Retired r = RETIRED.get(path);
        if (v.unwrapped() != null && String.valueOf(v.unwrapped()).trim().equals(r.off())) return null;
        return path + ": no longer a setting (" + v.origin().description() + "); it is the testing hook " + r.movedTo()
                + ", refused unless the JVM runs with -D" + PROPERTY + "=true";
    }
}

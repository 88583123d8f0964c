package org.imagepipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the effective configuration: {@code key=value} overrides, then the config files in
 * reverse order (the last one wins), then {@code reference.conf}. Keys may be written with or
 * without the leading {@code pipeline.}. Keys that reference.conf does not define are errors
 * ({@link #unknownKeys}, reported with the other settings problems), except under
 * {@code pipeline.spark.conf} which passes settings through to Spark, and under
 * {@code pipeline.testing}, the tests' hooks ({@link TestingHooks}).
 */
public final class ConfigLoader {
    static final String ROOT = "pipeline";
    private static final String FREE_FORM = "pipeline.spark.conf";

    private ConfigLoader() {}

    /**
     * Loads, merges and resolves. Problems with files or override syntax are thrown as
     * {@link SettingsException} listing every one of them.
     */
    public static Config load(List<Path> confFiles, Map<String, String> overrides) {
        return load(confFiles, overrides, ConfigFactory.empty());
    }

    /**
     * As {@link #load(List, Map)}, with {@code jobDefaults} between the files and reference.conf:
     * a job's own defaults (the demo's small model, say) that any user setting still overrides.
     */
    public static Config load(List<Path> confFiles, Map<String, String> overrides, Config jobDefaults) {
        List<String> errors = new ArrayList<>();
        Config merged = ConfigFactory.empty();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = qualify(e.getKey());
            merged = merged.withFallback(parseOverride(key, e.getValue(), errors));
        }
        for (int i = confFiles.size() - 1; i >= 0; i--) {
            Path file = confFiles.get(i);
            if (!Files.isRegularFile(file)) {
                errors.add("config file " + file + ": expected a readable HOCON file, but it does not exist");
                continue;
            }
            try {
                merged = merged.withFallback(ConfigFactory.parseFile(file.toFile(),
                        ConfigParseOptions.defaults().setAllowMissing(false)));
            } catch (ConfigException e) {
                errors.add("config file " + file + ": " + e.getMessage());
            }
        }
        Config reference = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());
        if (!errors.isEmpty()) throw new SettingsException(errors);
        merged = merged.withFallback(jobDefaults);
        Config resolved;
        try {
            resolved = merged.withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new SettingsException(List.of("configuration could not be resolved: " + e.getMessage()));
        }
        return resolved;
    }

    static String qualify(String key) {
        String k = key.trim();
        return k.equals(ROOT) || k.startsWith(ROOT + ".") ? k : ROOT + "." + k;
    }

    private static Config parseOverride(String key, String value, List<String> errors) {
        // The origin shows up in error messages: never with a secret's value in it. Secrets are
        // taken verbatim: HOCON would read "//" in one as the start of a comment.
        boolean secret = StorageSettings.isSecretName(key);
        String origin = "command line " + key + "=" + (secret ? StorageSettings.REDACTED : value);
        try {
            if (secret) throw new ConfigException.Generic("a secret is a plain string");
            // Parsed as HOCON so lists, numbers and booleans keep their types ...
            return ConfigFactory.parseString(key + " = " + value,
                    ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException e) {
            try {
                // ... and anything else (paths with colons, URIs) is taken as a plain string.
                return ConfigFactory.empty(origin).withValue(key, ConfigValueFactory.fromAnyRef(value, origin));
            } catch (ConfigException.BadPath bad) {
                errors.add("command line override '" + origin.substring("command line ".length())
                        + "': expected key=value with a key such as train.epochs, " + bad.getMessage());
                return ConfigFactory.empty();
            }
        }
    }

    /** One problem per key under {@code pipeline} that reference.conf does not define. */
    static List<String> unknownKeys(Config resolved) {
        return unknownKeys(resolved, ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader()));
    }

    private static List<String> unknownKeys(Config resolved, Config reference) {
        Set<String> unknown = new TreeSet<>();
        if (!resolved.hasPath(ROOT)) return List.of();
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference.getConfig(ROOT).entrySet()) known.add(ROOT + "." + e.getKey());
        for (Map.Entry<String, ConfigValue> e : resolved.getConfig(ROOT).entrySet()) {
            String path = ROOT + "." + e.getKey();
            if (path.startsWith(FREE_FORM + ".")) continue;
            // The testing hooks are read, and refused or checked, by TestingHooks.
            if (path.startsWith(TestingHooks.SECTION + ".")) continue;
            if (TestingHooks.RETIRED.containsKey(path)) {
                String problem = TestingHooks.retiredProblem(path, e.getValue());
                if (problem != null) unknown.add(problem);
                continue;
            }
            if (!reference.hasPathOrNull(path)) {
                unknown.add(path + ": unknown key (" + e.getValue().origin().description()
                        + "); see reference.conf for the keys this version understands" + didYouMean(path, known));
            }
        }
        return new ArrayList<>(unknown);
    }

    /**
     * "; did you mean K?" for the known key K closest to {@code key}, or "" when none is close:
     * first by edit distance over the whole path (a typo: pipeline.train.epoch, pipeline.trian.epochs),
     * then over the last segment (a key in the wrong section: pipeline.model.epochs), the nearest
     * path breaking ties. Close means at most 3 edits and at most a third of the compared length.
     */
    static String didYouMean(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = levenshtein(key, k);
            if (close(d, Math.max(key.length(), k.length())) && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (best == null) {
            String last = lastSegment(key);
            int bestPath = Integer.MAX_VALUE;
            for (String k : known) {
                String kLast = lastSegment(k);
                int d = levenshtein(last, kLast);
                if (!close(d, Math.max(last.length(), kLast.length()))) continue;
                int path = levenshtein(key, k);
                if (d < bestDistance || (d == bestDistance && path < bestPath)) {
                    best = k;
                    bestDistance = d;
                    bestPath = path;
                }
            }
        }
        return best == null ? "" : "; did you mean " + best + "?";
    }

    private static boolean close(int distance, int length) {
        return distance <= 3 && distance * 3 <= length;
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** Edits (insertions, deletions, substitutions) that turn {@code a} into {@code b}. */
    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}

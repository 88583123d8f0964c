package org.imagepipeline.config;

import org.imagepipeline.augment.Range;
import org.imagepipeline.data.ContentHash;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form of the settings that shape a training's weights, which a checkpoint records
 * and a resume compares: {@code key=value} lines sorted by key, keys as the configuration names
 * them (without the leading {@code pipeline.}), numbers in a canonical notation (plain decimal,
 * no trailing zeros: {@code 1.0} and {@code 1} are both {@code 1}, {@code 1e-5} is
 * {@code 0.00001}), choices as their configuration words, ranges as {@code [lo, hi]}. The first
 * lines name the digest's version and kind. The hash is {@code v<version>-} followed by the first
 * 16 hex digits of the SHA-256 of the text.
 *
 * <p>Which values are listed is the version's: a change to the list (a new training-relevant
 * key, another notation) is a new {@link #VERSION}, with the previous form kept as an accepted
 * legacy hash, so that checkpoints recorded with it still resume.
 */
final class TrainingDigest {
    /** The version of the listed keys and their notation. */
    static final int VERSION = 2;

    private final Map<String, String> values = new TreeMap<>();

    /** A digest of the given kind ("restoration", "gan"), so two kinds never share a hash. */
    TrainingDigest(String kind) {
        values.put("digest.kind", kind);
        values.put("digest.version", Integer.toString(VERSION));
    }

    TrainingDigest put(String key, long value) {
        return putText(key, Long.toString(value));
    }

    TrainingDigest put(String key, double value) {
        return putText(key, number(value));
    }

    TrainingDigest put(String key, boolean value) {
        return putText(key, Boolean.toString(value));
    }

    TrainingDigest put(String key, Enum<?> value) {
        return putText(key, ConfigReader.word(value));
    }

    TrainingDigest put(String key, Range value) {
        return putText(key, "[" + number(value.lo()) + ", " + number(value.hi()) + "]");
    }

    TrainingDigest put(String key, String value) {
        return putText(key, value);
    }

    private TrainingDigest putText(String key, String value) {
        if (values.putIfAbsent(key, value) != null) throw new IllegalStateException(key + " is listed twice");
        return this;
    }

    /** The sorted {@code key=value} lines, each ending in a newline. */
    String text() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /** The listed values by key (the version and kind included). */
    Map<String, String> values() {
        return Map.copyOf(values);
    }

    /** {@code v2-} and 16 hex digits. */
    String hash() {
        return "v" + VERSION + "-" + ContentHash.sha256Hex(text().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** Plain decimal without trailing zeros; integers without a point. */
    static String number(double d) {
        if (!Double.isFinite(d)) return Double.toString(d);
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}

package org.imagepipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads typed values out of a resolved {@link Config} and collects every problem instead of
 * stopping at the first, so a user sees all bad keys at once. A getter that finds a bad value
 * records "path: expected ..., got ... (origin)" and returns a harmless placeholder; callers must
 * check {@link #errors()} before using what they built.
 */
public final class ConfigReader {
    private final Config config;
    private final List<String> errors = new ArrayList<>();

    public ConfigReader(Config config) {
        this.config = config;
    }

    public List<String> errors() {
        return errors;
    }

    public Config config() {
        return config;
    }

    /** Records a problem with the value at {@code path} that a getter could not see by itself. */
    public void fail(String path, String expected) {
        errors.add(path + ": expected " + expected + ", got " + describe(path));
    }

    public String string(String path) {
        ConfigValue v = value(path, "a string");
        if (v == null) return "";
        if (v.valueType() == ConfigValueType.STRING || v.valueType() == ConfigValueType.NUMBER
                || v.valueType() == ConfigValueType.BOOLEAN) {
            return String.valueOf(v.unwrapped());
        }
        fail(path, "a string");
        return "";
    }

    public String oneOf(String path, String... allowed) {
        String s = string(path).trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(s)) return a;
        }
        fail(path, "one of " + String.join(", ", allowed));
        return allowed[0];
    }

    /**
     * One of {@code type}'s constants. The configuration writes a constant as its
     * {@link #word word}; a value that is none of them is reported with the key, the value seen and
     * every allowed word, and the first constant is returned in its place.
     */
    public <E extends Enum<E>> E choice(String path, Class<E> type) {
        return choice(path, type.getEnumConstants());
    }

    /** As {@link #choice(String, Class)}, allowing only {@code allowed} (a closed subset of an enum, such as data types). */
    @SafeVarargs
    public final <E extends Enum<E>> E choice(String path, E... allowed) {
        String[] words = new String[allowed.length];
        for (int i = 0; i < allowed.length; i++) words[i] = word(allowed[i]);
        String seen = oneOf(path, words);
        for (int i = 0; i < allowed.length; i++) {
            if (words[i].equals(seen)) return allowed[i];
        }
        return allowed[0];
    }

    /** How the configuration writes a choice: the constant's {@code toString()} in lower case ("dncnn", "float"). */
    public static String word(Enum<?> choice) {
        return choice.toString().toLowerCase(Locale.ROOT);
    }

    public boolean bool(String path) {
        ConfigValue v = value(path, "true or false");
        if (v == null) return false;
        try {
            return config.getBoolean(path);
        } catch (ConfigException.WrongType e) {
            fail(path, "true or false");
            return false;
        }
    }

    public long integer(String path, long min, long max) {
        ConfigValue v = value(path, "an integer");
        if (v == null) return min;
        long n;
        try {
            n = config.getLong(path);
            double d = config.getDouble(path);
            if (d != (double) n) throw new ConfigException.WrongType(v.origin(), path, "integer", "fraction");
        } catch (ConfigException.WrongType e) {
            fail(path, "an integer" + bounds(min, max));
            return min;
        }
        if (n < min || n > max) {
            fail(path, "an integer" + bounds(min, max));
            return min;
        }
        return n;
    }

    public int int32(String path, int min, int max) {
        return (int) integer(path, min, max);
    }

    public double number(String path, double min, double max) {
        ConfigValue v = value(path, "a number");
        if (v == null) return min;
        double d;
        try {
            d = config.getDouble(path);
        } catch (ConfigException.WrongType e) {
            fail(path, "a number" + bounds(min, max));
            return min;
        }
        if (!(d >= min && d <= max)) {
            fail(path, "a number" + bounds(min, max));
            return min;
        }
        return d;
    }

    /** A [lo, hi] list of two numbers with min <= lo <= hi <= max. */
    public double[] range(String path, double min, double max) {
        String expected = "a list [lo, hi] of two numbers with " + fmt(min) + " <= lo <= hi <= " + fmt(max);
        ConfigValue v = value(path, expected);
        if (v == null) return new double[] {min, min};
        try {
            List<Double> l = config.getDoubleList(path);
            if (l.size() == 2 && l.get(0) >= min && l.get(0) <= l.get(1) && l.get(1) <= max) {
                return new double[] {l.get(0), l.get(1)};
            }
        } catch (ConfigException.WrongType e) {
            // reported below
        }
        fail(path, expected);
        return new double[] {min, min};
    }

    /** A flat map of string settings under {@code path}; nested keys are joined with dots. */
    public Map<String, String> stringMap(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!config.hasPath(path)) return out;
        try {
            for (Map.Entry<String, ConfigValue> e : config.getConfig(path).entrySet()) {
                String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
                out.put(key, String.valueOf(e.getValue().unwrapped()));
            }
        } catch (ConfigException.WrongType e) {
            fail(path, "an object of settings");
        }
        return out;
    }

    private ConfigValue value(String path, String expected) {
        if (!config.hasPathOrNull(path)) {
            errors.add(path + ": expected " + expected + ", but the key is missing");
            return null;
        }
        if (config.getIsNull(path)) {
            errors.add(path + ": expected " + expected + ", got null");
            return null;
        }
        return config.getValue(path);
    }

    private String describe(String path) {
        if (!config.hasPathOrNull(path)) return "nothing (missing)";
        if (config.getIsNull(path)) return "null";
        ConfigValue v = config.getValue(path);
        return v.render(ConfigRenderOptions.concise()) + " (" + v.origin().description() + ")";
    }

    private static String bounds(long min, long max) {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) return "";
        if (max == Long.MAX_VALUE) return " >= " + min;
        return " in [" + min + ", " + max + "]";
    }

    private static String bounds(double min, double max) {
        if (max == Double.MAX_VALUE) return " >= " + fmt(min);
        return " in [" + fmt(min) + ", " + fmt(max) + "]";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}

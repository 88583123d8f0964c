package org.imagepipeline.restore;

import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.RestoreSettings.Format;
import org.imagepipeline.image.ImageEncoder;

import java.util.Locale;

/** Where and how an input's restored copy is written, decided from names only (before any decode). */
public final class OutputPlan {
    private OutputPlan() {}

    /** The format a file name's extension claims: jpeg, png, tiff, bmp, gif, or null. */
    public static String formatOfName(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        if (dot <= slash + 1) return null;
        return switch (name.substring(dot + 1).toLowerCase(Locale.ROOT)) {
            case "jpg", "jpeg", "jpe", "jfif" -> "jpeg";
            case "png" -> "png";
            case "tif", "tiff" -> "tiff";
            case "bmp" -> "bmp";
            case "gif" -> "gif";
            default -> null;
        };
    }

    /**
     * The output format for input {@code rel}: {@code setting} unless it is {@link Format#SAME}; then
     * the format the extension names if it is png, jpeg or tiff, otherwise png (bmp and gif are
     * written as png).
     */
    public static String format(Format setting, String rel) {
        if (setting != Format.SAME) return setting.toString();
        String f = formatOfName(rel);
        return f != null && ImageEncoder.FORMATS.contains(f) ? f : "png";
    }

    /** {@code rel} with its extension replaced when it does not already name {@code format}. */
    public static String outputRel(String rel, String format) {
        if (format.equals(formatOfName(rel))) return rel;
        int dot = rel.lastIndexOf('.');
        int slash = rel.lastIndexOf('/');
        String stem = dot > slash + 1 ? rel.substring(0, dot) : rel;
        return stem + "." + ImageEncoder.extension(format);
    }

    /**
     * {@code root}/{@code rel}, refusing anything that could leave the root: an absolute or empty
     * path, and '.', '..' or empty segments.
     *
     * @throws IllegalArgumentException naming {@code rel} otherwise
     */
    public static Path under(Path root, String rel) {
        if (rel.isEmpty() || rel.startsWith("/") || rel.contains("\\")) {
            throw new IllegalArgumentException("output path '" + rel + "' is not a plain relative path");
        }
        for (String part : rel.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("output path '" + rel + "' has a '" + part + "' segment and could leave the output root");
            }
        }
        // The component constructor quotes what needs quoting (spaces, '%', ':') instead of parsing it.
        String base = root.toUri().getPath();
        return new Path(root.toUri().getScheme(), root.toUri().getAuthority(), (base.endsWith("/") ? base : base + "/") + rel);
    }
}

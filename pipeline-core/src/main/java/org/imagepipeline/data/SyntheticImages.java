package org.imagepipeline.data;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.Paint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.TexturePaint;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.image.Image;

/**
 * Procedural training images for the demo and tests, so nothing external is needed. Each image
 * layers a background (gradients, multi-octave value-noise textures, stripes or checkers at a
 * random frequency and angle) with several random foreground layers: filled and outlined circles,
 * rectangles, rounded rectangles and polygons, lines, textured shapes and text in Java2D's logical
 * fonts, all anti-aliased, in random colours and opacities, sometimes under a fine noise overlay.
 * The mix of flat regions, smooth shading, sharp edges, thin strokes and fine texture is what a
 * denoiser must learn to tell apart on real photographs.
 *
 * <p>A share of a set can instead be dead-leaves images ({@link DeadLeaves}): scale-invariant
 * occlusions of many power-law sized shapes, scale invariant like photographs. Whether
 * image {@code index} is one depends only on (seed, index) and the share ({@link #isDeadLeaves}),
 * and a dead-leaves image is the same whatever the share that chose it.
 *
 * <p>Deterministic for (seed, index, size, channels) on one JDK with one set of installed fonts:
 * text rasterization depends on the fonts fontconfig finds, so machines with different fonts give
 * slightly different text pixels. Where no font can be loaded at all, text layers are drawn as
 * shapes instead of failing. Images are 8-bit quantized ({@code k/255}), so {@link #generate}
 * equals what {@link #writePngs} stores; gray images are BT.601 luma of the RGB rendering.
 */
public final class SyntheticImages {
    static {
        // Must be set before AWT initializes; a no-op when the JVM was started headless.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private SyntheticImages() {}

    private static final String[] WORDS = {"restore", "pixel", "noise", "Spark", "archive", "1987", "photo",
            "lens", "JPEG", "denoise", "QUARTZ", "vivid", "blur", "Kodak", "film", "edge", "42", "scan", "é à ü"};
    private static final String[] FONTS = {Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED, Font.DIALOG,
            Font.DIALOG_INPUT};
    private static final boolean FONTS_WORK = probeFonts();
    /** Salts of (seed, index): the draw choosing dead leaves, and the random stream of a dead-leaves image. */
    private static final long DEAD_LEAVES_DRAW = 0x6465616420L;
    private static final long DEAD_LEAVES_STREAM = 0x6c6561766573L;
    /** Salts of (seed, index): the draw choosing a clipped exposure, and the stream of its gain and pivot. */
    private static final long CLIPPED_DRAW = 0x636c6970L;
    private static final long CLIPPED_STREAM = 0x6578706f7365L;

    /**
     * Image {@code index} of the set seeded {@code seed}: {@code size}×{@code size} pixels with
     * {@code channels} (1 or 3), samples in [0,1] on 8-bit steps.
     */
    public static Image generate(long seed, int index, int size, int channels) {
        return generate(seed, index, size, channels, 0);
    }

    /**
     * Image {@code index} of the set seeded {@code seed} in which a share {@code deadLeavesShare}
     * (in [0,1]) of the images are dead leaves: {@link #deadLeaves} where {@link #isDeadLeaves},
     * else the procedural image of {@link #generate(long, int, int, int)}.
     */
    public static Image generate(long seed, int index, int size, int channels, double deadLeavesShare) {
        return generate(seed, index, size, channels, deadLeavesShare, 0);
    }

    /**
     * As {@link #generate(long, int, int, int, double)}, and where {@link #isClipped} for a share
     * {@code clippedShare} (in [0,1]) the image is then over- and under-exposed ({@link #clippedExposure}).
     */
    public static Image generate(long seed, int index, int size, int channels, double deadLeavesShare, double clippedShare) {
        checkChannels(channels);
        Image img = quantized(isDeadLeaves(seed, index, deadLeavesShare) ? renderDeadLeaves(seed, index, size, channels)
                : render(seed, index, size), channels);
        return isClipped(seed, index, clippedShare) ? clippedExposure(img, seed, index) : img;
    }

    /**
     * Whether image {@code index} of the set seeded {@code seed} gets a clipped exposure when a share
     * {@code clippedShare} of them do; drawn like {@link #isDeadLeaves} but independently of it.
     */
    public static boolean isClipped(long seed, int index, double clippedShare) {
        return chosen(seed, index, CLIPPED_DRAW, clippedShare, "clipped");
    }

    /**
     * {@code img} with its contrast stretched about a pivot and clipped to [0,1], back on 8-bit steps:
     * v → clamp(p + g·(v − p)), gain g in [1.5, 4) and pivot p in [0.25, 0.75) drawn from (seed, index).
     * Photographs have such regions of pure black and pure white (shadows, highlights, scanned
     * paper, dark sky); noise clipped there is no longer zero-mean, and a denoiser that never saw it
     * leaves a bias over the whole region.
     */
    static Image clippedExposure(Image img, long seed, int index) {
        SplittableRandom rng = new SplittableRandom(mix(mix(seed, index), CLIPPED_STREAM));
        double gain = 1.5 + 2.5 * rng.nextDouble();
        double pivot = 0.25 + 0.5 * rng.nextDouble();
        Image out = img.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            double v = Math.min(1, Math.max(0, pivot + gain * (d[i] - pivot)));
            d[i] = (float) (Math.round(v * 255) / 255.0);
        }
        return out;
    }

    /**
     * Dead-leaves image {@code index} of the set seeded {@code seed} (see {@link DeadLeaves}), gray
     * leaves for 1 channel, coloured ones for 3; 8-bit steps like {@link #generate}.
     */
    public static Image deadLeaves(long seed, int index, int size, int channels) {
        return quantized(renderDeadLeaves(seed, index, size, channels), channels);
    }

    /**
     * Whether image {@code index} of the set seeded {@code seed} is a dead-leaves image when a share
     * {@code deadLeavesShare} of them are: a uniform draw from (seed, index) below the share, so never
     * for 0, always for 1, and an image chosen at one share is chosen at every larger share.
     */
    public static boolean isDeadLeaves(long seed, int index, double deadLeavesShare) {
        return chosen(seed, index, DEAD_LEAVES_DRAW, deadLeavesShare, "dead-leaves");
    }

    /** A uniform draw from (seed, index, salt) below {@code share}; {@code what} names the share in the error. */
    private static boolean chosen(long seed, int index, long salt, double share, String what) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("The share of " + what + " images must be in [0, 1], got " + share + ".");
        }
        return (mix(mix(seed, index), salt) >>> 11) * 0x1.0p-53 < share;
    }

    private static BufferedImage renderDeadLeaves(long seed, int index, int size, int channels) {
        checkChannels(channels);
        if (size < 8) {
            throw new IllegalArgumentException("Synthetic images need a size of at least 8 pixels, got " + size + ".");
        }
        return DeadLeaves.render(new SplittableRandom(mix(mix(seed, index), DEAD_LEAVES_STREAM)), size, channels == 1);
    }

    private static void checkChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Synthetic images have 1 or 3 channels, got " + channels + ".");
        }
    }

    /** {@code rgb} as an image of {@code channels}, gray as 8-bit BT.601 luma so it equals its PNG. */
    private static Image quantized(BufferedImage rgb, int channels) {
        checkChannels(channels);
        if (channels == 3) return ImageCodec.fromBufferedImage(rgb).withChannels(3);
        // Quantize the luma so that the image equals its 8-bit PNG.
        return ImageCodec.fromBufferedImage(ImageCodec.toBufferedImage(
                ImageCodec.fromBufferedImage(rgb).toGray(), 8));
    }

    /** The RGB rendering behind {@link #generate}, {@code TYPE_INT_RGB}, {@code size}×{@code size}. */
    public static BufferedImage render(long seed, int index, int size) {
        if (size < 8) {
            throw new IllegalArgumentException("Synthetic images need a size of at least 8 pixels, got " + size + ".");
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            background(g, size, rng);
            int layers = 3 + rng.nextInt(8);
            for (int i = 0; i < layers; i++) layer(g, size, rng);
            if (rng.nextDouble() < 0.4) {
                // A faint fine-grained texture over everything, like paper or film grain.
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.1f + 0.25f * (float) rng.nextDouble()));
                g.drawImage(noiseTexture(size, size, 0.5 + rng.nextDouble() * 0.3, 2 + rng.nextInt(3), rng), 0, 0, null);
                g.setComposite(AlphaComposite.SrcOver);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Writes images 0..count-1 of the set seeded {@code seed} as {@code synthetic-00000.png}, ...
     * into {@code dir} (created if missing): 8-bit gray for 1 channel, 8-bit RGB for 3.
     */
    public static void writePngs(Path dir, int count, int size, int channels, long seed) {
        writePngs(dir, count, size, channels, seed, 0);
    }

    /** As {@link #writePngs(Path, int, int, int, long)}, a share {@code deadLeavesShare} of them dead leaves. */
    public static void writePngs(Path dir, int count, int size, int channels, long seed, double deadLeavesShare) {
        writePngs(dir, count, size, channels, seed, deadLeavesShare, 0);
    }

    /** As {@link #writePngs(Path, int, int, int, long, double)}, a share {@code clippedShare} of them clipped. */
    public static void writePngs(Path dir, int count, int size, int channels, long seed, double deadLeavesShare,
                                 double clippedShare) {
        if (count < 0) {
            throw new IllegalArgumentException("The number of synthetic images must be >= 0, got " + count + ".");
        }
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < count; i++) {
                Path file = dir.resolve(String.format(Locale.ROOT, "synthetic-%05d.png", i));
                BufferedImage out = ImageCodec.toBufferedImage(generate(seed, i, size, channels, deadLeavesShare, clippedShare), 8);
                if (!ImageIO.write(out, "png", file.toFile())) {
                    throw new IllegalStateException("No ImageIO PNG writer accepted " + file + ".");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing synthetic PNGs to " + dir + " failed.", e);
        }
    }

    // ---------------------------------------------------------------------------------------

    private static void background(Graphics2D g, int size, SplittableRandom rng) {
        switch (rng.nextInt(4)) {
            case 0 -> {
                g.setPaint(new GradientPaint(point(size, rng), color(rng, 255), point(size, rng), color(rng, 255),
                        rng.nextBoolean()));
                g.fillRect(0, 0, size, size);
            }
            case 1 -> {
                float r = (float) (size * (0.2 + rng.nextDouble()));
                g.setPaint(new RadialGradientPaint((float) (rng.nextDouble() * size), (float) (rng.nextDouble() * size), r,
                        new float[] {0f, 0.5f + 0.4f * (float) rng.nextDouble(), 1f},
                        new Color[] {color(rng, 255), color(rng, 255), color(rng, 255)},
                        rng.nextBoolean() ? MultipleGradientPaint.CycleMethod.REFLECT : MultipleGradientPaint.CycleMethod.NO_CYCLE));
                g.fillRect(0, 0, size, size);
            }
            case 2 -> g.drawImage(noiseTexture(size, size, 2 + rng.nextDouble() * 10, 3 + rng.nextInt(4), rng), 0, 0, null);
            default -> {
                g.setPaint(pattern(size, rng));
                g.fillRect(0, 0, size, size);
            }
        }
    }

    private static void layer(Graphics2D g, int size, SplittableRandom rng) {
        float alpha = rng.nextDouble() < 0.3 ? 0.35f + 0.5f * (float) rng.nextDouble() : 1f;
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, alpha));
        int kind = rng.nextInt(10);
        if (kind == 9 && !FONTS_WORK) kind = 0;
        switch (kind) {
            case 0, 1, 2 -> { // filled shape, flat colour or gradient
                g.setPaint(rng.nextDouble() < 0.7 ? color(rng, 255)
                        : new GradientPaint(point(size, rng), color(rng, 255), point(size, rng), color(rng, 255)));
                g.fill(shape(size, rng));
            }
            case 3, 4 -> { // outlined shape
                g.setPaint(color(rng, 255));
                g.setStroke(new BasicStroke((float) (0.7 + rng.nextDouble() * size / 40.0),
                        rng.nextBoolean() ? BasicStroke.CAP_ROUND : BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
                g.draw(shape(size, rng));
            }
            case 5 -> { // lines: thin ones test edge preservation
                g.setPaint(color(rng, 255));
                int n = 1 + rng.nextInt(6);
                for (int i = 0; i < n; i++) {
                    g.setStroke(new BasicStroke((float) (0.5 + rng.nextDouble() * 4)));
                    g.draw(new Line2D.Double(point(size, rng), point(size, rng)));
                }
            }
            case 6, 7 -> { // textured shape: noise texture or stripes inside a sharp boundary
                Paint p = rng.nextBoolean() ? pattern(size, rng) : new TexturePaint(
                        noiseTexture(size, size, 4 + rng.nextDouble() * 20, 2 + rng.nextInt(4), rng),
                        new Rectangle2D.Double(0, 0, size, size));
                g.setPaint(p);
                g.fill(shape(size, rng));
            }
            case 8 -> { // a field of small shapes: many edges at one scale
                Color c = color(rng, 255);
                int n = 5 + rng.nextInt(20);
                double r = size * (0.01 + 0.04 * rng.nextDouble());
                for (int i = 0; i < n; i++) {
                    g.setPaint(rng.nextDouble() < 0.5 ? c : color(rng, 255));
                    g.fill(new Ellipse2D.Double(rng.nextDouble() * size, rng.nextDouble() * size, r, r * (0.5 + rng.nextDouble())));
                }
            }
            default -> text(g, size, rng);
        }
        g.setComposite(AlphaComposite.SrcOver);
    }

    private static void text(Graphics2D g, int size, SplittableRandom rng) {
        int style = rng.nextInt(4); // PLAIN, BOLD, ITALIC, BOLD|ITALIC
        float pt = (float) (Math.max(6, size / 40.0) + rng.nextDouble() * size / 5.0);
        g.setFont(new Font(FONTS[rng.nextInt(FONTS.length)], style, 12).deriveFont(pt));
        g.setPaint(color(rng, 255));
        StringBuilder s = new StringBuilder(WORDS[rng.nextInt(WORDS.length)]);
        int words = rng.nextInt(3);
        for (int i = 0; i < words; i++) s.append(' ').append(WORDS[rng.nextInt(WORDS.length)]);
        AffineTransform saved = g.getTransform();
        double x = rng.nextDouble() * size * 0.8;
        double y = pt + rng.nextDouble() * size * 0.9;
        if (rng.nextDouble() < 0.3) g.rotate((rng.nextDouble() - 0.5) * Math.PI / 2, x, y);
        g.drawString(s.toString(), (float) x, (float) y);
        g.setTransform(saved);
    }

    private static Shape shape(int size, SplittableRandom rng) {
        double cx = rng.nextDouble() * size;
        double cy = rng.nextDouble() * size;
        double w = size * (0.05 + 0.45 * rng.nextDouble());
        double h = rng.nextDouble() < 0.3 ? w : size * (0.05 + 0.45 * rng.nextDouble());
        switch (rng.nextInt(4)) {
            case 0:
                return new Ellipse2D.Double(cx - w / 2, cy - h / 2, w, h);
            case 1: {
                Shape r = new Rectangle2D.Double(cx - w / 2, cy - h / 2, w, h);
                // Axis-aligned edges are the easy case; half of them are turned.
                return rng.nextBoolean() ? r : AffineTransform.getRotateInstance(rng.nextDouble() * Math.PI, cx, cy)
                        .createTransformedShape(r);
            }
            case 2:
                return new RoundRectangle2D.Double(cx - w / 2, cy - h / 2, w, h, w * rng.nextDouble(), h * rng.nextDouble());
            default: {
                int n = 3 + rng.nextInt(5);
                Path2D.Double p = new Path2D.Double();
                for (int i = 0; i < n; i++) {
                    double a = 2 * Math.PI * (i + 0.6 * rng.nextDouble()) / n;
                    double rr = 0.5 * (0.4 + 0.6 * rng.nextDouble());
                    double px = cx + Math.cos(a) * w * rr;
                    double py = cy + Math.sin(a) * h * rr;
                    if (i == 0) p.moveTo(px, py); else p.lineTo(px, py);
                }
                p.closePath();
                return p;
            }
        }
    }

    /** Stripes or a checkerboard in two random colours at a random period (2–40 px) and angle. */
    private static Paint pattern(int size, SplittableRandom rng) {
        int period = 2 + rng.nextInt(Math.max(2, Math.min(39, size / 4)));
        boolean checker = rng.nextBoolean();
        Color a = color(rng, 255);
        Color b = color(rng, 255);
        BufferedImage tile = new BufferedImage(2 * period, 2 * period, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2 * period; y++) {
            for (int x = 0; x < 2 * period; x++) {
                boolean on = checker ? ((x / period) + (y / period)) % 2 == 0 : x / period == 0;
                tile.setRGB(x, y, (on ? a : b).getRGB());
            }
        }
        TexturePaint paint = new TexturePaint(tile, new Rectangle2D.Double(0, 0, 2 * period, 2 * period));
        // Rotate the pattern by wrapping it in a transformed texture: render one rotated canvas.
        double angle = rng.nextInt(3) == 0 ? 0 : rng.nextDouble() * Math.PI;
        if (angle == 0) return paint;
        BufferedImage rotated = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rotated.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.rotate(angle, size / 2.0, size / 2.0);
            g.setPaint(paint);
            // Cover the whole canvas whatever the angle: the diagonal is at most 1.5 sizes.
            g.fill(new Rectangle2D.Double(-size, -size, 3.0 * size, 3.0 * size));
        } finally {
            g.dispose();
        }
        return new TexturePaint(rotated, new Rectangle2D.Double(0, 0, size, size));
    }

    /**
     * Multi-octave value noise (fractal sum of smoothly interpolated lattice noise), coloured by
     * blending two random colours, or independently per channel for colourful texture.
     */
    private static BufferedImage noiseTexture(int w, int h, double cellsAcross, int octaves, SplittableRandom rng) {
        long key = rng.nextLong();
        boolean perChannel = rng.nextDouble() < 0.35;
        Color a = color(rng, 255);
        Color b = color(rng, 255);
        double persistence = 0.4 + 0.25 * rng.nextDouble();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb;
                if (perChannel) {
                    int r = (int) (255 * fbm(key, x, y, w, cellsAcross, octaves, persistence));
                    int gg = (int) (255 * fbm(key + 1, x, y, w, cellsAcross, octaves, persistence));
                    int bb = (int) (255 * fbm(key + 2, x, y, w, cellsAcross, octaves, persistence));
                    rgb = (r << 16) | (gg << 8) | bb;
                } else {
                    double t = fbm(key, x, y, w, cellsAcross, octaves, persistence);
                    rgb = (lerp(a.getRed(), b.getRed(), t) << 16) | (lerp(a.getGreen(), b.getGreen(), t) << 8)
                            | lerp(a.getBlue(), b.getBlue(), t);
                }
                row[x] = rgb;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** Fractal value noise in [0,1]: octaves at doubling frequency and {@code persistence}× amplitude. */
    static double fbm(long key, int x, int y, int size, double cellsAcross, int octaves, double persistence) {
        double sum = 0;
        double amp = 1;
        double norm = 0;
        double freq = cellsAcross / size;
        for (int o = 0; o < octaves; o++) {
            sum += amp * valueNoise(key + 31L * o, x * freq, y * freq);
            norm += amp;
            amp *= persistence;
            freq *= 2;
        }
        return Math.min(1, Math.max(0, sum / norm));
    }

    private static double valueNoise(long key, double x, double y) {
        long x0 = (long) Math.floor(x);
        long y0 = (long) Math.floor(y);
        double fx = smooth(x - x0);
        double fy = smooth(y - y0);
        double v00 = lattice(key, x0, y0), v10 = lattice(key, x0 + 1, y0);
        double v01 = lattice(key, x0, y0 + 1), v11 = lattice(key, x0 + 1, y0 + 1);
        double top = v00 + (v10 - v00) * fx;
        double bottom = v01 + (v11 - v01) * fx;
        return top + (bottom - top) * fy;
    }

    private static double smooth(double t) {
        return t * t * t * (t * (t * 6 - 15) + 10); // quintic fade: continuous second derivative
    }

    private static double lattice(long key, long x, long y) {
        return (mix(mix(key, x), y) >>> 11) * 0x1.0p-53;
    }

    private static int lerp(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    private static Color color(SplittableRandom rng, int alpha) {
        return new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256), alpha);
    }

    private static Point2D point(int size, SplittableRandom rng) {
        return new Point2D.Double(rng.nextDouble() * size, rng.nextDouble() * size);
    }

    /** SplitMix64's finalizer over (a, b): independent streams per (seed, index). */
    private static long mix(long a, long b) {
        long z = a * 0x9e3779b97f4a7c15L + b + 0x632be59bd9b4e019L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static boolean probeFonts() {
        try {
            BufferedImage probe = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = probe.createGraphics();
            try {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 8));
                g.drawString("a", 0, 7);
            } finally {
                g.dispose();
            }
            return true;
        } catch (RuntimeException | Error e) {
            // A JVM without any font (no fontconfig fonts installed) fails here with an Error from
            // the font manager; synthetic data must still be produced, so text becomes shapes.
            return false;
        }
    }
}

package org.imagepipeline.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.twelvemonkeys.imageio.color.ColorSpaces;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes image files into {@link Image}s and encodes them as PNG. Pure: bytes in, pixels out, no
 * Spark and no file system, so it runs the same on the driver, on executors and in unit tests.
 *
 * <p>Reads PNG, JPEG (baseline, progressive, CMYK and YCCK through TwelveMonkeys), BMP, GIF (first
 * frame) and TIFF (first page); gray, gray+alpha, RGB, RGBA and palette layouts; 8- and 16-bit
 * samples, 16-bit ones keeping their precision. The EXIF orientation is applied so results are
 * upright. The pixel count is checked against a limit from the header, before any pixel is decoded,
 * so a small file that declares a huge image (a decompression bomb) costs nothing.
 *
 * <p>Every failure is an {@link ImageDecodeException} whose message names the file.
 */
public final class ImageCodec {

    /** The formats the pipeline reads, as {@link DecodedImage#format()} names them. */
    public static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif", "tiff");

    // Decoder warnings that mean pixels are missing: the JPEG decoders fill the rest of a truncated
    // file with gray and only warn, which would put half-gray images into training data.
    private static final Pattern TRUNCATION_WARNING =
            Pattern.compile("(?i)truncat|premature end|missing eoi|unexpected end");

    static {
        registerPlugins();
    }

    private ImageCodec() {}

    /**
     * ImageIO fills its registry once per JVM, from the context class loader of whichever thread
     * touches it first. On a Spark executor that loader may not see the application jar, which
     * would silently lose the TwelveMonkeys decoders (CMYK JPEG, 16-bit TIFF). Registering the
     * providers visible to this class's loader makes the set of decoders the same everywhere.
     */
    private static void registerPlugins() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ClassLoader loader = ImageCodec.class.getClassLoader();
        register(registry, ImageReaderSpi.class, loader);
        register(registry, ImageWriterSpi.class, loader);
    }

    private static <T> void register(IIORegistry registry, Class<T> category, ClassLoader loader) {
        Iterator<T> it = ServiceLoader.load(category, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) return;
                registry.registerServiceProvider(it.next(), category);
            } catch (ServiceConfigurationError e) {
                // One broken provider on the class path must not take the others with it.
            }
        }
    }

    /**
     * Reads the format and stored size from the header only, without decoding pixels.
     *
     * @param bytes the whole file
     * @param name  the file's name or path, used in error messages only
     * @throws ImageDecodeException when the bytes are empty, not an image, an unsupported format,
     *                              or the header is damaged
     */
    public static ImageHeader probe(byte[] bytes, String name) {
        requireNonEmpty(bytes, name);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = openReader(in, bytes, name);
            try {
                return readHeader(reader, name);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Closing an in-memory stream failed", e);
        }
    }

    /**
     * Decodes a whole file into an upright image.
     *
     * @param bytes     the whole file
     * @param name      the file's name or path, used in error messages only
     * @param maxPixels the most width*height accepted, checked from the header before decoding
     * @throws ImageDecodeException with a full-sentence message naming {@code name} on any failure
     */
    public static DecodedImage decode(byte[] bytes, String name, long maxPixels) {
        BufferedImage buffered = readChecked(bytes, name, maxPixels, "pipeline.ingest.max-pixels", false);
        String format = probe(bytes, name).format();
        Pixels pixels = toPixels(buffered, name);
        int orientation = exifOrientation(bytes, format);
        Image upright = Orientation.apply(pixels.image, orientation);
        float[] alpha = pixels.alpha == null ? null : Orientation.apply(
                new Image(1, pixels.image.height(), pixels.image.width(), pixels.alpha), orientation).data();
        return new DecodedImage(upright, alpha, format, pixels.bitDepth, pixels.sourceChannels, orientation);
    }

    /**
     * Decodes a file into its compact stored form, without converting samples to float: 1 byte
     * (or 2 for 16-bit) per sample, as the file holds them, so a 12000x12000 RGB photo costs 432 MB
     * rather than the 1.7 GB of an {@link Image}. Layouts other than gray/RGB(+alpha) with 8- or
     * 16-bit samples (palettes, packed BMP, CMYK) are converted to 8-bit gray or RGB(+alpha). Also
     * reads the EXIF orientation (not applied: see {@link RasterImage}) and the ICC profile, EXIF
     * and XMP metadata the file carries ({@link ImageMetadata}).
     *
     * <p>Samples stay in the file's colour space: a JPEG with an embedded RGB or gray ICC profile is
     * read without the conversion to sRGB that {@link #decode} applies, and the profile comes with
     * the metadata, so what is written from it is labelled with the space its pixels are in.
     *
     * @param limitSetting the config key behind {@code maxPixels}, named in the error message
     * @throws ImageDecodeException with a full-sentence message naming {@code name} on any failure
     */
    public static RasterImage decodeRaster(byte[] bytes, String name, long maxPixels, String limitSetting) {
        BufferedImage buffered = normalized(readChecked(bytes, name, maxPixels, limitSetting, true), name);
        String format = probe(bytes, name).format();
        ColorModel model = buffered.getColorModel();
        int bits = 0;
        for (int b = 0; b < model.getNumComponents(); b++) bits = Math.max(bits, model.getComponentSize(b));
        return new RasterImage(buffered, format, bits > 8 ? 16 : 8, exifOrientation(bytes, format),
                ImageMetadata.read(bytes, format, model.getColorSpace()));
    }

    /**
     * Header check against the pixel limit, full decode, and the checks for truncated files.
     *
     * @param inFileSpace read a JPEG in the RGB or gray space of its embedded ICC profile, where the
     *                    decoder would otherwise convert it to sRGB
     */
    private static BufferedImage readChecked(byte[] bytes, String name, long maxPixels, String limitSetting, boolean inFileSpace) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        requireNonEmpty(bytes, name);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = openReader(in, bytes, name);
            try {
                ImageHeader header = readHeader(reader, name);
                if (header.pixels() > maxPixels) {
                    throw new ImageDecodeException(name, ImageDecodeException.Reason.TOO_LARGE,
                            "image is " + header.width() + "x" + header.height() + " = " + header.pixels()
                                    + " pixels, over the limit " + limitSetting + " = " + maxPixels);
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage buffered;
                ImageReadParam param = inFileSpace && header.format().equals("jpeg") ? inProfileSpace(reader) : null;
                try {
                    buffered = reader.read(0, param);
                } catch (IOException | RuntimeException e) {
                    // A file the decoder cannot read in its profile's space is read as it reads it by default.
                    if (param != null) return readChecked(bytes, name, maxPixels, limitSetting, false);
                    throw corrupt(name, header.format(), e);
                }
                if (header.format().equals("png") && !endsWithPngEndChunk(bytes)) {
                    // The PNG decoder stops once it has its rows, so a file cut inside the last
                    // chunks still decodes; the missing IEND chunk is the one sign of it.
                    throw new ImageDecodeException(name, ImageDecodeException.Reason.CORRUPT,
                            "truncated or corrupt png: the file ends before its IEND chunk");
                }
                for (String warning : warnings) {
                    if (warning != null && TRUNCATION_WARNING.matcher(warning).find()) {
                        throw new ImageDecodeException(name, ImageDecodeException.Reason.CORRUPT,
                                "truncated or corrupt " + header.format() + ": " + warning);
                    }
                }
                return buffered;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Closing an in-memory stream failed", e);
        }
    }

    /**
     * A read of a JPEG that keeps its samples in the space of its embedded ICC profile, where the
     * decoder offers that as a destination type (TwelveMonkeys does for RGB and gray profiles it
     * would otherwise convert from); null, the decoder's default, when there is none to keep.
     */
    private static ImageReadParam inProfileSpace(ImageReader reader) {
        Iterator<ImageTypeSpecifier> types;
        try {
            types = reader.getImageTypes(0);
        } catch (IOException | RuntimeException e) {
            return null; // the default read reports what is wrong with the file
        }
        while (types.hasNext()) {
            ImageTypeSpecifier type = types.next();
            ColorModel model = type.getColorModel();
            ColorSpace space = model.getColorSpace();
            boolean rgbOrGray = space.getType() == ColorSpace.TYPE_RGB || space.getType() == ColorSpace.TYPE_GRAY;
            if (space instanceof ICC_ColorSpace icc && rgbOrGray && !ImageMetadata.isBuiltIn(space)
                    && !ColorSpaces.isCS_sRGB(icc.getProfile()) && model instanceof ComponentColorModel
                    && model.getTransferType() == DataBuffer.TYPE_BYTE) {
                ImageReadParam param = reader.getDefaultReadParam();
                param.setDestinationType(type);
                return param;
            }
        }
        return null;
    }

    /**
     * {@code buffered} itself when it is gray or RGB, optional alpha, unsigned 8/16-bit component
     * samples, not premultiplied; otherwise an 8-bit gray (palettes of grays) or RGB copy, with
     * alpha when the source has it.
     */
    private static BufferedImage normalized(BufferedImage buffered, String name) {
        if (buffered.isAlphaPremultiplied()) buffered.coerceData(false);
        ColorModel model = buffered.getColorModel();
        int transfer = model.getTransferType();
        int spaceType = model.getColorSpace().getType();
        if (model instanceof ComponentColorModel && (transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT)
                && (spaceType == ColorSpace.TYPE_GRAY || spaceType == ColorSpace.TYPE_RGB)) {
            return buffered;
        }
        if (!(model instanceof IndexColorModel) && (transfer == DataBuffer.TYPE_FLOAT || transfer == DataBuffer.TYPE_DOUBLE
                || transfer == DataBuffer.TYPE_INT && model instanceof ComponentColorModel || transfer == DataBuffer.TYPE_SHORT)) {
            throw new ImageDecodeException(name, ImageDecodeException.Reason.UNSUPPORTED,
                    "unsupported sample type " + sampleTypeName(transfer)
                            + ": the pipeline reads unsigned 8- and 16-bit integer samples");
        }
        boolean gray = false;
        if (model instanceof IndexColorModel palette) {
            gray = true;
            for (int i = 0; i < palette.getMapSize(); i++) {
                gray &= palette.getRed(i) == palette.getGreen(i) && palette.getGreen(i) == palette.getBlue(i);
            }
        }
        boolean alpha = model.hasAlpha();
        int w = buffered.getWidth();
        int h = buffered.getHeight();
        BufferedImage out = compatible(gray ? 1 : 3, alpha, 8, w, h);
        WritableRaster raster = out.getRaster();
        int[] argb = new int[w];
        int[] px = new int[raster.getNumBands()];
        for (int y = 0; y < h; y++) {
            buffered.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int k = 0;
                px[k++] = (p >>> 16) & 0xff;
                if (!gray) {
                    px[k++] = (p >>> 8) & 0xff;
                    px[k++] = p & 0xff;
                }
                if (alpha) px[k] = p >>> 24;
                raster.setPixel(x, y, px);
            }
        }
        return out;
    }

    /**
     * An empty image of {@code colours} (1 gray, 3 sRGB) plus an optional alpha band, 8- or 16-bit
     * unsigned samples, not premultiplied: the layout {@link #decodeRaster} returns and writers take.
     */
    public static BufferedImage compatible(int colours, boolean alpha, int bitDepth, int width, int height) {
        ColorSpace space = ColorSpace.getInstance(colours == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int transfer = bitDepth == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT;
        ColorModel model = new ComponentColorModel(space, alpha, false,
                alpha ? ColorModel.TRANSLUCENT : ColorModel.OPAQUE, transfer);
        return new BufferedImage(model, model.createCompatibleWritableRaster(width, height), false, null);
    }

    /**
     * Encodes {@code image} as a PNG: gray for 1 channel, RGB for 3, with 8- or 16-bit samples.
     * Samples are clamped to [0,1] and rounded to the nearest level, so decoding the result gives
     * back exactly the images whose samples are k/255 (8-bit) or k/65535 (16-bit).
     */
    public static byte[] encodePng(Image image, int bitDepth) {
        BufferedImage buffered = toBufferedImage(image, bitDepth);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(buffered);
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding a " + image + " as PNG in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A Java2D view of {@code image}: gray or sRGB, no alpha, 8- or 16-bit samples (value rounded
     * from sample * (2^bitDepth - 1) after clamping to [0,1]).
     */
    public static BufferedImage toBufferedImage(Image image, int bitDepth) {
        if (bitDepth != 8 && bitDepth != 16) {
            throw new IllegalArgumentException("Bit depth must be 8 or 16, got " + bitDepth);
        }
        ColorSpace space = ColorSpace.getInstance(image.channels() == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int transfer = bitDepth == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT;
        ColorModel model = new ComponentColorModel(space, false, false, ColorModel.OPAQUE, transfer);
        int w = image.width();
        int h = image.height();
        WritableRaster raster = model.createCompatibleWritableRaster(w, h);
        float max = bitDepth == 8 ? 255f : 65535f;
        int plane = w * h;
        int[] samples = new int[plane];
        float[] data = image.data();
        for (int c = 0; c < image.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                float v = data[c * plane + i];
                v = v > 0f ? (v < 1f ? v : 1f) : 0f; // also maps NaN to 0
                samples[i] = Math.round(v * max);
            }
            raster.setSamples(0, 0, w, h, c, samples);
        }
        return new BufferedImage(model, raster, false, null);
    }

    /**
     * The pixels of {@code buffered} as an {@link Image} (alpha dropped, no orientation applied):
     * 1 channel when the source is gray, 3 otherwise.
     *
     * @throws ImageDecodeException when the samples are floating point or signed
     */
    public static Image fromBufferedImage(BufferedImage buffered) {
        return toPixels(buffered, "the in-memory image").image;
    }

    /** Samples of a decoded image, before orientation. */
    private record Pixels(Image image, float[] alpha, int bitDepth, int sourceChannels) {}

    private static Pixels toPixels(BufferedImage buffered, String name) {
        if (buffered.isAlphaPremultiplied()) {
            buffered.coerceData(false);
        }
        ColorModel model = buffered.getColorModel();
        if (model instanceof IndexColorModel palette) {
            return fromPalette(buffered.getRaster(), palette);
        }
        int transfer = model.getTransferType();
        int spaceType = model.getColorSpace().getType();
        boolean integerSamples = transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT;
        if (model instanceof ComponentColorModel && integerSamples
                && (spaceType == ColorSpace.TYPE_GRAY || spaceType == ColorSpace.TYPE_RGB)) {
            return fromComponents(buffered.getRaster(), model);
        }
        if (transfer == DataBuffer.TYPE_FLOAT || transfer == DataBuffer.TYPE_DOUBLE
                || transfer == DataBuffer.TYPE_INT && model instanceof ComponentColorModel
                || transfer == DataBuffer.TYPE_SHORT) {
            throw new ImageDecodeException(name, ImageDecodeException.Reason.UNSUPPORTED,
                    "unsupported sample type " + sampleTypeName(transfer)
                            + ": the pipeline reads unsigned 8- and 16-bit integer samples");
        }
        // Packed layouts (16- and 32-bit BMP) and other colour spaces (CMYK TIFF): Java2D converts
        // them to 8-bit sRGB, which is all the precision they carry or need.
        return fromArgb(buffered, model.hasAlpha());
    }

    private static Pixels fromPalette(Raster raster, IndexColorModel palette) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int size = palette.getMapSize();
        float[][] lut = new float[4][size];
        boolean gray = true;
        for (int i = 0; i < size; i++) {
            int r = palette.getRed(i);
            int g = palette.getGreen(i);
            int b = palette.getBlue(i);
            gray &= r == g && g == b;
            lut[0][i] = r / 255f;
            lut[1][i] = g / 255f;
            lut[2][i] = b / 255f;
            lut[3][i] = palette.getAlpha(i) / 255f;
        }
        boolean hasAlpha = palette.getTransparency() != ColorModel.OPAQUE;
        int channels = gray ? 1 : 3;
        int plane = w * h;
        int[] index = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        float[] data = new float[channels * plane];
        float[] alpha = hasAlpha ? new float[plane] : null;
        for (int i = 0; i < plane; i++) {
            // Out-of-range indices occur in damaged files; IndexColorModel shows them as entry 0.
            int k = index[i] < size ? index[i] : 0;
            for (int c = 0; c < channels; c++) {
                data[c * plane + i] = lut[c][k];
            }
            if (alpha != null) alpha[i] = lut[3][k];
        }
        return new Pixels(new Image(channels, h, w, data), alpha, 8, channels + (hasAlpha ? 1 : 0));
    }

    private static Pixels fromComponents(Raster raster, ColorModel model) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int plane = w * h;
        int colours = model.getNumColorComponents();
        boolean hasAlpha = model.hasAlpha();
        float[] data = new float[colours * plane];
        float[] alpha = hasAlpha ? new float[plane] : null;
        int[] samples = new int[plane];
        int maxBits = 0;
        for (int b = 0; b < colours + (hasAlpha ? 1 : 0); b++) {
            int bits = model.getComponentSize(b);
            maxBits = Math.max(maxBits, bits);
            float max = (float) ((1L << bits) - 1);
            raster.getSamples(0, 0, w, h, b, samples);
            float[] target = b < colours ? data : alpha;
            int offset = b < colours ? b * plane : 0;
            for (int i = 0; i < plane; i++) {
                target[offset + i] = samples[i] / max;
            }
        }
        return new Pixels(new Image(colours, h, w, data), alpha, maxBits > 8 ? 16 : 8,
                colours + (hasAlpha ? 1 : 0));
    }

    private static Pixels fromArgb(BufferedImage buffered, boolean hasAlpha) {
        int w = buffered.getWidth();
        int h = buffered.getHeight();
        int plane = w * h;
        int[] argb = buffered.getRGB(0, 0, w, h, null, 0, w);
        float[] data = new float[3 * plane];
        float[] alpha = hasAlpha ? new float[plane] : null;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            data[i] = ((p >>> 16) & 0xff) / 255f;
            data[plane + i] = ((p >>> 8) & 0xff) / 255f;
            data[2 * plane + i] = (p & 0xff) / 255f;
            if (alpha != null) alpha[i] = (p >>> 24) / 255f;
        }
        return new Pixels(new Image(3, h, w, data), alpha, 8, hasAlpha ? 4 : 3);
    }

    private static String sampleTypeName(int transfer) {
        return switch (transfer) {
            case DataBuffer.TYPE_FLOAT -> "32-bit float";
            case DataBuffer.TYPE_DOUBLE -> "64-bit float";
            case DataBuffer.TYPE_INT -> "32-bit integer";
            case DataBuffer.TYPE_SHORT -> "signed 16-bit integer";
            default -> "data buffer type " + transfer;
        };
    }

    /**
     * The EXIF orientation of {@code bytes}, or 1 when there is none. Only JPEG, TIFF and PNG (eXIf
     * chunk) carry one. Metadata is optional: unreadable EXIF gives 1 rather than a reject, since
     * the pixels themselves decoded fine.
     */
    static int exifOrientation(byte[] bytes, String format) {
        if (!format.equals("jpeg") && !format.equals("tiff") && !format.equals("png")) return 1;
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int orientation = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                if (Orientation.isValid(orientation)) return orientation;
            }
        } catch (Exception e) {
            // metadata-extractor throws checked and unchecked exceptions on damaged segments
        }
        return 1;
    }

    private static void requireNonEmpty(byte[] bytes, String name) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(name, ImageDecodeException.Reason.EMPTY, "empty file (0 bytes)");
        }
    }

    private static ImageReader openReader(ImageInputStream in, byte[] bytes, String name) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageDecodeException(name, ImageDecodeException.Reason.NOT_IMAGE,
                    "not an image: no decoder recognises the content (" + bytes.length + " bytes, starting "
                            + leadingHex(bytes) + ")");
        }
        ImageReader reader = readers.next();
        String format = formatOf(reader);
        if (!FORMATS.contains(format)) {
            reader.dispose();
            throw new ImageDecodeException(name, ImageDecodeException.Reason.UNSUPPORTED,
                    "unsupported format " + format + ": the pipeline reads png, jpeg, bmp, gif and tiff");
        }
        // Forward-only lets readers drop what they have passed; metadata is read separately for EXIF.
        reader.setInput(in, true, true);
        return reader;
    }

    private static ImageHeader readHeader(ImageReader reader, String name) {
        String format = formatOf(reader);
        try {
            return new ImageHeader(format, reader.getWidth(0), reader.getHeight(0));
        } catch (IndexOutOfBoundsException e) {
            throw new ImageDecodeException(name, ImageDecodeException.Reason.CORRUPT,
                    "truncated or corrupt " + format + ": the file holds no image", e);
        } catch (IOException | RuntimeException e) {
            throw corrupt(name, format, e);
        }
    }

    private static ImageDecodeException corrupt(String name, String format, Throwable e) {
        return new ImageDecodeException(name, ImageDecodeException.Reason.CORRUPT,
                "truncated or corrupt " + format + ": " + describe(e), e);
    }

    /** The exception's message with its causes', since ImageIO wraps the useful part. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage()
                    : t instanceof EOFException ? "the file ends early (EOFException)" : t.getClass().getSimpleName();
            if (text.length() > 0) {
                if (text.indexOf(message) >= 0) continue;
                text.append(" (").append(message).append(')');
            } else {
                text.append(message);
            }
            if (t.getCause() == t) break;
        }
        String s = text.toString().strip();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String formatOf(ImageReader reader) {
        String f;
        try {
            f = reader.getFormatName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException("An ImageIO reader could not name its format", e);
        }
        return switch (f) {
            case "jpg" -> "jpeg";
            case "tif" -> "tiff";
            default -> f;
        };
    }

    /** Whether an IEND chunk type appears in the file's last bytes (writers may append a little after it). */
    private static boolean endsWithPngEndChunk(byte[] bytes) {
        int from = Math.max(0, bytes.length - 1024);
        for (int i = bytes.length - 4; i >= from; i--) {
            if (bytes[i] == 'I' && bytes[i + 1] == 'E' && bytes[i + 2] == 'N' && bytes[i + 3] == 'D') return true;
        }
        return false;
    }

    private static String leadingHex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            if (i > 0) s.append(' ');
            s.append(String.format("%02x", bytes[i] & 0xff));
        }
        return s.toString();
    }
}

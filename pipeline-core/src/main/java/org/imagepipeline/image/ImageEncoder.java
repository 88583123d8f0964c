package org.imagepipeline.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Writes images as PNG, JPEG or TIFF, with the {@link ImageMetadata} (ICC profile, EXIF, XMP):
 * PNG as iCCP, eXIf and iTXt chunks; JPEG as APP2 ICC_PROFILE, APP1 Exif and APP1 XMP segments
 * (an EXIF block or XMP packet over a segment's 64 KiB is left out); TIFF as tags 34675 and 700
 * and the EXIF block's fields and EXIF/GPS sub-IFDs ({@link TiffMetadata}). Streams to the given
 * output, so a large image is never held twice as encoded bytes.
 *
 * <p>Takes images laid out as {@link ImageCodec#compatible}: gray or sRGB, optional alpha, 8- or
 * 16-bit. PNG and TIFF keep all of it; JPEG holds 8-bit gray or RGB without alpha only, so callers
 * convert first ({@link #forJpeg}).
 */
public final class ImageEncoder {
    /** The formats {@link #write} produces. */
    public static final List<String> FORMATS = List.of("png", "jpeg", "tiff");

    private ImageEncoder() {}

    /** The usual file extension of a format written here. */
    public static String extension(String format) {
        return switch (format) {
            case "jpeg" -> "jpg";
            case "tiff" -> "tif";
            default -> format;
        };
    }

    /**
     * Encodes {@code image} as {@code format} onto {@code out} (not closed).
     *
     * @param jpegQuality 1..100, used for JPEG only
     */
    public static void write(BufferedImage image, String format, int jpegQuality, ImageMetadata metadata, OutputStream out)
            throws IOException {
        if (!FORMATS.contains(format)) throw new IllegalArgumentException("Cannot write " + format + "; formats are " + FORMATS);
        boolean jpeg = format.equals("jpeg");
        if (jpeg && (image.getColorModel().hasAlpha() || image.getColorModel().getComponentSize(0) > 8)) {
            throw new IllegalArgumentException("JPEG holds 8-bit gray or RGB without alpha; convert with forJpeg first");
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) throw new IllegalStateException("No ImageIO writer for " + format + " in this JVM");
        ImageWriter writer = writers.next();
        boolean tiff = format.equals("tiff");
        while (tiff && !TiffMetadata.isJdkPlugin(writer) && writers.hasNext()) {
            // The JDK's TIFF writer takes 16-bit samples (TwelveMonkeys' 3.12 refuses them) and
            // metadata as javax.imageio.plugins.tiff fields.
            writer.dispose();
            writer = writers.next();
        }
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (jpeg) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(jpegQuality / 100f);
        } else if (tiff) {
            compressTiff(param);
        }
        ImageMetadata meta = metadata == null ? ImageMetadata.NONE : metadata;
        OutputStream target = meta.isEmpty() || tiff ? nonClosing(out)
                : new Splice(out, jpeg ? meta.jpegSegments() : meta.pngChunks(), jpeg);
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(target)) {
            IIOMetadata fields = tiff && !meta.isEmpty() ? TiffMetadata.forWriter(writer, image, param, meta) : null;
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, fields), param);
        } finally {
            writer.dispose();
        }
        target.flush();
    }

    private static void compressTiff(ImageWriteParam param) {
        if (!param.canWriteCompressed()) return;
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        String[] types = param.getCompressionTypes();
        for (String t : types) {
            if (t.toUpperCase(Locale.ROOT).equals("LZW")) {
                param.setCompressionType(t);
                return;
            }
        }
        param.setCompressionMode(ImageWriteParam.MODE_DEFAULT);
    }

    /**
     * {@code image} as JPEG can hold it: alpha dropped and 16-bit samples rounded to 8 bits; the
     * same instance when it already fits.
     */
    public static BufferedImage forJpeg(BufferedImage image) {
        var model = image.getColorModel();
        boolean alpha = model.hasAlpha();
        boolean deep = model.getComponentSize(0) > 8;
        if (!alpha && !deep) return image;
        int colours = model.getNumColorComponents();
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = ImageCodec.compatible(colours, false, 8, w, h);
        var src = image.getRaster();
        var dst = out.getRaster();
        int[] row = new int[w];
        double scale = deep ? 255.0 / 65535.0 : 1.0;
        for (int b = 0; b < colours; b++) {
            for (int y = 0; y < h; y++) {
                src.getSamples(0, y, w, 1, b, row);
                if (deep) for (int x = 0; x < w; x++) row[x] = (int) Math.round(row[x] * scale);
                dst.setSamples(0, y, w, 1, b, row);
            }
        }
        return out;
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
            @Override public void close() throws IOException { out.flush(); }
        };
    }

    /**
     * Passes an encoder's bytes through and inserts {@code extra} once: in a PNG after the
     * signature and IHDR chunk; in a JPEG after SOI and, when the encoder wrote one, the JFIF APP0
     * segment. Never closes the underlying stream.
     */
    private static final class Splice extends FilterOutputStream {
        private final byte[] extra;
        private final boolean jpeg;
        private byte[] head = new byte[64];
        private int headLength;
        private boolean inserted;

        Splice(OutputStream out, byte[] extra, boolean jpeg) {
            super(out);
            this.extra = extra;
            this.jpeg = jpeg;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (inserted) {
                out.write(b, off, len);
                return;
            }
            while (len > 0 && !inserted) {
                if (headLength == head.length) head = Arrays.copyOf(head, head.length * 2);
                head[headLength++] = b[off++];
                len--;
                int at = insertionPoint();
                if (at >= 0 && headLength >= at) {
                    out.write(head, 0, at);
                    out.write(extra);
                    out.write(head, at, headLength - at);
                    inserted = true;
                    head = null;
                }
            }
            if (len > 0) out.write(b, off, len);
        }

        /** Where to insert, once the head shows it; -1 while unknown. */
        private int insertionPoint() {
            if (!jpeg) return 33; // 8-byte signature + IHDR (4 length + 4 type + 13 data + 4 CRC)
            if (headLength < 4) return -1;
            if ((head[2] & 0xff) != 0xFF || (head[3] & 0xff) != 0xE0) return 2;
            if (headLength < 6) return -1;
            return 4 + (((head[4] & 0xff) << 8) | (head[5] & 0xff));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!inserted && head != null) out.write(head, 0, headLength);
            inserted = true;
            out.flush();
        }
    }
}

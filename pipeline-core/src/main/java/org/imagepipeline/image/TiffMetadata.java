package org.imagepipeline.image;

import javax.imageio.IIOException;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.ExifGPSTagSet;
import javax.imageio.plugins.tiff.ExifInteroperabilityTagSet;
import javax.imageio.plugins.tiff.ExifParentTIFFTagSet;
import javax.imageio.plugins.tiff.ExifTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.plugins.tiff.TIFFTagSet;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.imagepipeline.image.ImageMetadata.u16;
import static org.imagepipeline.image.ImageMetadata.u32;

/**
 * {@link ImageMetadata} in TIFF form, over the public API of the JDK's TIFF plugin
 * (javax.imageio.plugins.tiff).
 *
 * <p>Writing ({@link #forWriter}): the ICC profile goes into tag 34675 (UNDEFINED), the XMP
 * packet into tag 700 (BYTE), and the EXIF block is parsed into TIFF fields: its IFD0's
 * descriptive fields (Make, Model, DateTime, Artist, Copyright, Software, ImageDescription,
 * resolution and any other tag, known or not) join the image's IFD, and its EXIF (34665) and GPS
 * (34853) sub-IFDs, with an interoperability IFD (40965) inside, follow whole. Fields that describe
 * a layout (the EXIF block's thumbnail, or another file's strips, samples, compression) are left
 * out: the writer lays out the image itself. The orientation is written as the EXIF block says,
 * as for PNG and JPEG (the restore job passes 1, {@link ImageMetadata#withUprightOrientation},
 * since it writes pixels upright), and the EXIF PixelXDimension/PixelYDimension, where present,
 * become the size written.
 *
 * <p>Reading ({@link #read}): a TIFF file's IFD0 gives the ICC profile (34675), XMP (700) and, as
 * an EXIF block built here (big-endian TIFF structure), every other field that is not layout, with
 * the EXIF and GPS sub-IFDs. So a TIFF's metadata reaches PNG, JPEG and TIFF outputs alike.
 *
 * <p>The parser is lenient where the JDK's TIFF reader is strict (that one rejects a whole block
 * over one field with an unexpected count, and drops tags it does not know): an entry that cannot
 * be read is skipped, the rest is kept.
 */
final class TiffMetadata {
    static final int TAG_XMP = 700;
    private static final int MAX_DEPTH = 4;
    private static final TIFFTagSet[] TAG_SETS = {BaselineTIFFTagSet.getInstance(), ExifParentTIFFTagSet.getInstance(),
            ExifTIFFTagSet.getInstance(), ExifGPSTagSet.getInstance(), ExifInteroperabilityTagSet.getInstance()};
    /** Tags whose value is the offset of a sub-IFD. */
    private static final Set<Integer> POINTERS = Set.of(ExifParentTIFFTagSet.TAG_EXIF_IFD_POINTER,
            ExifParentTIFFTagSet.TAG_GPS_INFO_IFD_POINTER, ExifTIFFTagSet.TAG_INTEROPERABILITY_IFD_POINTER);

    /** IFD0 tags that describe a layout (a thumbnail's or a whole file's), or that are carried apart (ICC, XMP). */
    private static final Set<Integer> NOT_CARRIED = Set.of(
            BaselineTIFFTagSet.TAG_NEW_SUBFILE_TYPE, BaselineTIFFTagSet.TAG_SUBFILE_TYPE, BaselineTIFFTagSet.TAG_IMAGE_WIDTH,
            BaselineTIFFTagSet.TAG_IMAGE_LENGTH, BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE, BaselineTIFFTagSet.TAG_COMPRESSION,
            BaselineTIFFTagSet.TAG_PHOTOMETRIC_INTERPRETATION, BaselineTIFFTagSet.TAG_THRESHHOLDING,
            BaselineTIFFTagSet.TAG_CELL_WIDTH, BaselineTIFFTagSet.TAG_CELL_LENGTH, BaselineTIFFTagSet.TAG_FILL_ORDER,
            BaselineTIFFTagSet.TAG_STRIP_OFFSETS, BaselineTIFFTagSet.TAG_SAMPLES_PER_PIXEL, BaselineTIFFTagSet.TAG_ROWS_PER_STRIP,
            BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS, BaselineTIFFTagSet.TAG_MIN_SAMPLE_VALUE,
            BaselineTIFFTagSet.TAG_MAX_SAMPLE_VALUE, BaselineTIFFTagSet.TAG_PLANAR_CONFIGURATION,
            BaselineTIFFTagSet.TAG_FREE_OFFSETS, BaselineTIFFTagSet.TAG_FREE_BYTE_COUNTS,
            BaselineTIFFTagSet.TAG_GRAY_RESPONSE_UNIT, BaselineTIFFTagSet.TAG_GRAY_RESPONSE_CURVE,
            BaselineTIFFTagSet.TAG_T4_OPTIONS, BaselineTIFFTagSet.TAG_T6_OPTIONS, BaselineTIFFTagSet.TAG_TRANSFER_FUNCTION,
            BaselineTIFFTagSet.TAG_PREDICTOR, BaselineTIFFTagSet.TAG_COLOR_MAP, BaselineTIFFTagSet.TAG_HALFTONE_HINTS,
            BaselineTIFFTagSet.TAG_TILE_WIDTH, BaselineTIFFTagSet.TAG_TILE_LENGTH, BaselineTIFFTagSet.TAG_TILE_OFFSETS,
            BaselineTIFFTagSet.TAG_TILE_BYTE_COUNTS, 330 /* SubIFDs */, BaselineTIFFTagSet.TAG_INK_SET,
            BaselineTIFFTagSet.TAG_NUMBER_OF_INKS, BaselineTIFFTagSet.TAG_DOT_RANGE, BaselineTIFFTagSet.TAG_EXTRA_SAMPLES,
            BaselineTIFFTagSet.TAG_SAMPLE_FORMAT, BaselineTIFFTagSet.TAG_S_MIN_SAMPLE_VALUE,
            BaselineTIFFTagSet.TAG_S_MAX_SAMPLE_VALUE, BaselineTIFFTagSet.TAG_JPEG_TABLES, BaselineTIFFTagSet.TAG_JPEG_PROC,
            BaselineTIFFTagSet.TAG_JPEG_INTERCHANGE_FORMAT, BaselineTIFFTagSet.TAG_JPEG_INTERCHANGE_FORMAT_LENGTH,
            BaselineTIFFTagSet.TAG_JPEG_RESTART_INTERVAL, BaselineTIFFTagSet.TAG_JPEG_LOSSLESS_PREDICTORS,
            BaselineTIFFTagSet.TAG_JPEG_POINT_TRANSFORMS, BaselineTIFFTagSet.TAG_JPEG_Q_TABLES,
            BaselineTIFFTagSet.TAG_JPEG_DC_TABLES, BaselineTIFFTagSet.TAG_JPEG_AC_TABLES,
            BaselineTIFFTagSet.TAG_Y_CB_CR_COEFFICIENTS, BaselineTIFFTagSet.TAG_Y_CB_CR_SUBSAMPLING,
            BaselineTIFFTagSet.TAG_Y_CB_CR_POSITIONING, BaselineTIFFTagSet.TAG_REFERENCE_BLACK_WHITE,
            BaselineTIFFTagSet.TAG_ICC_PROFILE, TAG_XMP);

    private TiffMetadata() {}

    /** Whether {@code plugin} is the JDK's TIFF reader or writer, the one whose metadata this class speaks. */
    static boolean isJdkPlugin(Object plugin) {
        return plugin.getClass().getName().startsWith("com.sun.imageio.plugins.tiff.");
    }

    /**
     * The image metadata for writing {@code image} with the JDK's TIFF {@code writer}: the
     * writer's defaults plus {@code meta}. An EXIF block that is not a TIFF structure is left out,
     * as damaged metadata reads as absent everywhere in the pipeline.
     */
    static IIOMetadata forWriter(ImageWriter writer, BufferedImage image, ImageWriteParam param, ImageMetadata meta)
            throws IIOException {
        TIFFDirectory dir = TIFFDirectory.createFromMetadata(writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param));
        TIFFDirectory exif = meta.exif() == null ? null : parse(meta.exif());
        if (exif != null) {
            for (TIFFField f : exif.getTIFFFields()) {
                if (NOT_CARRIED.contains(f.getTagNumber())) continue;
                boolean exifIfd = f.getTagNumber() == ExifParentTIFFTagSet.TAG_EXIF_IFD_POINTER && f.hasDirectory();
                dir.addTIFFField(exifIfd ? withSize(f, image.getWidth(), image.getHeight()) : f);
            }
        }
        if (meta.icc() != null) {
            dir.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_ICC_PROFILE),
                    TIFFTag.TIFF_UNDEFINED, meta.icc().length, meta.icc()));
        }
        if (meta.xmp() != null) dir.addTIFFField(new TIFFField(tag(TAG_XMP, TIFFTag.TIFF_BYTE), TIFFTag.TIFF_BYTE, meta.xmp().length, meta.xmp()));
        return dir.getAsMetadata();
    }

    /** The EXIF sub-IFD field {@code f} with PixelXDimension/PixelYDimension, where present, set to the written size. */
    private static TIFFField withSize(TIFFField f, int width, int height) {
        TIFFDirectory sub = copy(f.getDirectory());
        for (int[] dim : new int[][] {{ExifTIFFTagSet.TAG_PIXEL_X_DIMENSION, width}, {ExifTIFFTagSet.TAG_PIXEL_Y_DIMENSION, height}}) {
            if (sub.containsTIFFField(dim[0])) {
                sub.addTIFFField(new TIFFField(tag(dim[0], TIFFTag.TIFF_LONG), TIFFTag.TIFF_LONG, 1, new long[] {dim[1]}));
            }
        }
        return new TIFFField(f.getTag(), f.getType(), f.getAsLong(0), sub);
    }

    private static TIFFDirectory copy(TIFFDirectory d) {
        TIFFDirectory out = new TIFFDirectory(d.getTagSets(), d.getParentTag());
        for (TIFFField f : d.getTIFFFields()) out.addTIFFField(f);
        return out;
    }

    /**
     * The metadata of a TIFF file (its first IFD): ICC profile, XMP, and the other non-layout
     * fields with the EXIF and GPS sub-IFDs as an EXIF block. NONE when the header is not TIFF.
     */
    static ImageMetadata read(byte[] file) {
        TIFFDirectory ifd0 = parse(file);
        if (ifd0 == null) return ImageMetadata.NONE;
        TIFFField icc = ifd0.getTIFFField(BaselineTIFFTagSet.TAG_ICC_PROFILE);
        TIFFField xmp = ifd0.getTIFFField(TAG_XMP);
        List<TIFFField> rest = new ArrayList<>();
        for (TIFFField f : ifd0.getTIFFFields()) {
            if (!NOT_CARRIED.contains(f.getTagNumber())) rest.add(f);
        }
        return new ImageMetadata(bytesOf(icc), rest.isEmpty() ? null : exifBlock(rest), bytesOf(xmp));
    }

    private static byte[] bytesOf(TIFFField f) {
        if (f == null || !(f.getData() instanceof byte[] b) || b.length == 0) return null;
        return b.clone();
    }

    // ---- parsing

    /** IFD0 of a TIFF structure (an EXIF block or a whole TIFF file), sub-IFDs nested; null when the header is not TIFF. */
    static TIFFDirectory parse(byte[] t) {
        if (t == null || t.length < 8) return null;
        boolean little = t[0] == 'I' && t[1] == 'I';
        if (!little && !(t[0] == 'M' && t[1] == 'M')) return null;
        if (u16(t, 2, little) != 42) return null;
        TIFFDirectory dir = new TIFFDirectory(TAG_SETS, null);
        readIfd(t, u32(t, 4, little), little, dir, 0, new HashSet<>());
        return dir;
    }

    private static void readIfd(byte[] t, long at, boolean little, TIFFDirectory dir, int depth, Set<Long> seen) {
        if (at < 8 || at + 2 > t.length || !seen.add(at)) return; // out of range, or a loop
        int count = u16(t, (int) at, little);
        for (int i = 0; i < count; i++) {
            int entry = (int) at + 2 + 12 * i;
            if (entry + 12 > t.length) return;
            int number = u16(t, entry, little);
            int type = u16(t, entry + 2, little);
            long n = u32(t, entry + 4, little);
            int size = typeSize(type);
            if (size == 0 || n == 0 || n > t.length / size) continue; // unknown type, or larger than the block
            long bytes = n * size;
            long data = bytes <= 4 ? entry + 8 : u32(t, entry + 8, little);
            if (data < 0 || data + bytes > t.length) continue;
            try {
                if (POINTERS.contains(number) && n == 1 && (type == TIFFTag.TIFF_LONG || type == TIFFTag.TIFF_IFD_POINTER)) {
                    if (depth >= MAX_DEPTH) continue;
                    TIFFTag tag = tag(number, type);
                    TIFFDirectory sub = new TIFFDirectory(TAG_SETS, tag);
                    long offset = u32(t, (int) data, little);
                    readIfd(t, offset, little, sub, depth + 1, seen);
                    dir.addTIFFField(new TIFFField(tag, type, offset, sub));
                } else {
                    dir.addTIFFField(field(t, number, type, (int) n, (int) data, little));
                }
            } catch (IllegalArgumentException e) {
                // a value the JDK's TIFF classes refuse: leave this entry out, keep the rest
            }
        }
    }

    private static TIFFField field(byte[] t, int number, int type, int n, int at, boolean little) {
        TIFFTag tag = tag(number, type);
        Object data = switch (type) {
            case TIFFTag.TIFF_BYTE, TIFFTag.TIFF_SBYTE, TIFFTag.TIFF_UNDEFINED -> Arrays.copyOfRange(t, at, at + n);
            case TIFFTag.TIFF_ASCII -> strings(t, at, n);
            case TIFFTag.TIFF_SHORT -> {
                char[] v = new char[n];
                for (int i = 0; i < n; i++) v[i] = (char) u16(t, at + 2 * i, little);
                yield v;
            }
            case TIFFTag.TIFF_SSHORT -> {
                short[] v = new short[n];
                for (int i = 0; i < n; i++) v[i] = (short) u16(t, at + 2 * i, little);
                yield v;
            }
            case TIFFTag.TIFF_LONG, TIFFTag.TIFF_IFD_POINTER -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = u32(t, at + 4 * i, little);
                yield v;
            }
            case TIFFTag.TIFF_SLONG -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) v[i] = (int) u32(t, at + 4 * i, little);
                yield v;
            }
            case TIFFTag.TIFF_RATIONAL -> {
                long[][] v = new long[n][2];
                for (int i = 0; i < n; i++) v[i] = new long[] {u32(t, at + 8 * i, little), u32(t, at + 8 * i + 4, little)};
                yield v;
            }
            case TIFFTag.TIFF_SRATIONAL -> {
                int[][] v = new int[n][2];
                for (int i = 0; i < n; i++) v[i] = new int[] {(int) u32(t, at + 8 * i, little), (int) u32(t, at + 8 * i + 4, little)};
                yield v;
            }
            case TIFFTag.TIFF_FLOAT -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = Float.intBitsToFloat((int) u32(t, at + 4 * i, little));
                yield v;
            }
            default -> { // TIFF_DOUBLE
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    long first = u32(t, at + 8 * i, little);
                    long second = u32(t, at + 8 * i + 4, little);
                    v[i] = Double.longBitsToDouble(little ? second << 32 | first : first << 32 | second);
                }
                yield v;
            }
        };
        if (data instanceof String[] s && s.length == 0) throw new IllegalArgumentException("tag " + number + " holds no text");
        int count = data instanceof String[] s ? s.length : n;
        int expected = tag.getCount();
        if (expected > 0 && (data instanceof String[] s ? asciiLength(s) : n) != expected) {
            // Strict readers (the JDK's) refuse a whole IFD over one such field: leave it out.
            throw new IllegalArgumentException("tag " + number + " holds " + n + " values, its definition " + expected);
        }
        return new TIFFField(tag, type, count, data);
    }

    /** NUL-separated ASCII strings, without the empty ones that NUL padding makes; a last one without its NUL is kept too. */
    private static String[] strings(byte[] t, int at, int n) {
        List<String> out = new ArrayList<>();
        int start = at;
        for (int i = at; i < at + n; i++) {
            if (t[i] == 0) {
                if (i > start) out.add(new String(t, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        if (start < at + n) out.add(new String(t, start, at + n - start, StandardCharsets.ISO_8859_1));
        return out.toArray(String[]::new);
    }

    /** Bytes the strings take as ASCII values, each NUL-terminated. */
    private static int asciiLength(String[] strings) {
        int n = 0;
        for (String s : strings) n += s.length() + 1;
        return n;
    }

    /** The JDK's definition of tag {@code number} when it accepts {@code type}, else a plain one that does (unknown or odd tags are kept as they are). */
    private static TIFFTag tag(int number, int type) {
        for (TIFFTagSet set : TAG_SETS) {
            TIFFTag known = set.getTag(number);
            if (known != null && known.isDataTypeOK(type)) return known;
        }
        return new TIFFTag("Tag" + number, number, 1 << type);
    }

    private static int typeSize(int type) {
        return switch (type) {
            case TIFFTag.TIFF_BYTE, TIFFTag.TIFF_ASCII, TIFFTag.TIFF_SBYTE, TIFFTag.TIFF_UNDEFINED -> 1;
            case TIFFTag.TIFF_SHORT, TIFFTag.TIFF_SSHORT -> 2;
            case TIFFTag.TIFF_LONG, TIFFTag.TIFF_SLONG, TIFFTag.TIFF_FLOAT, TIFFTag.TIFF_IFD_POINTER -> 4;
            case TIFFTag.TIFF_RATIONAL, TIFFTag.TIFF_SRATIONAL, TIFFTag.TIFF_DOUBLE -> 8;
            default -> 0;
        };
    }

    // ---- writing an EXIF block

    /** {@code fields} (with any sub-IFDs) as a big-endian TIFF structure: an EXIF block for JPEG APP1 or PNG eXIf. */
    static byte[] exifBlock(List<TIFFField> fields) {
        Out out = new Out();
        out.bytes(new byte[] {'M', 'M', 0, 42});
        out.u32(8);
        writeIfd(out, fields);
        return Arrays.copyOf(out.buf, out.size);
    }

    private static void writeIfd(Out out, List<TIFFField> fields) {
        List<TIFFField> sorted = new ArrayList<>(fields);
        sorted.sort(Comparator.comparingInt(TIFFField::getTagNumber));
        int ifd = out.size;
        out.u16(sorted.size());
        out.skip(12 * sorted.size() + 4); // entries, then a next-IFD offset of 0
        List<int[]> subs = new ArrayList<>(); // {entry index, field index}
        for (int i = 0; i < sorted.size(); i++) {
            TIFFField f = sorted.get(i);
            int entry = ifd + 2 + 12 * i;
            out.put16(entry, f.getTagNumber());
            if (f.hasDirectory()) {
                out.put16(entry + 2, TIFFTag.TIFF_LONG);
                out.put32(entry + 4, 1);
                subs.add(new int[] {entry, i});
                continue;
            }
            byte[] value = encode(f);
            out.put16(entry + 2, f.getType());
            out.put32(entry + 4, f.getType() == TIFFTag.TIFF_ASCII ? value.length : f.getCount());
            if (value.length <= 4) {
                System.arraycopy(value, 0, out.buf, entry + 8, value.length);
            } else {
                out.align();
                out.put32(entry + 8, out.size);
                out.bytes(value);
            }
        }
        for (int[] s : subs) {
            out.align();
            out.put32(s[0] + 8, out.size);
            writeIfd(out, Arrays.asList(sorted.get(s[1]).getDirectory().getTIFFFields()));
        }
    }

    /** A field's value as big-endian bytes. */
    private static byte[] encode(TIFFField f) {
        Out v = new Out();
        Object d = f.getData();
        switch (f.getType()) {
            case TIFFTag.TIFF_BYTE, TIFFTag.TIFF_SBYTE, TIFFTag.TIFF_UNDEFINED -> v.bytes((byte[]) d);
            case TIFFTag.TIFF_ASCII -> {
                for (String s : (String[]) d) {
                    v.bytes(s.getBytes(StandardCharsets.ISO_8859_1));
                    v.bytes(new byte[1]);
                }
            }
            case TIFFTag.TIFF_SHORT -> { for (char c : (char[]) d) v.u16(c); }
            case TIFFTag.TIFF_SSHORT -> { for (short s : (short[]) d) v.u16(s); }
            case TIFFTag.TIFF_LONG, TIFFTag.TIFF_IFD_POINTER -> { for (long l : (long[]) d) v.u32(l); }
            case TIFFTag.TIFF_SLONG -> { for (int i : (int[]) d) v.u32(i); }
            case TIFFTag.TIFF_RATIONAL -> { for (long[] r : (long[][]) d) { v.u32(r[0]); v.u32(r[1]); } }
            case TIFFTag.TIFF_SRATIONAL -> { for (int[] r : (int[][]) d) { v.u32(r[0]); v.u32(r[1]); } }
            case TIFFTag.TIFF_FLOAT -> { for (float x : (float[]) d) v.u32(Float.floatToRawIntBits(x)); }
            default -> { // TIFF_DOUBLE
                for (double x : (double[]) d) {
                    long bits = Double.doubleToRawLongBits(x);
                    v.u32(bits >>> 32);
                    v.u32(bits);
                }
            }
        }
        return Arrays.copyOf(v.buf, v.size);
    }

    /** A growing big-endian byte buffer. */
    private static final class Out {
        byte[] buf = new byte[256];
        int size;

        void skip(int n) {
            ensure(n);
            size += n;
        }

        void align() {
            if ((size & 1) != 0) skip(1);
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void u16(int v) {
            skip(2);
            put16(size - 2, v);
        }

        void u32(long v) {
            skip(4);
            put32(size - 4, v);
        }

        void put16(int at, int v) {
            buf[at] = (byte) (v >> 8);
            buf[at + 1] = (byte) v;
        }

        void put32(int at, long v) {
            put16(at, (int) (v >>> 16));
            put16(at + 2, (int) v);
        }

        private void ensure(int n) {
            if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}

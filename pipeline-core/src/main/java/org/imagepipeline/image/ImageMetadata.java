package org.imagepipeline.image;

import com.twelvemonkeys.imageio.color.ColorSpaces;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What an image file carries beside its pixels and the pipeline copies to a restored file: the
 * ICC colour profile, the EXIF block (a TIFF structure, without JPEG's "Exif\0\0" prefix) and the
 * XMP packet. Each is null when absent.
 *
 * <p>Read from JPEG (APP1 Exif, APP1 XMP, APP2 ICC_PROFILE chunks) and PNG (iCCP, eXIf, iTXt
 * "XML:com.adobe.xmp"), and written into them the same way; read from TIFF (tags 34675 and 700,
 * the other descriptive fields with the EXIF and GPS sub-IFDs becoming the EXIF block) and written
 * into TIFF as tags ({@link TiffMetadata}). BMP and GIF carry none. The ICC profile kept is the one
 * that describes the decoded samples ({@link #read}), never another space's. Parsing is by the
 * container formats' own segment, chunk and IFD structure, so it does not depend on which ImageIO
 * plugin decoded the pixels; damaged metadata reads as absent.
 */
public record ImageMetadata(byte[] icc, byte[] exif, byte[] xmp) {
    public static final ImageMetadata NONE = new ImageMetadata(null, null, null);

    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP_ID = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final String XMP_KEYWORD = "XML:com.adobe.xmp";
    private static final int EXIF_ORIENTATION_TAG = 0x0112;

    public boolean isEmpty() {
        return icc == null && exif == null && xmp == null;
    }

    /**
     * The metadata of a whole file of {@code format}; NONE for formats not read here or damaged
     * structure. {@code decoded} is the colour space the pixels were decoded into, which decides
     * whether the file's ICC profile still describes them; null reports the file as it is.
     */
    public static ImageMetadata read(byte[] file, String format, ColorSpace decoded) {
        try {
            ImageMetadata m = switch (format) {
                case "jpeg" -> readJpeg(file);
                case "png" -> readPng(file);
                case "tiff" -> TiffMetadata.read(file);
                default -> NONE;
            };
            if (m.icc == null || decoded == null) return m;
            return describes(m.icc, format, decoded) ? m : new ImageMetadata(null, m.exif, m.xmp);
        } catch (RuntimeException e) {
            return NONE;
        }
    }

    /**
     * Whether the file's profile {@code icc} describes samples decoded into {@code decoded}, which
     * needs a profile of the same kind (RGB or gray: a CMYK file's samples were converted away). A
     * decoder that keeps samples in a profile's space says so with that profile in its colour
     * model (the JPEG decoder when asked to: {@link ImageCodec#decodeRaster}). Otherwise the
     * samples are labelled sRGB or the built-in gray: the PNG and TIFF decoders leave them as
     * stored, so the file's profile holds; the JPEG decoder (TwelveMonkeys) converts them unless
     * the profile is sRGB-like (or its gray), which its own test tells.
     */
    private static boolean describes(byte[] icc, String format, ColorSpace decoded) {
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return false; // not a profile any reader could use
        }
        if (profile.getColorSpaceType() != decoded.getType()) return false;
        // The file's profile is the only one a decoder could have labelled samples with. (Its bytes
        // are not compared: decoders may normalise a profile's header.)
        if (decoded instanceof ICC_ColorSpace && !isBuiltIn(decoded)) return true;
        if (!format.equals("jpeg")) return true;
        return decoded.isCS_sRGB() ? ColorSpaces.isCS_sRGB(profile) : ColorSpaces.isCS_GRAY(profile);
    }

    static boolean isBuiltIn(ColorSpace space) {
        return space.isCS_sRGB() || space == ColorSpace.getInstance(ColorSpace.CS_GRAY);
    }

    /** A copy whose EXIF orientation (if any) says "upright" (1), for pixels already turned upright. */
    public ImageMetadata withUprightOrientation() {
        if (exif == null) return this;
        byte[] e = exif.clone();
        setExifOrientation(e, 1);
        return new ImageMetadata(icc, e, xmp);
    }

    /** The EXIF orientation value in {@code exif}, or 0 when it holds none. */
    public static int exifOrientation(byte[] exif) {
        int at = orientationOffset(exif);
        return at < 0 ? 0 : u16(exif, at, exif[0] == 'I');
    }

    private static void setExifOrientation(byte[] exif, int value) {
        int at = orientationOffset(exif);
        if (at < 0) return;
        boolean little = exif[0] == 'I';
        exif[at] = (byte) (little ? value : value >> 8);
        exif[at + 1] = (byte) (little ? value >> 8 : value);
    }

    /** Offset of IFD0's orientation value (a SHORT stored in the entry), or -1. */
    private static int orientationOffset(byte[] tiff) {
        if (tiff == null || tiff.length < 8) return -1;
        boolean little = tiff[0] == 'I' && tiff[1] == 'I';
        if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return -1;
        long ifd = u32(tiff, 4, little);
        if (ifd < 8 || ifd + 2 > tiff.length) return -1;
        int count = u16(tiff, (int) ifd, little);
        for (int i = 0; i < count; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > tiff.length) return -1;
            if (u16(tiff, entry, little) == EXIF_ORIENTATION_TAG && u16(tiff, entry + 2, little) == 3) return entry + 8;
        }
        return -1;
    }

    // ---- JPEG

    private static ImageMetadata readJpeg(byte[] f) {
        if (f.length < 4 || (f[0] & 0xff) != 0xFF || (f[1] & 0xff) != 0xD8) return NONE;
        byte[] exif = null;
        byte[] xmp = null;
        List<byte[]> iccChunks = new ArrayList<>();
        int at = 2;
        while (at + 4 <= f.length) {
            if ((f[at] & 0xff) != 0xFF) break;
            int marker = f[at + 1] & 0xff;
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF) {
                at += marker == 0xFF ? 1 : 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) break; // start of scan: no metadata after it
            int len = u16(f, at + 2, false);
            int body = at + 4;
            int end = at + 2 + len;
            if (len < 2 || end > f.length) break;
            if (marker == 0xE1 && startsWith(f, body, end, EXIF_ID) && exif == null) {
                exif = Arrays.copyOfRange(f, body + EXIF_ID.length, end);
            } else if (marker == 0xE1 && startsWith(f, body, end, XMP_ID) && xmp == null) {
                xmp = Arrays.copyOfRange(f, body + XMP_ID.length, end);
            } else if (marker == 0xE2 && startsWith(f, body, end, ICC_ID) && end - body > ICC_ID.length + 2) {
                iccChunks.add(Arrays.copyOfRange(f, body + ICC_ID.length, end)); // [seq, count, data...]
            }
            at = end;
        }
        byte[] icc = null;
        if (!iccChunks.isEmpty()) {
            iccChunks.sort((a, b) -> Integer.compare(a[0] & 0xff, b[0] & 0xff));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] c : iccChunks) all.write(c, 2, c.length - 2);
            icc = all.toByteArray();
        }
        return new ImageMetadata(icc, exif, xmp);
    }

    /** APPn segments holding this metadata, to follow SOI (and JFIF APP0) in a JPEG; parts too large for a segment are left out. */
    byte[] jpegSegments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (exif != null && EXIF_ID.length + exif.length <= 65533) segment(out, 0xE1, EXIF_ID, exif, 0, exif.length);
        if (xmp != null && XMP_ID.length + xmp.length <= 65533) segment(out, 0xE1, XMP_ID, xmp, 0, xmp.length);
        if (icc != null) {
            int chunk = 65533 - ICC_ID.length - 2;
            int count = (icc.length + chunk - 1) / chunk;
            if (count <= 255) {
                for (int i = 0; i < count; i++) {
                    int from = i * chunk;
                    int len = Math.min(chunk, icc.length - from);
                    byte[] head = Arrays.copyOf(ICC_ID, ICC_ID.length + 2);
                    head[ICC_ID.length] = (byte) (i + 1);
                    head[ICC_ID.length + 1] = (byte) count;
                    segment(out, 0xE2, head, icc, from, len);
                }
            }
        }
        return out.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] head, byte[] data, int from, int len) {
        int total = 2 + head.length + len;
        out.write(0xFF);
        out.write(marker);
        out.write(total >> 8);
        out.write(total);
        out.write(head, 0, head.length);
        out.write(data, from, len);
    }

    // ---- PNG

    private static ImageMetadata readPng(byte[] f) {
        byte[] icc = null;
        byte[] exif = null;
        byte[] xmp = null;
        int at = 8;
        while (at + 12 <= f.length) {
            long len = u32(f, at, false);
            String type = new String(f, at + 4, 4, StandardCharsets.ISO_8859_1);
            int body = at + 8;
            if (len > f.length - body - 4) break;
            int end = body + (int) len;
            if (type.equals("iCCP")) {
                int zero = indexOf(f, body, end, (byte) 0);
                if (zero > 0 && zero + 2 <= end) icc = inflate(f, zero + 2, end);
            } else if (type.equals("eXIf")) {
                exif = Arrays.copyOfRange(f, body, end);
            } else if (type.equals("iTXt")) {
                int zero = indexOf(f, body, end, (byte) 0);
                if (zero > 0 && new String(f, body, zero - body, StandardCharsets.ISO_8859_1).equals(XMP_KEYWORD) && zero + 3 <= end) {
                    boolean compressed = f[zero + 1] != 0;
                    int lang = indexOf(f, zero + 3, end, (byte) 0);
                    int translated = lang < 0 ? -1 : indexOf(f, lang + 1, end, (byte) 0);
                    if (translated >= 0) {
                        xmp = compressed ? inflate(f, translated + 1, end) : Arrays.copyOfRange(f, translated + 1, end);
                    }
                }
            } else if (type.equals("IDAT") || type.equals("IEND")) {
                if (type.equals("IEND")) break;
            }
            at = end + 4;
        }
        return new ImageMetadata(icc, exif, xmp);
    }

    /** Chunks holding this metadata, to follow IHDR in a PNG. */
    byte[] pngChunks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (icc != null) {
            byte[] name = "ICC profile\0\0".getBytes(StandardCharsets.ISO_8859_1); // name, NUL, method 0 (deflate)
            chunk(out, "iCCP", concat(name, deflate(icc)));
        }
        if (exif != null) chunk(out, "eXIf", exif);
        if (xmp != null) {
            byte[] head = (XMP_KEYWORD + "\0\0\0\0\0").getBytes(StandardCharsets.ISO_8859_1); // uncompressed, no language
            chunk(out, "iTXt", concat(head, xmp));
        }
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        writeU32(out, data.length);
        out.write(t, 0, 4);
        out.write(data, 0, data.length);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        writeU32(out, crc.getValue());
    }

    // ---- bytes

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] f, int from, int to) {
        Inflater inf = new Inflater();
        inf.setInput(f, from, to - from);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                out.write(buf, 0, n);
                if (out.size() > 64 << 20) throw new IllegalStateException("metadata over 64 MiB when inflated");
            }
        } catch (DataFormatException e) {
            throw new UncheckedIOException(new IOException("damaged compressed metadata", e));
        } finally {
            inf.end();
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] f, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (f[from + i] != prefix[i]) return false;
        return true;
    }

    private static int indexOf(byte[] f, int from, int end, byte b) {
        for (int i = from; i < end; i++) if (f[i] == b) return i;
        return -1;
    }

    static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xff;
        int y = b[at + 1] & 0xff;
        return little ? x | y << 8 : x << 8 | y;
    }

    static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, at, little);
        long lo = u16(b, at + 2, little);
        return little ? hi | lo << 16 : hi << 16 | lo;
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageMetadata m && Arrays.equals(icc, m.icc) && Arrays.equals(exif, m.exif) && Arrays.equals(xmp, m.xmp);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(icc) + Arrays.hashCode(exif)) + Arrays.hashCode(xmp);
    }

    @Override
    public String toString() {
        return "ImageMetadata[icc=" + (icc == null ? "none" : icc.length + " bytes") + ", exif="
                + (exif == null ? "none" : exif.length + " bytes") + ", xmp=" + (xmp == null ? "none" : xmp.length + " bytes") + "]";
    }
}

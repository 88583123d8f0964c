package org.imagepipeline.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFImageReadParam;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TIFF outputs carry the ICC profile, EXIF and XMP of the input, and a TIFF input's carry on to
 * other formats. Checked with readers that are not this project's: the JDK's TIFF reader and
 * metadata-extractor.
 */
class TiffMetadataTest {
    private static final byte[] XMP = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF/></x:xmpmeta>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ICC = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    private static final int LENS_MODEL = 0xA434; // EXIF 2.3: not in the JDK's (EXIF 2.2) tag set

    /**
     * A camera's EXIF block, little-endian, built by hand: IFD0 with Make, Model, Orientation,
     * XResolution and an odd-count DateTime (which the JDK's reader rejects), an EXIF sub-IFD with
     * DateTimeOriginal, ExposureTime, ISO, LensModel and the stored PixelX/YDimension, and a GPS
     * sub-IFD with GPSLatitudeRef.
     */
    static byte[] cameraExif(int orientation, int storedWidth, int storedHeight) {
        Ifd exif = new Ifd().rational(0x829A, 1, 200).shortValue(0x8827, 400).ascii(0x9003, "2021:07:04 12:30:00")
                .longValue(0xA002, storedWidth).longValue(0xA003, storedHeight).ascii(LENS_MODEL, "EF 50mm f/1.8");
        Ifd gps = new Ifd().ascii(0x0001, "N");
        Ifd ifd0 = new Ifd().ascii(0x010F, "Canon").ascii(0x0110, "EOS 5D").shortValue(0x0112, orientation)
                .rational(0x011A, 300, 1).raw(0x0132, 2, "2021:07:04 12:30:00\0\0".getBytes(StandardCharsets.US_ASCII))
                .sub(0x8769, exif).sub(0x8825, gps);
        ByteBuffer b = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'I', 'I', 42, 0}).putInt(8);
        ifd0.write(b);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** IFD entries in tag order; values over 4 bytes after the entries, sub-IFDs after those. */
    private static final class Ifd {
        private final List<Object[]> entries = new ArrayList<>(); // {tag, type, count, byte[] value | Ifd}

        Ifd raw(int tag, int type, byte[] value) {
            entries.add(new Object[] {tag, type, type == 2 || type == 7 ? value.length : value.length / size(type), value});
            return this;
        }

        Ifd ascii(int tag, String s) {
            return raw(tag, 2, (s + "\0").getBytes(StandardCharsets.US_ASCII));
        }

        Ifd shortValue(int tag, int v) {
            return raw(tag, 3, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array());
        }

        Ifd longValue(int tag, long v) {
            return raw(tag, 4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        Ifd rational(int tag, long n, long d) {
            return raw(tag, 5, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) n).putInt((int) d).array());
        }

        Ifd sub(int tag, Ifd ifd) {
            entries.add(new Object[] {tag, 4, 1, ifd});
            return this;
        }

        private static int size(int type) {
            return type == 3 ? 2 : type == 4 ? 4 : type == 5 ? 8 : 1;
        }

        void write(ByteBuffer b) {
            int start = b.position();
            int data = start + 2 + 12 * entries.size() + 4;
            b.putShort((short) entries.size());
            List<int[]> subs = new ArrayList<>(); // {value position, entry index}
            for (int i = 0; i < entries.size(); i++) {
                Object[] e = entries.get(i);
                b.putShort((short) (int) e[0]).putShort((short) (int) e[1]).putInt((int) e[2]);
                if (e[3] instanceof Ifd) {
                    subs.add(new int[] {b.position(), i});
                    b.putInt(0);
                } else if (((byte[]) e[3]).length <= 4) {
                    b.put(Arrays.copyOf((byte[]) e[3], 4));
                } else {
                    b.putInt(data);
                    data += ((byte[]) e[3]).length + ((byte[]) e[3]).length % 2;
                }
            }
            b.putInt(0);
            for (Object[] e : entries) {
                if (e[3] instanceof byte[] v && v.length > 4) {
                    b.put(v);
                    if (v.length % 2 == 1) b.put((byte) 0);
                }
            }
            for (int[] s : subs) {
                b.putInt(s[0], b.position());
                ((Ifd) entries.get(s[1])[3]).write(b);
            }
        }
    }

    private static byte[] encode(BufferedImage img, String format, ImageMetadata meta) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(img, format, 95, meta, out);
        return out.toByteArray();
    }

    /** IFD0 as the JDK's own TIFF reader sees it, unknown tags included. */
    private static TIFFDirectory jdkIfd0(byte[] tiff) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("tiff");
        ImageReader reader = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (r.getClass().getName().startsWith("com.sun.")) reader = r;
        }
        assertNotNull(reader, "the JDK's TIFF reader");
        reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff)));
        TIFFImageReadParam param = new TIFFImageReadParam();
        param.setReadUnknownTags(true);
        reader.read(0, param);
        return TIFFDirectory.createFromMetadata(reader.getImageMetadata(0));
    }

    private static Metadata exifOfFile(byte[] file) throws Exception {
        return ImageMetadataReader.readMetadata(new ByteArrayInputStream(file), file.length);
    }

    private static Metadata exifOfBlock(byte[] block) {
        Metadata m = new Metadata();
        new ExifReader().extract(new ByteArrayReader(block), m, 0);
        return m;
    }

    /** What a user of the photo relies on, read by metadata-extractor. */
    private static void assertCameraFields(Metadata m, int width, int height) throws Exception {
        ExifIFD0Directory ifd0 = m.getFirstDirectoryOfType(ExifIFD0Directory.class);
        assertNotNull(ifd0, "EXIF IFD0");
        assertEquals("Canon", ifd0.getString(ExifIFD0Directory.TAG_MAKE));
        assertEquals("EOS 5D", ifd0.getString(ExifIFD0Directory.TAG_MODEL));
        assertEquals(1, ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION), "written upright");
        assertEquals(300.0, ifd0.getDouble(ExifIFD0Directory.TAG_X_RESOLUTION), 1e-9);
        assertEquals("2021:07:04 12:30:00", ifd0.getString(ExifIFD0Directory.TAG_DATETIME));
        ExifSubIFDDirectory sub = m.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        assertNotNull(sub, "EXIF sub-IFD");
        assertEquals("2021:07:04 12:30:00", sub.getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL));
        assertEquals(1.0 / 200, sub.getDouble(ExifSubIFDDirectory.TAG_EXPOSURE_TIME), 1e-12);
        assertEquals(400, sub.getInt(ExifSubIFDDirectory.TAG_ISO_EQUIVALENT));
        assertEquals("EF 50mm f/1.8", sub.getString(LENS_MODEL));
        assertEquals(width, sub.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH), "PixelXDimension is the written width");
        assertEquals(height, sub.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT));
        GpsDirectory gps = m.getFirstDirectoryOfType(GpsDirectory.class);
        assertNotNull(gps, "GPS sub-IFD");
        assertEquals("N", gps.getString(GpsDirectory.TAG_LATITUDE_REF));
    }

    @Test
    void sixteenBitTiffCarriesIccExifAndXmpAndStaysSixteenBit() throws Exception {
        BufferedImage img = RasterImageTest.gradient(3, false, 16, 7, 5);
        // As the restore job writes a portrait photo stored turned (orientation 6): pixels upright, orientation 1.
        byte[] tiff = encode(img, "tiff", new ImageMetadata(ICC, cameraExif(6, 5, 7), XMP).withUprightOrientation());

        RasterImage back = ImageCodec.decodeRaster(tiff, "out.tif", 1000, "limit");
        assertEquals(16, back.bitDepth());
        assertEquals(1, back.orientation(), "the output is upright: orientation 1");
        assertArrayEquals(img.getRaster().getPixels(0, 0, 7, 5, (int[]) null), back.stored().getRaster().getPixels(0, 0, 7, 5, (int[]) null));
        assertArrayEquals(ICC, back.metadata().icc());
        assertArrayEquals(XMP, back.metadata().xmp());

        TIFFDirectory jdk = jdkIfd0(tiff);
        assertArrayEquals(ICC, jdk.getTIFFField(34675).getAsBytes(), "tag 34675 holds the input's profile");
        assertArrayEquals(XMP, jdk.getTIFFField(700).getAsBytes(), "tag 700 holds the XMP packet");
        TIFFField exifIfd = jdk.getTIFFField(34665);
        assertTrue(exifIfd != null && exifIfd.hasDirectory(), "an EXIF IFD");
        assertEquals("2021:07:04 12:30:00", exifIfd.getDirectory().getTIFFField(0x9003).getAsString(0));
        assertEquals(16, jdk.getTIFFField(258).getAsInt(0), "BitsPerSample");
        assertEquals(5, jdk.getTIFFField(259).getAsInt(0), "LZW compression as before");

        assertCameraFields(exifOfFile(tiff), 7, 5);
    }

    @Test
    void aTiffInputsMetadataReachesJpegPngAndTiffOutputs() throws Exception {
        BufferedImage img = RasterImageTest.gradient(3, false, 8, 6, 4);
        byte[] tiff = encode(img, "tiff", new ImageMetadata(ICC, cameraExif(1, 6, 4), XMP));
        ImageMetadata read = ImageCodec.decodeRaster(tiff, "in.tif", 1000, "limit").metadata();
        assertArrayEquals(ICC, read.icc());
        assertArrayEquals(XMP, read.xmp());
        assertCameraFields(exifOfBlock(read.exif()), 6, 4);

        byte[] jpeg = encode(img, "jpeg", read);
        assertCameraFields(exifOfFile(jpeg), 6, 4);
        assertArrayEquals(ICC, ImageMetadata.read(jpeg, "jpeg", null).icc());
        byte[] png = encode(img, "png", read);
        ImageMetadata fromPng = ImageCodec.decodeRaster(png, "out.png", 1000, "limit").metadata();
        assertArrayEquals(ICC, fromPng.icc());
        assertArrayEquals(XMP, fromPng.xmp());
        assertCameraFields(exifOfBlock(fromPng.exif()), 6, 4);
        assertCameraFields(exifOfFile(encode(img, "tiff", read)), 6, 4);
    }

    @Test
    void aTiffWithoutMetadataHasNoneAndDamagedExifIsLeftOutNotFatal() throws IOException {
        BufferedImage img = RasterImageTest.gradient(1, true, 8, 5, 3);
        byte[] plain = encode(img, "tiff", null);
        ImageMetadata none = ImageCodec.decodeRaster(plain, "plain.tif", 1000, "limit").metadata();
        assertNull(none.icc());
        assertNull(none.xmp());

        byte[] damagedExif = Arrays.copyOf(cameraExif(1, 5, 3), 40); // entries point past the end
        byte[] tiff = encode(img, "tiff", new ImageMetadata(null, damagedExif, XMP));
        RasterImage back = ImageCodec.decodeRaster(tiff, "d.tif", 1000, "limit");
        assertTrue(back.hasAlpha());
        assertArrayEquals(XMP, back.metadata().xmp());
    }
}

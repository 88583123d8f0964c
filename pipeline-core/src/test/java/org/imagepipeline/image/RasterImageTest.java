package org.imagepipeline.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact decode path, metadata carrying and the encoder the restore job uses. */
class RasterImageTest {
    private static final byte[] XMP = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF/></x:xmpmeta>".getBytes(StandardCharsets.UTF_8);

    /** A big-endian EXIF TIFF block with IFD0 holding only the orientation tag. */
    static byte[] exif(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0).putInt(0);
        return tiff.array();
    }

    /** A gray/RGB(+alpha) image whose every sample differs, so any misplaced pixel shows. */
    static BufferedImage gradient(int colours, boolean alpha, int bits, int w, int h) {
        BufferedImage img = ImageCodec.compatible(colours, alpha, bits, w, h);
        int bands = img.getRaster().getNumBands();
        int max = (1 << bits) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < bands; b++) img.getRaster().setSample(x, y, b, (y * w + x) * (b + 3) * 7 % (max + 1));
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format, ImageMetadata meta) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(img, format, 95, meta, out);
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void uprightRegionsMatchTurningTheWholeImage(int orientation) throws IOException {
        BufferedImage stored = gradient(3, true, 8, 7, 5);
        RasterImage r = ImageCodec.decodeRaster(encode(stored, "png", new ImageMetadata(null, exif(orientation), null)),
                "o.png", 1000, "limit");
        assertEquals(orientation, r.orientation());
        Image whole = Orientation.apply(ImageCodec.decodeRaster(encode(stored, "png", null), "p.png", 1000, "limit")
                .readUpright(0, 0, 5, 7, 0, 4), orientation);
        assertEquals(whole.height(), r.height());
        assertEquals(whole.width(), r.width());
        for (int[] rect : new int[][] {{0, 0, r.height(), r.width()}, {1, 2, 3, 2}, {r.height() - 2, r.width() - 1, 2, 1}}) {
            assertEquals(whole.crop(rect[0], rect[1], rect[2], rect[3]), r.readUpright(rect[0], rect[1], rect[2], rect[3], 0, 4),
                    "rectangle " + java.util.Arrays.toString(rect));
        }
    }

    @Test
    void sixteenBitGrayIsKeptCompactAndExact() throws IOException {
        BufferedImage img = gradient(1, false, 16, 9, 4);
        RasterImage r = ImageCodec.decodeRaster(encode(img, "png", null), "g.png", 1000, "limit");
        assertEquals(16, r.bitDepth());
        assertEquals(1, r.colours());
        assertEquals(java.awt.image.DataBuffer.TYPE_USHORT, r.stored().getRaster().getTransferType());
        assertEquals(img.getRaster().getSample(5, 3, 0) / 65535f, r.readUpright(3, 5, 1, 1, 0, 1).get(0, 0, 0), 0f);
    }

    @Test
    void palettesBecomeGrayOrRgbWithAlpha() throws IOException {
        BufferedImage gif = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        RasterImage r = ImageCodec.decodeRaster(encodeWith(gif, "gif"), "p.gif", 1000, "limit");
        assertEquals("gif", r.format());
        assertEquals(3, r.colours(), "the default palette is a colour cube");
        assertEquals(8, r.bitDepth());
        assertThrows(ImageDecodeException.class, () -> ImageCodec.decodeRaster(encodeWith(gif, "gif"), "p.gif", 15, "k"));
    }

    private static byte[] encodeWith(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(javax.imageio.ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    @Test
    void pngCarriesIccExifAndXmpThrough() throws IOException {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        ImageMetadata meta = new ImageMetadata(icc, exif(6), XMP);
        byte[] png = encode(gradient(3, false, 8, 6, 4), "png", meta);
        RasterImage r = ImageCodec.decodeRaster(png, "m.png", 1000, "limit");
        assertEquals(meta, r.metadata());
        assertEquals(6, r.orientation());
        ImageMetadata upright = r.metadata().withUprightOrientation();
        assertEquals(1, ImageMetadata.exifOrientation(upright.exif()));
        byte[] again = encode(gradient(3, false, 8, 4, 6), "png", upright);
        RasterImage r2 = ImageCodec.decodeRaster(again, "m2.png", 1000, "limit");
        assertEquals(1, r2.orientation());
        assertArrayEquals(icc, r2.metadata().icc());
        assertArrayEquals(XMP, r2.metadata().xmp());
    }

    /** A smooth image (a ramp per band), which JPEG at quality 100 keeps within a level or two. */
    static BufferedImage smooth(int colours, int w, int h) {
        BufferedImage img = ImageCodec.compatible(colours, false, 8, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < colours; b++) img.getRaster().setSample(x, y, b, 30 + b * 40 + 2 * x + 2 * y);
            }
        }
        return img;
    }

    private static int maxDifference(Raster a, Raster b) {
        int[] x = a.getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null);
        int[] y = b.getPixels(0, 0, b.getWidth(), b.getHeight(), (int[]) null);
        assertEquals(x.length, y.length);
        int max = 0;
        for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        return max;
    }

    /** A gray profile with a 2.2 gamma curve: not the JDK's built-in (linear) gray. */
    static byte[] gammaGrayProfile() {
        ICC_Profile gray = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData());
        gray.setData(ICC_Profile.icSigGrayTRCTag, new byte[] {'c', 'u', 'r', 'v', 0, 0, 0, 0, 0, 0, 0, 1, 2, 0x33});
        return gray.getData();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear-rgb", "gamma-gray"})
    void jpegWithAnRgbOrGrayProfileKeepsItsSamplesAndItsProfileThrough(String kind) throws IOException {
        boolean gray = kind.equals("gamma-gray");
        byte[] icc = gray ? gammaGrayProfile() : ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        BufferedImage img = smooth(gray ? 1 : 3, 32, 16);
        byte[] jpeg = encodeAt100(img, new ImageMetadata(icc, exif(3), XMP));

        RasterImage r = ImageCodec.decodeRaster(jpeg, "p.jpg", 10_000, "limit");
        assertArrayEquals(icc, r.metadata().icc(), "the profile describes the decoded samples, so it is carried");
        int kept = maxDifference(img.getRaster(), r.stored().getRaster());
        assertTrue(kept <= 2, "samples stay in the file's space: they moved by " + kept);
        assertEquals(3, ImageMetadata.exifOrientation(r.metadata().exif()));
        assertArrayEquals(XMP, r.metadata().xmp());
        // The training decoder converts to sRGB (or linear gray), which moves the samples far: the
        // restore path must not, or its output would be pixels of one space labelled with another.
        Image converted = ImageCodec.decode(jpeg, "p.jpg", 10_000).image();
        float moved = 0;
        for (int i = 0; i < 16 * 32; i++) moved = Math.max(moved, Math.abs(converted.data()[i] * 255 - img.getRaster().getSample(i % 32, i / 32, 0)));
        assertTrue(moved > 20, "a converting read moves samples by " + moved + " levels");

        // Outputs as the restore job writes them (samples copied into its gray/RGB layout) keep the
        // samples and the profile, in every format.
        BufferedImage out = ImageCodec.compatible(gray ? 1 : 3, false, 8, 32, 16);
        out.setData(r.stored().getRaster());
        for (String format : ImageEncoder.FORMATS) {
            RasterImage back = ImageCodec.decodeRaster(encode(out, format, r.metadata()), "o." + format, 10_000, "limit");
            assertArrayEquals(icc, back.metadata().icc(), format);
            assertTrue(maxDifference(out.getRaster(), back.stored().getRaster()) <= (format.equals("jpeg") ? 2 : 0), format);
        }
    }

    private static byte[] encodeAt100(BufferedImage img, ImageMetadata meta) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(img, "jpeg", 100, meta, out);
        return out.toByteArray();
    }

    @Test
    void jpegWithAnSrgbProfileKeepsItsSamplesAndItsProfile() throws IOException {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        BufferedImage img = smooth(3, 32, 16);
        RasterImage r = ImageCodec.decodeRaster(encodeAt100(img, new ImageMetadata(icc, null, null)), "s.jpg", 10_000, "limit");
        assertArrayEquals(icc, r.metadata().icc());
        assertTrue(maxDifference(img.getRaster(), r.stored().getRaster()) <= 2);
    }

    @Test
    void jpegWhoseProfileTheDecoderConvertsFromCarriesNoProfile() throws IOException {
        // A three-component profile that is not RGB (Photo YCC): the decoder converts to sRGB, so
        // the file's profile would mislabel the samples and is dropped.
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_PYCC).getData();
        byte[] jpeg = encodeAt100(smooth(3, 16, 8), new ImageMetadata(icc, exif(3), XMP));
        assertArrayEquals(icc, ImageMetadata.read(jpeg, "jpeg", null).icc(), "the ICC profile was written");
        RasterImage r = ImageCodec.decodeRaster(jpeg, "m.jpg", 1000, "limit");
        assertTrue(r.stored().getColorModel().getColorSpace().isCS_sRGB(), "the decoder converted the samples to sRGB");
        assertNull(r.metadata().icc(), "so the file's profile no longer describes them and is not carried");
        assertArrayEquals(XMP, r.metadata().xmp());
        assertEquals(3, r.orientation());
    }

    @Test
    void jpegQualityIsApplied() throws IOException {
        BufferedImage img = gradient(3, false, 8, 64, 64);
        ByteArrayOutputStream low = new ByteArrayOutputStream();
        ImageEncoder.write(img, "jpeg", 20, null, low);
        ByteArrayOutputStream high = new ByteArrayOutputStream();
        ImageEncoder.write(img, "jpeg", 95, null, high);
        assertTrue(high.size() > 2 * low.size(), "quality 95: " + high.size() + " bytes, quality 20: " + low.size());
    }

    @Test
    void jpegNeedsEightBitsWithoutAlpha() throws IOException {
        BufferedImage deep = gradient(3, true, 16, 5, 3);
        assertThrows(IllegalArgumentException.class, () -> encode(deep, "jpeg", null));
        BufferedImage fit = ImageEncoder.forJpeg(deep);
        assertEquals(3, fit.getRaster().getNumBands());
        assertEquals(Math.round(deep.getRaster().getSample(2, 1, 1) * 255.0 / 65535.0), fit.getRaster().getSample(2, 1, 1));
        RasterImage r = ImageCodec.decodeRaster(encode(fit, "jpeg", null), "j.jpg", 1000, "limit");
        assertEquals(5, r.width());
        RasterImage t = ImageCodec.decodeRaster(encode(deep, "tiff", null), "t.tif", 1000, "limit");
        assertEquals(16, t.bitDepth());
        assertTrue(t.hasAlpha());
        assertEquals(deep.getRaster().getSample(3, 2, 3), t.stored().getRaster().getSample(3, 2, 3), "TIFF keeps 16-bit alpha");
    }
}

package org.imagepipeline.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageCodecTest {
    private static final long LIMIT = 100_000_000L;

    // ---------- lossless round trips ----------

    @Test
    void png8BitGrayAndRgbRoundTripExactly() {
        for (int channels : new int[] {1, 3}) {
            Image original = levels(channels, 5, 7, 255);
            DecodedImage decoded = ImageCodec.decode(ImageCodec.encodePng(original, 8), "x.png", LIMIT);
            assertEquals(original, decoded.image());
            assertEquals("png", decoded.format());
            assertEquals(8, decoded.bitDepth());
            assertEquals(channels, decoded.sourceChannels());
            assertNull(decoded.alpha());
            assertEquals(1, decoded.orientation());
        }
    }

    @Test
    void png16BitKeepsPrecisionBeyond8Bits() {
        for (int channels : new int[] {1, 3}) {
            Image original = levels(channels, 6, 9, 65535);
            DecodedImage decoded = ImageCodec.decode(ImageCodec.encodePng(original, 16), "x.png", LIMIT);
            assertEquals(original, decoded.image());
            assertEquals(16, decoded.bitDepth());
            // Two values 1/65535 apart must stay apart: no 8-bit detour.
            assertEquals(1f / 65535f, decoded.image().get(0, 0, 1) - decoded.image().get(0, 0, 0), 1e-9f);
        }
    }

    @Test
    void encodeClampsOutOfRangeSamplesAndRejectsOddBitDepths() {
        Image image = new Image(1, 1, 3, new float[] {-0.5f, 1.5f, Float.NaN});
        DecodedImage decoded = ImageCodec.decode(ImageCodec.encodePng(image, 8), "x.png", LIMIT);
        assertArrayEquals(new float[] {0f, 1f, 0f}, decoded.image().data());
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodePng(image, 12));
    }

    @Test
    void pngRgbaKeepsAlphaAside() throws IOException {
        BufferedImage argb = new BufferedImage(4, 3, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                argb.setRGB(x, y, (x * 60) << 24 | (10 * x) << 16 | (20 * y) << 8 | 200);
            }
        }
        DecodedImage d = ImageCodec.decode(write(argb, "png"), "rgba.png", LIMIT);
        assertEquals(3, d.image().channels());
        assertEquals(4, d.sourceChannels());
        assertEquals(120 / 255f, d.alpha()[2], 0f); // alpha plane is row-major; (x=2,y=0)
        assertEquals(30 / 255f, d.image().get(0, 1, 3), 0f);
        assertEquals(40 / 255f, d.image().get(1, 2, 3), 0f);
        assertEquals(200 / 255f, d.image().get(2, 2, 3), 0f); // colour is not premultiplied
    }

    @Test
    void pngGrayAlphaGivesOneChannelAndAlpha() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(3, 2);
        for (int i = 0; i < 6; i++) {
            raster.setPixel(i % 3, i / 3, new int[] {i * 40, 255 - i * 10});
        }
        DecodedImage d = ImageCodec.decode(write(new BufferedImage(model, raster, false, null), "png"), "ga.png", LIMIT);
        assertEquals(1, d.image().channels());
        assertEquals(2, d.sourceChannels());
        assertEquals(200 / 255f, d.image().get(0, 1, 2), 0f);
        assertEquals(205 / 255f, d.alpha()[5], 0f);
    }

    @Test
    void paletteGifWithTransparencyGivesRgbAndAlpha() throws IOException {
        byte[] r = {(byte) 255, 0, 0, 10};
        byte[] g = {0, (byte) 255, 0, 10};
        byte[] b = {0, 0, (byte) 255, 10};
        IndexColorModel palette = new IndexColorModel(8, 4, r, g, b, 3);
        // 8 rows, not 2: the JDK's GIF writer interlaces, and its reader mis-places rows of
        // interlaced images under 5 rows high.
        BufferedImage indexed = new BufferedImage(4, 8, BufferedImage.TYPE_BYTE_INDEXED, palette);
        WritableRaster raster = indexed.getRaster();
        for (int x = 0; x < 4; x++) {
            raster.setSample(x, 0, 0, x);
            raster.setSample(x, 1, 0, 3 - x);
        }
        DecodedImage d = ImageCodec.decode(write(indexed, "gif"), "p.gif", LIMIT);
        assertEquals("gif", d.format());
        assertEquals(3, d.image().channels());
        assertEquals(4, d.sourceChannels());
        assertEquals(1f, d.image().get(1, 0, 1), 0f); // index 1 is green
        assertEquals(0f, d.image().get(0, 0, 1), 0f);
        assertEquals(1f, d.image().get(2, 1, 1), 0f); // row 1: 3,2,1,0 -> x=1 is blue
        assertEquals(0f, d.alpha()[3], 0f);           // index 3 is the transparent one
        assertEquals(1f, d.alpha()[0], 0f);
    }

    @Test
    void bmpRgbAndGrayRoundTripExactly() throws IOException {
        BufferedImage rgb = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage gray = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                rgb.setRGB(x, y, (x * 50) << 16 | (y * 100) << 8 | (x + y) * 20);
                gray.getRaster().setSample(x, y, 0, x * 40 + y);
            }
        }
        DecodedImage c = ImageCodec.decode(write(rgb, "bmp"), "c.bmp", LIMIT);
        assertEquals("bmp", c.format());
        assertEquals(ImageCodec.fromBufferedImage(rgb), c.image());
        assertEquals(200 / 255f, c.image().get(0, 1, 4), 0f);

        DecodedImage g = ImageCodec.decode(write(gray, "bmp"), "g.bmp", LIMIT);
        assertEquals(1, g.image().channels(), "an all-gray palette decodes as one channel");
        assertEquals(162 / 255f, g.image().get(0, 2, 4), 0f);
    }

    @Test
    void tiff16BitGrayAndRgbKeepPrecision() throws IOException {
        for (int channels : new int[] {1, 3}) {
            Image original = levels(channels, 4, 6, 65535);
            DecodedImage d = ImageCodec.decode(jdkTiff(ImageCodec.toBufferedImage(original, 16)), "t.tif", LIMIT);
            assertEquals("tiff", d.format());
            assertEquals(16, d.bitDepth());
            assertEquals(original, d.image());
        }
    }

    // ---------- JPEG flavours ----------

    @Test
    void baselineJpegRgbAndGrayDecodeCloseToTheSource() throws IOException {
        Image rgb = smooth(3, 32, 48);
        DecodedImage d = ImageCodec.decode(jpeg(ImageCodec.toBufferedImage(rgb, 8), false), "a.jpg", LIMIT);
        assertEquals("jpeg", d.format());
        assertEquals(3, d.image().channels());
        assertTrue(maxAbsDiff(rgb, d.image()) < 12 / 255f, "max error " + maxAbsDiff(rgb, d.image()) * 255);

        Image gray = smooth(1, 16, 16);
        DecodedImage g = ImageCodec.decode(jpeg(ImageCodec.toBufferedImage(gray, 8), false), "g.jpg", LIMIT);
        assertEquals(1, g.image().channels());
        assertTrue(maxAbsDiff(gray, g.image()) < 6 / 255f);
    }

    @Test
    void progressiveJpegDecodes() throws IOException {
        Image rgb = smooth(3, 40, 24);
        byte[] bytes = jpeg(ImageCodec.toBufferedImage(rgb, 8), true);
        assertTrue(indexOf(bytes, new byte[] {(byte) 0xFF, (byte) 0xC2}) > 0, "the writer made a SOF2 (progressive) frame");
        DecodedImage d = ImageCodec.decode(bytes, "p.jpg", LIMIT);
        assertEquals(40, d.height());
        assertEquals(24, d.width());
        assertTrue(maxAbsDiff(rgb, d.image()) < 12 / 255f);
    }

    /**
     * A CMYK JPEG is made by writing a 4-band raster with the JPEG writer (which stores the bands
     * as they are, without colour conversion) and inserting an Adobe APP14 segment with transform
     * 0 after SOI. Adobe CMYK is stored inverted (255 = no ink), as Photoshop writes it.
     */
    @Test
    void cmykJpegIsConvertedToRgb() throws IOException {
        int[][] inverted = {{255, 255, 255, 255}, {255, 255, 255, 0}, {0, 255, 255, 255}, {255, 255, 0, 255}};
        DecodedImage d = ImageCodec.decode(adobeJpeg(inverted, 0), "cmyk.jpg", LIMIT);
        assertEquals(3, d.image().channels());
        assertEquals(3, d.sourceChannels());
        float[] white = patch(d.image(), 0);
        float[] black = patch(d.image(), 1);
        float[] cyan = patch(d.image(), 2);
        float[] yellow = patch(d.image(), 3);
        for (int c = 0; c < 3; c++) {
            assertTrue(white[c] > 0.9f, "white " + Arrays.toString(white));
            assertTrue(black[c] < 0.25f, "black " + Arrays.toString(black));
        }
        assertTrue(cyan[0] < 0.3f && cyan[1] > 0.5f && cyan[2] > 0.75f, "cyan " + Arrays.toString(cyan));
        assertTrue(yellow[2] < 0.3f && yellow[0] > 0.75f && yellow[1] > 0.75f, "yellow " + Arrays.toString(yellow));
    }

    /** As the CMYK case, with Adobe transform 2 (YCCK): Y,Cb,Cr of the inverted CMY, plus inverted K. */
    @Test
    void ycckJpegIsConvertedToRgb() throws IOException {
        int[][] ycck = {{0, 128, 128, 255}, {128, 128, 128, 255}, {0, 128, 128, 0}};
        DecodedImage d = ImageCodec.decode(adobeJpeg(ycck, 2), "ycck.jpg", LIMIT);
        float[] white = patch(d.image(), 0);
        float[] gray = patch(d.image(), 1);
        float[] black = patch(d.image(), 2);
        for (int c = 0; c < 3; c++) {
            assertTrue(white[c] > 0.9f, "white " + Arrays.toString(white));
            assertTrue(gray[c] > 0.35f && gray[c] < 0.65f, "gray " + Arrays.toString(gray));
            assertTrue(black[c] < 0.25f, "black " + Arrays.toString(black));
        }
    }

    // ---------- EXIF orientation ----------

    /**
     * A 32x16 JPEG with four flat 16x8 quadrants, stored red | green over blue | white, tagged with
     * each orientation in an EXIF APP1 segment. The expected upright corner colours are worked out
     * from the EXIF definition of where stored row 0 and column 0 go.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsApplied(int orientation) throws IOException {
        final int red = 0xFF0000, green = 0x00FF00, blue = 0x0000FF, white = 0xFFFFFF;
        BufferedImage stored = new BufferedImage(32, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                stored.setRGB(x, y, y < 8 ? (x < 16 ? red : green) : (x < 16 ? blue : white));
            }
        }
        // upright top-left, top-right, bottom-left, bottom-right
        int[][] expected = {
                null,
                {red, green, blue, white},
                {green, red, white, blue},
                {white, blue, green, red},
                {blue, white, red, green},
                {red, blue, green, white},
                {blue, red, white, green},
                {white, green, blue, red},
                {green, white, red, blue},
        };
        byte[] bytes = withExifOrientation(jpeg(stored, false), orientation);
        DecodedImage d = ImageCodec.decode(bytes, "o" + orientation + ".jpg", LIMIT);
        assertEquals(orientation, d.orientation());
        boolean swapped = orientation >= 5;
        assertEquals(swapped ? 16 : 32, d.width());
        assertEquals(swapped ? 32 : 16, d.height());
        int h = d.height();
        int w = d.width();
        int[][] corners = {{2, 2}, {2, w - 3}, {h - 3, 2}, {h - 3, w - 3}};
        for (int i = 0; i < 4; i++) {
            int want = expected[orientation][i];
            for (int c = 0; c < 3; c++) {
                float wantValue = ((want >> (16 - 8 * c)) & 0xff) / 255f;
                float got = d.image().get(c, corners[i][0], corners[i][1]);
                assertEquals(wantValue, got, 0.15f, "orientation " + orientation + " corner " + i + " channel " + c);
            }
        }
        // The header reports the stored size, before orientation.
        ImageHeader header = ImageCodec.probe(bytes, "o.jpg");
        assertEquals(32, header.width());
        assertEquals(16, header.height());
    }

    @Test
    void orientationMovesAlphaWithThePixels() {
        Image image = new Image(1, 2, 3, new float[] {0, 1, 2, 3, 4, 5});
        Image rotated = Orientation.apply(image, 6);
        assertEquals(3, rotated.height());
        assertEquals(2, rotated.width());
        // rotate 90 clockwise: stored bottom-left (3) becomes top-left
        assertArrayEquals(new float[] {3, 0, 4, 1, 5, 2}, rotated.data());
        assertThrows(IllegalArgumentException.class, () -> Orientation.apply(image, 9));
    }

    // ---------- failures ----------

    @Test
    void decompressionBombIsRejectedFromTheHeaderWithoutDecoding() {
        // 33 bytes: a PNG signature and an IHDR claiming 100000x100000 RGB, and no pixel data at all.
        // If the codec tried to decode, it would fail as CORRUPT (or run out of memory), not TOO_LARGE.
        byte[] bomb = pngHeaderOnly(100_000, 100_000);
        ImageHeader header = ImageCodec.probe(bomb, "bomb.png");
        assertEquals(new ImageHeader("png", 100_000, 100_000), header);
        long start = System.nanoTime();
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(bomb, "bomb.png", LIMIT));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
        assertEquals("Cannot decode bomb.png: image is 100000x100000 = 10000000000 pixels, over the limit "
                + "pipeline.ingest.max-pixels = 100000000.", e.getMessage());
        assertTrue(millis < 1000, "took " + millis + " ms");
    }

    @Test
    void emptyFileIsRejected() {
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(new byte[0], "dir/empty.png", LIMIT));
        assertEquals(ImageDecodeException.Reason.EMPTY, e.reason());
        assertEquals("Cannot decode dir/empty.png: empty file (0 bytes).", e.getMessage());
    }

    @Test
    void textFileNamedPngIsNotAnImage() {
        byte[] text = "hello, this is not a picture\n".getBytes(StandardCharsets.UTF_8);
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(text, "notes.png", LIMIT));
        assertEquals(ImageDecodeException.Reason.NOT_IMAGE, e.reason());
        assertTrue(e.getMessage().startsWith(
                "Cannot decode notes.png: not an image: no decoder recognises the content (29 bytes, starting 68 65"),
                e.getMessage());
        assertThrows(ImageDecodeException.class, () -> ImageCodec.probe(text, "notes.png"));
    }

    @Test
    void truncatedPngIsCorrupt() {
        byte[] png = ImageCodec.encodePng(smooth(3, 64, 64), 8);
        for (int length : new int[] {20, png.length / 2, png.length - 20}) {
            byte[] cut = Arrays.copyOf(png, length);
            ImageDecodeException e = assertThrows(ImageDecodeException.class,
                    () -> ImageCodec.decode(cut, "cut.png", LIMIT), "cut at " + length);
            assertEquals(ImageDecodeException.Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().startsWith("Cannot decode cut.png: truncated or corrupt png: "), e.getMessage());
        }
    }

    @Test
    void truncatedJpegIsCorrupt() throws IOException {
        byte[] jpg = jpeg(ImageCodec.toBufferedImage(smooth(3, 64, 64), 8), false);
        for (int length : new int[] {jpg.length / 3, jpg.length / 2, jpg.length - 10}) {
            byte[] cut = Arrays.copyOf(jpg, length);
            ImageDecodeException e = assertThrows(ImageDecodeException.class,
                    () -> ImageCodec.decode(cut, "cut.jpg", LIMIT), "cut at " + length);
            assertEquals(ImageDecodeException.Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().startsWith("Cannot decode cut.jpg: truncated or corrupt jpeg: "), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gif", "bmp", "tiff"})
    void truncatedGifBmpAndTiffAreCorrupt(String format) throws IOException {
        BufferedImage rgb = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(ImageCodec.toBufferedImage(smooth(3, 64, 64), 8), 0, 0, null);
        byte[] bytes = write(rgb, format);
        for (int length : new int[] {bytes.length / 2, bytes.length - 5}) {
            ImageDecodeException e = assertThrows(ImageDecodeException.class,
                    () -> ImageCodec.decode(Arrays.copyOf(bytes, length), "cut", LIMIT), format + " cut at " + length);
            assertEquals(ImageDecodeException.Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().startsWith("Cannot decode cut: truncated or corrupt " + format + ": "), e.getMessage());
        }
    }

    @Test
    void recognisedButUnsupportedFormatIsNamed() throws IOException {
        BufferedImage bilevel = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_BINARY);
        byte[] wbmp = write(bilevel, "wbmp");
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(wbmp, "old.wbmp", LIMIT));
        assertEquals(ImageDecodeException.Reason.UNSUPPORTED, e.reason());
        assertEquals("Cannot decode old.wbmp: unsupported format wbmp: the pipeline reads png, jpeg, bmp, gif and "
                + "tiff.", e.getMessage());
    }

    @Test
    void floatSamplesAreUnsupported() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        BufferedImage floats = new BufferedImage(model, model.createCompatibleWritableRaster(2, 2), false, null);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageCodec.fromBufferedImage(floats));
        assertEquals(ImageDecodeException.Reason.UNSUPPORTED, e.reason());
    }

    @Test
    void probeReadsFormatAndSizeOfEachFormat() throws IOException {
        BufferedImage rgb = ImageCodec.toBufferedImage(smooth(3, 7, 11), 8);
        assertEquals(new ImageHeader("png", 11, 7), ImageCodec.probe(write(rgb, "png"), "a"));
        assertEquals(new ImageHeader("jpeg", 11, 7), ImageCodec.probe(jpeg(rgb, false), "a"));
        assertEquals(new ImageHeader("bmp", 11, 7), ImageCodec.probe(write(rgb, "bmp"), "a"));
        assertEquals(new ImageHeader("tiff", 11, 7), ImageCodec.probe(write(rgb, "tiff"), "a"));
        BufferedImage gray = ImageCodec.toBufferedImage(smooth(1, 7, 11), 8);
        assertEquals(new ImageHeader("gif", 11, 7), ImageCodec.probe(write(gray, "gif"), "a"));
    }

    // ---------- helpers that build test files ----------

    /** A CHW image whose samples are distinct multiples of 1/max. */
    private static Image levels(int channels, int h, int w, int max) {
        float[] data = new float[channels * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (int) ((i * 7919L + 13) % (max + 1)) / (float) max;
        }
        // keep two neighbours one level apart for the precision check
        data[0] = 1000 % (max + 1) / (float) max;
        data[1] = 1001 % (max + 1) / (float) max;
        return new Image(channels, h, w, data);
    }

    /** A smooth gradient that JPEG compresses with small errors. */
    private static Image smooth(int channels, int h, int w) {
        Image image = new Image(channels, h, w);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    image.set(c, y, x, Math.round(255 * (0.2f + 0.6f * (x + y + 5 * c) / (w + h + 10f))) / 255f);
                }
            }
        }
        return image;
    }

    private static float maxAbsDiff(Image a, Image b) {
        assertEquals(a.channels(), b.channels());
        float max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    /** The colour at the centre of the k-th 8x8 patch of a row of patches. */
    private static float[] patch(Image image, int k) {
        return new float[] {image.get(0, 4, 8 * k + 4), image.get(1, 4, 8 * k + 4), image.get(2, 4, 8 * k + 4)};
    }

    private static byte[] write(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format);
        return out.toByteArray();
    }

    /**
     * A TIFF from the JDK's own writer (TwelveMonkeys' 3.12 writer refuses 16-bit samples); the
     * codec then reads it with TwelveMonkeys' reader, which ImageIO ranks first.
     */
    private static byte[] jdkTiff(BufferedImage image) throws IOException {
        ImageWriter writer = null;
        for (var it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.sun.")) writer = candidate;
        }
        assertTrue(writer != null, "the JDK has a TIFF writer");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
        return writeJpeg(new IIOImage(image, null, null), progressive);
    }

    private static byte[] writeJpeg(IIOImage image, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        if (progressive) param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, image, param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A row of flat 8x8 patches with the given 4-band values, with an Adobe APP14 (transform 0 CMYK, 2 YCCK). */
    private static byte[] adobeJpeg(int[][] patches, int transform) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8 * patches.length, 8, 4, null);
        for (int k = 0; k < patches.length; k++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) raster.setPixel(8 * k + x, y, patches[k]);
            }
        }
        byte[] plain = writeJpeg(new IIOImage(raster, null, null), false);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        return insertAfterSoi(plain, adobe);
    }

    /** Adds an EXIF APP1 segment holding a big-endian TIFF IFD0 with only the orientation tag. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);   // header, IFD0 at offset 8
        tiff.putShort((short) 1);                             // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);                                       // no next IFD
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + exif.length + tiff.capacity();
        ByteBuffer app1 = ByteBuffer.allocate(2 + length);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exif).put(tiff.array());
        return insertAfterSoi(jpeg, app1.array());
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    /** A PNG signature plus a valid IHDR chunk (8-bit RGB) and nothing else. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(4 + 13);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}

package org.imagepipeline.augment;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.image.Image;

/**
 * JPEG compression artifacts: the image is quantized to 8 bits, encoded as baseline JPEG at a
 * quality in [1,100] with the ImageIO JPEG writer (IJG-style quality scaling of the standard
 * tables, 4:2:0 chroma for RGB at every quality, as libjpeg, PIL and OpenCV default to), and
 * decoded again, all in memory. Gray stays gray (a one-component JPEG). Deterministic: no
 * randomness is involved.
 */
public final class Jpeg {
    private Jpeg() {}

    /** The image after a JPEG round trip at {@code quality} (1 = worst, 100 = best). */
    public static Image compress(Image image, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be an integer in [1, 100], got " + quality + ".");
        }
        BufferedImage decoded = decode(encode(ImageCodec.toBufferedImage(image, 8), quality));
        Image out = ImageCodec.fromBufferedImage(decoded).withChannels(image.channels());
        if (out.height() != image.height() || out.width() != image.width()) {
            throw new IllegalStateException("The JPEG round trip changed a " + image.height() + "x" + image.width()
                    + " image to " + out.height() + "x" + out.width() + ".");
        }
        return out;
    }

    /** Baseline JPEG bytes of an 8-bit gray or RGB BufferedImage. */
    static byte[] encode(BufferedImage img, int quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("No ImageIO JPEG writer is available in this JVM.");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // In-memory streams: ImageIO's default file cache would touch the executor's temp dir.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding a JPEG in memory failed.", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage decode(byte[] jpeg) {
        // An explicit reader rather than ImageIO.read, which closes the stream itself and would
        // make try-with-resources fail on the second close.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalStateException("No ImageIO reader recognizes the JPEG just written.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Decoding a JPEG in memory failed.", e);
        }
    }
}

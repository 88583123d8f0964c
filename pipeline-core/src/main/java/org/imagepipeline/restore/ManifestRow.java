package org.imagepipeline.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * One input file's line in the restore manifest. JSON and Parquet use the snake_case names of
 * {@link #SCHEMA}. Numbers that do not apply (a failed file's size) are null.
 *
 * @param input        path relative to the input root, '/'-separated
 * @param inputUri     the input file's full URI
 * @param status       {@link #RESTORED}, {@link #SKIPPED} or {@link #FAILED}
 * @param reason       why skipped or failed, or notes on a restored file (alpha dropped for JPEG…); null when none
 * @param inputBytes   the input's size
 * @param inputSha256  SHA-256 of the input's bytes (null when it could not be read)
 * @param output       output path relative to the output root (null when none was planned)
 * @param outputUri    the output's full URI
 * @param outputFormat png, jpeg or tiff
 * @param width        upright width in pixels
 * @param height       upright height
 * @param channels     channels of the output including alpha
 * @param bitDepth     8 or 16, of the output
 * @param modelId      the model(s) as named by the user, comma-separated
 * @param modelVersion the checkpoints' model.zip SHA-256 prefixes joined by '+', "+x8" with self-ensemble
 * @param runId        the restore run that wrote this line
 * @param decodeMs     reading and decoding
 * @param restoreMs    from decoded to restored (tiles of several images share passes, so this includes waiting)
 * @param writeMs      encoding and the atomic write
 * @param totalMs      all of it
 * @param finishedAt   ISO-8601 UTC time the line was made
 */
public record ManifestRow(String input, String inputUri, String status, String reason, Long inputBytes, String inputSha256,
                          String output, String outputUri, String outputFormat, Integer width, Integer height,
                          Integer channels, Integer bitDepth, String modelId, String modelVersion, String runId,
                          Long decodeMs, Long restoreMs, Long writeMs, Long totalMs, String finishedAt) implements Serializable {
    public static final String RESTORED = "restored";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    public static final StructType SCHEMA = new StructType()
            .add("input", DataTypes.StringType, false)
            .add("input_uri", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true)
            .add("input_bytes", DataTypes.LongType, true)
            .add("input_sha256", DataTypes.StringType, true)
            .add("output", DataTypes.StringType, true)
            .add("output_uri", DataTypes.StringType, true)
            .add("output_format", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("channels", DataTypes.IntegerType, true)
            .add("bit_depth", DataTypes.IntegerType, true)
            .add("model_id", DataTypes.StringType, true)
            .add("model_version", DataTypes.StringType, true)
            .add("run_id", DataTypes.StringType, false)
            .add("decode_ms", DataTypes.LongType, true)
            .add("restore_ms", DataTypes.LongType, true)
            .add("write_ms", DataTypes.LongType, true)
            .add("total_ms", DataTypes.LongType, true)
            .add("finished_at", DataTypes.StringType, false);

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ManifestRow fromJson(String line) {
        try {
            return JSON.readValue(line, ManifestRow.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Not a manifest line: " + line, e);
        }
    }

    /** This line for a later run that found the same input already restored by the same model. */
    public ManifestRow asSkipped(String runId, String inputUri, long totalMs, String finishedAt) {
        String by = SKIPPED.equals(status) && reason != null ? reason : "already restored by run " + this.runId
                + " with the same model and input bytes";
        return new ManifestRow(input, inputUri, SKIPPED, by,
                inputBytes, inputSha256, output, outputUri, outputFormat, width, height, channels, bitDepth, modelId,
                modelVersion, runId, null, null, null, totalMs, finishedAt);
    }
}

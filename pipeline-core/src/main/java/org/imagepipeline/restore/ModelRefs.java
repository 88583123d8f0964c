package org.imagepipeline.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.ContentHash;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.RegistryException;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.HadoopIO;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Turns what a user names as a model into a verified checkpoint. */
public final class ModelRefs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelRefs() {}

    /**
     * The model {@code ref} names: a registered model ({@code name} for its champion,
     * {@code name@version}; see {@link ModelRegistry#resolve}), a checkpoint directory (it holds
     * {@value CheckpointStore#MARKER}), or a run directory (its best committed checkpoint).
     *
     * @param settings the current settings: their model section is the architecture when the
     *                 checkpoint's run has no config.conf
     * @throws IllegalArgumentException naming {@code ref} and what was expected when it is none of these
     */
    public static ResolvedModel resolve(String ref, Configuration conf, PipelineSettings settings) {
        Path p;
        try {
            p = ModelRegistry.resolve(ref, settings.registry(), conf);
        } catch (RegistryException e) {
            throw new IllegalArgumentException("pipeline.restore.model = " + ref + ": " + e.getMessage(), e);
        }
        p = HadoopIO.fs(p, conf).makeQualified(p);
        Path checkpoint;
        if (HadoopIO.exists(new Path(p, CheckpointStore.MARKER), conf)) {
            checkpoint = p;
        } else if (HadoopIO.exists(new Path(p, "checkpoints"), conf)) {
            try {
                checkpoint = new CheckpointStore(new Path(p, "checkpoints"), conf).best();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("pipeline.restore.model = " + ref + " is a run directory without a committed checkpoint: "
                        + e.getMessage());
            }
        } else {
            throw new IllegalArgumentException("pipeline.restore.model = " + ref + " is neither a registered model (name or "
                    + "name@version), a checkpoint directory (with a " + CheckpointStore.MARKER
                    + " marker) nor a run directory (with checkpoints/)");
        }
        String sha;
        try {
            JsonNode marker = JSON.readTree(HadoopIO.read(new Path(checkpoint, CheckpointStore.MARKER), conf));
            sha = marker.path("files").path(CheckpointStore.MODEL).path("sha256").asText("");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the commit marker of " + checkpoint + ": " + e.getMessage(), e);
        }
        if (sha.length() < 16) throw new IllegalArgumentException("The commit marker of " + checkpoint + " lists no model.zip hash");
        Path runConfig = new Path(checkpoint.getParent().getParent(), "config.conf");
        PipelineSettings withModel = HadoopIO.exists(runConfig, conf)
                ? settings.withModelOf(new String(HadoopIO.read(runConfig, conf), StandardCharsets.UTF_8)) : settings;
        return new ResolvedModel(ref, sha.substring(0, 16), checkpoint.toString(), withModel.model());
    }

    /** The model.zip bytes of {@code model}, checked against the SHA-256 its commit marker recorded. */
    public static byte[] verifiedBytes(ResolvedModel model, Configuration conf) {
        byte[] bytes = HadoopIO.read(new Path(model.checkpoint(), CheckpointStore.MODEL), conf);
        if (!ContentHash.sha256Hex(bytes).startsWith(model.version())) {
            throw new IllegalStateException("The model.zip of " + model.checkpoint() + " does not match its commit marker: "
                    + "the checkpoint is damaged or was changed");
        }
        return bytes;
    }
}

package org.imagepipeline.registry;

import java.util.Map;

/**
 * One registered version of a model; written once, never changed.
 *
 * @param name            model name
 * @param version         1, 2, ... in registration order
 * @param checkpoint      the committed checkpoint directory (fully qualified Hadoop path)
 * @param metrics         flat metrics: val_* of the checkpoint's epoch (metrics.jsonl), test_* of the
 *                        run's eval/metrics.json when it evaluated this checkpoint
 * @param catalogSnapshot id of the data catalog the registering job saw ({@link CatalogSnapshot})
 * @param configHash      the checkpoint's training config hash (PipelineSettings.trainingHash)
 * @param codeVersion     project version and git commit of the code that registered it
 * @param created         ISO-8601 UTC time of registration
 */
public record ModelVersion(String name, int version, String checkpoint, Map<String, Double> metrics,
                           String catalogSnapshot, String configHash, String codeVersion, String created) {
    /** {@code name@version}, the reference that resolves to this version. */
    public String ref() {
        return name + "@" + version;
    }
}

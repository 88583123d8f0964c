package org.imagepipeline.restore;

import org.imagepipeline.model.ModelSpec;

import java.io.Serializable;

/**
 * A model the restore job can run: where its verified checkpoint is and what it is.
 *
 * @param id         what the user named (a path now; a registry name@version once there is a registry)
 * @param version    the first 16 hex digits of its model.zip's SHA-256, from the commit marker: two
 *                   files restored with the same version were restored by the same weights
 * @param checkpoint the checkpoint directory (holding model.zip and _COMMITTED)
 * @param spec       the architecture it was trained with
 */
public record ResolvedModel(String id, String version, String checkpoint, ModelSpec spec) implements Serializable {
}

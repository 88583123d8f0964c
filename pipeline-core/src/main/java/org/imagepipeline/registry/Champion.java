package org.imagepipeline.registry;

/**
 * One entry of a model's champion history; the newest entry is the champion.
 *
 * @param seq         position in the history (1, 2, ...); a promotion creates seq current+1 or fails
 * @param name        model name
 * @param version     the version that is champion from this entry on
 * @param previousSeq the entry a rollback of this one returns to (0: none)
 * @param action      promote or rollback
 * @param created     ISO-8601 UTC time of the change
 */
public record Champion(long seq, String name, int version, long previousSeq, String action, String created) {}

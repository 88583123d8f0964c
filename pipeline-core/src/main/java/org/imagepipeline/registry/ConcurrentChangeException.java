package org.imagepipeline.registry;

/** A champion change lost a compare-and-set race: another change landed first; nothing was changed. */
public final class ConcurrentChangeException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public ConcurrentChangeException(String message) {
        super(message);
    }
}

package org.imagepipeline.registry;

/** A registry request that cannot be met as asked (unknown model or version, lost race, bad reference). */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }
}

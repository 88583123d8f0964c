package org.imagepipeline.jobs;

/** A failure caused by what the user asked for; printed as one clear line, without a stack trace. */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }
}

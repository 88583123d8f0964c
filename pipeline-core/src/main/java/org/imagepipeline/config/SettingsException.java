package org.imagepipeline.config;

import java.util.List;

/** Every problem found in the configuration, one per line; thrown before any work starts. */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super("Invalid configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

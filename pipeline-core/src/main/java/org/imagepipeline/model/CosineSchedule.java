package org.imagepipeline.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing of a value (the learning rate) by iteration: half a cosine from
 * {@code initialValue} at iteration 0 to {@code finalValue} at iteration {@code iterations}, then
 * constant. ND4J M2.1 has no cosine schedule. Serialised with the network's configuration JSON,
 * hence the Jackson annotations (ND4J's shaded Jackson).
 */
public final class CosineSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    private final double initialValue;
    private final double finalValue;
    private final int iterations;

    public CosineSchedule(@JsonProperty("initialValue") double initialValue,
                          @JsonProperty("finalValue") double finalValue,
                          @JsonProperty("iterations") int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("A cosine schedule must last at least 1 iteration, but lasted " + iterations + ".");
        }
        this.initialValue = initialValue;
        this.finalValue = finalValue;
        this.iterations = iterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration >= iterations) {
            return finalValue;
        }
        double progress = Math.max(0, iteration) / (double) iterations;
        return finalValue + 0.5 * (initialValue - finalValue) * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(initialValue, finalValue, iterations);
    }

    public double getInitialValue() {
        return initialValue;
    }

    public double getFinalValue() {
        return finalValue;
    }

    public int getIterations() {
        return iterations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule c && c.initialValue == initialValue
                && c.finalValue == finalValue && c.iterations == iterations;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(initialValue) * 31 * 31 + Double.hashCode(finalValue) * 31 + iterations;
    }

    @Override
    public String toString() {
        return "CosineSchedule(" + initialValue + " -> " + finalValue + " over " + iterations + " iterations)";
    }
}

package org.gwembed.core;

import java.util.Arrays;

/**
 * Argument checks shared by every module. Each throws {@link IllegalArgumentException} with a message that
 * names the argument, its value and, where it matters, the expected shape, e.g.
 * {@code "epsilon must be > 0 and finite, got -1.0"}.
 *
 * <p><b>Internal.</b> Not part of gwembed's public API: used by its modules, it may change or move without
 * notice; applications should not call it.
 */
public final class Require {

    private Require() {
    }

    /** Requires a finite value. */
    public static double finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /** Requires {@code value > 0} and finite. */
    public static double positive(double value, String name) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0 and finite, got " + value);
        }
        return value;
    }

    /** Requires {@code value >= 0} and finite. */
    public static double nonNegative(double value, String name) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, got " + value);
        }
        return value;
    }

    /** Requires {@code value >= min}. */
    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** Requires {@code min <= value <= max} (and not NaN). */
    public static double inRange(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** Requires a non-null reference. */
    public static <T> T nonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Requires an array of exactly {@code length} finite entries. */
    public static double[] finiteVector(double[] values, int length, String name) {
        nonNull(values, name);
        if (values.length != length) {
            throw new IllegalArgumentException(name + " has " + values.length + " entries, expected " + length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + values[i]);
            }
        }
        return values;
    }

    /**
     * Requires a probability vector: {@code length} finite entries, each {@code >= 0}, summing to 1 within
     * {@code tolerance}.
     */
    public static double[] probabilityVector(double[] weights, int length, double tolerance, String name) {
        finiteVector(weights, length, name);
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0) {
                throw new IllegalArgumentException(name + "[" + i + "] must be >= 0, got " + weights[i]);
            }
            sum += weights[i];
        }
        if (Math.abs(sum - 1.0) > tolerance) {
            throw new IllegalArgumentException(name + " must sum to 1 (within " + tolerance + "), sums to " + sum
                    + (weights.length <= 8 ? " " + Arrays.toString(weights) : ""));
        }
        return weights;
    }
}

package org.gwembed.metricspaces;

import java.util.Locale;

import org.gwembed.core.Require;

/**
 * Builds an embedding space X from a short text spec, as the command line takes it. Every space is scaled so that
 * its largest distance is {@code maxLength} (METHOD.md §1; default {@link PlaneGrid#DEFAULT_MAX_LENGTH}).
 *
 * <table>
 * <caption>Specs</caption>
 * <tr><th>spec</th><th>space</th><th>points</th></tr>
 * <tr><td>{@code plane:N}</td><td>{@link PlaneGrid} N×N</td><td>N²</td></tr>
 * <tr><td>{@code sphere:N}</td><td>{@link SphereGrid}, N+1 longitudes × N−1 rings + 2 poles</td>
 * <td>N² + 1 (901 for N = 30)</td></tr>
 * <tr><td>{@code torus:N}</td><td>{@link FlatTorusGrid} N×N, flat metric</td><td>N²</td></tr>
 * <tr><td>{@code torus-embedded:N[:R:r]}</td><td>{@link EmbeddedTorusGrid} N×N, R = 1, r = 0.2 by default</td>
 * <td>N²</td></tr>
 * <tr><td>{@code gaussians:K[:sigma2]}</td><td>{@link GaussianSpace}, K×K means × 12 covariances,
 * σ² = {@value #DEFAULT_SIGMA2} by default (means on the unit square, before scaling)</td><td>12 K²</td></tr>
 * <tr><td>{@code circle:N}</td><td>{@link CircleSpace} of N bins</td><td>N</td></tr>
 * </table>
 */
public final class EmbeddingSpaces {

    /** Default covariance scale of {@code gaussians:K} (means on {@code [0, 1]²}). */
    public static final double DEFAULT_SIGMA2 = 0.01;

    /** The spec grammar, for error messages and help texts. */
    public static final String SPEC_HELP = "plane:N, sphere:N, torus:N, torus-embedded:N[:R:r], gaussians:K[:sigma2], "
            + "circle:N";

    private EmbeddingSpaces() {
    }

    /** Parses a spec with the default {@code maxLength}. */
    public static MetricSpace parse(String spec) {
        return parse(spec, PlaneGrid.DEFAULT_MAX_LENGTH);
    }

    /**
     * Parses a spec (see the class comment) and scales the space to max distance {@code maxLength}.
     *
     * @throws IllegalArgumentException naming the spec and the expected forms when it does not parse
     */
    public static MetricSpace parse(String spec, double maxLength) {
        Require.nonNull(spec, "space spec");
        Require.positive(maxLength, "maxLength");
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
        String kind = parts[0];
        try {
            switch (kind) {
                case "plane":
                    expectParts(spec, parts, 2, 2);
                    return PlaneGrid.of(fits(spec, integer(spec, parts[1]), 2, 0), maxLength);
                case "sphere":
                    expectParts(spec, parts, 2, 2);
                    return SphereGrid.of(fits(spec, integer(spec, parts[1]), 2, 0), maxLength);
                case "torus":
                    expectParts(spec, parts, 2, 2);
                    return FlatTorusGrid.of(fits(spec, integer(spec, parts[1]), 2, 0), maxLength);
                case "torus-embedded":
                    expectParts(spec, parts, 2, 4);
                    if (parts.length == 3) {
                        throw new IllegalArgumentException("give both radii R:r or neither");
                    }
                    int n = fits(spec, integer(spec, parts[1]), 2, 0);
                    return parts.length == 4
                            ? EmbeddedTorusGrid.of(n, n, real(spec, parts[2]), real(spec, parts[3]), maxLength)
                            : EmbeddedTorusGrid.of(n, maxLength);
                case "gaussians":
                    expectParts(spec, parts, 2, 3);
                    double sigma2 = parts.length == 3 ? real(spec, parts[2]) : DEFAULT_SIGMA2;
                    return GaussianSpace.of(fits(spec, integer(spec, parts[1]), 2, 12), sigma2)
                            .normalizedToMax(maxLength);
                case "circle":
                    expectParts(spec, parts, 2, 2);
                    return CircleSpace.of(fits(spec, integer(spec, parts[1]), 1, 0), maxLength);
                default:
                    throw new IllegalArgumentException("unknown kind '" + parts[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("space spec '" + spec + "' is invalid: " + e.getMessage()
                    + " (expected one of " + SPEC_HELP + ")", e);
        }
    }

    /** Bytes per point that building a space takes at least (its coordinates). */
    static final long BYTES_PER_POINT = 24;

    /**
     * Refuses a size whose space could not even be built: about {@code n^power} points (times {@code factor}, if
     * not 0) beyond what an array holds or the heap has room for at {@link #BYTES_PER_POINT}, so that
     * {@code plane:100000} is an error naming the spec rather than an out-of-memory. (Whether an embedding into a
     * space that can be built fits in the heap is {@code JointEmbedding}'s check.)
     */
    private static int fits(String spec, int n, int power, int factor) {
        if (n < 1) {
            return n;
        }
        double points = Math.pow(n, power) * Math.max(1, factor);
        long heap = Runtime.getRuntime().maxMemory();
        if (points > (Integer.MAX_VALUE - 8) / 3.0 || points * BYTES_PER_POINT > heap) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "size %d gives about %.3g "
                    + "points, whose coordinates alone need %d MiB, more than the %d MiB of heap (or one array); "
                    + "use a smaller size or raise -Xmx", n, points, (long) (points * BYTES_PER_POINT) >> 20,
                    heap >> 20));
        }
        return n;
    }

    private static void expectParts(String spec, String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException("wrong number of ':'-separated fields");
        }
    }

    private static int integer(String spec, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not an integer");
        }
    }

    private static double real(String spec, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
    }
}

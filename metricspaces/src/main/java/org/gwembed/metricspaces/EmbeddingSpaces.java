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
                    return PlaneGrid.of(integer(spec, parts[1]), maxLength);
                case "sphere":
                    expectParts(spec, parts, 2, 2);
                    return SphereGrid.of(integer(spec, parts[1]), maxLength);
                case "torus":
                    expectParts(spec, parts, 2, 2);
                    return FlatTorusGrid.of(integer(spec, parts[1]), maxLength);
                case "torus-embedded":
                    expectParts(spec, parts, 2, 4);
                    if (parts.length == 3) {
                        throw new IllegalArgumentException("give both radii R:r or neither");
                    }
                    int n = integer(spec, parts[1]);
                    return parts.length == 4
                            ? EmbeddedTorusGrid.of(n, n, real(spec, parts[2]), real(spec, parts[3]), maxLength)
                            : EmbeddedTorusGrid.of(n, maxLength);
                case "gaussians":
                    expectParts(spec, parts, 2, 3);
                    double sigma2 = parts.length == 3 ? real(spec, parts[2]) : DEFAULT_SIGMA2;
                    return GaussianSpace.of(integer(spec, parts[1]), sigma2).normalizedToMax(maxLength);
                case "circle":
                    expectParts(spec, parts, 2, 2);
                    return CircleSpace.of(integer(spec, parts[1]), maxLength);
                default:
                    throw new IllegalArgumentException("unknown kind '" + parts[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("space spec '" + spec + "' is invalid: " + e.getMessage()
                    + " (expected one of " + SPEC_HELP + ")", e);
        }
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

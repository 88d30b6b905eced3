package org.gwembed.batch;

import java.util.Locale;

/**
 * One point of a sweep: EW_λ at ({@code lambda}, {@code epsilon}) into the space of {@code grid} (the space kind's
 * size parameter) from seed {@code seed} (0: the uniform start; s > 0: a start perturbed with seed s).
 *
 * @param cost the cost model's estimate ({@link PairSpec#cost} for EW_λ)
 */
public record SweepTask(double lambda, double epsilon, int grid, long seed, long cost) implements Task {

    private static final long serialVersionUID = 1L;

    @Override
    public String key() {
        return String.format(Locale.ROOT, "l=%s;e=%s;g=%d;s=%d", lambda, epsilon, grid, seed);
    }
}

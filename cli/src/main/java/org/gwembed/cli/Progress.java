package org.gwembed.cli;

import java.io.PrintWriter;
import java.util.Locale;

import org.gwembed.core.Decimals;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.ProgressListener;

/**
 * A one-line progress bar on stderr, redrawn with a carriage return. It is drawn only when stderr is a terminal
 * ({@code System.console() != null}) and {@code --quiet} is off, and only once the work has run for about a second;
 * otherwise nothing at all is written, so that logs never hold control characters.
 */
final class Progress implements ProgressListener {

    private static final int WIDTH = 30;
    private static final long DELAY_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private final int plannedSteps;
    private final long delayNanos;
    private String prefix = "";
    private int done;
    private boolean drawn;

    /**
     * @param err          where to draw
     * @param enabled      whether to draw at all (see {@link #enabled(boolean)})
     * @param plannedSteps outer iterations expected in total (all candidates, all λ)
     */
    Progress(PrintWriter err, boolean enabled, int plannedSteps) {
        this(err, enabled, plannedSteps, DELAY_NANOS);
    }

    /** As above, drawing only after {@code delayNanos} (tests use 0). */
    Progress(PrintWriter err, boolean enabled, int plannedSteps, long delayNanos) {
        this.err = err;
        this.enabled = enabled;
        this.plannedSteps = Math.max(1, plannedSteps);
        this.delayNanos = delayNanos;
    }

    /** Whether a bar should be drawn: no {@code --quiet}, and a terminal on stderr or {@code GWEMBED_PROGRESS=1}. */
    static boolean enabled(boolean quiet) {
        return !quiet && (System.console() != null || "1".equals(System.getenv("GWEMBED_PROGRESS")));
    }

    /** Names the current stage (e.g. a candidate) in front of the bar. */
    @Override
    public void stage(String text) {
        prefix = text;
    }

    @Override
    public void outerIteration(JointEmbedding.Step step) {
        done++;
        draw(String.format(Locale.ROOT, "lambda %s  it %d/%d  J %.4g  %.2f s/it", Decimals.shortForm(step.lambda()),
                step.iteration(), step.totalIterations(), step.objective().total(), step.seconds()));
    }

    /** Marks one unit of non-embedding work done (e.g. a graph built). */
    void tick(String detail) {
        done++;
        draw(detail);
    }

    private void draw(String detail) {
        if (!enabled || System.nanoTime() - start < delayNanos) {
            return;
        }
        double f = Math.min(1.0, done / (double) plannedSteps);
        int filled = (int) Math.round(f * WIDTH);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        double elapsed = (System.nanoTime() - start) / 1e9;
        String line = String.format(Locale.ROOT, "\r[%s] %3.0f%% %s %s  %.0f s", bar, 100 * f, prefix, detail,
                elapsed);
        err.print(line + "\u001b[K");
        err.flush();
        drawn = true;
    }

    /** Ends the bar's line (if one was drawn). */
    void finish() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }
}

package org.gwembed.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

import org.gwembed.core.Decimals;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.ProgressListener;

/**
 * A one-line progress bar on stderr, redrawn with a carriage return, drawn only once the work has run for about a
 * second. Whether it is drawn at all is {@link #decide}'s rule: with {@code --progress auto} (the default) only
 * when stderr looks like a terminal; otherwise nothing at all is written, so that logs never hold control
 * characters.
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

    /** {@code --progress}: draw when stderr looks like a terminal, always, or never. */
    enum Mode {
        AUTO, ALWAYS, NEVER
    }

    /** Whether a bar should be drawn with {@code --progress auto}: see {@link #decide}. */
    static boolean enabled(boolean quiet) {
        return enabled(quiet, Mode.AUTO);
    }

    /** Whether a bar should be drawn in this process: {@link #decide} on its console and environment. */
    static boolean enabled(boolean quiet, Mode mode) {
        return decide(quiet, mode, System.console() != null, System.getenv());
    }

    /**
     * The rule. {@code --quiet} or {@code never}: no bar; {@code always}: a bar. {@code auto}: a bar when
     * {@code GWEMBED_PROGRESS=1}, or when there is a console and {@code TERM} is set and not {@code dumb}. Java
     * cannot ask whether stderr itself is a terminal: {@code System.console()} is non-null only when stdin and
     * stdout are, so {@code gwembed ... 2> log} still sees a console — and a bar would then land in the log unless
     * {@code --progress never} (or {@code -q}) is given; {@code > log 2>&1} and runs under CI, IDEs, cron or
     * {@code subprocess.run(capture_output=True)} (no console, or {@code TERM} unset or dumb) draw nothing.
     */
    static boolean decide(boolean quiet, Mode mode, boolean console, Map<String, String> env) {
        if (quiet || mode == Mode.NEVER) {
            return false;
        }
        if (mode == Mode.ALWAYS || "1".equals(env.get("GWEMBED_PROGRESS"))) {
            return true;
        }
        String term = env.get("TERM");
        return console && term != null && !term.isBlank() && !"dumb".equals(term);
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

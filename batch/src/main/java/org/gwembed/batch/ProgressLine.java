package org.gwembed.batch;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The command's progress on stderr: tasks done / total, rate and ETA. On a terminal one line redrawn with a carriage
 * return; otherwise (a log file) a plain line at most every {@link #PLAIN_EVERY_SECONDS} seconds, so that logs hold
 * no control characters.
 */
final class ProgressLine implements BatchListener {

    static final double PLAIN_EVERY_SECONDS = 10;

    private final PrintWriter err;
    private final String what;
    private final boolean terminal;
    private double lastPlain = Double.NEGATIVE_INFINITY;
    private long startDone = -1;
    private boolean drawn;

    ProgressLine(PrintWriter err, String what, boolean terminal) {
        this.err = err;
        this.what = what;
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(long done, long total, double seconds) {
        if (startDone < 0) {
            startDone = done;
        }
        if (!terminal && seconds - lastPlain < PLAIN_EVERY_SECONDS && done < total) {
            return;
        }
        lastPlain = seconds;
        long now = done - startDone;
        double rate = seconds > 0 ? now / seconds : 0;
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.0f s", (total - done) / rate) : "?";
        String line = String.format(Locale.ROOT, "%s %d/%d (%.0f%%)  %.2f/s  ETA %s  %.0f s", what, done, total,
                total == 0 ? 100.0 : 100.0 * done / total, rate, eta, seconds);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends a redrawn line. */
    synchronized void finish() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }
}

package org.gwembed.batch;

import java.util.Locale;

/**
 * The outcome of one pair, one line of the result log and of {@code pairs.csv}.
 *
 * @param i          first member
 * @param j          second member
 * @param ok         whether both members were read and the solver ran; otherwise {@code reason} says why
 * @param value      the GW value (or EW_λ's J); NaN when not ok
 * @param second     EW_λ: W₂²(ζ₁, ζ₂); semi-relaxed GW: the reverse direction {@code (j → i)}; else NaN
 * @param iterations outer iterations
 * @param stopReason the solver's stop rule
 * @param converged  whether a convergence test (not the iteration limit) ended the run
 * @param seconds    wall time of the solve (reading included)
 * @param reason     why the pair is bad, or {@code ""}
 */
public record PairResult(int i, int j, boolean ok, double value, double second, int iterations, String stopReason,
        boolean converged, double seconds, String reason) {

    /** The columns of {@link #toLine()} after the key. */
    public static final String HEADER = "key,i,j,status,value,second,iterations,stop_reason,converged,seconds,reason";

    /** A bad pair. */
    public static PairResult bad(int i, int j, double seconds, String reason) {
        return new PairResult(i, j, false, Double.NaN, Double.NaN, 0, "", false, seconds, reason);
    }

    /** The log line: the key {@code i:j}, then the fields; reasons have commas and line breaks replaced. */
    public String toLine() {
        return String.format(Locale.ROOT, "%d:%d,%d,%d,%s,%s,%s,%d,%s,%s,%.6f,%s", i, j, i, j, ok ? "ok" : "bad",
                number(value), number(second), iterations, stopReason, converged, seconds, clean(reason));
    }

    /** Parses {@link #toLine()}. */
    public static PairResult parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 11) {
            throw new IllegalArgumentException("a pair log line has 11 fields, got " + f.length + ": '" + line + "'");
        }
        return new PairResult(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3].equals("ok"),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Integer.parseInt(f[6]), f[7],
                Boolean.parseBoolean(f[8]), Double.parseDouble(f[9]), f[10]);
    }

    /** Full precision ({@link Double#toString}: round-trips exactly); {@code NaN} as such. */
    static String number(double v) {
        return Double.toString(v);
    }

    /** A free text safe for one CSV field without quoting. */
    static String clean(String text) {
        return text == null ? "" : text.replaceAll("[,\\r\\n]+", ";").strip();
    }
}

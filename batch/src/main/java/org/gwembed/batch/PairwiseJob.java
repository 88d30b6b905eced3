package org.gwembed.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.metricspaces.AtomicFiles;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.Tables;

/**
 * The pairwise matrix of a collection: the pairs {@code i < j} (the cost model of {@link PairSpec#cost} balancing
 * the work), each solved by {@link PairSolver}, assembled into the {@code n × n} matrix.
 *
 * <p>The diagonal. For the GW family (GW(X, X) = 0 in exact arithmetic) it is not computed but set to 0, and a
 * sample of {@link #DIAGONAL_SAMPLE} members, evenly spaced, is solved against itself: their values are in
 * {@link Result#diagonalSample()} (the conditional gradient started from the product coupling is a local method, so
 * this checks that it finds the identity; entropic GW's blur leaves a positive value there). For EW_λ, whose
 * EW_λ(X, X) is positive, every diagonal entry is computed.
 *
 * <p>Outputs in the run's folder: {@code matrix.npy} (NaN for a bad pair), {@code second.npy} where the method has
 * a second value (EW_λ's W₂²(ζ₁, ζ₂), semi-relaxed GW's other direction), {@code pairs.csv} (one row per pair
 * with status and reason), all written atomically; {@link #writeParquet} adds {@code results.parquet} with the Spark
 * engine (the command does).
 */
public final class PairwiseJob {

    /** Members solved against themselves to check the GW diagonal. */
    public static final int DIAGONAL_SAMPLE = 3;

    private final List<Member> members;
    private final PairSpec spec;
    private final int spaceSize;

    /** The job over {@code members} (at least 2) as {@code spec} says. */
    public PairwiseJob(List<Member> members, PairSpec spec) {
        Require.nonNull(members, "members");
        Require.nonNull(spec, "spec");
        if (members.size() < 2) {
            throw new IllegalArgumentException("a collection needs at least 2 members, got " + members.size());
        }
        this.members = List.copyOf(members);
        this.spec = spec;
        this.spaceSize = spec.method() == PairSpec.Method.EWL ? EmbeddingSpaces.parse(spec.space()).size() : 0;
    }

    /** The members. */
    public List<Member> members() {
        return members;
    }

    /** The tasks: every pair {@code i < j}, then the diagonal entries computed. */
    public List<PairTask> tasks() {
        List<PairTask> tasks = new ArrayList<>();
        int n = members.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                tasks.add(task(i, j));
            }
        }
        for (int k : diagonal()) {
            tasks.add(task(k, k));
        }
        return tasks;
    }

    private PairTask task(int i, int j) {
        return new PairTask(i, j, spec.cost(members.get(i).size(), members.get(j).size(), spaceSize));
    }

    /** The members whose diagonal entry is computed. */
    public int[] diagonal() {
        int n = members.size();
        if (!spec.method().zeroDiagonal()) {
            int[] all = new int[n];
            for (int k = 0; k < n; k++) {
                all[k] = k;
            }
            return all;
        }
        int s = Math.min(DIAGONAL_SAMPLE, n);
        int[] sample = new int[s];
        for (int k = 0; k < s; k++) {
            sample[k] = s == 1 ? 0 : (int) Math.round(k * (n - 1) / (double) (s - 1));
        }
        return sample;
    }

    /** The job's identity for resume: settings and members (names and sizes). */
    public String description() {
        StringBuilder b = new StringBuilder("pairwise\n").append(spec).append('\n');
        for (Member m : members) {
            b.append(m.name()).append(' ').append(m.size()).append('\n');
        }
        return b.toString();
    }

    /** Runs (or resumes) the job on {@code engine} into {@code out} and writes its tables. */
    public Result run(Engine engine, Path out, boolean resume, BatchListener listener) {
        BatchJob<PairTask> job = new BatchJob<>(description(), tasks(), new PairSolver(members, spec));
        BatchJob.Outcome outcome = job.run(engine, out, resume, listener);
        int n = members.size();
        double[] matrix = new double[n * n];
        double[] second = new double[n * n];
        List<PairResult> pairs = new ArrayList<>();
        List<PairResult> diagonal = new ArrayList<>();
        for (PairTask t : job.tasks()) {
            PairResult r = PairResult.parse(outcome.lines().get(t.key()));
            if (t.i() == t.j()) {
                diagonal.add(r);
                if (!spec.method().zeroDiagonal()) {
                    matrix[t.i() * n + t.i()] = r.value();
                    second[t.i() * n + t.i()] = r.second();
                }
                continue;
            }
            pairs.add(r);
            boolean directed = spec.method() == PairSpec.Method.SEMIRELAXED_GW;
            matrix[t.i() * n + t.j()] = r.value();
            matrix[t.j() * n + t.i()] = directed ? r.second() : r.value();
            second[t.i() * n + t.j()] = r.second();
            second[t.j() * n + t.i()] = directed ? r.value() : r.second();
        }
        Tables.writeNpy(out.resolve("matrix.npy"), new DMatrixRMaj(n, n, true, matrix));
        boolean hasSecond = spec.method() == PairSpec.Method.EWL;
        if (hasSecond) {
            Tables.writeNpy(out.resolve("second.npy"), new DMatrixRMaj(n, n, true, second));
        }
        writePairs(out.resolve("pairs.csv"), pairs, diagonal);
        return new Result(members, spec, new DMatrixRMaj(n, n, true, matrix),
                hasSecond ? new DMatrixRMaj(n, n, true, second) : null, pairs, diagonal, outcome.skipped(),
                outcome.ran(), outcome.seconds(), engine.name(), engine.parallelism());
    }

    private void writePairs(Path file, List<PairResult> pairs, List<PairResult> diagonal) {
        StringBuilder b = new StringBuilder("i,j,name_i,name_j,")
                .append(PairResult.HEADER.substring("key,i,j,".length())).append('\n');
        for (List<PairResult> list : List.of(pairs, diagonal)) {
            for (PairResult r : list) {
                String line = r.toLine();
                b.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s%n", r.i(), r.j(),
                        PairResult.clean(members.get(r.i()).name()), PairResult.clean(members.get(r.j()).name()),
                        line.substring(nthComma(line, 3) + 1)));
            }
        }
        try {
            AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static int nthComma(String s, int n) {
        int at = -1;
        for (int k = 0; k < n; k++) {
            at = s.indexOf(',', at + 1);
        }
        return at;
    }

    /**
     * Writes the results table of {@code r} as Parquet through Spark ({@code results.parquet} in the command's
     * output), atomically ({@link SparkEngine#writeParquet}).
     */
    public void writeParquet(SparkEngine engine, Path target, Result r) {
        writeParquet(engine, target, r.pairs(), r.diagonalSample());
    }

    private void writeParquet(SparkEngine engine, Path target, List<PairResult> pairs, List<PairResult> diagonal) {
        List<SparkEngine.Column> columns = List.of(SparkEngine.Column.integer("i"), SparkEngine.Column.integer("j"),
                SparkEngine.Column.text("name_i"), SparkEngine.Column.text("name_j"), SparkEngine.Column.text("status"),
                SparkEngine.Column.real("value"), SparkEngine.Column.real("second"),
                SparkEngine.Column.integer("iterations"), SparkEngine.Column.text("stop_reason"),
                SparkEngine.Column.bool("converged"), SparkEngine.Column.real("seconds"),
                SparkEngine.Column.text("reason"));
        List<Object[]> rows = new ArrayList<>();
        for (List<PairResult> list : List.of(pairs, diagonal)) {
            for (PairResult r : list) {
                rows.add(new Object[] {r.i(), r.j(), members.get(r.i()).name(), members.get(r.j()).name(),
                    r.ok() ? "ok" : "bad", r.value(), r.second(), r.iterations(), r.stopReason(), r.converged(),
                    r.seconds(), r.reason()});
            }
        }
        engine.writeParquet(target, columns, rows);
    }

    /**
     * The assembled results.
     *
     * @param members        the collection
     * @param spec           the settings
     * @param matrix         {@code n × n}: values ({@code (i, j)} and {@code (j, i)} from the same solve, except
     *                       semi-relaxed GW's two directions), diagonal 0 for the GW family, NaN for bad pairs
     * @param second         EW_λ's W₂²(ζ₁, ζ₂) matrix, or null
     * @param pairs          every pair {@code i < j}
     * @param diagonalSample the diagonal entries computed ({@link #diagonal()})
     * @param skipped        tasks found done in the log (resume)
     * @param ran            tasks run now
     * @param seconds        wall time of the tasks run now
     * @param engine         the engine's name
     * @param parallelism    its workers
     */
    public record Result(List<Member> members, PairSpec spec, DMatrixRMaj matrix, DMatrixRMaj second,
            List<PairResult> pairs, List<PairResult> diagonalSample, int skipped, int ran, double seconds,
            String engine, int parallelism) {

        /** The bad pairs. */
        public List<PairResult> bad() {
            return pairs.stream().filter(p -> !p.ok()).toList();
        }

        /** The largest diagonal value computed for the sample (GW family), NaN when none was computed. */
        public double maxDiagonal() {
            double m = Double.NaN;
            for (PairResult r : diagonalSample) {
                if (r.ok()) {
                    m = Double.isNaN(m) ? r.value() : Math.max(m, r.value());
                }
            }
            return m;
        }
    }
}

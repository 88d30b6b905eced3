package org.gwembed.batch;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gwembed.core.Require;
import org.gwembed.embedding.AlignmentMetrics;
import org.gwembed.embedding.BarycentricProjection;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.AtomicFiles;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;

/**
 * One pair of distance matrices over the Cartesian product of λ, ε, grid size and seed: EW_λ at each point
 * ({@code JointEmbedding.embed}, single-threaded per point, the engine running points in parallel), the table of
 * J, its terms, W₂²(ζ₁, ζ₂) by exact OT, iterations, stop reasons, seconds, and FOSCTTM when the two inputs are
 * paired (point i of the source is point i of the target). Inputs are scaled to max 1 (METHOD.md's convention).
 * Writes {@code sweep.csv} (atomically) beside the result log.
 */
public final class SweepJob {

    /** Relative amplitude of the perturbed start for seeds > 0. */
    public static final double PERTURBATION = 0.1;

    /** The settings of a sweep. */
    public record Settings(String source, String target, String spaceKind, List<Double> lambdas,
            List<Double> epsilons, List<Integer> grids, List<Long> seeds, int outerIterations, boolean paired)
            implements Serializable {
        /** Validates the lists. */
        public Settings {
            Require.nonNull(source, "source");
            Require.nonNull(target, "target");
            Require.nonNull(spaceKind, "spaceKind");
            for (List<?> l : List.of(lambdas, epsilons, grids, seeds)) {
                if (l.isEmpty()) {
                    throw new IllegalArgumentException("every sweep list needs at least one value");
                }
            }
            lambdas = List.copyOf(lambdas);
            epsilons = List.copyOf(epsilons);
            grids = List.copyOf(grids);
            seeds = List.copyOf(seeds);
            Require.nonNegative(outerIterations, "outerIterations");
        }
    }

    /**
     * One row of the table.
     *
     * @param task      the point
     * @param ok        whether it ran; otherwise {@code reason}
     * @param j         J
     * @param w         ⟨D_X², Π⟩
     * @param gw1       G(D₁, D_X; P₁)
     * @param gw2       G(D_X, D₂; P₂)
     * @param w2        W₂²(ζ₁, ζ₂) by exact OT
     * @param iterations outer iterations
     * @param stopReason what ended the run
     * @param seconds   wall time
     * @param foscttm   symmetric FOSCTTM of the barycentric projections (paired inputs), else NaN
     * @param reason    why it failed, or ""
     */
    public record Row(SweepTask task, boolean ok, double j, double w, double gw1, double gw2, double w2,
            int iterations, String stopReason, double seconds, double foscttm, String reason) {

        /** The CSV header of {@link #toLine()} after the key. */
        public static final String HEADER = "lambda,epsilon,grid,seed,status,J,W,G1,G2,W2_zeta,iterations,"
                + "stop_reason,seconds,foscttm,reason";

        String toLine() {
            return String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%d,%s,%.6f,%s,%s", task.key(),
                    task.lambda(), task.epsilon(), task.grid(), task.seed(), ok ? "ok" : "bad", j, w, gw1, gw2, w2,
                    iterations, stopReason, seconds, foscttm, PairResult.clean(reason));
        }

        static Row parse(SweepTask task, String line) {
            String[] f = line.split(",", -1);
            if (f.length != 16) {
                throw new IllegalArgumentException("a sweep log line has 16 fields, got " + f.length);
            }
            return new Row(task, f[5].equals("ok"), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                    Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]),
                    Integer.parseInt(f[11]), f[12], Double.parseDouble(f[13]), Double.parseDouble(f[14]), f[15]);
        }
    }

    /** The function run for each point (the one code path of both engines). */
    static final class Solver implements TaskFunction<SweepTask> {
        private static final long serialVersionUID = 1L;
        private static final Map<String, MetricMeasureSpace> INPUTS = Collections.synchronizedMap(
                new LinkedHashMap<>());
        private final Settings settings;

        Solver(Settings settings) {
            this.settings = settings;
        }

        @Override
        public String apply(SweepTask t) {
            long t0 = System.nanoTime();
            try {
                MetricMeasureSpace y1 = INPUTS.computeIfAbsent(settings.source(), SweepJob::read);
                MetricMeasureSpace y2 = INPUTS.computeIfAbsent(settings.target(), SweepJob::read);
                MetricSpace x = EmbeddingSpaces.parse(settings.spaceKind() + ":" + t.grid());
                JointEmbedding.Options o = JointEmbedding.Options.defaults(t.lambda(), t.epsilon()).withThreads(1);
                if (settings.outerIterations() > 0) {
                    o = o.withOuterIterations(settings.outerIterations());
                }
                if (t.seed() > 0) {
                    o = o.withRestarts(1, PERTURBATION, t.seed());
                }
                EmbeddingResult r = JointEmbedding.embed(y1, y2, x, o);
                double foscttm = Double.NaN;
                if (settings.paired() && x.coordinates().isPresent()) {
                    foscttm = AlignmentMetrics.foscttm(
                            BarycentricProjection.project(r.p1(), true, x.coordinates().get()),
                            BarycentricProjection.project(r.p2(), false, x.coordinates().get())).symmetric();
                }
                JointEmbedding.Objective obj = r.objective();
                return new Row(t, true, obj.total(), obj.wasserstein(), obj.gw1(), obj.gw2(),
                        PairSolver.exactW2(x, r.zeta1(), r.zeta2()), r.outerIterations(), r.stopReason().name(),
                        (System.nanoTime() - t0) / 1e9, foscttm, "").toLine();
            } catch (RuntimeException e) {
                return new Row(t, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, "",
                        (System.nanoTime() - t0) / 1e9, Double.NaN, String.valueOf(e.getMessage())).toLine();
            }
        }
    }

    private final Settings settings;

    /** A sweep with these settings (the inputs are read once here to check them, and again by each worker). */
    public SweepJob(Settings settings) {
        Require.nonNull(settings, "settings");
        MetricMeasureSpace a = read(settings.source());
        MetricMeasureSpace b = read(settings.target());
        if (settings.paired() && a.size() != b.size()) {
            throw new IllegalArgumentException("--paired needs inputs of the same size, got " + a.size() + " and "
                    + b.size());
        }
        this.settings = settings;
    }

    /** The points, in the order λ, ε, grid, seed (the last varying fastest). */
    public List<SweepTask> tasks() {
        MetricMeasureSpace a = read(settings.source());
        MetricMeasureSpace b = read(settings.target());
        List<SweepTask> tasks = new ArrayList<>();
        PairSpec model = PairSpec.ewl(1, 1, settings.spaceKind());
        for (double l : settings.lambdas()) {
            for (double e : settings.epsilons()) {
                for (int g : settings.grids()) {
                    int size = EmbeddingSpaces.parse(settings.spaceKind() + ":" + g).size();
                    for (long s : settings.seeds()) {
                        tasks.add(new SweepTask(l, e, g, s, model.cost(a.size(), b.size(), size)));
                    }
                }
            }
        }
        return tasks;
    }

    /** Runs (or resumes) the sweep into {@code out} and writes {@code sweep.csv}. */
    public List<Row> run(Engine engine, Path out, boolean resume, BatchListener listener) {
        BatchJob<SweepTask> job = new BatchJob<>("sweep\n" + settings + "\n", tasks(), new Solver(settings));
        BatchJob.Outcome outcome = job.run(engine, out, resume, listener);
        List<Row> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder(Row.HEADER).append('\n');
        for (SweepTask t : job.tasks()) {
            String line = outcome.lines().get(t.key());
            rows.add(Row.parse(t, line));
            csv.append(line, line.indexOf(',') + 1, line.length()).append('\n');
        }
        try {
            AtomicFiles.write(out.resolve("sweep.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("sweep.csv") + ": " + e.getMessage(), e);
        }
        return rows;
    }

    static MetricMeasureSpace read(String file) {
        return MetricMeasureSpace.uniform(DistanceMatrices.read(Path.of(file))).normalizedToMax(1);
    }
}

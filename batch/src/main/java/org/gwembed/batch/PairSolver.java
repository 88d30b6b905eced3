package org.gwembed.batch;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.Tables;
import org.gwembed.solvers.ExactTransport;
import org.gwembed.solvers.FusedGromovWasserstein;
import org.gwembed.solvers.GromovWasserstein;
import org.gwembed.solvers.LowRankGromovWasserstein;
import org.gwembed.solvers.PartialGromovWasserstein;
import org.gwembed.solvers.SemiRelaxedGromovWasserstein;

/**
 * The one code path of a pairwise job, whatever the engine: read both members from their paths (a small cache per
 * JVM keeps the last ones read), run the single-problem solver of {@link PairSpec#method()}, and return the log line.
 * A member that cannot be read or is not a distance matrix (not square, NaN or infinite entries, negative,
 * asymmetric, non-zero diagonal, all zero) gives a bad pair with the reader's reason, and so does a solver that
 * fails on a pair (its exception in the reason); it never throws for a pair. For fused GW each member's feature
 * table ({@link Member#features()}) is read as well: a member without one, or whose table has another row count
 * than its distance matrix or a value that is not finite, is bad, and so is a pair whose tables have different
 * numbers of columns.
 *
 * <p>Each solve runs single-threaded where the solver takes a thread count (EW_λ): the engine runs pairs in
 * parallel.
 */
public final class PairSolver implements TaskFunction<PairTask> {

    private static final long serialVersionUID = 1L;

    /**
     * Bytes of members kept read per JVM (an executor's tasks share it): the most recently used first, at least the
     * two of the current pair. A task of a partition often meets a member again (the pairs of one member are spread
     * over the partitions, each partition holds many pairs).
     */
    public static final long CACHE_BYTES = 256L << 20;

    private static final LinkedHashMap<String, Object> CACHE = new LinkedHashMap<>(16, 0.75f, true);
    private static long cachedBytes;

    private final List<Member> members;
    private final PairSpec spec;

    /** Solves pairs of {@code members} as {@code spec} says. */
    public PairSolver(List<Member> members, PairSpec spec) {
        Require.nonNull(members, "members");
        Require.nonNull(spec, "spec");
        this.members = List.copyOf(members);
        this.spec = spec;
    }

    @Override
    public String apply(PairTask task) {
        return solve(task.i(), task.j()).toLine();
    }

    /** The outcome for the pair {@code (i, j)}. */
    public PairResult solve(int i, int j) {
        long t0 = System.nanoTime();
        Object a = load(members.get(i));
        Object b = load(members.get(j));
        if (a instanceof String reason) {
            return PairResult.bad(i, j, seconds(t0), reason);
        }
        if (b instanceof String reason) {
            return PairResult.bad(i, j, seconds(t0), reason);
        }
        DMatrixRMaj fa = null;
        DMatrixRMaj fb = null;
        if (spec.method().fused()) {
            Object ta = features(members.get(i), ((MetricMeasureSpace) a).size());
            Object tb = features(members.get(j), ((MetricMeasureSpace) b).size());
            if (ta instanceof String reason) {
                return PairResult.bad(i, j, seconds(t0), reason);
            }
            if (tb instanceof String reason) {
                return PairResult.bad(i, j, seconds(t0), reason);
            }
            fa = (DMatrixRMaj) ta;
            fb = (DMatrixRMaj) tb;
            if (fa.numCols != fb.numCols) {
                return PairResult.bad(i, j, seconds(t0), "members " + members.get(i).name() + " and "
                        + members.get(j).name() + " have " + fa.numCols + " and " + fb.numCols
                        + " feature columns (expected the same features)");
            }
        }
        try {
            return run(i, j, (MetricMeasureSpace) a, (MetricMeasureSpace) b, fa, fb, t0);
        } catch (IllegalArgumentException e) {
            return PairResult.bad(i, j, seconds(t0), "solver: " + e.getMessage());
        } catch (RuntimeException e) {
            // a failure of the solver on this pair's data must not end the whole job: reported with the pair
            return PairResult.bad(i, j, seconds(t0), "solver failed: " + e);
        }
    }

    private PairResult run(int i, int j, MetricMeasureSpace x, MetricMeasureSpace y, DMatrixRMaj fx, DMatrixRMaj fy,
            long t0) {
        DMatrixRMaj a = x.space().distanceMatrix();
        DMatrixRMaj b = y.space().distanceMatrix();
        int limit = spec.maxIterations();
        switch (spec.method()) {
            case GW -> {
                GromovWasserstein.Options o = GromovWasserstein.Options.defaults();
                return gw(i, j, GromovWasserstein.conditionalGradient(x, y, limit > 0 ? o.withMaxIterations(limit)
                        : o), Double.NaN, t0);
            }
            case ENTROPIC_GW -> {
                GromovWasserstein.EntropicOptions o = GromovWasserstein.EntropicOptions.defaults(spec.epsilon());
                return gw(i, j, GromovWasserstein.entropic(x, y, limit > 0 ? o.withMaxIterations(limit) : o),
                        Double.NaN, t0);
            }
            case PARTIAL_GW -> {
                PartialGromovWasserstein.Options o = PartialGromovWasserstein.Options.defaults();
                return gw(i, j, PartialGromovWasserstein.solve(a, x.weights(), b, y.weights(), spec.mass(),
                        limit > 0 ? o.withMaxIterations(limit) : o), Double.NaN, t0);
            }
            case SEMIRELAXED_GW -> {
                SemiRelaxedGromovWasserstein.Options o = SemiRelaxedGromovWasserstein.Options.defaults();
                if (limit > 0) {
                    o = o.withMaxIterations(limit);
                }
                GromovWasserstein.Result forward = SemiRelaxedGromovWasserstein.conditionalGradient(a, x.weights(),
                        b, o);
                GromovWasserstein.Result backward = SemiRelaxedGromovWasserstein.conditionalGradient(b, y.weights(),
                        a, o);
                return new PairResult(i, j, true, forward.distance(), backward.distance(),
                        forward.iterations() + backward.iterations(),
                        forward.stopReason() + "/" + backward.stopReason(),
                        forward.converged() && backward.converged(), seconds(t0), "");
            }
            case LOWRANK_GW -> {
                LowRankGromovWasserstein.Options o = LowRankGromovWasserstein.Options.defaults(spec.rank())
                        .withSeed(spec.seed());
                if (limit > 0) {
                    o = o.withMaxIterations(limit);
                }
                if (Double.isFinite(spec.epsilon())) {
                    o = o.withEpsilon(spec.epsilon());
                }
                LowRankGromovWasserstein.Result r = LowRankGromovWasserstein.solve(
                        LowRankGromovWasserstein.dense(a, "x"), x.weights(), LowRankGromovWasserstein.dense(b, "y"),
                        y.weights(), o);
                return new PairResult(i, j, true, r.distance(), Double.NaN, r.iterations(), r.stopReason().name(),
                        r.converged(), seconds(t0), "");
            }
            case EWL -> {
                return ewl(i, j, x, y, t0);
            }
            case FUSED_GW -> {
                GromovWasserstein.Options o = GromovWasserstein.Options.defaults();
                return gw(i, j, FusedGromovWasserstein.conditionalGradient(x, y,
                        FusedGromovWasserstein.featureCost(fx, fy), FusedGromovWasserstein.Options.defaults()
                                .withAlpha(spec.alpha()).withSolver(limit > 0 ? o.withMaxIterations(limit) : o)),
                        Double.NaN, t0);
            }
            case ENTROPIC_FUSED_GW -> {
                GromovWasserstein.EntropicOptions o = GromovWasserstein.EntropicOptions.defaults(spec.epsilon());
                return gw(i, j, FusedGromovWasserstein.entropic(x, y, FusedGromovWasserstein.featureCost(fx, fy),
                        FusedGromovWasserstein.EntropicOptions.defaults(spec.epsilon()).withAlpha(spec.alpha())
                                .withSolver(limit > 0 ? o.withMaxIterations(limit) : o)), Double.NaN, t0);
            }
            default -> throw new IllegalStateException(spec.method().name());
        }
    }

    private PairResult gw(int i, int j, GromovWasserstein.Result r, double second, long t0) {
        return new PairResult(i, j, true, r.distance(), second, r.iterations(), r.stopReason().name(), r.converged(),
                seconds(t0), "");
    }

    private PairResult ewl(int i, int j, MetricMeasureSpace x, MetricMeasureSpace y, long t0) {
        MetricSpace space = space(spec.space());
        JointEmbedding.Options o = JointEmbedding.Options.defaults(spec.lambda(), spec.epsilon()).withThreads(1);
        if (spec.maxIterations() > 0) {
            o = o.withOuterIterations(spec.maxIterations());
        }
        EmbeddingResult r = JointEmbedding.embed(x, y, space, o);
        double w2 = exactW2(space, r.zeta1(), r.zeta2());
        boolean converged = r.stopReason() == JointEmbedding.StopReason.PLANS_CONVERGED;
        return new PairResult(i, j, true, r.objective().total(), w2, r.outerIterations(), r.stopReason().name(),
                converged, seconds(t0), "");
    }

    /** W₂²(ζ₁, ζ₂) on X by exact OT with cost {@code D_X ∘ D_X} (both measures scaled to mass 1). */
    static double exactW2(MetricSpace space, double[] zeta1, double[] zeta2) {
        DMatrixRMaj d = space.distanceMatrix();
        double[] c = new double[d.data.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = d.data[k] * d.data[k];
        }
        int n = space.size();
        return ExactTransport.solve(unit(zeta1), unit(zeta2), c, n, n, ExactTransport.Options.defaults()).cost();
    }

    private static double[] unit(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        double[] u = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            u[k] = v[k] / s;
        }
        return u;
    }

    /** The member as a uniform mm-space, or a {@code String} saying why it cannot be one. */
    private Object load(Member m) {
        String key = m.path() + (spec.normalize() ? "#normalized" : "");
        synchronized (CACHE) {
            Object cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Object loaded;
        try {
            DenseMetricSpace d = DistanceMatrices.read(Path.of(m.path()));
            if (d.size() < 2) {
                loaded = "member " + m.name() + ": a distance matrix needs at least 2 points, got " + d.size();
            } else if (!(d.maxDistance() > 0)) {
                loaded = "member " + m.name() + ": all distances are 0";
            } else {
                MetricMeasureSpace mm = MetricMeasureSpace.uniform(d);
                loaded = spec.normalize() ? mm.normalizedToMax(1) : mm;
            }
        } catch (RuntimeException e) {
            loaded = "member " + m.name() + ": " + e.getMessage();
        }
        remember(key, loaded);
        return loaded;
    }

    /**
     * The feature table of {@code m} ({@code size} rows, finite), or a {@code String} saying why there is none. Used
     * as given, also with {@code --normalize}.
     */
    private static Object features(Member m, int size) {
        String key = m.path() + "#features";
        synchronized (CACHE) {
            Object cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Object loaded;
        Path file = m.features();
        if (file == null) {
            loaded = "member " + m.name() + ": no feature table " + m.name() + Member.FEATURES + ".npy or "
                    + m.name() + Member.FEATURES + ".csv beside it (fused GW needs one row of features per point)";
        } else {
            try {
                DMatrixRMaj f = Tables.read(file).values();
                loaded = f;
                if (f.numRows != size) {
                    loaded = "member " + m.name() + ": feature table " + file.getFileName() + " has " + f.numRows
                            + " rows but the distance matrix has " + size + " points (expected one row per point)";
                } else if (f.numCols < 1) {
                    loaded = "member " + m.name() + ": feature table " + file.getFileName() + " has no columns";
                } else {
                    for (int t = 0; t < f.numRows * f.numCols; t++) {
                        if (!Double.isFinite(f.data[t])) {
                            loaded = "member " + m.name() + ": feature table " + file.getFileName() + " has "
                                    + f.data[t] + " at [" + t / f.numCols + "," + t % f.numCols
                                    + "] (expected finite values)";
                            break;
                        }
                    }
                }
            } catch (RuntimeException e) {
                loaded = "member " + m.name() + ": feature table " + file.getFileName() + ": " + e.getMessage();
            }
        }
        remember(key, loaded);
        return loaded;
    }

    private static void remember(String key, Object loaded) {
        synchronized (CACHE) {
            if (CACHE.put(key, loaded) == null) {
                cachedBytes += bytes(loaded);
            }
            var it = CACHE.entrySet().iterator();
            while (cachedBytes > CACHE_BYTES && CACHE.size() > 2 && it.hasNext()) {
                Map.Entry<String, Object> eldest = it.next();
                cachedBytes -= bytes(eldest.getValue());
                it.remove();
            }
        }
    }

    private static long bytes(Object loaded) {
        if (loaded instanceof DMatrixRMaj f) {
            return 8L * f.data.length;
        }
        return loaded instanceof MetricMeasureSpace m ? 8L * m.size() * m.size() + 8L * m.size() : 64;
    }

    private static final Map<String, MetricSpace> SPACES = Collections.synchronizedMap(new LinkedHashMap<>());

    private static MetricSpace space(String spec) {
        return SPACES.computeIfAbsent(spec, EmbeddingSpaces::parse);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

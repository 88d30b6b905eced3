package org.gwembed.solvers;

import static org.gwembed.core.Fixtures.relativeDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.gwembed.metricspaces.GridStructure;
import org.gwembed.metricspaces.PlaneGrid;
import org.junit.jupiter.api.Test;

class ChainSinkhornTest {

    private static final double PLAN_TOLERANCE = 1e-10;

    private static double[] simplex(SplittableRandom rng, int n) {
        double[] w = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            w[i] = 0.2 + rng.nextDouble();
            s += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= s;
        }
        return w;
    }

    /**
     * Brute force: the full tensor γ = Π u_v Π K_e for a chain with sizes {@code sizes}, solved by plain-domain
     * node updates on the tensor itself (no messages), to machine precision.
     */
    static final class TensorChain {
        final int[] sizes;
        final List<double[]> costs;
        final List<ChainSinkhorn.Node> nodes;
        final double eps;
        final double[][] u;
        final int total;

        TensorChain(int[] sizes, List<double[]> costs, List<ChainSinkhorn.Node> nodes, double eps) {
            this.sizes = sizes;
            this.costs = costs;
            this.nodes = nodes;
            this.eps = eps;
            u = new double[sizes.length][];
            int t = 1;
            for (int v = 0; v < sizes.length; v++) {
                u[v] = new double[sizes[v]];
                java.util.Arrays.fill(u[v], 1.0);
                t *= sizes[v];
            }
            total = t;
        }

        int[] index(int flat) {
            int[] x = new int[sizes.length];
            for (int v = sizes.length - 1; v >= 0; v--) {
                x[v] = flat % sizes[v];
                flat /= sizes[v];
            }
            return x;
        }

        /** γ without the scaling of node {@code skip} (or with all scalings when skip = −1). */
        double entry(int[] x, int skip) {
            double g = 1;
            for (int v = 0; v < sizes.length; v++) {
                if (v != skip) {
                    g *= u[v][x[v]];
                }
            }
            for (int e = 0; e < costs.size(); e++) {
                g *= Math.exp(-costs.get(e)[x[e] * sizes[e + 1] + x[e + 1]] / eps);
            }
            return g;
        }

        void solve(int sweeps) {
            for (int s = 0; s < sweeps; s++) {
                for (int v = 0; v < sizes.length; v++) {
                    ChainSinkhorn.Node node = nodes.get(v);
                    if (node.rho() == 0) {
                        continue;
                    }
                    double[] partial = new double[sizes[v]];
                    for (int f = 0; f < total; f++) {
                        int[] x = index(f);
                        partial[x[v]] += entry(x, v);
                    }
                    double kappa = node.rho() == Double.POSITIVE_INFINITY ? 1 : node.rho() / (node.rho() + eps);
                    for (int i = 0; i < sizes[v]; i++) {
                        u[v][i] = Math.pow(node.measure()[i] / partial[i], kappa);
                    }
                }
            }
        }

        double[] pairwise(int e) {
            double[] p = new double[sizes[e] * sizes[e + 1]];
            for (int f = 0; f < total; f++) {
                int[] x = index(f);
                p[x[e] * sizes[e + 1] + x[e + 1]] += entry(x, -1);
            }
            return p;
        }
    }

    private static void compareWithBruteForce(int[] sizes, List<ChainSinkhorn.Node> nodes, double eps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> costs = new ArrayList<>();
        List<LogKernel> kernels = new ArrayList<>();
        for (int e = 0; e + 1 < sizes.length; e++) {
            double[] c = rng.doubles(sizes[e] * sizes[e + 1]).toArray();
            costs.add(c);
            kernels.add(new DenseLogKernel(c, sizes[e], sizes[e + 1], 1));
        }
        TensorChain brute = new TensorChain(sizes, costs, nodes, eps);
        brute.solve(3000);
        ChainSinkhorn chain = new ChainSinkhorn(kernels, nodes);
        ChainSinkhorn.Result r = chain.solve(ChainSinkhorn.Options.defaults(eps).withTolerance(1e-14)
                .withMaxIterations(100_000));
        assertFalse(r.stopReason() == ChainSinkhorn.StopReason.NUMERICAL_FAILURE);
        for (int e = 0; e + 1 < sizes.length; e++) {
            double[] expected = brute.pairwise(e);
            double[] actual = chain.edgePlan(e);
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], actual[k], PLAN_TOLERANCE, "edge " + e + " entry " + k + " " + r);
            }
        }
    }

    @Test
    void fourNodeChainWithFreeMiddleMatchesTheFullTensor() {
        SplittableRandom rng = new SplittableRandom(42);
        int[] sizes = {3, 4, 4, 2};
        List<ChainSinkhorn.Node> nodes = List.of(ChainSinkhorn.Node.hard(simplex(rng, 3)),
                ChainSinkhorn.Node.free(4), ChainSinkhorn.Node.free(4), ChainSinkhorn.Node.hard(simplex(rng, 2)));
        compareWithBruteForce(sizes, nodes, 0.3, 7);
        compareWithBruteForce(sizes, nodes, 0.05, 8);
    }

    @Test
    void unbalancedAndMixedNodesMatchTheFullTensor() {
        SplittableRandom rng = new SplittableRandom(43);
        int[] sizes = {3, 4, 2};
        List<ChainSinkhorn.Node> nodes = List.of(ChainSinkhorn.Node.unbalanced(simplex(rng, 3), 0.7),
                ChainSinkhorn.Node.hard(simplex(rng, 4)), ChainSinkhorn.Node.unbalanced(simplex(rng, 2), 2.0));
        compareWithBruteForce(sizes, nodes, 0.2, 9);
        List<ChainSinkhorn.Node> two = List.of(ChainSinkhorn.Node.unbalanced(simplex(rng, 3), 0.5),
                ChainSinkhorn.Node.unbalanced(simplex(rng, 5), 1.5));
        compareWithBruteForce(new int[] {3, 5}, two, 0.1, 10);
    }

    @Test
    void kullbackLeiblerExponentLimitsAreHardAndFree() {
        SplittableRandom rng = new SplittableRandom(44);
        double[] a = simplex(rng, 4);
        double[] b = simplex(rng, 5);
        double[] c = rng.doubles(20).toArray();
        ChainSinkhorn.Options o = ChainSinkhorn.Options.defaults(0.1).withTolerance(1e-13).withMaxIterations(200_000)
                .withStopRule(ChainSinkhorn.StopRule.POTENTIAL_CHANGE);
        double[] hard = Sinkhorn.solve(a, Double.POSITIVE_INFINITY, b, Double.POSITIVE_INFINITY, c, o, null, null)
                .plan();
        double[] nearHard = Sinkhorn.solve(a, 1e9, b, 1e9, c, o, null, null).plan();
        for (int k = 0; k < hard.length; k++) {
            assertEquals(hard[k], nearHard[k], 1e-8, "rho -> inf, entry " + k);
        }
        // rho -> 0 at b: b becomes free, the plan is diag(u) K with row sums a
        double[] free = Sinkhorn.solve(a, Double.POSITIVE_INFINITY, b, 0, c, o, null, null).plan();
        double[] nearFree = Sinkhorn.solve(a, Double.POSITIVE_INFINITY, b, 1e-9, c, o, null, null).plan();
        for (int i = 0; i < 4; i++) {
            double z = 0;
            for (int j = 0; j < 5; j++) {
                z += Math.exp(-c[i * 5 + j] / 0.1);
            }
            for (int j = 0; j < 5; j++) {
                double expected = a[i] * Math.exp(-c[i * 5 + j] / 0.1) / z;
                assertEquals(expected, free[i * 5 + j], 1e-14);
                assertEquals(expected, nearFree[i * 5 + j], 1e-8);
            }
        }
    }

    /** Textbook plain-domain Sinkhorn: u = a / (K v), v = b / (Kᵀ u), from v = 1. */
    private static double[] plainSinkhorn(double[] a, double[] b, double[] c, double eps, int iterations) {
        return plainSinkhorn(a, b, c, eps, iterations, ones(b.length));
    }

    /** As {@link #plainSinkhorn(double[], double[], double[], double, int)} from the scaling {@code v0}. */
    private static double[] plainSinkhorn(double[] a, double[] b, double[] c, double eps, int iterations,
            double[] v0) {
        int n = a.length;
        int m = b.length;
        double[] k = new double[n * m];
        for (int t = 0; t < k.length; t++) {
            k[t] = Math.exp(-c[t] / eps);
        }
        double[] u = new double[n];
        double[] v = v0.clone();
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += k[i * m + j] * v[j];
                }
                u[i] = a[i] / s;
            }
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += k[i * m + j] * u[i];
                }
                v[j] = b[j] / s;
            }
        }
        double[] p = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                p[i * m + j] = u[i] * k[i * m + j] * v[j];
            }
        }
        return p;
    }

    @Test
    void stabilisedSinkhornAgreesWithPlainSinkhornWherePlainWorks() {
        SplittableRandom rng = new SplittableRandom(45);
        int n = 40;
        int m = 30;
        double[] a = simplex(rng, n);
        double[] b = simplex(rng, m);
        double[] c = rng.doubles(n * m).toArray();
        double eps = 0.05;
        double[] plain = plainSinkhorn(a, b, c, eps, 5000);
        Sinkhorn.Result r = Sinkhorn.balanced(a, b, c, ChainSinkhorn.Options.defaults(eps).withTolerance(1e-13));
        assertTrue(r.converged(), r.chain().toString());
        for (int t = 0; t < plain.length; t++) {
            assertEquals(plain[t], r.plan()[t], 1e-12, "entry " + t);
        }
    }

    @Test
    void tinyEpsilonStaysFiniteAndAccurate() {
        SplittableRandom rng = new SplittableRandom(46);
        int n = 60;
        int m = 50;
        double[] a = simplex(rng, n);
        double[] b = simplex(rng, m);
        double[] c = rng.doubles(n * m).toArray(); // costs in [0, 1]
        double eps = 1e-4;
        // the plain domain is hopeless here: every kernel entry with cost > 0.0745 underflows to 0
        assertEquals(0.0, Math.exp(-0.08 / eps));
        Sinkhorn.Result r = Sinkhorn.balanced(a, b, c, ChainSinkhorn.Options.defaults(eps).withTolerance(1e-9)
                .withMaxIterations(200_000).withEpsilonScaling(0.1, 4, 200));
        assertTrue(r.converged(), r.chain().toString());
        double[] rows = new double[n];
        double[] cols = new double[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double p = r.plan()[i * m + j];
                assertTrue(Double.isFinite(p) && p >= 0, "entry " + i + "," + j + " = " + p);
                rows[i] += p;
                cols[j] += p;
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(a[i], rows[i], 1e-9);
        }
        for (int j = 0; j < m; j++) {
            assertEquals(b[j], cols[j], 1e-9);
        }
        // complementary slackness of entropic OT: P_ij = exp((f_i + g_j − C_ij)/ε) with f, g the potentials
        for (int t = 0; t < 100; t++) {
            int i = rng.nextInt(n);
            int j = rng.nextInt(m);
            double logP = (r.f()[i] + r.g()[j] - c[i * m + j]) / eps;
            assertEquals(Math.exp(logP), r.plan()[i * m + j], 1e-12);
        }
    }

    /** The EW_λ chain Y₁ – X – X – Y₂ over a plane grid, with random data-side costs and measures. */
    private record EwChain(PlaneGrid grid, int n1, int n2, double[] c12, double[] c34, List<ChainSinkhorn.Node> nodes) {

        static EwChain random(SplittableRandom rng, int side, int n1, int n2) {
            PlaneGrid grid = PlaneGrid.of(side, 1.3);
            int big = grid.size();
            double[] c12 = rng.doubles(n1 * big).toArray();
            double[] c34 = rng.doubles(big * n2).toArray();
            double[] xi1 = simplex(rng, n1);
            double[] xi2 = simplex(rng, n2);
            return new EwChain(grid, n1, n2, c12, c34, List.of(ChainSinkhorn.Node.hard(xi1),
                    ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.hard(xi2)));
        }

        SeparableLogKernel middle() {
            return new SeparableLogKernel(grid.hint(GridStructure.class).orElseThrow(), 1.0, 2);
        }
    }

    @Test
    void separableMiddleEdgeGivesTheSamePlansAsDense() {
        EwChain ew = EwChain.random(new SplittableRandom(47), 6, 7, 5);
        PlaneGrid grid = ew.grid();
        int big = grid.size();
        int n1 = ew.n1();
        int n2 = ew.n2();
        double[] c12 = ew.c12();
        double[] c34 = ew.c34();
        double[] c23 = new double[big * big];
        for (int k = 0; k < big; k++) {
            for (int l = 0; l < big; l++) {
                double d = grid.distance(k, l);
                c23[k * big + l] = d * d;
            }
        }
        List<ChainSinkhorn.Node> nodes = ew.nodes();
        ChainSinkhorn.Options o = ChainSinkhorn.Options.defaults(0.01).withTolerance(1e-13);
        ChainSinkhorn dense = new ChainSinkhorn(List.of(new DenseLogKernel(c12, n1, big),
                new DenseLogKernel(c23, big, big), new DenseLogKernel(c34, big, n2)), nodes);
        ChainSinkhorn sep = new ChainSinkhorn(List.of(new DenseLogKernel(c12, n1, big), ew.middle(),
                new DenseLogKernel(c34, big, n2)), nodes);
        ChainSinkhorn.Result rd = dense.solve(o);
        ChainSinkhorn.Result rs = sep.solve(o);
        assertTrue(rd.converged() && rs.converged());
        assertEquals(List.of("dense", "separable 6x6", "dense"), rs.kernelKinds());
        for (int e = 0; e < 3; e++) {
            double[] pd = dense.edgePlan(e);
            double[] ps = sep.edgePlan(e);
            for (int t = 0; t < pd.length; t++) {
                assertEquals(pd[t], ps[t], 1e-12, "edge " + e + " entry " + t);
            }
        }
        // the free middle marginals are the column sums of P1 and the row sums of P2
        double[] p1 = sep.edgePlan(0);
        for (int k = 0; k < big; k++) {
            double s = 0;
            for (int i = 0; i < n1; i++) {
                s += p1[i * big + k];
            }
            assertEquals(s, rs.marginals().get(1)[k], 1e-12);
        }
    }

    @Test
    void singlePrecisionKernelsGiveTheSamePlansToFloatAccuracy() {
        // the EW_λ chain with small ε (entries of the plans spread over many orders of magnitude)
        EwChain ew = EwChain.random(new SplittableRandom(48), 8, 60, 50);
        int big = ew.grid().size();
        ChainSinkhorn.Options o = ChainSinkhorn.Options.defaults(0.01).withTolerance(1e-9);
        double[][] plans = new double[2][];
        for (Precision precision : Precision.values()) {
            ChainSinkhorn chain = new ChainSinkhorn(List.of(new DenseLogKernel(ew.c12(), ew.n1(), big, 2, precision),
                    ew.middle(), new DenseLogKernel(ew.c34(), big, ew.n2(), 2, precision)), ew.nodes());
            ChainSinkhorn.Result r = chain.solve(o);
            assertTrue(r.converged(), precision + ": " + r.stopReason() + ", marginal error " + r.marginalError());
            plans[precision.ordinal()] = chain.edgePlan(0);
            if (precision == Precision.SINGLE) {
                assertEquals(List.of("dense (single precision)", "separable 8x8", "dense (single precision)"),
                        r.kernelKinds());
            }
        }
        // float kernels are exact to ~1e-7 relative per entry, a perturbation of the costs by ~1e-7 ε
        double total = 0;
        double deviation = 0;
        for (int t = 0; t < plans[0].length; t++) {
            total += plans[0][t];
            deviation += Math.abs(plans[0][t] - plans[1][t]);
        }
        assertEquals(1.0, total, 1e-8);
        assertTrue(deviation < 1e-5, "L1 distance of the plans " + deviation);
        assertTrue(deviation > 0, "the single-precision kernels were used");
    }

    /**
     * A kernel that applies {@code inner} and counts the calls, offering {@code inner}'s scaling form or none (then
     * its solves stay in the log domain).
     */
    private static final class Counting implements LogKernel {
        final LogKernel inner;
        final boolean offerScaling;
        int applications;
        int scalings;

        Counting(LogKernel inner, boolean offerScaling) {
            this.inner = inner;
            this.offerScaling = offerScaling;
        }

        @Override
        public int rows() {
            return inner.rows();
        }

        @Override
        public int cols() {
            return inner.cols();
        }

        @Override
        public double cost(int i, int j) {
            return inner.cost(i, j);
        }

        @Override
        public void apply(double epsilon, double[] in, double[] out) {
            applications++;
            inner.apply(epsilon, in, out);
        }

        @Override
        public void applyTranspose(double epsilon, double[] in, double[] out) {
            applications++;
            inner.applyTranspose(epsilon, in, out);
        }

        @Override
        public Scaling scaling(double epsilon, double[] w) {
            scalings++;
            return offerScaling ? inner.scaling(epsilon, w) : null;
        }

        @Override
        public String kind() {
            return "counting " + inner.kind();
        }
    }

    @Test
    void scalingDomainIteratesAsTheLogDomain() {
        SplittableRandom rng = new SplittableRandom(61);
        int n = 40;
        int m = 35;
        double[] a = simplex(rng, n);
        double[] b = simplex(rng, m);
        b[3] = 0; // a massless column
        double sb = Arrays.stream(b).sum();
        for (int j = 0; j < m; j++) {
            b[j] /= sb;
        }
        double[] c = rng.doubles(n * m).map(x -> 2 * x).toArray();
        double[] f = rng.doubles(n).map(x -> 0.05 * x).toArray();
        double[] g = rng.doubles(m).map(x -> 0.05 * x).toArray();
        // 1e-3 on costs up to 2: the potentials drift past the kernel's range and it is rebuilt; 1e-4: whole
        // columns underflow and the log domain takes over
        int[] rebuilt = new int[3];
        int[] handedOver = new int[3];
        double[] epsilons = {0.05, 1e-3, 1e-4};
        for (int e = 0; e < epsilons.length; e++) {
            double eps = epsilons[e];
            ChainSinkhorn.Options converge = ChainSinkhorn.Options.defaults(eps).withCheckEvery(1).withTolerance(1e-9);
            List<ChainSinkhorn.Options> all = List.of(converge, converge.withCheckEvery(7),
                    converge.withForwardStart(true), converge.withMaxIterations(12),
                    converge.withForwardStart(true).withMaxIterations(12),
                    converge.withStopRule(ChainSinkhorn.StopRule.FIXED_ITERATIONS).withMaxIterations(9),
                    converge.withStopRule(ChainSinkhorn.StopRule.FIXED_ITERATIONS).withMaxIterations(9)
                            .withForwardStart(true),
                    // over-relaxed: σ ← σ (σ_plain / σ)^ω as the log domain's u ← u + ω (u_plain − u)
                    converge.withRelaxation(1.5), converge.withAdaptiveRelaxation(1.9),
                    converge.withForwardStart(true).withAdaptiveRelaxation(1.9).withCheckEvery(7));
            for (ChainSinkhorn.Options o : all) {
                for (boolean warm : new boolean[] {false, true}) {
                    double[] planScaling = new double[n * m];
                    double[] planLog = new double[n * m];
                    Counting scaling = new Counting(new DenseLogKernel(c, n, m, 1), true);
                    Counting log = new Counting(new DenseLogKernel(c, n, m, 1), false);
                    ChainSinkhorn.Result rs = Sinkhorn.solve(scaling, a, Double.POSITIVE_INFINITY, b,
                            Double.POSITIVE_INFINITY, o, warm ? f : null, warm ? g : null, planScaling);
                    ChainSinkhorn.Result rl = Sinkhorn.solve(log, a, Double.POSITIVE_INFINITY, b,
                            Double.POSITIVE_INFINITY, o, warm ? f : null, warm ? g : null, planLog);
                    String what = "eps " + eps + ", " + o + ", warm " + warm;
                    assertEquals(rl.iterations(), rs.iterations(), what + ": log domain " + rl.stopReason()
                            + ", scaling domain " + rs.stopReason());
                    assertEquals(rl.stopReason(), rs.stopReason(), what);
                    double max = Arrays.stream(planLog).max().orElseThrow();
                    // an adaptive ω follows the residuals, whose round-off differs between the domains once a kernel
                    // is rebuilt: the iterates then agree to the stopping rule's resolution, not to round-off (at
                    // ε 1e-3 the slow modes leave plans with marginal errors below 1e-9 up to 6e-7 apart, relative)
                    boolean adaptive = o.adaptiveRelaxation();
                    for (int t = 0; t < planLog.length; t++) {
                        assertEquals(planLog[t], planScaling[t], (adaptive ? 1e-5 : PLAN_TOLERANCE) * max,
                                what + ", entry " + t);
                    }
                    if (!Double.isNaN(rl.marginalError())) {
                        assertEquals(rl.marginalError(), rs.marginalError(), adaptive ? 1e-9 : 1e-12, what);
                    }
                    assertTrue(log.applications > 0 && scaling.scalings >= 1, what);
                    rebuilt[e] += scaling.scalings - 1;
                    handedOver[e] += scaling.applications > 0 ? 1 : 0;
                }
            }
        }
        assertEquals(0, rebuilt[0] + handedOver[0], "0.05: one kernel, no log-domain iteration");
        assertTrue(rebuilt[1] > 0, "1e-3: the kernel was rebuilt");
        assertTrue(handedOver[2] > 0, "1e-4: the log domain took over");
    }

    @Test
    void warmStartFromConvergedPotentialsConvergesAtOnce() {
        SplittableRandom rng = new SplittableRandom(48);
        double[] a = simplex(rng, 20);
        double[] b = simplex(rng, 25);
        double[] c = rng.doubles(500).toArray();
        ChainSinkhorn.Options o = ChainSinkhorn.Options.defaults(0.01).withTolerance(1e-11);
        Sinkhorn.Result cold = Sinkhorn.balanced(a, b, c, o);
        Sinkhorn.Result warm = Sinkhorn.solve(a, Double.POSITIVE_INFINITY, b, Double.POSITIVE_INFINITY, c, o,
                cold.f(), cold.g());
        assertTrue(cold.chain().iterations() > 10, "cold start should need work: " + cold.chain());
        assertEquals(10, warm.chain().iterations(), "warm start converges at the first check: " + warm.chain());
    }

    @Test
    void aSolvesOwnPotentialsStartTheNextOneWhenSomeMassIsZero() {
        // points without mass get the potential −∞; fed back as a warm start (as EW_λ does across its outer
        // iterations) they used to be rejected as not finite
        SplittableRandom rng = new SplittableRandom(49);
        double[] a = simplex(rng, 20);
        double[] b = simplex(rng, 25);
        a[3] = 0;
        b[7] = 0;
        double sa = Arrays.stream(a).sum();
        double sb = Arrays.stream(b).sum();
        for (int i = 0; i < a.length; i++) {
            a[i] /= sa;
        }
        for (int j = 0; j < b.length; j++) {
            b[j] /= sb;
        }
        double[] c = rng.doubles(500).toArray();
        ChainSinkhorn.Options o = ChainSinkhorn.Options.defaults(0.01).withTolerance(1e-11);
        DenseLogKernel k = new DenseLogKernel(c, 20, 25);
        ChainSinkhorn chain = new ChainSinkhorn(List.of(k), List.of(ChainSinkhorn.Node.hard(a),
                ChainSinkhorn.Node.hard(b)));
        ChainSinkhorn.Result cold = chain.solve(o);
        assertTrue(cold.converged(), cold.toString());
        assertEquals(Double.NEGATIVE_INFINITY, cold.potentials().get(0)[3]);
        ChainSinkhorn.Result warm = chain.solve(o, cold.potentials());
        assertTrue(warm.converged() && warm.iterations() <= 10, "warm start converges at once: " + warm);
        // elsewhere a start must be finite, and the message says where it is not
        double[] bad = cold.potentials().get(0).clone();
        bad[4] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chain.solve(o, List.of(bad, cold.potentials().get(1))));
        assertTrue(e.getMessage().contains("initialPotentials[0][4]") && e.getMessage().contains("NaN"),
                e.getMessage());
        double[] minusInfinityWithMass = cold.potentials().get(0).clone();
        minusInfinityWithMass[5] = Double.NEGATIVE_INFINITY;
        assertThrows(IllegalArgumentException.class,
                () -> chain.solve(o, List.of(minusInfinityWithMass, cold.potentials().get(1))));
    }

    /**
     * JointMDS's {@code sinkhorn(C, a, b, eps, v, return_v=True, max_iter)} as its authors wrote it, in the log
     * domain with plain log-sum-exp loops: from the row potential {@code v} (log units, updated in place), per
     * iteration {@code u_j = log b_j − logsumexp_i(v_i − C_ij/ε)}, then {@code v_i = log a_i − logsumexp_j(u_j −
     * C_ij/ε)}; returns the plan {@code exp(u_j + v_i − C_ij/ε)} ({@code m × n}).
     */
    private static double[] jointMdsSinkhorn(double[] c, int m, int n, double[] a, double[] b, double eps,
            double[] v, int iterations) {
        double[] u = new double[n];
        double[] terms = new double[Math.max(m, n)];
        for (int it = 0; it < iterations; it++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    terms[i] = v[i] - c[i * n + j] / eps;
                }
                u[j] = Math.log(b[j]) - logSumExp(terms, m);
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    terms[j] = u[j] - c[i * n + j] / eps;
                }
                v[i] = Math.log(a[i]) - logSumExp(terms, n);
            }
        }
        double[] plan = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                plan[i * n + j] = Math.exp(u[j] + v[i] - c[i * n + j] / eps);
            }
        }
        return plan;
    }

    private static double logSumExp(double[] x, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < length; k++) {
            max = Math.max(max, x[k]);
        }
        double s = 0;
        for (int k = 0; k < length; k++) {
            s += Math.exp(x[k] - max);
        }
        return max + Math.log(s);
    }

    @Test
    void fixedIterationsOverTheColumnsThenTheRowsAreJointMdsSinkhorn() {
        int m = 30;
        int n = 45;
        SplittableRandom rng = new SplittableRandom(11);
        double[] c = new double[m * n];
        for (int k = 0; k < c.length; k++) {
            c[k] = 4 * rng.nextDouble();
        }
        double[] costT = new double[n * m]; // node 0: the columns j, node 1: the rows i
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                costT[j * m + i] = c[i * n + j];
            }
        }
        double[] a = simplex(rng, m);
        double[] b = simplex(rng, n);
        // ε = 1e-4 on costs up to 4: whole kernel rows underflow, the kernel refreshes; 0.1 stays in one kernel
        for (double eps : new double[] {0.1, 1e-3, 1e-4}) {
            double[] v = new double[m];
            jointMdsSinkhorn(c, m, n, a, b, eps, v, 5); // a warm row potential, as the alternations pass it on
            double[] warm = new double[m];
            for (int i = 0; i < m; i++) {
                warm[i] = eps * v[i];
            }
            double[] expected = jointMdsSinkhorn(c, m, n, a, b, eps, v, 5);
            double[] planT = new double[n * m];
            ChainSinkhorn.Result r = Sinkhorn.solve(new DenseLogKernel(costT, n, m), b, Double.POSITIVE_INFINITY, a,
                    Double.POSITIVE_INFINITY, ChainSinkhorn.Options.defaults(eps).withMaxIterations(5)
                            .withStopRule(ChainSinkhorn.StopRule.FIXED_ITERATIONS), null, warm, planT);
            double max = Arrays.stream(expected).max().orElseThrow();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(expected[i * n + j], planT[j * m + i], PLAN_TOLERANCE * max,
                            "eps " + eps + " entry " + i + "," + j);
                }
                assertEquals(v[i], r.potentials().get(1)[i] / eps, 1e-8 * Math.max(1, Math.abs(v[i])),
                        "eps " + eps + " v " + i);
            }
            assertEquals(5, r.iterations());
            assertEquals(ChainSinkhorn.StopReason.MAX_ITERATIONS, r.stopReason());
            assertTrue(r.marginals().isEmpty() && Double.isNaN(r.marginalError()), "no closing sweep: " + r);
        }
    }

    @Test
    void forwardStartUpdatesTheSecondMarginalFirstFromTheFirstOnesPotential() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 25;
        int m = 20;
        double[] a = simplex(rng, n);
        double[] b = simplex(rng, m);
        double[] c = rng.doubles(n * m).toArray();
        double eps = 0.02;
        double[] f = rng.doubles(n).map(x -> 0.1 * x).toArray();
        // POT's order in the plain domain, warm from u = exp(f/ε): per iteration v = b / Kᵀu, then u = a / Kv, i.e.
        // the textbook order on the transposed problem started from u
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = Math.exp(f[i] / eps);
        }
        int iterations = 7;
        double[] expectedT = plainSinkhorn(b, a, GromovWassersteinTest.transpose(c, n, m), eps, iterations, u);
        double[] plan = new double[n * m];
        ChainSinkhorn.Result r = Sinkhorn.solve(new DenseLogKernel(c, n, m), a, Double.POSITIVE_INFINITY, b,
                Double.POSITIVE_INFINITY, ChainSinkhorn.Options.defaults(eps).withMaxIterations(iterations)
                        .withStopRule(ChainSinkhorn.StopRule.FIXED_ITERATIONS).withForwardStart(true),
                f, rng.doubles(m).toArray(), plan);
        double max = Arrays.stream(plan).max().orElseThrow();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(expectedT[j * n + i], plan[i * m + j], PLAN_TOLERANCE * max, i + "," + j);
            }
        }
        // each iteration ends with the first marginal's update: it holds
        double[] rows = new double[n];
        for (int t = 0; t < plan.length; t++) {
            rows[t / m] += plan[t];
        }
        for (int i = 0; i < n; i++) {
            assertEquals(a[i], rows[i], 1e-14);
        }
        assertEquals(iterations, r.iterations());
    }

    /** The EW_λ chain at small ε, solved with the given options; returns {result, P₁, P₂}. */
    private static Object[] solveEw(EwChain ew, ChainSinkhorn.Options o) {
        int big = ew.grid().size();
        ChainSinkhorn chain = new ChainSinkhorn(List.of(new DenseLogKernel(ew.c12(), ew.n1(), big, 2),
                ew.middle(), new DenseLogKernel(ew.c34(), big, ew.n2(), 2)), ew.nodes());
        ChainSinkhorn.Result r = chain.solve(o);
        return new Object[] {r, chain.edgePlan(0), chain.edgePlan(2)};
    }

    private static double l1(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs(x[i] - y[i]);
        }
        return s;
    }

    @Test
    void overRelaxationReachesThePlainFixedPointInFewerIterations() {
        // small ε: the plain iteration contracts slowly, where over-relaxation pays
        EwChain ew = EwChain.random(new SplittableRandom(61), 8, 60, 50);
        ChainSinkhorn.Options plain = ChainSinkhorn.Options.defaults(0.004).withTolerance(1e-12)
                .withMaxIterations(100_000);
        Object[] base = solveEw(ew, plain);
        ChainSinkhorn.Result rb = (ChainSinkhorn.Result) base[0];
        assertTrue(rb.converged(), rb.toString());
        assertEquals(1.0, rb.relaxation());
        assertTrue(rb.iterations() > 100, "the plain iteration should be slow here: " + rb.iterations());
        for (ChainSinkhorn.Options o : List.of(plain.withRelaxation(1.5), plain.withAdaptiveRelaxation(1.9))) {
            Object[] run = solveEw(ew, o);
            ChainSinkhorn.Result r = (ChainSinkhorn.Result) run[0];
            assertTrue(r.converged(), o + ": " + r);
            // the same plans to the tolerance: the fixed point is the plain iteration's
            assertTrue(l1((double[]) base[1], (double[]) run[1]) < 1e-9, "P1 " + o);
            assertTrue(l1((double[]) base[2], (double[]) run[2]) < 1e-9, "P2 " + o);
            assertTrue(r.iterations() < 0.7 * rb.iterations(), o.relaxation() + (o.adaptiveRelaxation() ? " adaptive"
                    : " fixed") + ": " + r.iterations() + " iterations against " + rb.iterations() + " plain");
            if (o.adaptiveRelaxation()) {
                assertTrue(r.relaxation() > 1.3 && r.relaxation() <= 1.9, "chosen ω " + r.relaxation());
            } else {
                assertEquals(1.5, r.relaxation());
            }
        }
    }

    @Test
    void adaptiveRelaxationStaysNearPlainWhereThePlainIterationIsFast() {
        // large ε: the plain iteration contracts at once; a fixed large ω would overshoot and slow it down
        EwChain ew = EwChain.random(new SplittableRandom(62), 6, 30, 25);
        ChainSinkhorn.Options plain = ChainSinkhorn.Options.defaults(5.0).withTolerance(1e-12).withCheckEvery(1);
        ChainSinkhorn.Result rb = (ChainSinkhorn.Result) solveEw(ew, plain)[0];
        ChainSinkhorn.Result fixed = (ChainSinkhorn.Result) solveEw(ew, plain.withRelaxation(1.9))[0];
        ChainSinkhorn.Result adaptive = (ChainSinkhorn.Result) solveEw(ew, plain.withAdaptiveRelaxation(1.9))[0];
        assertTrue(rb.converged() && fixed.converged() && adaptive.converged());
        assertTrue(fixed.iterations() > 2 * rb.iterations(), "ω 1.9: " + fixed.iterations() + " against "
                + rb.iterations());
        assertTrue(adaptive.iterations() <= rb.iterations() + 2, "adaptive: " + adaptive.iterations() + " against "
                + rb.iterations());
        assertTrue(adaptive.relaxation() < 1.2, "chosen ω " + adaptive.relaxation());
    }

    @Test
    void overRelaxedUnbalancedNodesReachTheSameSolution() {
        SplittableRandom rng = new SplittableRandom(63);
        int n = 40;
        int m = 30;
        double[] a = simplex(rng, n);
        double[] b = simplex(rng, m);
        double[] c = rng.doubles(n * m).toArray();
        ChainSinkhorn.Options o = ChainSinkhorn.Options.defaults(0.01).withTolerance(1e-12)
                .withStopRule(ChainSinkhorn.StopRule.POTENTIAL_CHANGE).withMaxIterations(100_000);
        Sinkhorn.Result plain = Sinkhorn.solve(a, 0.5, b, 2.0, c, o, null, null);
        Sinkhorn.Result relaxed = Sinkhorn.solve(a, 0.5, b, 2.0, c, o.withAdaptiveRelaxation(1.9), null, null);
        assertTrue(plain.converged() && relaxed.converged(), plain.chain() + " / " + relaxed.chain());
        assertTrue(l1(plain.plan(), relaxed.plan()) < 1e-9, "L1 " + l1(plain.plan(), relaxed.plan()));
        assertTrue(relaxed.chain().iterations() < plain.chain().iterations(), relaxed.chain().iterations() + " vs "
                + plain.chain().iterations());
    }

    @Test
    void overRelaxationWorksWithEveryStartAndPrecision() {
        EwChain ew = EwChain.random(new SplittableRandom(64), 8, 60, 50);
        int big = ew.grid().size();
        ChainSinkhorn.Options reference = ChainSinkhorn.Options.reference(0.004);
        for (Precision precision : Precision.values()) {
            for (ChainSinkhorn.Options o : List.of(reference, reference.withUnitStart(false),
                    reference.withEpsilonScaling(0.1, 4, 30))) {
                double[][] plans = new double[2][];
                int[] iterations = new int[2];
                for (int relaxed = 0; relaxed < 2; relaxed++) {
                    ChainSinkhorn chain = new ChainSinkhorn(List.of(
                            new DenseLogKernel(ew.c12(), ew.n1(), big, 2, precision), ew.middle(),
                            new DenseLogKernel(ew.c34(), big, ew.n2(), 2, precision)), ew.nodes());
                    ChainSinkhorn.Result r = chain.solve(relaxed == 1 ? o.withAdaptiveRelaxation(1.9) : o);
                    assertTrue(r.converged(), precision + " " + o + ": " + r);
                    plans[relaxed] = chain.edgePlan(0);
                    iterations[relaxed] = r.iterations();
                }
                // the reference rule stops at a scaling change of 1e-5: both runs are that close to the fixed point
                double d = l1(plans[0], plans[1]);
                assertTrue(d < 1e-4, precision + " " + o + ": L1 " + d);
                assertTrue(iterations[1] < iterations[0], precision + " " + o + ": " + iterations[1] + " against "
                        + iterations[0]);
            }
        }
    }

    @Test
    void relaxationOutsideItsRangeIsRejected() {
        ChainSinkhorn.Options o = ChainSinkhorn.Options.defaults(0.1);
        for (double bad : new double[] {0.5, 2.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.withRelaxation(bad));
            assertTrue(e.getMessage().contains("relaxation") && e.getMessage().contains("[1, 2)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> o.withAdaptiveRelaxation(bad));
        }
        assertEquals(1.0, o.relaxation());
        assertFalse(o.adaptiveRelaxation());
        // the other settings keep the relaxation
        ChainSinkhorn.Options r = o.withAdaptiveRelaxation(1.8).withTolerance(1e-7).withUnitStart(true)
                .withEpsilon(0.2).withMaxIterations(5).withCheckEvery(3)
                .withStopRule(ChainSinkhorn.StopRule.POTENTIAL_CHANGE).withEpsilonScaling(1.0, 2.0, 10);
        assertEquals(1.8, r.relaxation());
        assertTrue(r.adaptiveRelaxation());
    }

    @Test
    void nonConvergenceIsReportedNotThrown() {
        SplittableRandom rng = new SplittableRandom(49);
        double[] a = simplex(rng, 30);
        double[] b = simplex(rng, 30);
        double[] c = rng.doubles(900).toArray();
        Sinkhorn.Result r = Sinkhorn.balanced(a, b, c, ChainSinkhorn.Options.defaults(1e-3).withMaxIterations(3));
        assertEquals(ChainSinkhorn.StopReason.MAX_ITERATIONS, r.chain().stopReason());
        assertFalse(r.converged());
        assertTrue(r.chain().marginalError() > 1e-9);
    }

    @Test
    void badInputIsRejectedWithNamedArguments() {
        double[] a = {0.5, 0.5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sinkhorn.balanced(a, new double[] {0.2, 0.3}, new double[4], ChainSinkhorn.Options.defaults(1)));
        assertTrue(e.getMessage().contains("equal masses"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sinkhorn.balanced(a, a, new double[5], ChainSinkhorn.Options.defaults(1)));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChainSinkhorn.Options.defaults(-1));
        assertTrue(e.getMessage().contains("epsilon must be > 0 and finite, got -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sinkhorn.balanced(a, a, new double[] {0, Double.NaN, 1, 1}, ChainSinkhorn.Options.defaults(1)));
        assertTrue(e.getMessage().contains("cost[0,1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ChainSinkhorn(
                List.of(new DenseLogKernel(new double[6], 2, 3)),
                List.of(ChainSinkhorn.Node.hard(a), ChainSinkhorn.Node.hard(a))));
        assertTrue(e.getMessage().contains("2x3"), e.getMessage());
    }

    /**
     * A literal plain-domain port of the reference's {@code tree_sinkhorn_torch} on the chain X1 – Y1 – Y2 – X2 (root
     * X1, ρ = ∞ everywhere, only X1 and X2 carry measures): per iteration, update u at X1 from the stale backward
     * message, pass forward, update u at X2, pass backward; every 10 iterations test the relative scaling change.
     */
    private static double[][] referenceTreeSinkhorn(double[] xi1, double[] c12, double[] c23, double[] c34,
            double[] xi2, int n1, int big, int n2, double eps, int[] iterationsOut) {
        double[] k12 = new double[n1 * big];
        double[] k23 = new double[big * big];
        double[] k34 = new double[big * n2];
        for (int t = 0; t < k12.length; t++) {
            k12[t] = Math.exp(-c12[t] / eps);
        }
        for (int t = 0; t < k23.length; t++) {
            k23[t] = Math.exp(-c23[t] / eps);
        }
        for (int t = 0; t < k34.length; t++) {
            k34[t] = Math.exp(-c34[t] / eps);
        }
        double[] a = ones(n1);
        double[] b = ones(n2);
        double[] y1Backw = ones(n1); // Y1.a_backw = K12 beta2, the message X1 divides by; starts at 1
        double[] beta2 = ones(big); // Y2.a_backw
        double[] beta3;
        double[] betaX2 = ones(big); // X2.a_backw
        double[] alpha1 = ones(big);
        double[] alpha2 = ones(big);
        double[] alphaX2 = ones(n2);
        int it = 0;
        double update = Double.POSITIVE_INFINITY;
        while (update > 1e-5 && it < 10_000) {
            double[] pa = a.clone();
            double[] pb = b.clone();
            for (int i = 0; i < n1; i++) {
                a[i] = xi1[i] / y1Backw[i];
            }
            alpha1 = mulT(k12, n1, big, a);
            alpha2 = mulT(k23, big, big, alpha1);
            alphaX2 = mulT(k34, big, n2, alpha2);
            for (int j = 0; j < n2; j++) {
                b[j] = xi2[j] / alphaX2[j];
            }
            betaX2 = mul(k34, big, n2, b);
            beta3 = mul(k23, big, big, betaX2);
            beta2 = beta3;
            y1Backw = mul(k12, n1, big, beta2);
            it++;
            if (it % 10 == 0) {
                update = Math.max(relativeDifference(a, pa), relativeDifference(b, pb));
            }
        }
        iterationsOut[0] = it;
        double[] zeta1 = new double[big];
        double[] zeta2 = new double[big];
        for (int k = 0; k < big; k++) {
            zeta1[k] = alpha1[k] * beta2[k];
            zeta2[k] = alpha2[k] * betaX2[k];
        }
        return new double[][] {zeta1, zeta2, a, b};
    }

    private static double[] ones(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1.0);
        return x;
    }

    private static double[] mul(double[] k, int rows, int cols, double[] x) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += k[i * cols + j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    private static double[] mulT(double[] k, int rows, int cols, double[] x) {
        double[] y = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                y[j] += k[i * cols + j] * x[i];
            }
        }
        return y;
    }

    @Test
    void referenceRuleReproducesTheReferenceIterationsExactly() {
        SplittableRandom rng = new SplittableRandom(50);
        int n1 = 6;
        int big = 9;
        int n2 = 5;
        double[] c12 = rng.doubles(n1 * big).toArray();
        double[] c23 = rng.doubles(big * big).toArray();
        for (int k = 0; k < big; k++) {
            for (int l = 0; l < k; l++) {
                c23[k * big + l] = c23[l * big + k];
            }
        }
        double[] c34 = rng.doubles(big * n2).toArray();
        double[] xi1 = simplex(rng, n1);
        double[] xi2 = simplex(rng, n2);
        for (double eps : new double[] {0.3, 0.05}) {
            int[] iterations = new int[1];
            double[][] ref = referenceTreeSinkhorn(xi1, c12, c23, c34, xi2, n1, big, n2, eps, iterations);
            ChainSinkhorn chain = new ChainSinkhorn(List.of(new DenseLogKernel(c12, n1, big, 1),
                    new DenseLogKernel(c23, big, big, 1), new DenseLogKernel(c34, big, n2, 1)),
                    List.of(ChainSinkhorn.Node.hard(xi1), ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.free(big),
                            ChainSinkhorn.Node.hard(xi2)));
            ChainSinkhorn.Result r = chain.solve(ChainSinkhorn.Options.reference(eps));
            assertTrue(r.converged(), r.toString());
            assertEquals(iterations[0], r.iterations(), "same number of iterations as the reference, eps " + eps);
            for (int k = 0; k < big; k++) {
                assertEquals(ref[0][k], r.marginals().get(1)[k], 1e-13, "zeta1[" + k + "] eps " + eps);
                assertEquals(ref[1][k], r.marginals().get(2)[k], 1e-13, "zeta2[" + k + "] eps " + eps);
            }
            for (int i = 0; i < n1; i++) {
                assertEquals(Math.log(ref[2][i]), r.potentials().get(0)[i] / eps, 1e-11, "log a[" + i + "]");
            }
            // (exactly 0 is possible: the iterates can reach their floating-point fixed point)
            assertTrue(r.scalingChange() <= 1e-5 && r.scalingChange() >= 0, "scaling change " + r.scalingChange());
        }
    }

    @Test
    void planCostsMatchTheFormedPlans() {
        SplittableRandom rng = new SplittableRandom(51);
        PlaneGrid grid = PlaneGrid.of(5, 1.3);
        int big = grid.size();
        double[] left = rng.doubles(big).map(x -> 3 * x - 6).toArray();
        double[] right = rng.doubles(big).map(x -> 3 * x - 6).toArray();
        SeparableLogKernel sep = new SeparableLogKernel(grid.hint(GridStructure.class).orElseThrow(), 0.7, 1);
        double eps = 0.05;
        double[] plan = sep.plan(eps, left, right);
        double expected = 0;
        for (int k = 0; k < big; k++) {
            for (int l = 0; l < big; l++) {
                expected += plan[k * big + l] * sep.cost(k, l);
            }
        }
        assertEquals(expected, sep.planCost(eps, left, right), 1e-12 * expected);
        double[] c = new double[big * big];
        for (int k = 0; k < big; k++) {
            for (int l = 0; l < big; l++) {
                c[k * big + l] = sep.cost(k, l);
            }
        }
        assertEquals(expected, new DenseLogKernel(c, big, big, 1).planCost(eps, left, right), 1e-12 * expected);
    }
}

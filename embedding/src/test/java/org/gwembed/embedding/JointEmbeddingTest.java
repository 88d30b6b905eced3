package org.gwembed.embedding;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.gwembed.core.Fixtures.relativeDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.metricspaces.PointClouds;
import org.gwembed.solvers.ChainSinkhorn;
import org.gwembed.solvers.DistanceProducts;
import org.gwembed.solvers.Precision;
import org.junit.jupiter.api.Test;

class JointEmbeddingTest {

    /** n random points in the unit cube of R^dim, Euclidean distances scaled to max 1, random weights. */
    static MetricMeasureSpace randomSpace(SplittableRandom rng, int n, int dim) {
        DMatrixRMaj pts = new DMatrixRMaj(n, dim);
        for (int t = 0; t < pts.data.length; t++) {
            pts.data[t] = rng.nextDouble();
        }
        double[] w = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 + rng.nextDouble();
            s += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= s;
        }
        return MetricMeasureSpace.of(PointClouds.euclidean(pts, "random").normalizedToMax(1), w);
    }

    /**
     * Algorithm 1 on the full 4-tensor γ(i, k, l, j), REFERENCE scaling, with the reference's inner loop run on the
     * tensor itself: returns ζ₁, ζ₂ and J after {@code outer} iterations.
     */
    static double[][] bruteForce(MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x, double lambda,
            double eps, int outer) {
        int n1 = y1.size();
        int n2 = y2.size();
        int nx = x.size();
        double[][] d1 = new double[n1][n1];
        double[][] d2 = new double[n2][n2];
        double[][] dx = new double[nx][nx];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n1; j++) {
                d1[i][j] = y1.space().distance(i, j);
            }
        }
        for (int i = 0; i < n2; i++) {
            for (int j = 0; j < n2; j++) {
                d2[i][j] = y2.space().distance(i, j);
            }
        }
        double maxDx2 = 0;
        for (int k = 0; k < nx; k++) {
            for (int l = 0; l < nx; l++) {
                dx[k][l] = x.distance(k, l);
                maxDx2 = Math.max(maxDx2, dx[k][l] * dx[k][l]);
            }
        }
        double[] xi1 = y1.weights();
        double[] xi2 = y2.weights();
        double[][] p1 = new double[n1][nx];
        double[][] p2 = new double[nx][n2];
        double[] z1 = new double[nx];
        double[] z2 = new double[nx];
        for (int k = 0; k < nx; k++) {
            z1[k] = 1.0 / nx;
            z2[k] = 1.0 / nx;
            for (int i = 0; i < n1; i++) {
                p1[i][k] = xi1[i] / nx;
            }
            for (int j = 0; j < n2; j++) {
                p2[k][j] = xi2[j] / nx;
            }
        }
        double[][][][] gamma = null;
        for (int it = 0; it < outer; it++) {
            double[][] c12 = new double[n1][nx];
            double[][] c34 = new double[nx][n2];
            double min12 = Double.POSITIVE_INFINITY;
            double min34 = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n1; i++) {
                for (int k = 0; k < nx; k++) {
                    double v = 0;
                    for (int a = 0; a < n1; a++) {
                        for (int b = 0; b < nx; b++) {
                            v += Math.pow(d1[i][a] - dx[k][b], 2) * p1[a][b];
                        }
                    }
                    // compute_cGW with the reference's marginals: (D1² ξ1)_i + (D_X² ζ1)_k − 2 (D1 P1 D_X)_ik
                    c12[i][k] = v;
                    min12 = Math.min(min12, v);
                }
            }
            for (int k = 0; k < nx; k++) {
                for (int j = 0; j < n2; j++) {
                    double v = 0;
                    for (int b = 0; b < nx; b++) {
                        for (int a = 0; a < n2; a++) {
                            v += Math.pow(dx[k][b] - d2[j][a], 2) * p2[b][a];
                        }
                    }
                    c34[k][j] = v;
                    min34 = Math.min(min34, v);
                }
            }
            double max = 1;
            for (int i = 0; i < n1; i++) {
                for (int k = 0; k < nx; k++) {
                    c12[i][k] = (c12[i][k] - min12) * lambda;
                    max = Math.max(max, c12[i][k]);
                }
            }
            for (int k = 0; k < nx; k++) {
                for (int j = 0; j < n2; j++) {
                    c34[k][j] = (c34[k][j] - min34) * lambda;
                    max = Math.max(max, c34[k][j]);
                }
            }
            double[][][][] kernel = new double[n1][nx][nx][n2];
            for (int i = 0; i < n1; i++) {
                for (int k = 0; k < nx; k++) {
                    for (int l = 0; l < nx; l++) {
                        for (int j = 0; j < n2; j++) {
                            double c = (c12[i][k] + dx[k][l] * dx[k][l] / maxDx2 + c34[l][j]) / max;
                            kernel[i][k][l][j] = Math.exp(-c / eps);
                        }
                    }
                }
            }
            // the reference's loop on the tensor: a from unit messages, then b; test every 10 iterations
            double[] a = new double[n1];
            double[] b = new double[n2];
            java.util.Arrays.fill(b, 1.0);
            double[] msgA = new double[n1];
            java.util.Arrays.fill(msgA, 1.0);
            int count = 0;
            double update = Double.POSITIVE_INFINITY;
            while (update > 1e-5 && count < 10_000) {
                double[] pa = a.clone();
                double[] pb = b.clone();
                for (int i = 0; i < n1; i++) {
                    a[i] = xi1[i] / msgA[i];
                }
                double[] msgB = new double[n2];
                for (int i = 0; i < n1; i++) {
                    for (int k = 0; k < nx; k++) {
                        for (int l = 0; l < nx; l++) {
                            for (int j = 0; j < n2; j++) {
                                msgB[j] += kernel[i][k][l][j] * a[i];
                            }
                        }
                    }
                }
                for (int j = 0; j < n2; j++) {
                    b[j] = xi2[j] / msgB[j];
                }
                java.util.Arrays.fill(msgA, 0.0);
                for (int i = 0; i < n1; i++) {
                    for (int k = 0; k < nx; k++) {
                        for (int l = 0; l < nx; l++) {
                            for (int j = 0; j < n2; j++) {
                                msgA[i] += kernel[i][k][l][j] * b[j];
                            }
                        }
                    }
                }
                count++;
                if (count % 10 == 0) {
                    update = Math.max(relativeDifference(a, pa), relativeDifference(b, pb));
                }
            }
            gamma = new double[n1][nx][nx][n2];
            p1 = new double[n1][nx];
            p2 = new double[nx][n2];
            z1 = new double[nx];
            z2 = new double[nx];
            for (int i = 0; i < n1; i++) {
                for (int k = 0; k < nx; k++) {
                    for (int l = 0; l < nx; l++) {
                        for (int j = 0; j < n2; j++) {
                            double g = a[i] * kernel[i][k][l][j] * b[j];
                            gamma[i][k][l][j] = g;
                            p1[i][k] += g;
                            p2[l][j] += g;
                            z1[k] += g;
                            z2[l] += g;
                        }
                    }
                }
            }
        }
        // J with raw costs
        double w = 0;
        double g1 = 0;
        double g2 = 0;
        for (int i = 0; i < n1; i++) {
            for (int k = 0; k < nx; k++) {
                for (int l = 0; l < nx; l++) {
                    for (int j = 0; j < n2; j++) {
                        w += dx[k][l] * dx[k][l] * gamma[i][k][l][j];
                    }
                }
            }
        }
        for (int i = 0; i < n1; i++) {
            for (int k = 0; k < nx; k++) {
                for (int a = 0; a < n1; a++) {
                    for (int b = 0; b < nx; b++) {
                        g1 += Math.pow(d1[i][a] - dx[k][b], 2) * p1[i][k] * p1[a][b];
                    }
                }
            }
        }
        for (int k = 0; k < nx; k++) {
            for (int j = 0; j < n2; j++) {
                for (int b = 0; b < nx; b++) {
                    for (int a = 0; a < n2; a++) {
                        g2 += Math.pow(dx[k][b] - d2[j][a], 2) * p2[k][j] * p2[b][a];
                    }
                }
            }
        }
        return new double[][] {z1, z2, {w, g1, g2}};
    }

    @Test
    void referenceModeMatchesAlgorithmOneOnTheFullTensor() {
        SplittableRandom rng = new SplittableRandom(60);
        MetricMeasureSpace y1 = randomSpace(rng, 3, 2);
        MetricMeasureSpace y2 = randomSpace(rng, 2, 3);
        MetricSpace x = PlaneGrid.of(2, 1.3);
        for (int outer : new int[] {1, 3}) {
            double[][] brute = bruteForce(y1, y2, x, 2.0, 0.05, outer);
            for (DistanceProducts.Choice kernel : new DistanceProducts.Choice[] {DistanceProducts.Choice.AUTO,
                DistanceProducts.Choice.DENSE}) {
                EmbeddingResult r = JointEmbedding.embed(y1, y2, x, JointEmbedding.Options.defaults(2.0, 0.05)
                        .withOuterIterations(outer).withOuterTolerance(0).withKernel(kernel).withThreads(1));
                assertArrayEquals(brute[0], r.zeta1(), 1e-12, "zeta1 after " + outer + " iterations, " + kernel);
                assertArrayEquals(brute[1], r.zeta2(), 1e-12, "zeta2 after " + outer + " iterations, " + kernel);
                assertEquals(brute[2][0], r.objective().wasserstein(), 1e-12, "<D_X², Π>");
                assertEquals(brute[2][1], r.objective().gw1(), 1e-12, "GW term 1");
                assertEquals(brute[2][2], r.objective().gw2(), 1e-12, "GW term 2");
                assertEquals(outer, r.outerIterations());
                assertEquals(outer, r.history().size());
            }
        }
    }

    @Test
    void plansHaveTheDataMarginalsAndTheRelaxedEmbeddings() {
        SplittableRandom rng = new SplittableRandom(61);
        MetricMeasureSpace y1 = randomSpace(rng, 30, 2);
        MetricMeasureSpace y2 = randomSpace(rng, 25, 2);
        PlaneGrid x = PlaneGrid.of(6, 1.3);
        EmbeddingResult r = JointEmbedding.embed(y1, y2, x, JointEmbedding.Options.plain(5, 0.01)
                .withOuterIterations(15));
        assertTrue(r.innerConverged(), "inner solver: " + r.history());
        int n = x.size();
        double[] rows1 = new double[30];
        double[] cols1 = new double[n];
        for (int i = 0; i < 30; i++) {
            for (int k = 0; k < n; k++) {
                rows1[i] += r.p1().get(i, k);
                cols1[k] += r.p1().get(i, k);
            }
        }
        assertArrayEquals(y1.weights(), rows1, 1e-8);
        assertArrayEquals(r.zeta1(), cols1, 1e-12);
        double[] rows2 = new double[n];
        double[] cols2 = new double[25];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < 25; j++) {
                rows2[k] += r.p2().get(k, j);
                cols2[j] += r.p2().get(k, j);
            }
        }
        assertArrayEquals(r.zeta2(), rows2, 1e-12);
        assertArrayEquals(y2.weights(), cols2, 1e-8);
        assertTrue(r.objective().total() > 0 && Double.isFinite(r.objective().total()));
        assertTrue(r.history().get(r.history().size() - 1).objective().total()
                < r.history().get(0).objective().total(), "J must decrease from the first iterate");
    }

    @Test
    void tinyEpsilonAndHugeLambdaStayFiniteWithConvergedInnerSolves() {
        SplittableRandom rng = new SplittableRandom(62);
        MetricMeasureSpace y1 = randomSpace(rng, 20, 2);
        MetricMeasureSpace y2 = randomSpace(rng, 18, 2);
        PlaneGrid x = PlaneGrid.of(5, 1.3);
        // REFERENCE: ε relative to the scaled costs; PLAIN: ε absolute on costs of order λ = 1
        for (JointEmbedding.Options o : List.of(JointEmbedding.Options.defaults(1e4, 1e-4).withOuterIterations(5),
                JointEmbedding.Options.plain(1, 1e-4).withOuterIterations(5))) {
            EmbeddingResult r = JointEmbedding.embed(y1, y2, x, o);
            assertTrue(r.innerConverged(), o.costScaling() + ": " + r.history());
            for (double z : r.zeta1()) {
                assertTrue(Double.isFinite(z) && z >= 0);
            }
            assertTrue(Double.isFinite(r.objective().total()), r.objective().toString());
            double mass = 0;
            for (double z : r.zeta2()) {
                mass += z;
            }
            assertEquals(1.0, mass, 1e-6);
        }
    }

    @Test
    void singlePrecisionFollowsTheDoublePrecisionRun() {
        SplittableRandom rng = new SplittableRandom(65);
        MetricMeasureSpace y1 = randomSpace(rng, 60, 2);
        MetricMeasureSpace y2 = randomSpace(rng, 50, 3);
        PlaneGrid x = PlaneGrid.of(8, 1.3);
        JointEmbedding.Options o = JointEmbedding.Options.defaults(5, 0.01).withOuterIterations(3);
        EmbeddingResult exact = JointEmbedding.embed(y1, y2, x, o);
        EmbeddingResult single = JointEmbedding.embed(y1, y2, x, o.withPrecision(Precision.SINGLE));
        assertTrue(single.innerConverged(), single.history().toString());
        assertEquals("dense (single precision)", single.kernelKinds().get(0));
        // float kernels and products perturb the costs by ~1e-7 relative: over a few outer iterations the iterates
        // agree to far better than the embeddings' resolution, but not to the last digits. (This problem's outer
        // iterates alternate between two states, J 1.14 and 1.52, and the difference grows with each iteration, as
        // METHOD.md §4 describes for round-off: L1 3e-6, 9e-6, 1.2e-5 after 1, 2, 3 iterations, 7e-4 after 6.)
        double l1 = 0;
        for (int k = 0; k < x.size(); k++) {
            l1 += Math.abs(exact.zeta1()[k] - single.zeta1()[k]) + Math.abs(exact.zeta2()[k] - single.zeta2()[k]);
        }
        assertTrue(l1 < 1e-4 && l1 > 0, "L1 distance of the embeddings " + l1);
        assertEquals(exact.objective().total(), single.objective().total(), 1e-6 * exact.objective().total());
        // and at a tiny ε with a huge λ it stays finite with converged inner solves
        EmbeddingResult hard = JointEmbedding.embed(y1, y2, x, JointEmbedding.Options.defaults(1e4, 1e-4)
                .withOuterIterations(5).withPrecision(Precision.SINGLE));
        assertTrue(hard.innerConverged(), hard.history().toString());
        assertTrue(Double.isFinite(hard.objective().total()), hard.objective().toString());
        // a run that converges in double precision also stops early in single precision, at the raised tolerance
        // (after 47 iterations in double) with the same objective to the raised tolerance
        JointEmbedding.Options longRun = JointEmbedding.Options.defaults(1, 0.05).withOuterIterations(300);
        EmbeddingResult converged = JointEmbedding.embed(y1, y2, x, longRun);
        assertEquals(JointEmbedding.StopReason.PLANS_CONVERGED, converged.stopReason());
        EmbeddingResult convergedSingle = JointEmbedding.embed(y1, y2, x, longRun.withPrecision(Precision.SINGLE));
        assertEquals(JointEmbedding.StopReason.PLANS_CONVERGED, convergedSingle.stopReason(),
                convergedSingle.history().toString());
        assertTrue(convergedSingle.outerIterations() <= converged.outerIterations(),
                convergedSingle.outerIterations() + " against " + converged.outerIterations());
        assertEquals(converged.objective().total(), convergedSingle.objective().total(),
                JointEmbedding.SINGLE_OUTER_TOLERANCE * converged.objective().total());
        // the kernels take half the memory
        assertTrue(JointEmbedding.estimateBytes(2000, 2000, PlaneGrid.of(50, 1.3), o.withPrecision(Precision.SINGLE))
                < JointEmbedding.estimateBytes(2000, 2000, PlaneGrid.of(50, 1.3), o));
    }

    @Test
    void copiesChangeOneSettingAndValidateInOnePlace() {
        JointEmbedding.Options o = JointEmbedding.Options.defaults(50, 6e-4);
        assertEquals(o, o.toBuilder().build(), "a builder holds every setting");
        JointEmbedding.Options e = o.withEpsilon(1e-3);
        assertEquals(1e-3, e.epsilon());
        assertEquals(1e-3, e.inner().epsilon(), "ε reaches the inner settings");
        assertEquals(o.withEpsilon(1e-3).withOuterIterations(7).withPrecision(Precision.SINGLE),
                o.toBuilder().epsilon(1e-3).outerIterations(7).precision(Precision.SINGLE).build());
        JointEmbedding.Options r = o.withRestarts(3, 0.01, 9L);
        assertEquals(List.of(3, 9L), List.of(r.restarts(), r.seed()));
        assertEquals(0.01, r.perturbation());
        assertEquals(o.withThreads(1).withOuterIterations(3), o.withOuterIterations(3).withThreads(1));
        assertEquals(JointEmbedding.SINGLE_OUTER_TOLERANCE, o.withPrecision(Precision.SINGLE)
                .effectiveOuterTolerance());
        assertEquals(1e-9, o.effectiveOuterTolerance());
        assertRejects("epsilon", () -> o.withEpsilon(-1));
        assertRejects("outerIterations", () -> o.toBuilder().outerIterations(0).build());
        assertRejects("lambda[1]", () -> o.withLambdas(List.of(1.0, Double.NaN)));
        assertRejects("kernel", () -> o.withKernel(DistanceProducts.Choice.FFT));
        assertRejects("threads", () -> o.withThreads(0));
    }

    @Test
    void warmInnerStartsUseTheCarriedPotentialsFromTheFirstIteration() {
        JointEmbedding.Options reference = JointEmbedding.Options.defaults(1, 0.1);
        assertTrue(reference.inner().unitStart() && !reference.warmStart());
        JointEmbedding.Options warm = reference.withWarmInnerStarts();
        assertTrue(warm.warmStart());
        assertTrue(!warm.inner().unitStart(), "a unit start would skip the first backward sweep");
        assertEquals(reference.inner().tolerance(), warm.inner().tolerance());
    }

    @Test
    void warmStartsFollowATwoCycleOfTheOuterIterates() {
        SplittableRandom rng = new SplittableRandom(66);
        MetricMeasureSpace y1 = randomSpace(rng, 60, 2);
        MetricMeasureSpace y2 = randomSpace(rng, 50, 3);
        PlaneGrid x = PlaneGrid.of(8, 1.3);
        // the outer iterates of this problem settle into alternating between two states (J 1.686 and 1.240)
        JointEmbedding.Options warm = JointEmbedding.Options.plain(5, 0.004).withOuterIterations(11);
        assertTrue(warm.warmStart());
        EmbeddingResult r = JointEmbedding.embed(y1, y2, x, warm);
        EmbeddingResult cold = JointEmbedding.embed(y1, y2, x, warm.withWarmStart(false));
        for (int t = 0; t < cold.history().size(); t++) {
            double j = cold.history().get(t).objective().total();
            assertEquals(j, r.history().get(t).objective().total(), 1e-5 * j, "J at outer iteration " + (t + 1));
        }
        for (int t = 4; t < r.history().size(); t++) {
            double j = r.history().get(t).objective().total();
            assertEquals(j, r.history().get(t - 2).objective().total(), 1e-3 * j, "a 2-cycle at " + (t + 1));
            assertTrue(Math.abs(j - r.history().get(t - 1).objective().total()) > 0.1 * j, "a 2-cycle at " + (t + 1));
        }
        // once in the cycle, each solve starts from the potentials of the solve two outer iterations back, of the
        // same state, and stops at its first check (10 iterations); from the last solve's, those of the other
        // state, every other solve needed 30
        int every = warm.inner().checkEvery();
        List<Integer> inner = r.history().stream().map(JointEmbedding.Step::innerIterations).toList();
        for (int t = 5; t < inner.size(); t++) {
            assertEquals(every, inner.get(t), "inner iterations at outer iteration " + (t + 1) + ": " + inner);
        }
    }

    @Test
    void overRelaxedInnerSolvesGiveTheSameIteratesWithFewerInnerIterations() {
        SplittableRandom rng = new SplittableRandom(66);
        MetricMeasureSpace y1 = randomSpace(rng, 40, 2);
        MetricMeasureSpace y2 = randomSpace(rng, 35, 2);
        PlaneGrid x = PlaneGrid.of(6, 1.3);
        // tight inner solves, so that both runs follow the same outer iterates
        JointEmbedding.Options o = JointEmbedding.Options.plain(5, 0.004).withOuterIterations(6)
                .withInner(ChainSinkhorn.Options.defaults(0.004).withTolerance(1e-12).withMaxIterations(100_000));
        EmbeddingResult plain = JointEmbedding.embed(y1, y2, x, o);
        JointEmbedding.Options relaxed = o.withOverRelaxedInnerSolves();
        assertTrue(relaxed.inner().adaptiveRelaxation());
        assertEquals(JointEmbedding.Options.MAX_RELAXATION, relaxed.inner().relaxation());
        EmbeddingResult fast = JointEmbedding.embed(y1, y2, x, relaxed);
        assertEquals(0, plain.innerNotConverged());
        assertEquals(0, fast.innerNotConverged());
        for (int t = 0; t < plain.history().size(); t++) {
            double j = plain.history().get(t).objective().total();
            assertEquals(j, fast.history().get(t).objective().total(), 1e-8 * j, "J at outer iteration " + (t + 1));
        }
        assertArrayEquals(plain.zeta1(), fast.zeta1(), 1e-9);
        assertArrayEquals(plain.zeta2(), fast.zeta2(), 1e-9);
        assertTrue(fast.innerIterations() < 0.8 * plain.innerIterations(), fast.innerIterations()
                + " inner iterations against " + plain.innerIterations());
    }

    @Test
    void restartsAreDeterministicAndKeepTheLowestObjective() {
        SplittableRandom rng = new SplittableRandom(63);
        MetricMeasureSpace y1 = randomSpace(rng, 15, 2);
        MetricMeasureSpace y2 = randomSpace(rng, 15, 2);
        PlaneGrid x = PlaneGrid.of(5, 1.3);
        List<Double> seen = new ArrayList<>();
        JointEmbedding.Options o = JointEmbedding.Options.plain(10, 0.02).withOuterIterations(10)
                .withRestarts(3, 0.05, 7L).withListener(s -> {
                    if (s.iteration() == s.totalIterations()) {
                        seen.add(s.objective().total());
                    }
                });
        EmbeddingResult a = JointEmbedding.embed(y1, y2, x, o);
        EmbeddingResult b = JointEmbedding.embed(y1, y2, x, o.withListener(ProgressListener.NONE));
        assertArrayEquals(a.zeta1(), b.zeta1(), 0.0, "same seed, same result");
        assertEquals(3, seen.size());
        assertEquals(seen.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), a.objective().total(), 0.0);
        assertEquals(seen.indexOf(a.objective().total()), a.restart());
    }

    @Test
    void runsThatCannotFitTheHeapAreRefusedWithTheirSize() {
        SplittableRandom rng = new SplittableRandom(64);
        MetricMeasureSpace y = randomSpace(rng, 10, 2);
        MetricSpace huge = PlaneGrid.of(2000, 1.3); // N = 4 000 000
        MetricMeasureSpace big = MetricMeasureSpace.uniform(DenseMetricSpace.copyOf(PlaneGrid.of(40, 1.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JointEmbedding.embed(big, big, huge, JointEmbedding.Options.defaults(1, 0.01)));
        assertTrue(e.getMessage().contains("MiB") && e.getMessage().contains("-Xmx"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JointEmbedding.Options.defaults(-1, 0.01));
        assertTrue(e.getMessage().contains("lambda[0] must be > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JointEmbedding.Options.defaults(1, 0));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JointEmbedding.embed(y, null, PlaneGrid.of(3),
                JointEmbedding.Options.defaults(1, 0.01)));
    }
}

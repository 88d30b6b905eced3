package org.gwembed.embedding;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.FeatureMatrices;
import org.gwembed.metricspaces.SparseRows;
import org.junit.jupiter.api.Test;

class SingleCellAlignmentTest {

    private static final int CELLS = 48;

    /** Two noisy views (a helix, and a curve in 4 dimensions) of one latent time, three classes by time. */
    private static SingleCellAlignment.Data coAssay(boolean labelled) {
        SplittableRandom rng = new SplittableRandom(11);
        DMatrixRMaj x = new DMatrixRMaj(CELLS, 3);
        DMatrixRMaj y = new DMatrixRMaj(CELLS, 4);
        int[] classes = new int[CELLS];
        for (int i = 0; i < CELLS; i++) {
            double t = i / (CELLS - 1.0);
            x.set(i, 0, Math.cos(4 * t) + 0.02 * rng.nextGaussian());
            x.set(i, 1, Math.sin(4 * t) + 0.02 * rng.nextGaussian());
            x.set(i, 2, 0.5 * t);
            y.set(i, 0, t);
            y.set(i, 1, t * t + 0.02 * rng.nextGaussian());
            y.set(i, 2, Math.sqrt(t));
            y.set(i, 3, 0.2 * Math.cos(3 * t));
            classes[i] = Math.min(2, (int) (3 * t));
        }
        return labelled ? new SingleCellAlignment.Data(x, y, classes, classes.clone())
                : new SingleCellAlignment.Data(x, y, null, null);
    }

    /** The paper's protocol, small. */
    private static SingleCellAlignment.Protocol small() {
        return SingleCellAlignment.Protocol.paper().withK(5).withGrid(6).withLambdas(List.of(0.1, 1.0))
                .withOuterIterations(3).withThreads(1).withJmdsIterations(5);
    }

    @Test
    void theGridSearchRunsEveryCandidateAndChoosesOnTheValidationSplit() {
        List<String> stages = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void outerIteration(JointEmbedding.Step step) {
            }

            @Override
            public void stage(String description) {
                stages.add(description);
            }
        };
        SingleCellAlignment.Report r = SingleCellAlignment.align(coAssay(true),
                small().withMethod(SingleCellAlignment.Method.BOTH).withListener(listener));
        assertEquals(2, r.geodesics().size());
        assertEquals(List.of("euclidean k=5 lambda=0.1 start=0 grid", "euclidean k=5 lambda=1 start=0 grid",
                "scot k=5 lambda=0.1 start=0 grid", "scot k=5 lambda=1 start=0 grid"),
                r.ewl().candidates().stream().map(SingleCellAlignment.Candidate::label).toList(), "graph-major order");
        assertEquals(4, r.ewl().results().size());
        assertEquals(5, r.split().validation().size(), "10 % of 48 cells, rounded up");
        assertEquals(CELLS, r.split().validation().size() + r.split().test().size());
        ModelSelection.Selection sel = r.ewl().selection();
        for (ModelSelection.Evaluation e : sel.all()) {
            assertTrue(sel.best().validation().symmetric() <= e.validation().symmetric(), e.label());
        }
        assertEquals(sel.all().get(sel.bestIndex()).label(), r.ewl().best().label());
        assertEquals(CELLS, r.ewl().z1().numRows);
        assertNotNull(r.ewl().allCellsTransfer());
        double f = r.ewl().allCells().symmetric();
        assertTrue(f >= 0 && f <= 1, "FOSCTTM " + f);
        assertEquals(List.of(new SingleCellAlignment.GraphChoice(SingleCellAlignment.Graph.EUCLIDEAN, 5),
                new SingleCellAlignment.GraphChoice(SingleCellAlignment.Graph.SCOT, 5)), r.jmds().graphs());
        assertEquals(CELLS, r.jmds().result().z1().numRows);
        assertEquals(List.of("run 1/4 (euclidean k=5 lambda=0.1 start=0)", "run 2/4 (euclidean k=5 lambda=1 start=0)",
                "run 3/4 (scot k=5 lambda=0.1 start=0)", "run 4/4 (scot k=5 lambda=1 start=0)",
                "JMDS on the euclidean k=5 graph", "JMDS on the scot k=5 graph"), stages);
    }

    /**
     * Modalities held sparse (as 10x folders and CSR AnnData are read) give the dense run's alignment: the same graphs
     * (KnnSearchTest), so the same choice and the same FOSCTTM.
     */
    @Test
    void sparseModalitiesGiveTheDenseAlignment() {
        SingleCellAlignment.Data dense = coAssay(true);
        SingleCellAlignment.Data sparse = new SingleCellAlignment.Data(
                FeatureMatrices.Rows.of(SparseRows.fromDense(dense.x().dense())),
                FeatureMatrices.Rows.of(SparseRows.fromDense(dense.y().dense())), dense.classesX(), dense.classesY());
        SingleCellAlignment.Protocol p = small().withLambdas(List.of(1.0));
        SingleCellAlignment.Report a = SingleCellAlignment.align(dense, p);
        SingleCellAlignment.Report b = SingleCellAlignment.align(sparse, p);
        assertEquals(a.ewl().best().label(), b.ewl().best().label());
        assertEquals(a.ewl().allCells().symmetric(), b.ewl().allCells().symmetric(), 1e-9);
        for (int t = 0; t < a.ewl().z1().data.length; t++) {
            assertEquals(a.ewl().z1().data[t], b.ewl().z1().data[t], 1e-9);
        }
    }

    @Test
    void theMethodDecidesWhatRunsAndClassesAreOptional() {
        SingleCellAlignment.Report jmds = SingleCellAlignment.align(coAssay(false),
                small().withMethod(SingleCellAlignment.Method.JMDS).withGraphs(List.of(SingleCellAlignment.Graph.SCOT)));
        assertNull(jmds.ewl());
        assertNull(jmds.jmds().selection().best().transfer(), "no classes, no label transfer");
        SingleCellAlignment.Report ewl = SingleCellAlignment.align(coAssay(false),
                small().withGraphs(List.of(SingleCellAlignment.Graph.EUCLIDEAN)).withLambdas(List.of(1.0)));
        assertNull(ewl.jmds());
        assertNull(ewl.ewl().allCellsTransfer());
        assertEquals(1, ewl.ewl().candidates().size());
    }

    @Test
    void badProtocolsAndDataAreRefusedNamingTheArgument() {
        SingleCellAlignment.Protocol p = small();
        assertRejects("k", () -> p.withK(0));
        assertRejects("grid", () -> p.withGrid(1));
        assertRejects("lambda", () -> p.withLambdas(List.of(1.0, -1.0)));
        assertRejects("lambdas", () -> p.withLambdas(List.of()));
        assertRejects("validationFraction", () -> p.withValidation(1.0, SingleCellAlignment.SplitKind.RANDOM, 0));
        assertRejects("graphs", () -> p.withGraphs(List.of()));
        assertRejects("jmdsIterations", () -> p.withJmdsIterations(0));
        assertRejects("rows", () -> new SingleCellAlignment.Data(new DMatrixRMaj(5, 2), new DMatrixRMaj(6, 2), null,
                null));
        assertRejects("both", () -> new SingleCellAlignment.Data(new DMatrixRMaj(5, 2), new DMatrixRMaj(5, 2),
                new int[5], null));
        assertRejects("2 validation", () -> SingleCellAlignment.align(new SingleCellAlignment.Data(new DMatrixRMaj(10, 2),
                new DMatrixRMaj(10, 2), null, null), p));
    }

    @Test
    void thePaperProtocolIsThePapersSettings() {
        SingleCellAlignment.Protocol p = SingleCellAlignment.Protocol.paper();
        assertEquals(10, p.candidates(1000).size());
        assertEquals(List.of(10), p.ks());
        assertEquals(20, p.grid());
        assertEquals(1e-3, p.epsilon());
        assertEquals(50, p.outerIterations());
        assertEquals(0.1, p.validationFraction());
        assertEquals(List.of(SingleCellAlignment.Readout.GRID), p.readouts());
        JointEmbedding.Options o = p.embeddingOptions(10);
        assertEquals(JointEmbedding.CostScaling.REFERENCE, o.costScaling());
        assertEquals(List.of(10.0), o.lambdas());
        assertTrue(!o.warmStart(), "the reference starts cold");
        assertTrue(p.withSpeed(org.gwembed.solvers.Precision.SINGLE, true, true).embeddingOptions(1).warmStart());
    }

    @Test
    void theDefaultProtocolIsTheStudysGridWithKCappedByTheCells() {
        SingleCellAlignment.Protocol p = SingleCellAlignment.Protocol.defaults();
        // 2 k x 3 lambda x 2 starts, each read out 2 ways
        assertEquals(12, p.runs(1000).size());
        assertEquals(24, p.candidates(1000).size());
        assertEquals(List.of(10, 35), p.ks());
        assertTrue(p.embeddingOptions(1).warmStart());
        // 60 cells: k = 35 becomes 15
        SingleCellAlignment.Protocol two = p.withGraphs(List.of(SingleCellAlignment.Graph.SCOT,
                SingleCellAlignment.Graph.SCOT_DISTANCE));
        assertEquals(List.of(new SingleCellAlignment.GraphChoice(SingleCellAlignment.Graph.SCOT, 10),
                new SingleCellAlignment.GraphChoice(SingleCellAlignment.Graph.SCOT, 15),
                new SingleCellAlignment.GraphChoice(SingleCellAlignment.Graph.SCOT_DISTANCE, 10),
                new SingleCellAlignment.GraphChoice(SingleCellAlignment.Graph.SCOT_DISTANCE, 15)), two.graphChoices(60));
        // 30 cells: both k become 7, one graph each
        assertEquals(2, two.graphChoices(30).size());
        assertRejects("perturbation", () -> p.withStarts(2, 0));
        assertRejects("readouts", () -> p.withReadouts(List.of()));
        assertRejects("ks", () -> p.withKs(List.of()));
    }

    /** The study's protocol, small: two graphs, two k, one λ, two starts, both read-outs. */
    private static SingleCellAlignment.Protocol smallDefault(int threads) {
        return SingleCellAlignment.Protocol.defaults().withGraphs(List.of(SingleCellAlignment.Graph.SCOT,
                SingleCellAlignment.Graph.SCOT_DISTANCE)).withKs(List.of(4, 6)).withGrid(6).withLambdas(List.of(1.0))
                .withOuterIterations(3).withThreads(threads);
    }

    @Test
    void parallelRunsGiveTheSequentialResultAndEveryReadOut() {
        SingleCellAlignment.Report one = SingleCellAlignment.align(coAssay(true), smallDefault(1));
        SingleCellAlignment.Report two = SingleCellAlignment.align(coAssay(true), smallDefault(2));
        assertEquals(16, one.ewl().candidates().size(), "2 graphs x 2 k x 2 starts x 2 read-outs");
        assertEquals(one.ewl().selection().bestIndex(), two.ewl().selection().bestIndex());
        for (int c = 0; c < 16; c++) {
            ModelSelection.Evaluation a = one.ewl().selection().all().get(c);
            ModelSelection.Evaluation b = two.ewl().selection().all().get(c);
            assertEquals(a.label(), b.label());
            assertEquals(a.validation(), b.validation(), a.label());
            assertEquals(a.test(), b.test(), a.label());
        }
        SingleCellAlignment.Candidate features = one.ewl().candidates().get(1);
        assertEquals(SingleCellAlignment.Readout.FEATURES, features.readout());
        assertEquals(3 + 4, one.ewl().projections().get(1).z1().numCols, "x's 3 features and y's 4");
        assertEquals(2, one.ewl().projections().get(0).z1().numCols, "the plane");
        assertTrue(one.ewl().results().get(2).history().get(0).objective()
                != one.ewl().results().get(0).history().get(0).objective(), "start 1 is perturbed");
    }

    @Test
    void theSelectionReadsTheValidationCellsOnly() {
        SingleCellAlignment.Data data = coAssay(true);
        SingleCellAlignment.Report r = SingleCellAlignment.align(data, smallDefault(2));
        ModelSelection.Split split = r.split();
        List<ModelSelection.Projections> spoiled = new ArrayList<>();
        for (ModelSelection.Projections p : r.ewl().projections()) {
            DMatrixRMaj z1 = p.z1().copy();
            DMatrixRMaj z2 = p.z2().copy();
            for (int i : split.test()) {
                for (int c = 0; c < z1.numCols; c++) {
                    z1.set(i, c, Double.NaN);
                    z2.set(i, c, i % 2 == 0 ? 1e300 : -7);
                }
            }
            spoiled.add(new ModelSelection.Projections(z1, z2, p.angles()));
        }
        int[] garbage = data.classesX().clone();
        for (int i : split.test()) {
            garbage[i] = (i * 7) % 3;
        }
        List<String> labels = r.ewl().selection().all().stream().map(ModelSelection.Evaluation::label).toList();
        List<Double> seconds = r.ewl().selection().all().stream().map(ModelSelection.Evaluation::seconds).toList();
        ModelSelection.Selection again = ModelSelection.evaluate(labels, spoiled, seconds, split, garbage,
                garbage.clone(), 5);
        assertEquals(r.ewl().selection().bestIndex(), again.bestIndex());
        for (int c = 0; c < labels.size(); c++) {
            assertEquals(r.ewl().selection().all().get(c).validation(), again.all().get(c).validation());
        }
        // and the test rows do matter for the test metrics, so the check above could fail
        assertTrue(!r.ewl().selection().best().test().equals(again.best().test()));
    }

    @Test
    void theCellCouplingGoesThroughTheGridAndKeepsTheMarginals() {
        SingleCellAlignment.Report r = SingleCellAlignment.align(coAssay(true), smallDefault(1)
                .withGraphs(List.of(SingleCellAlignment.Graph.SCOT)).withKs(List.of(5)).withStarts(1, 0));
        EmbeddingResult res = r.ewl().results().get(0);
        DMatrixRMaj t = SingleCellAlignment.cellCoupling(res);
        // brute force: T_ij = sum_ab P1_ia / zeta1_a * Pi_ab / zeta2_b * P2_bj
        int big = res.p1().numCols;
        double[] z1 = new double[big];
        double[] z2 = new double[big];
        for (int a = 0; a < big; a++) {
            for (int i = 0; i < CELLS; i++) {
                z1[a] += res.p1().get(i, a);
            }
            for (int b = 0; b < big; b++) {
                z2[b] += res.middlePlan().get(a, b);
            }
        }
        for (int i : new int[] {0, 17, 47}) {
            for (int j : new int[] {3, 30}) {
                double sum = 0;
                for (int a = 0; a < big; a++) {
                    for (int b = 0; b < big; b++) {
                        sum += res.p1().get(i, a) / z1[a] * res.middlePlan().get(a, b) / z2[b] * res.p2().get(b, j);
                    }
                }
                assertEquals(sum, t.get(i, j), 1e-12 * Math.max(1, Math.abs(sum)));
            }
        }
        // row sums: P1's rows (1/n); column sums: P2's columns, to the inner tolerance
        for (int i = 0; i < CELLS; i++) {
            double row = 0;
            for (int j = 0; j < CELLS; j++) {
                row += t.get(i, j);
            }
            assertEquals(1.0 / CELLS, row, 1e-6);
        }
        assertRejects("middle plan", () -> SingleCellAlignment.cellCoupling(new EmbeddingResult(res.space(),
                res.zeta1(), res.zeta2(), res.p1(), res.p2(), null, res.objective(), res.history(), res.stopReason(),
                res.outerIterations(), res.innerIterations(), res.innerNotConverged(), res.marginalError(),
                res.seconds(), res.restart(), res.kernelKinds(), res.options())));
    }

    @Test
    void theFeatureReadOutOfTheIdentityCouplingIsTheFeaturesSideBySide() {
        DMatrixRMaj fx = new DMatrixRMaj(new double[][] {{1, 0}, {0, 2}, {3, 4}});
        DMatrixRMaj fy = new DMatrixRMaj(new double[][] {{5}, {6}, {7}});
        DMatrixRMaj id = new DMatrixRMaj(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        ModelSelection.Projections p = SingleCellAlignment.featureReadout(id, fx, fy);
        DMatrixRMaj both = new DMatrixRMaj(new double[][] {{1, 0, 5}, {0, 2, 6}, {3, 4, 7}});
        assertTrue(org.ejml.dense.row.MatrixFeatures_DDRM.isIdentical(both, p.z1(), 0));
        assertTrue(org.ejml.dense.row.MatrixFeatures_DDRM.isIdentical(both, p.z2(), 0));
        assertEquals(0, AlignmentMetrics.foscttm(p.z1(), p.z2()).symmetric());
        // a uniform coupling: every cell sees the other modality's mean
        DMatrixRMaj u = new DMatrixRMaj(3, 3);
        org.ejml.dense.row.CommonOps_DDRM.fill(u, 1.0 / 9);
        ModelSelection.Projections q = SingleCellAlignment.featureReadout(u, fx, fy);
        assertEquals(6, q.z1().get(0, 2), 1e-12);
        assertEquals(4.0 / 3, q.z2().get(2, 0), 1e-12);
        assertEquals(0.6, SingleCellAlignment.rowNormalised(fx).get(2, 0), 1e-15);
        assertRejects("coupling", () -> SingleCellAlignment.featureReadout(new DMatrixRMaj(2, 3), fx, fy));
    }
}

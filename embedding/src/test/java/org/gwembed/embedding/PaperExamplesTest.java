package org.gwembed.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.gwembed.metricspaces.CircleSpace;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.solvers.ExactTransport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The paper's worked examples at reduced size: rolls (§6.1) and the circle of Appendix B. */
class PaperExamplesTest {

    /** R² of the best affine map from {@code from} (n × 2) to {@code to} (n × 2). */
    static double affineFit(DMatrixRMaj from, DMatrixRMaj to) {
        int n = from.numRows;
        DMatrixRMaj a = new DMatrixRMaj(n, 3);
        for (int i = 0; i < n; i++) {
            a.set(i, 0, from.get(i, 0));
            a.set(i, 1, from.get(i, 1));
            a.set(i, 2, 1);
        }
        DMatrixRMaj coef = new DMatrixRMaj(3, 2);
        assertTrue(CommonOps_DDRM.solve(a, to, coef));
        DMatrixRMaj fit = new DMatrixRMaj(n, 2);
        CommonOps_DDRM.mult(a, coef, fit);
        double residual = 0;
        double total = 0;
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += to.get(i, c) / n;
            }
            for (int i = 0; i < n; i++) {
                residual += Math.pow(to.get(i, c) - fit.get(i, c), 2);
                total += Math.pow(to.get(i, c) - mean, 2);
            }
        }
        return 1 - residual / total;
    }

    @Test
    void rollsAreUnrolledAndTheObjectiveFalls() {
        MeshGenerators.GeneratedMesh s = MeshGenerators.sCurve(400);
        MeshGenerators.GeneratedMesh r = MeshGenerators.swissRoll(400, MeshGenerators.Hole.centre());
        MetricMeasureSpace y1 = MetricMeasureSpace.uniform(MeshGeodesics.geodesics(s.mesh()).normalizedToMax(1));
        MetricMeasureSpace y2 = MetricMeasureSpace.uniform(MeshGeodesics.geodesics(r.mesh()).normalizedToMax(1));
        // the paper's roll parameters (lambda = 50, relative eps = 6e-4, 40 outer iterations) on a 20 x 20 grid
        EmbeddingResult res = JointEmbedding.embed(y1, y2, PlaneGrid.of(20, 1.3),
                JointEmbedding.Options.defaults(50, 6e-4).withOuterIterations(40));
        double first = res.history().get(0).objective().total();
        double last = res.objective().total();
        assertTrue(last < 0.01 * first, "J should fall by orders of magnitude: " + first + " -> " + last);
        Coordinates grid = res.space().coordinates().orElseThrow();
        DMatrixRMaj t1 = BarycentricProjection.project(res.p1(), true, grid);
        DMatrixRMaj t2 = BarycentricProjection.project(res.p2(), false, grid);
        // unrolled: the projections are an affine image of the exact unrolled (arc length, height) coordinates
        double fit1 = affineFit(s.unrolled(), t1);
        double fit2 = affineFit(r.unrolled(), t2);
        assertTrue(fit1 > 0.97, "S-curve projection vs unrolled coordinates, R^2 = " + fit1);
        assertTrue(fit2 > 0.97, "Swiss roll projection vs unrolled coordinates, R^2 = " + fit2);
    }

    @Test
    @Tag("slow")
    void appendixBCircleApproachesEmbeddedWassersteinAsLambdaGrows() {
        CircleSpace circle = CircleSpace.unit(360);
        int n = circle.size();
        double[] cost = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = circle.distance(i, j);
                cost[i * n + j] = d * d;
            }
        }
        double[] uniform = circle.vonMisesWeights(0, 0);
        for (double kappa : new double[] {1, 5, 10}) {
            double[] vonMises = circle.vonMisesWeights(kappa, 1.0);
            // EW = W2²(ξ1, ξ2): ξ1 is rotation invariant, so the best isometries are the identity
            double ew = ExactTransport.cost(uniform, vonMises, cost, n, n);
            double[] w = new double[2];
            double[] lambdas = {0.2, 20};
            for (int t = 0; t < 2; t++) {
                // the uniform start is an exact fixed point on the circle: break the symmetry with a seeded start
                EmbeddingResult r = JointEmbedding.embed(MetricMeasureSpace.of(circle, uniform),
                        MetricMeasureSpace.of(circle, vonMises), circle,
                        JointEmbedding.Options.defaults(lambdas[t], 3e-3).withOuterIterations(40)
                                .withRestarts(1, 1e-2, 1L));
                w[t] = ExactTransport.cost(r.zeta1(), r.zeta2(), cost, n, n);
            }
            assertEquals(ew, w[1], 0.05 * ew, "lambda = 20 approaches EW for kappa = " + kappa);
            assertTrue(w[0] < 0.5 * ew, "lambda = 0.2 underestimates EW for kappa = " + kappa + ": " + w[0]
                    + " vs " + ew);
        }
    }
}

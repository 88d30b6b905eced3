package org.gwembed.examples;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.gwembed.core.Require;
import org.gwembed.embedding.BarycentricProjection;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.MetricSpace;

/**
 * What the mesh examples (rolls, shapes, sphere, torus) share: their settings, their request, one EW_λ run between
 * two generated surfaces, and the geometry of the reports.
 */
public final class MeshExamples {

    /** The embedding spaces are scaled to this largest distance, as the reference does. */
    public static final double MAX_LENGTH = 1.3;

    private MeshExamples() {
    }

    /**
     * The sizes and parameters of one mesh example (its full-size and quick defaults are constants of each example).
     *
     * @param vertices approximate vertices per surface
     * @param grid     grid side of the embedding space
     * @param outer    outer iterations of Algorithm 1
     * @param lambda   λ
     * @param epsilon  relative ε (reference cost scaling)
     */
    public record Settings(int vertices, int grid, int outer, double lambda, double epsilon) {

        /** The EW_λ settings: reference cost scaling, this λ, ε and iteration count, on {@code threads}. */
        public JointEmbedding.Options options(int threads) {
            return JointEmbedding.Options.defaults(lambda, epsilon).withLambdas(List.of(lambda))
                    .withOuterIterations(outer).withThreads(threads);
        }
    }

    /**
     * What to run.
     *
     * @param vertices approximate vertices per surface
     * @param grid     grid side of the embedding space
     * @param options  the EW_λ settings (λ, ε, iterations, speed settings, progress listener); its thread count
     *                 also computes the geodesics
     */
    public record Request(int vertices, int grid, JointEmbedding.Options options) {
        public Request {
            Require.atLeast(vertices, 1, "vertices");
            Require.atLeast(grid, 2, "grid");
            Require.nonNull(options, "options");
        }

        /** The request of {@code settings} with {@link Settings#options(int)} on {@code threads}. */
        public static Request of(Settings settings, int threads) {
            return new Request(settings.vertices(), settings.grid(), settings.options(threads));
        }

        /** Generates a surface of the requested size. */
        GeneratedSurfaces.Surface surface(String generator) {
            return GeneratedSurfaces.generate(generator, vertices, options.threads());
        }
    }

    /**
     * One EW_λ run between two generated surfaces.
     *
     * @param name      the run's name within its example ({@code hole}, {@code poses}, ...)
     * @param source    the first surface
     * @param target    the second
     * @param spaceSpec the embedding space as the command line writes it ({@code plane:50})
     * @param space     the embedding space
     * @param result    the embedding
     */
    public record Run(String name, GeneratedSurfaces.Surface source, GeneratedSurfaces.Surface target,
            String spaceSpec, MetricSpace space, EmbeddingResult result) {

        /** The barycentric projections of the source's vertices (paper eq. 37), n₁ × the space's dimension. */
        public DMatrixRMaj sourceProjections() {
            return BarycentricProjection.project(result.p1(), true, result.space().coordinates().orElseThrow());
        }

        /** The barycentric projections of the target's vertices. */
        public DMatrixRMaj targetProjections() {
            return BarycentricProjection.project(result.p2(), false, result.space().coordinates().orElseThrow());
        }
    }

    /** EW_λ between two surfaces into the space {@code spaceSpec} (scaled to {@link #MAX_LENGTH}). */
    static Run embed(String name, GeneratedSurfaces.Surface source, GeneratedSurfaces.Surface target,
            String spaceSpec, JointEmbedding.Options options) {
        MetricSpace x = EmbeddingSpaces.parse(spaceSpec, MAX_LENGTH);
        EmbeddingResult r = JointEmbedding.embed(source.space(), target.space(), x, options);
        return new Run(name, source, target, spaceSpec, x, r);
    }

    /**
     * R² of the best affine map from {@code from} (n × 2) to {@code to} (n × k): 1 when {@code to} is an affine image
     * of {@code from} (e.g. projections of a roll against its exact unrolled coordinates: the roll came out unrolled).
     */
    public static double affineR2(DMatrixRMaj from, DMatrixRMaj to) {
        int n = from.numRows;
        DMatrixRMaj design = new DMatrixRMaj(n, from.numCols + 1);
        CommonOps_DDRM.insert(from, design, 0, 0);
        for (int i = 0; i < n; i++) {
            design.set(i, from.numCols, 1);
        }
        DMatrixRMaj coef = new DMatrixRMaj(from.numCols + 1, to.numCols);
        if (!CommonOps_DDRM.solve(design, to, coef)) {
            return Double.NaN;
        }
        DMatrixRMaj residual = new DMatrixRMaj(n, to.numCols);
        CommonOps_DDRM.mult(design, coef, residual);
        CommonOps_DDRM.subtractEquals(residual, to);
        DMatrixRMaj means = CommonOps_DDRM.sumCols(to, null);
        CommonOps_DDRM.divide(means, n);
        DMatrixRMaj centred = to.copy();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < to.numCols; c++) {
                centred.add(i, c, -means.get(0, c));
            }
        }
        double ssRes = CommonOps_DDRM.elementSum(CommonOps_DDRM.elementMult(residual, residual, null));
        double ssTot = CommonOps_DDRM.elementSum(CommonOps_DDRM.elementMult(centred, centred, null));
        return 1 - ssRes / ssTot;
    }
}

package org.gwembed.examples;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.AlignmentMetrics;
import org.gwembed.metricspaces.ArticulatedBody;
import org.gwembed.metricspaces.TriangleMesh;

/**
 * The paper's FAUST figure with a generated {@link ArticulatedBody} instead of the scans: a standing body and the
 * same body with raised arms and a step (two nearly isometric shapes) embedded jointly into a plane grid;
 * corresponding parts land in corresponding places, up to the left/right mirror that no intrinsic method can see.
 */
public final class ShapesExample {

    /** The paper's shape parameters: 1500 vertices, a 50×50 grid, 40 outer iterations, λ = 50, ε = 6e-4. */
    public static final MeshExamples.Settings FULL = new MeshExamples.Settings(1500, 50, 40, 50, 6e-4);
    /** A few seconds: 300 vertices, a 15×15 grid, 8 outer iterations. */
    public static final MeshExamples.Settings QUICK = new MeshExamples.Settings(300, 15, 8, 50, 6e-4);
    /** Where in the paper. */
    public static final String PAPER = "Beier et al. 2025, section 6.1 (FAUST poses, Fig. 11); here a generated "
            + "articulated body";
    /** The fewest vertices the body generator accepts. */
    public static final int MIN_VERTICES = 200;
    /** Neighbours of the part-transfer classifier. */
    public static final int TRANSFER_NEIGHBOURS = 5;

    private ShapesExample() {
    }

    /** The embedding space of a grid side. */
    public static String space(int grid) {
        return "plane:" + grid;
    }

    /**
     * The run and how well the parts correspond.
     *
     * @param run                    the embedding of the standing body (source) and the raised one (target)
     * @param parts                  the body part of each vertex (the same in both poses), as
     *                               {@link ArticulatedBody.Part} ordinals
     * @param geodesicChange         Σ|D₁ − D₂| / Σ D₁ of the two poses' geodesics (both scaled to max 1)
     * @param partTransferAsLabelled 5-NN part transfer on the projections, mean of both directions
     * @param partTransferSwapped    the same with left and right swapped in the raised pose
     * @param foscttmIdentity        symmetric FOSCTTM of the known vertex correspondence
     * @param foscttmSwapped         the same with the vertices mirrored left to right
     */
    public record Result(MeshExamples.Run run, int[] parts, double geodesicChange, double partTransferAsLabelled,
            double partTransferSwapped, double foscttmIdentity, double foscttmSwapped) {

        /** The better part transfer of as-labelled and left/right swapped (chance is about 0.2). */
        public double partTransferAccuracy() {
            return Math.max(partTransferAsLabelled, partTransferSwapped);
        }

        /** The better FOSCTTM of as-is and mirrored. */
        public double foscttm() {
            return Math.min(foscttmIdentity, foscttmSwapped);
        }
    }

    /** Generates both poses, embeds them and scores the correspondence. */
    public static Result run(MeshExamples.Request request) {
        int n = request.vertices();
        int threads = request.options().threads();
        ArticulatedBody.Body standing = ArticulatedBody.generate(n, ArticulatedBody.Pose.standing());
        GeneratedSurfaces.Surface a = GeneratedSurfaces.of(GeneratedSurfaces.named("body"), n, standing.generated(),
                threads);
        GeneratedSurfaces.Surface b = request.surface("body-raised");
        int[] parts = standing.parts();
        MeshExamples.Run run = MeshExamples.embed("poses", a, b, space(request.grid()), request.options());
        DMatrixRMaj za = run.sourceProjections();
        DMatrixRMaj zb = run.targetProjections();
        int[] mirror = mirrorMap(a.generated().mesh());
        int[] mirroredParts = new int[parts.length];
        DMatrixRMaj zbMirrored = new DMatrixRMaj(zb.numRows, 2);
        for (int i = 0; i < parts.length; i++) {
            mirroredParts[i] = ArticulatedBody.Part.values()[parts[i]].mirrored().ordinal();
            zbMirrored.set(i, 0, zb.get(mirror[i], 0));
            zbMirrored.set(i, 1, zb.get(mirror[i], 1));
        }
        AlignmentMetrics.LabelTransfer asIs = AlignmentMetrics.labelTransfer(za, parts, zb, parts,
                TRANSFER_NEIGHBOURS);
        AlignmentMetrics.LabelTransfer swapped = AlignmentMetrics.labelTransfer(za, parts, zb, mirroredParts,
                TRANSFER_NEIGHBOURS);
        return new Result(run, parts, relativeChange(a, b), asIs.mean(), swapped.mean(),
                AlignmentMetrics.foscttm(za, zb).symmetric(), AlignmentMetrics.foscttm(za, zbMirrored).symmetric());
    }

    /** Σ|D₁ − D₂| / Σ D₁ of the two poses' geodesic matrices. */
    private static double relativeChange(GeneratedSurfaces.Surface a, GeneratedSurfaces.Surface b) {
        DMatrixRMaj da = a.space().space().distanceMatrix();
        DMatrixRMaj db = b.space().space().distanceMatrix();
        double diff = 0;
        double sum = 0;
        for (int k = 0; k < da.data.length; k++) {
            diff += Math.abs(da.data[k] - db.data[k]);
            sum += da.data[k];
        }
        return diff / sum;
    }

    /** Vertex i ↦ the vertex nearest to the mirror image (x → −x) of vertex i in the (symmetric) standing pose. */
    public static int[] mirrorMap(TriangleMesh standing) {
        int n = standing.vertexCount();
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            double x = -standing.vertex(i, 0);
            double y = standing.vertex(i, 1);
            double z = standing.vertex(i, 2);
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double dx = standing.vertex(j, 0) - x;
                double dy = standing.vertex(j, 1) - y;
                double dz = standing.vertex(j, 2) - z;
                double d = dx * dx + dy * dy + dz * dz;
                if (d < best) {
                    best = d;
                    map[i] = j;
                }
            }
        }
        return map;
    }
}

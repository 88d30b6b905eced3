package org.gwembed.examples;

/**
 * The paper's torus figure (Fig. 3): a half torus and a toroidal triangle on the torus of revolution. The paper's
 * figure shows the torus in R³ and the reference builds it as a torus of revolution (R = 1, r = 0.2) with Dijkstra
 * geodesics on its grid mesh (METHOD.md §1 (b)); a flat torus would be a different metric (no curvature, all of u and
 * v alike), so this example uses {@code torus-embedded:N}, with the sphere's parameters as the paper does.
 */
public final class TorusExample {

    /** The paper's sizes: about 2000 vertices, {@code torus-embedded:30}, 40 outer iterations. */
    public static final MeshExamples.Settings FULL = new MeshExamples.Settings(2000, 30, 40, 1000, 1e-3);
    /** A few seconds: 300 vertices, {@code torus-embedded:12}, 8 outer iterations. */
    public static final MeshExamples.Settings QUICK = new MeshExamples.Settings(300, 12, 8, 1000, 1e-3);
    /** Where in the paper. */
    public static final String PAPER = "Beier et al. 2025, Fig. 3 (torus: half torus and toroidal triangle, 30x30)";
    /** Why this space. */
    public static final String SPACE_CHOICE = "torus of revolution (R = 1, r = 0.2, Dijkstra geodesics on the grid "
            + "mesh), as the reference builds it; the figure shows this torus in 3D";

    private TorusExample() {
    }

    /** The embedding space of a grid side. */
    public static String space(int grid) {
        return "torus-embedded:" + grid;
    }

    /** Generates both surfaces and embeds them. */
    public static MeshExamples.Run run(MeshExamples.Request request) {
        GeneratedSurfaces.Surface a = request.surface("half-torus");
        GeneratedSurfaces.Surface b = request.surface("toroidal-triangle");
        return MeshExamples.embed("torus", a, b, space(request.grid()), request.options());
    }
}

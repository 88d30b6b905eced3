package org.gwembed.examples;

/**
 * The paper's sphere figure (Fig. 3): a spherical rectangle and a spherical cap, both with holes, embedded jointly
 * into a sphere grid with the paper's sphere parameters (λ = 1000, ε = 1e-3 relative).
 */
public final class SphereExample {

    /** The paper's sizes: about 2000 vertices, {@code sphere:30}, 40 outer iterations. */
    public static final MeshExamples.Settings FULL = new MeshExamples.Settings(2000, 30, 40, 1000, 1e-3);
    /** A few seconds: 300 vertices, {@code sphere:10}, 8 outer iterations. */
    public static final MeshExamples.Settings QUICK = new MeshExamples.Settings(300, 10, 8, 1000, 1e-3);
    /** Where in the paper. */
    public static final String PAPER = "Beier et al. 2025, Fig. 3 (sphere: spherical rectangle and cap with holes, "
            + "30x30)";

    private SphereExample() {
    }

    /** The embedding space of a grid side. */
    public static String space(int grid) {
        return "sphere:" + grid;
    }

    /** Generates both surfaces and embeds them. */
    public static MeshExamples.Run run(MeshExamples.Request request) {
        GeneratedSurfaces.Surface a = request.surface("spherical-rectangle-hole");
        GeneratedSurfaces.Surface b = request.surface("spherical-cap-hole");
        return MeshExamples.embed("sphere", a, b, space(request.grid()), request.options());
    }
}

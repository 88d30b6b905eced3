package org.gwembed.examples;

import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import org.gwembed.core.Require;
import org.gwembed.metricspaces.ArticulatedBody;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.MetricMeasureSpace;

/**
 * The generated surfaces of the examples (and of the command line's {@code gen:NAME:N} inputs): each a mesh of about
 * N vertices with its edge-graph geodesics scaled to max 1 and uniform weights, as the reference builds them.
 */
public final class GeneratedSurfaces {

    /**
     * A named generator.
     *
     * @param name          as in {@code gen:NAME:N}
     * @param displayName   for titles
     * @param parameterName the name of the first generator parameter (pictures colour projections by it)
     * @param minimum       the smallest N accepted
     * @param factory       N → the generated mesh
     */
    public record Generator(String name, String displayName, String parameterName, int minimum,
            IntFunction<MeshGenerators.GeneratedMesh> factory) {
    }

    /** The generators, in the order the help lists them. */
    public static final List<Generator> GENERATORS = List.of(
            new Generator("s-curve", "S-curve", "t", 9, MeshGenerators::sCurve),
            new Generator("swiss-roll", "Swiss roll", "t", 9, MeshGenerators::swissRoll),
            new Generator("swiss-roll-hole", "Swiss roll with hole", "t", 9,
                    n -> MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre())),
            new Generator("spherical-rectangle-hole", "spherical rectangle with hole", "longitude", 9,
                    MeshGenerators::sphericalRectangleWithHole),
            new Generator("spherical-cap-hole", "spherical cap with hole", "longitude", 9,
                    MeshGenerators::sphericalCapWithHole),
            new Generator("half-torus", "half torus", "u", 9, MeshGenerators::halfTorus),
            new Generator("toroidal-triangle", "toroidal triangle", "u", 9, MeshGenerators::toroidalTriangle),
            new Generator("body", "body, standing", "height", 200,
                    n -> ArticulatedBody.generate(n, ArticulatedBody.Pose.standing()).generated()),
            new Generator("body-raised", "body, arms raised and a step", "height", 200,
                    n -> ArticulatedBody.generate(n, ArticulatedBody.Pose.armsRaisedStep()).generated()));

    private GeneratedSurfaces() {
    }

    /**
     * A generated surface as a metric-measure space.
     *
     * @param generator   what generated it
     * @param vertices    the N it was asked for
     * @param generated   the mesh, its parameters and (for developable surfaces) its exact unrolled coordinates
     * @param space       edge-graph geodesics scaled to max 1, uniform weights
     * @param description how it was built
     */
    public record Surface(Generator generator, int vertices, MeshGenerators.GeneratedMesh generated,
            MetricMeasureSpace space, String description) {

        /** {@code gen:NAME:N}. */
        public String spec() {
            return "gen:" + generator.name() + ":" + vertices;
        }
    }

    /** The generator of this name (case-insensitive), if any. */
    public static Optional<Generator> find(String name) {
        String n = name.trim();
        return GENERATORS.stream().filter(g -> g.name().equalsIgnoreCase(n)).findFirst();
    }

    /** The generator of this name; an {@link IllegalArgumentException} naming the known ones otherwise. */
    public static Generator named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown generator '" + name
                + "'; expected one of " + GENERATORS.stream().map(Generator::name).toList()));
    }

    /** Generates about {@code n} vertices with {@code generator} and computes the geodesics on {@code threads}. */
    public static Surface generate(Generator generator, int n, int threads) {
        Require.nonNull(generator, "generator");
        if (n < generator.minimum()) {
            throw new IllegalArgumentException(generator.name() + " needs at least " + generator.minimum()
                    + " vertices, got " + n);
        }
        return of(generator, n, generator.factory().apply(n), threads);
    }

    /** {@link #generate(Generator, int, int)} by name. */
    public static Surface generate(String name, int n, int threads) {
        return generate(named(name), n, threads);
    }

    /** A surface from a mesh that {@code generator} made for {@code n} (the geodesics computed on {@code threads}). */
    public static Surface of(Generator generator, int n, MeshGenerators.GeneratedMesh g, int threads) {
        MetricMeasureSpace mm = MeshGeodesics.metricMeasureSpace(g.mesh(), MeshGeodesics.VertexMeasure.UNIFORM,
                MeshGeodesics.Options.defaults().withThreads(threads));
        return new Surface(generator, n, g, mm.normalizedToMax(1), g.description() + ", " + g.mesh().vertexCount()
                + " vertices, " + g.mesh().triangleCount() + " triangles, edge-graph geodesics");
    }
}

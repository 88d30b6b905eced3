package org.gwembed.cli;

import org.gwembed.examples.MeshExamples;

import picocli.CommandLine.Option;

/**
 * Size and solver overrides of the mesh examples ({@code rolls}, {@code shapes}, {@code sphere}, {@code torus}); unset
 * options take the example's full or {@code --quick} default.
 */
final class MeshExampleOptions {

    @Option(names = "--vertices", paramLabel = "N", description = "Approximate vertices per surface.")
    Integer vertices;

    @Option(names = "--grid", paramLabel = "N", description = "Grid side of the embedding space.")
    Integer grid;

    @Option(names = "--outer-iterations", paramLabel = "R", description = "Outer iterations of Algorithm 1.")
    Integer outerIterations;

    @Option(names = "--lambda", paramLabel = "L", description = "Weight of the GW penalties.")
    Double lambda;

    @Option(names = "--epsilon", paramLabel = "E", description = "Relative epsilon (reference cost scaling).")
    Double epsilon;

    /** The overrides applied to {@code defaults}, validated (messages name the option and its value). */
    MeshExamples.Settings resolve(MeshExamples.Settings defaults, int minVertices) {
        MeshExamples.Settings s = new MeshExamples.Settings(vertices != null ? vertices : defaults.vertices(),
                grid != null ? grid : defaults.grid(),
                outerIterations != null ? outerIterations : defaults.outer(),
                lambda != null ? lambda : defaults.lambda(), epsilon != null ? epsilon : defaults.epsilon());
        if (s.vertices() < minVertices) {
            throw new IllegalArgumentException("--vertices must be >= " + minVertices + ", got " + s.vertices());
        }
        if (s.grid() < 3) {
            throw new IllegalArgumentException("--grid must be >= 3, got " + s.grid());
        }
        return s;
    }
}

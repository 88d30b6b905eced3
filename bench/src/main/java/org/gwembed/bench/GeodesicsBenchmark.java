package org.gwembed.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.GaussianSpace;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.PointCloudGenerators;
import org.gwembed.metricspaces.Tables;
import org.gwembed.metricspaces.TriangleMesh;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Input-metric benchmarks (foundation issue targets on 2 cores): all-pairs mesh geodesics of a 2000-vertex S-curve
 * (target < 2 s) and of a 6890-vertex Swiss roll, FAUST's size (target < 30 s); 10-NN graph geodesics of the
 * 1047 SNAREseq RNA points (target < 1 s; a seeded blob set of the same size when ../shared/data is absent);
 * the Bures distance matrix of the 15×15×12 Gaussian space.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class GeodesicsBenchmark {

    @Param({"2000", "6890"})
    public int vertices;

    private TriangleMesh mesh;
    private DMatrixRMaj cells;

    @Setup(Level.Trial)
    public void setUp() {
        mesh = (vertices <= 2000 ? MeshGenerators.sCurve(vertices) : MeshGenerators.swissRoll(vertices)).mesh();
        Path rna = Path.of(System.getProperty("gwembed.shared.dir", "../shared"), "data", "snareseq",
                "SNAREseq_rna_feat.npy");
        cells = Files.isRegularFile(rna) ? Tables.read(rna).values()
                : PointCloudGenerators.blobs(1047, 4, 1L).points();
    }

    @Benchmark
    public Object meshGeodesics() {
        return MeshGeodesics.geodesics(mesh);
    }

    @Benchmark
    public Object knnGeodesics() {
        return KnnGraph.geodesics(cells, KnnGraph.Options.euclidean(10));
    }

    @Benchmark
    public Object buresDistanceMatrix() {
        return GaussianSpace.of(15, 0.01).distanceMatrix();
    }
}

package org.gwembed.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.Tables;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading distance matrices (issue 16's target: CSV at 150 MB/s or more on one core): the 2000-vertex S-curve's
 * mesh geodesics, written once as CSV ({@link Tables#writeCsv}, shortest round-trip decimals, ~78 MB) and as
 * {@code .npy} (32 MB). {@code parseCsv} is the parser alone on {@code threads} threads; {@code readCsv} and
 * {@code readNpy} are what {@code gwembed embed --source-distances F} does, on the default threads whatever the
 * parameter (parse, then check the matrix is square, finite, non-negative, symmetric with a zero diagonal).
 * Throughput = the file size (printed at set-up) over the time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ReadingBenchmark {

    @Param({"1", "2"})
    public int threads;

    private Path dir;
    private Path csv;
    private Path npy;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        DMatrixRMaj d = MeshGeodesics.geodesics(MeshGenerators.sCurve(2000).mesh(), MeshGeodesics.Options.defaults())
                .distanceMatrix();
        dir = Files.createTempDirectory("gwembed-reading");
        csv = dir.resolve("scurve.csv");
        npy = dir.resolve("scurve.npy");
        Tables.writeCsv(csv, d, List.of());
        Tables.writeNpy(npy, d);
        System.out.printf(Locale.ROOT, "%n%s: %.1f MB, %s: %.1f MB (%d x %d)%n", csv.getFileName(),
                Files.size(csv) / 1e6, npy.getFileName(), Files.size(npy) / 1e6, d.numRows, d.numCols);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Path p : new Path[] {csv, npy, dir}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Benchmark
    public Object parseCsv() {
        return Tables.readDelimited(csv, threads);
    }

    @Benchmark
    public Object readCsv() {
        return DistanceMatrices.read(csv);
    }

    @Benchmark
    public Object readNpy() {
        return DistanceMatrices.read(npy);
    }
}
